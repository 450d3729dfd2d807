package grader_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/dslab-kr/dslab/grader"
)

func sampleResults(t *testing.T) []grader.Result {
	c := catalog(t)
	var out []grader.Result
	for _, p := range [][2]string{{"ds-basics", "solution"}, {"control-plane", "seed-master-only"}} {
		ex, err := c.Get(p[0])
		if err != nil {
			t.Fatal(err)
		}
		var sc scenario
		for _, s := range scenarios[p[0]] {
			if s.name == p[1] {
				sc = s
			}
		}
		out = append(out, grader.Grade(ex.Spec, build(ex, sc)))
	}
	return out
}

// The JSON field names are the documented contract (docs/cli.md).
func TestJSONContract(t *testing.T) {
	res := sampleResults(t)
	var b bytes.Buffer
	if err := grader.WriteJSON(&b, res[1:]); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"exercise", "passed", "score", "maxScore", "checks"} {
		if _, ok := m[k]; !ok {
			t.Errorf("result lacks %q", k)
		}
	}
	checks := m["checks"].([]any)
	for _, c := range checks {
		cm := c.(map[string]any)
		for _, k := range []string{"id", "passed", "points", "message", "nodes"} {
			if _, ok := cm[k]; !ok {
				t.Errorf("check lacks %q: %v", k, cm)
			}
		}
		for _, n := range cm["nodes"].([]any) {
			nm := n.(map[string]any)
			for _, k := range []string{"node", "expected", "actual", "reason"} {
				if _, ok := nm[k]; !ok {
					t.Errorf("node lacks %q: %v", k, nm)
				}
			}
		}
	}
	if m["passed"] != false || m["exercise"] != "control-plane" {
		t.Errorf("header %v %v", m["exercise"], m["passed"])
	}
	b.Reset()
	if err := grader.WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var list []grader.Result
	if err := json.Unmarshal(b.Bytes(), &list); err != nil || len(list) != 2 {
		t.Fatalf("several results are an array: %v %d", err, len(list))
	}
}

func TestJUnit(t *testing.T) {
	res := sampleResults(t)
	var b bytes.Buffer
	if err := grader.WriteJUnit(&b, res); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	failed := 0
	total := 0
	for _, r := range res {
		for _, c := range r.Checks {
			total++
			if !c.Passed {
				failed++
			}
		}
	}
	if doc.Tests != total || doc.Failures != failed || len(doc.Suites) != 2 || doc.Suites[1].Name != "control-plane" {
		t.Errorf("junit: tests %d failures %d suites %d", doc.Tests, doc.Failures, len(doc.Suites))
	}
	if f := doc.Suites[1].Cases[1].Failure; f == nil || !strings.Contains(f.Message, "master") {
		t.Errorf("failure message %+v", f)
	}
}

