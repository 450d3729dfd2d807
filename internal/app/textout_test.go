package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	xansi "github.com/charmbracelet/x/ansi"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/internal/kube"
)

// checkProse fails on any line of out wider than width unless the line is
// one unbreakable token or a command wider than the line (shown bare, its
// backticks dropped: render.WrapWhole), and on any word split across
// lines: every whitespace-separated token of flat (the same output
// unwrapped) must appear whole in out, up to backticks (a table too wide
// for the width may change its layout, so the order is not compared).
func checkProse(t *testing.T, what string, width int, out, flat string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if cw := xansi.StringWidth(l); cw > width && len(strings.Fields(l)) > 1 && !strings.Contains(flat, "`"+strings.TrimSpace(l)+"`") {
			t.Errorf("%s at %d: line of %d cells: %q", what, width, cw, l)
		}
	}
	have := map[string]bool{}
	for _, f := range strings.Fields(out) {
		have[strings.TrimSuffix(f, ":")] = true // "제목:" in a narrow table's row block
		for _, piece := range strings.Split(f, "`") {
			have[strings.TrimSuffix(piece, ":")] = true
		}
	}
	whole := func(f string) bool {
		if have[strings.TrimSuffix(f, ":")] {
			return true
		}
		// A command shown bare: its first and last words lose a backtick.
		for _, piece := range strings.Split(f, "`") {
			if piece != "" && !have[strings.TrimSuffix(piece, ":")] {
				return false
			}
		}
		return strings.Contains(f, "`")
	}
	for _, f := range strings.Fields(flat) {
		if !whole(f) {
			t.Errorf("%s at %d: %q is not whole in the output (split across lines?):\n%s", what, width, f, out)
			return
		}
	}
}

// proseEnv is an isolated dslab environment for CLI runs: its own HOME and
// XDG directories, no cluster.
func proseEnv(t *testing.T) map[string]string {
	home := t.TempDir()
	return map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_DATA_HOME": filepath.Join(home, "data"),
		"KUBECONFIG": filepath.Join(home, "no-kubeconfig")}
}

// runAt runs args in vars with COLUMNS=width and returns stdout+stderr.
func runAt(t *testing.T, vars map[string]string, width int, args ...string) string {
	t.Helper()
	v := map[string]string{}
	for k, x := range vars {
		v[k] = x
	}
	v["COLUMNS"] = strconv.Itoa(width)
	_, out, errs := runCLIEnv(t, v, args...)
	return out + "\n" + errs
}

// Every CLI command that prints prose, run without a cluster (snapshots,
// a bundle, the catalog, errors), fits 60 and 80 columns: no line wider
// than the width unless it is one token (a URL, a path), and no word, id
// or path split across lines.
func TestCLIProseFitsWidth(t *testing.T) {
	vars := proseEnv(t)
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	fixtures := filepath.Join("..", "..", "grader", "testdata", "exercises")
	bundle := filepath.Join(t.TempDir(), "class-bundle.json")
	writeBundle(t, bundle)
	long := filepath.Join(t.TempDir(), "a-rather-long-directory-name-for-snapshots", "student-kim-minsu-control-plane-attempt.json")
	cmds := [][]string{
		{"version"}, {"exercises"}, {"progress"}, {"lessons"},
		{"grade", "--all", "--snapshot", bundle},
		{"grade", "--all", "--snapshot", bundle, "--width", "60"},
		// Errors, whole.
		{"grde"}, {"exercise", "show", "gpu_only"}, {"exercise", "show", "no-such-exercise-at-all"}, {"exercise", "show"},
		{"grade", "control-plane", "--snapshot", filepath.Join(fixtures, "gpu-only", "solution.json")},
		{"grade", "control-plane", "--snapshot", long},
		{"class", "status"},
	}
	for _, ex := range c.All() {
		cmds = append(cmds, []string{"exercise", "show", ex.ID}, []string{"exercise", "show", ex.ID, "--hint", strconv.Itoa(len(ex.Hints))})
		files, _ := filepath.Glob(filepath.Join(fixtures, ex.ID, "*.json"))
		for _, f := range files {
			cmds = append(cmds, []string{"grade", ex.ID, "--snapshot", f})
		}
	}
	graded := 0
	for _, args := range cmds {
		if args[0] == "grade" && len(args) == 4 {
			graded++
		}
		flat := runAt(t, vars, 100000, args...)
		for _, w := range []int{60, 80} {
			what := strings.Join(args, " ")
			width := w
			if i := slices.Index(args, "--width"); i >= 0 {
				width, _ = strconv.Atoi(args[i+1])
				what += " (COLUMNS " + strconv.Itoa(w) + ")"
			}
			checkProse(t, what, width, runAt(t, vars, w, args...), flat)
		}
	}
	if graded < 50 {
		t.Errorf("only %d grade fixtures ran; the test lost its fixtures", graded)
	}
}

