package conformance

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func TestParseSkips(t *testing.T) {
	in := "# comment\n\n" +
		`\[sig-node\] NoExecuteTaintManager.*evicts | 실행 중인 컨테이너가 필요합니다 | needs a running container` + "\n"
	list, err := parseSkips(bufio.NewScanner(strings.NewReader(in)), "skips.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].reasonKO != "실행 중인 컨테이너가 필요합니다" || list[0].reasonEN != "needs a running container" {
		t.Fatalf("parsed %+v", list)
	}
	if _, ok := list.reason("[sig-node] NoExecuteTaintManager Single Pod [Serial] evicts pods from tainted nodes"); !ok {
		t.Error("the regex does not match the spec it names")
	}
	for _, bad := range []string{
		`\[sig-apps\] Daemon set | 이유만 한국어`,       // English reason missing
		`\[sig-apps\] Daemon set |  | needs exec`, // empty Korean reason
		`[unclosed | 이유 | reason`,                 // bad regex
	} {
		if _, err := parseSkips(bufio.NewScanner(strings.NewReader(bad)), "skips.txt"); err == nil {
			t.Errorf("parseSkips(%q): no error", bad)
		}
	}
}

func TestSkipsFileParses(t *testing.T) {
	if _, err := loadSkips("skips.txt"); err != nil {
		t.Fatal(err)
	}
}

func spec(texts []string, leaf string, state types.SpecState, msg string) types.SpecReport {
	return types.SpecReport{
		ContainerHierarchyTexts: texts,
		LeafNodeText:            leaf,
		LeafNodeType:            types.NodeTypeIt,
		State:                   state,
		RunTime:                 1500 * time.Millisecond,
		Failure:                 types.Failure{Message: msg},
	}
}

func TestTableRows(t *testing.T) {
	ds := []string{"[sig-apps] Daemon set [Serial]"}
	reports := []types.Report{{SpecReports: types.SpecReports{
		spec(ds, "should run and stop simple daemon [Conformance]", types.SpecStatePassed, ""),
		spec(ds, "should rollback without unnecessary restarts [Conformance]", types.SpecStateFailed, "timed out\nmore"),
		spec(ds, "should not update pod when spec was updated and update strategy is OnDelete", types.SpecStateSkipped, "Only supported for providers [gce] (not skeleton)"),
		spec(ds, "should verify changes to a daemon set status [Conformance]", types.SpecStateSkipped, ""),
		spec([]string{"[sig-storage] CSI"}, "outside the focus", types.SpecStateSkipped, ""),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}}
	skips := skipList{}
	rows := tableRows(reports, specSets()["daemonset"], specSets()["daemonset"], skips, skipList{})
	if len(rows) != 4 {
		t.Fatalf("got %d rows, want the 4 DaemonSet specs: %+v", len(rows), rows)
	}
	want := map[string]result{
		"should run and stop simple daemon":          resultPass,
		"should rollback without unnecessary":        resultFail,
		"should not update pod when spec":            resultSkip,
		"should verify changes to a daemon set stat": resultFail, // skipped without any reason
	}
	for _, r := range rows {
		for prefix, res := range want {
			if strings.Contains(r.name, prefix) && r.result != res {
				t.Errorf("%s: %v, want %v", r.name, r.result.label(), res.label())
			}
		}
	}
	table := renderTable("daemonset", rows, 90*time.Second)
	for _, s := range []string{
		"통과 1 · 건너뜀 1 · 실패 2",
		"| 실패 failed | [sig-apps] Daemon set [Serial] should rollback without unnecessary restarts [Conformance] | 2s | 실패 (failed: timed out) |",
		"업스트림 스펙이 스스로 건너뜀 (Only supported for providers [gce] (not skeleton))",
		"이유 없이 건너뜀",
		"1m30s",
	} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}

	// An interrupted suite: the specs it never reached are "not run".
	cut := []types.Report{{SpecialSuiteFailureReasons: []string{"Interrupted by User"}, SpecReports: types.SpecReports{
		spec(ds, "should run and stop simple daemon [Conformance]", types.SpecStateSkipped, ""),
	}}}
	if got := tableRows(cut, specSets()["daemonset"], specSets()["daemonset"], skipList{}, skipList{}); len(got) != 1 || got[0].result != resultNotRun {
		t.Errorf("interrupted suite rows: %+v", got)
	} else if tb := renderTable("daemonset", got, time.Minute); !strings.Contains(tb, "실행 안 됨 1 (not run: interrupted)") {
		t.Errorf("table lacks the not-run count:\n%s", tb)
	}

	// -ginkgo.focus narrows the listed specs.
	if got := tableRows(reports, specSets()["daemonset"], specSet{focus: []string{"simple daemon"}}, skipList{}, skipList{}); len(got) != 1 {
		t.Errorf("narrowed focus lists %d specs, want 1", len(got))
	}

	// With a reason in skips.txt, the reason-less skip becomes a skip with it.
	skips, err := parseSkips(bufio.NewScanner(strings.NewReader(
		`daemon set status | 상태 하위 리소스 테스트 | status subresource test`)), "x")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tableRows(reports, specSets()["daemonset"], specSets()["daemonset"], skips, skipList{}) {
		if strings.Contains(r.name, "status") && (r.result != resultSkip || r.reasonEN != "status subresource test") {
			t.Errorf("%s: %v %q", r.name, r.result.label(), r.reasonEN)
		}
	}
}