func TestText(t *testing.T) {
	res := sampleResults(t)
	var b bytes.Buffer
	if err := grader.WriteText(&b, res); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"연습 ds-basics", ": 통과 · 10/10점\n", ": 미통과 · 3/10점\n", "✗ 컨트롤 플레인 테인트를 용인하는 톨러레이션 (tolerates-control-plane) [0/3]", "✗ dslab-control-plane:", "(기대: Ready 파드, 실제: 파드 없음)"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func classReport(t *testing.T) grader.ClassReport {
	res := sampleResults(t)
	kim := grader.StudentResult{Student: "김민준", Source: "kim.kubeconfig", Results: res}
	kim.Totals()
	lee := grader.StudentResult{Student: "lee", Source: "lee.kubeconfig", Error: "클러스터에 연결할 수 없습니다"}
	return grader.ClassReport{Exercises: []string{"ds-basics", "control-plane"}, Students: []grader.StudentResult{kim, lee}}
}

// The class table aligns columns by display width: Hangul takes two cells.
func TestClassText(t *testing.T) {
	var b bytes.Buffer
	if err := grader.WriteClassText(&b, classReport(t)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines:\n%s", b.String())
	}
	col := func(line, cell string) int { return runewidth.StringWidth(line[:strings.Index(line, cell)]) }
	if col(lines[0], "ds-basics") != col(lines[1], "10/10") || col(lines[0], "control-plane") != col(lines[1], "3/10") {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
	if !strings.Contains(lines[1], "13/20") || !strings.Contains(lines[2], "채점 불가: 클러스터에 연결할 수 없습니다") {
		t.Errorf("rows:\n%s", b.String())
	}
}

func TestClassCSVAndJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := grader.WriteClassCSV(&b, classReport(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"student", "source", "ds-basics", "control-plane", "score", "maxScore", "error"},
		{"김민준", "kim.kubeconfig", "10", "3", "13", "20", ""},
		{"lee", "lee.kubeconfig", "", "", "", "", "클러스터에 연결할 수 없습니다"},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	b.Reset()
	if err := grader.WriteClassJUnit(&b, classReport(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `<testsuite name="lee" tests="1" failures="0" errors="1">`) || !strings.Contains(b.String(), `classname="김민준.control-plane"`) {
		t.Errorf("class junit:\n%s", b.String())
	}
}

// The text report says each explanation once (issue 14: the
// cordon-maintenance kept-away check printed the cordon explanation as its
// message and again on its node line; an image typo printed one sentence
// per node): over every fixture of every exercise, no node reason appears
// twice in the lines of its check.
func TestTextSaysEachFactOnce(t *testing.T) {
	c := catalog(t)
	for _, ex := range c.All() {
		for _, sc := range scenarios[ex.ID] {
			data, err := os.ReadFile(fixturePath(ex.ID, sc.name))
			if err != nil {
				t.Fatal(err)
			}
			var snap grader.Snapshot
			if err := json.Unmarshal(data, &snap); err != nil {
				t.Fatal(err)
			}
			res := grader.Grade(ex.Spec, snap)
			for _, ch := range res.Checks {
				one := res
				one.Notes, one.Checks = nil, []grader.CheckResult{ch}
				var b strings.Builder
				if err := grader.WriteText(&b, []grader.Result{one}); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				// Node lines: "      ✗ a, b: reason (기대: …)" or
				// "      ✗ a (기대: …)"; the text after the node names is
				// printed once, and not when the message says it.
				seen := map[string]bool{}
				for _, l := range strings.Split(out, "\n") {
					if !strings.HasPrefix(l, "      ✓ ") && !strings.HasPrefix(l, "      ✗ ") {
						continue
					}
					names, _, _ := strings.Cut(strings.TrimSpace(l[8:]), " (기대")
					names, _, _ = strings.Cut(names, ": ")
					for _, n := range ch.Nodes {
						if n.Reason != "" && strings.Contains(ch.Message, n.Reason) && slices.Contains(strings.Split(names, ", "), n.Node) && strings.Contains(l, n.Reason) {
							t.Errorf("%s/%s: check %s, node %s: the message says its reason and the node line again:\n%s\n--- report:\n%s", ex.ID, sc.name, ch.ID, n.Node, n.Reason, out)
						}
					}
					_, rest, ok := strings.Cut(l, ": ")
					if ok && seen[l[:8]+rest] {
						t.Errorf("%s/%s: check %s: two node lines say %q:\n%s", ex.ID, sc.name, ch.ID, rest, out)
					}
					seen[l[:8]+rest] = true
				}
			}
		}
	}
}

// Issue 14: a DaemonSet applied to the wrong namespace fails every check
// with the same cause; the report says it once, under the first check, and
// the other checks refer to it in one short line.
func TestTextSaysASharedCauseOnce(t *testing.T) {
	ex, err := catalog(t).Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(fixturePath(ex.ID, "solution"))
	if err != nil {
		t.Fatal(err)
	}
	var snap grader.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	for i := range snap.DaemonSets {
		if snap.DaemonSets[i].Name == ex.Spec.Target.Name {
			snap.DaemonSets[i].Namespace = "elsewhere"
		}
	}
	res := grader.Grade(ex.Spec, snap)
	cause, failed := "", 0
	for _, c := range res.Checks {
		if !c.Passed && strings.Contains(c.Message, "elsewhere") {
			cause = c.Message
			failed++
		}
	}
	if failed < 2 {
		t.Fatalf("want several checks failing with the namespace cause, got %d: %+v", failed, res.Checks)
	}
	var b strings.Builder
	if err := grader.WriteText(&b, []grader.Result{res}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, cause); n != 1 {
		t.Errorf("the shared cause is said %d times, want once:\n%s", n, out)
	}
	if n := strings.Count(out, "원인은 위 "); n != failed-1 {
		t.Errorf("%d references to the cause, want %d:\n%s", n, failed-1, out)
	}
}

// dslab grade after a failed apply: the advice of a failed check says it
// is about the object from before that apply (issue 14: it asked for what
// the failed file already said); a passed check's message does not.
func TestWriteTextAdviceBeforeFailedApply(t *testing.T) {
	r := grader.Result{Exercise: "gpu-only", Status: grader.StatusFailed, MaxScore: 2,
		LastApplyFailure: &grader.ApplyFailure{Summary: "검증 실패"},
		Checks: []grader.CheckResult{
			{ID: "a", MaxPoints: 1, Message: "nodeSelector 의 key hardwre 는 hardware 의 오타가 아닌가요?", Nodes: []grader.NodeResult{}},
			{ID: "b", MaxPoints: 1, Points: 1, Passed: true, Message: "데몬셋이 있습니다", Nodes: []grader.NodeResult{}},
		}}
	var b strings.Builder
	if err := grader.WriteText(&b, []grader.Result{r}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, grader.BeforeFailedApplyLead+"nodeSelector 의 key hardwre") {
		t.Errorf("failed check's advice not marked:\n%s", out)
	}
	if strings.Contains(out, grader.BeforeFailedApplyLead+"데몬셋이 있습니다") {
		t.Errorf("passed check marked:\n%s", out)
	}
}