// writeBundle writes a `grade --all --snapshot` bundle: two passes, the
// current exercise in progress with a mistake, the rest not started.
func writeBundle(t *testing.T, path string) {
	t.Helper()
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	live := fixtureSnapshot(t, "control-plane", "seed-master-only")
	b := kube.Bundle{Kind: kube.BundleKind, Version: 1, CapturedAt: at,
		Passes: map[string]kube.Evidence{
			"gpu-only":  {Version: 1, Exercise: "gpu-only", PassedAt: at, Snapshot: fixtureSnapshot(t, "gpu-only", "solution")},
			"ds-basics": {Version: 1, Exercise: "ds-basics", PassedAt: at, Snapshot: fixtureSnapshot(t, "ds-basics", "solution")},
		},
		Current: &kube.Current{Exercise: "control-plane", Started: at}, Live: &live}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The class table (class of three and an unreachable student) and its
// first-failure reasons fit 60 and 80 columns, whole: a reason is wrapped,
// never cut with "…".
func TestClassTextWrapsWhole(t *testing.T) {
	rep := sampleReport(t)
	var flat bytes.Buffer
	if err := writeClassText(&flat, rep, "student", 100000); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{60, 80} {
		var b bytes.Buffer
		if err := writeClassText(&b, rep, "student", w); err != nil {
			t.Fatal(err)
		}
		checkProse(t, "class text", w, b.String(), flat.String())
		if strings.Contains(b.String(), "…") {
			t.Errorf("width %d: a reason was cut:\n%s", w, b.String())
		}
	}
}

// The leftover-DaemonSet warning (exercise start/reset) wraps whole, its
// command on a line of its own.
func TestLeftoverWarningWraps(t *testing.T) {
	c, _ := loadCatalog()
	ex, err := findExercise(c, "monitoring-agent")
	if err != nil {
		t.Fatal(err)
	}
	ds := func(ns, name string) *appsv1.DaemonSet {
		d := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		d.Spec.Template.Labels = targetPodLabels(ex)
		return d
	}
	// The target itself is there: the others are leftovers.
	client := fake.NewClientset(ds(ex.Spec.Target.Namespace, ex.Spec.Target.Name), ds("default", ex.Spec.Target.Name), ds("kube-public-leftovers", "another-copy-with-a-long-name"))
	run := func(w int, removing bool) string {
		var errb bytes.Buffer
		env := Env{Streams: Streams{Out: &bytes.Buffer{}, Err: &errb}, Getenv: func(k string) string {
			if k == "COLUMNS" {
				return strconv.Itoa(w)
			}
			return ""
		}}
		if ls := warnLeftovers(context.Background(), env, client, ex, removing); len(ls) != 2 {
			t.Fatalf("leftovers: %+v", ls)
		}
		return errb.String()
	}
	flat := run(100000, false)
	for _, w := range []int{60, 80} {
		out := run(w, false)
		checkProse(t, "leftover warning", w, out, flat)
		// The direct command first, then the reset (issue 14), each whole
		// on its own line.
		direct := "dslab kubectl delete daemonset " + ex.Spec.Target.Name + " -n default"
		cmd := "dslab exercise reset " + ex.ID + " --remove-leftovers"
		for _, c := range []string{direct, cmd} {
			if !strings.Contains(out, "\n  "+c+"\n") {
				t.Errorf("width %d: %q is not whole on its own line:\n%s", w, c, out)
			}
		}
		if long := "dslab kubectl delete daemonset another-copy-with-a-long-name -n kube-public-leftovers"; !strings.Contains(strings.Join(strings.Fields(out), " "), long) {
			t.Errorf("width %d: no %q:\n%s", w, long, out)
		}
		if strings.Index(out, direct) > strings.Index(out, cmd) {
			t.Errorf("width %d: the reset is offered before the direct command:\n%s", w, out)
		}
	}
	// exercise reset about to ask [y/N] (or told to remove): no command.
	if out := run(80, true); strings.Contains(out, "--remove-leftovers") || strings.Contains(out, "kubectl delete") || !strings.Contains(out, "남아 있습니다") {
		t.Errorf("while removing or asking, the warning suggests a command:\n%s", out)
	}
}

// Every fmt.Fprint*/io.WriteString/Write to env.Streams in internal/app
// goes through textOut, unless the line says why not ("// raw: …":
// machine output such as YAML, kubeconfigs or kubectl's own text).
func TestNoRawProse(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	raw := regexp.MustCompile(`(fmt\.Fprint\w*\(|io\.WriteString\(|\.Write\()env\.Streams\.(Out|Err)`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for i, l := range strings.Split(string(data), "\n") {
			if raw.MatchString(l) && !strings.Contains(l, "// raw: ") {
				t.Errorf("%s:%d prints to a stream without textOut (wrap it, or mark machine output with // raw: why): %s", f, i+1, strings.TrimSpace(l))
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d source files found", n)
	}
}

// reflow joins a paragraph's source lines and keeps lists, code and
// blank lines.
func TestReflow(t *testing.T) {
	in := "첫 줄이\n이어집니다.\n\n- 항목 하나\n- 항목\n  둘\n```\nkubectl get pods\n-o wide\n```\n끝."
	want := "첫 줄이 이어집니다.\n\n- 항목 하나 \n- 항목\n  둘\n```\nkubectl get pods\n-o wide\n```\n끝."
	want = strings.Replace(want, "하나 \n", "하나\n", 1)
	if got := reflow(in); got != want {
		t.Errorf("reflow:\n%q\nwant\n%q", got, want)
	}
}

// A copy in another namespace while the target's own namespace has none is
// the learner's answer in the wrong namespace (trial: ds-basics saved with
// namespace default was called a leftover): the warning says which
// namespace the task asks for and offers no removal.
func TestMisplacedAnswerWarning(t *testing.T) {
	c, _ := loadCatalog()
	ex, err := findExercise(c, "ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	client := fake.NewClientset(&appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: ex.Spec.Target.Name}})
	var errb bytes.Buffer
	env := Env{Streams: Streams{Out: &bytes.Buffer{}, Err: &errb}, Getenv: func(string) string { return "" }}
	warnLeftovers(context.Background(), env, client, ex, false)
	out := strings.Join(strings.Fields(errb.String()), " ")
	for _, want := range []string{"네임스페이스 default 에 있습니다", "과제의 네임스페이스는 kube-system 입니다", "metadata.namespace 를 kube-system 으로 하세요"} {
		if !strings.Contains(out, want) {
			t.Errorf("the warning does not say %q:\n%s", want, errb.String())
		}
	}
	if strings.Contains(out, "남아 있습니다") || strings.Contains(out, "--remove-leftovers") {
		t.Errorf("the misplaced answer is called a leftover:\n%s", errb.String())
	}
}