func TestSpecSetsCompile(t *testing.T) {
	for name, s := range specSets() {
		if len(s.focus) == 0 || s.timeout <= 0 || s.about == "" {
			t.Errorf("set %s is incomplete: %+v", name, s)
		}
		if !s.matches("[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]") {
			t.Errorf("set %s does not run the DaemonSet specs", name)
		}
	}
}

// A spec that passes only on a retry passes the gate when flakes.txt lists
// it (the table says on which attempt) and fails it otherwise.
func TestTableRowsRetriedSpecs(t *testing.T) {
	ds := []string{"[sig-apps] Daemon set [Serial]"}
	known := spec(ds, "should surge pods onto nodes when spec was updated and update strategy is RollingUpdate", types.SpecStatePassed, "")
	known.NumAttempts = 2
	unknown := spec(ds, "should run and stop simple daemon [Conformance]", types.SpecStatePassed, "")
	unknown.NumAttempts = 3
	once := spec(ds, "should run and stop complex daemon [Conformance]", types.SpecStatePassed, "")
	once.NumAttempts = 1
	flakes, err := loadSkips("flakes.txt")
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows([]types.Report{{SpecReports: types.SpecReports{known, unknown, once}}},
		specSets()["daemonset"], specSets()["daemonset"], skipList{}, flakes)
	if len(rows) != 3 {
		t.Fatalf("got %d rows: %+v", len(rows), rows)
	}
	for _, r := range rows {
		switch {
		case strings.Contains(r.name, "surge"):
			if r.result != resultPass || !strings.Contains(r.reasonKO, "2번째 시도에서 통과") || !strings.Contains(r.reasonEN, "#132302") {
				t.Errorf("known flake on attempt 2: %+v", r)
			}
		case strings.Contains(r.name, "simple daemon"):
			if r.result != resultFail || !strings.Contains(r.reasonEN, "not a known flake") {
				t.Errorf("unknown spec passing on attempt 3 must fail the gate: %+v", r)
			}
		default:
			if r.result != resultPass || r.reasonKO != "" {
				t.Errorf("first-attempt pass: %+v", r)
			}
		}
	}
}

func TestFlakesFileParses(t *testing.T) {
	list, err := loadSkips("flakes.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if !strings.Contains(f.reasonEN, "kubernetes/kubernetes#") {
			t.Errorf("flake %q names no upstream issue", f.pattern)
		}
	}
}
