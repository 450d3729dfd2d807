package app

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	xansi "github.com/charmbracelet/x/ansi"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// A passed exercise is listed as 통과 with its time, not 시작함 (issue 14).
func TestExercisesListShowsPassed(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir(), "COLUMNS": "200"}
	getenv := func(k string) string { return vars[k] }
	p := paths.FromEnv(getenv)
	passedAt := time.Date(2026, 3, 4, 5, 6, 0, 0, time.Local)
	store := progress.New(p.ProgressFile())
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) {
		e.Passed, e.PassedAt, e.StartedAt = true, passedAt, passedAt.Add(-time.Hour)
	})
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	// The exercise was started too: its baseline is on disk.
	if err := kube.SaveBaseline(kube.BaselineFile(kube.ExerciseDir(p, kube.StateName(""), "gpu-only")), grader.Baseline{Recorded: passedAt.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: getenv}
	if code := Run(context.Background(), env, []string{"exercises"}); code != ExitOK {
		t.Fatalf("exit %d %s", code, errb.String())
	}
	var row string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, " gpu-only ") {
			row = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(row), "통과 03-04 05:06") {
		t.Errorf("gpu-only row: %q", row)
	}
	if strings.Contains(out.String(), "시작함") {
		t.Errorf("list:\n%s", out.String())
	}
}

// runCLIEnv runs one dslab command line with the given environment.
func runCLIEnv(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if vars["HOME"] == "" {
		vars["HOME"] = t.TempDir()
	}
	getenv := func(k string) string { return vars[k] }
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv}
	code = Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// Learner-facing CLI text wraps to the terminal width by display cells
// (Hangul two) and never inside a word or an identifier: the grade report,
// exercise show and hints, at 60 and 80 columns (compared with the same
// text unwrapped: COLUMNS very wide).
func TestCLITextWrapsByCells(t *testing.T) {
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "control-plane", "seed-master-only.json")
	for _, args := range [][]string{
		{"grade", "control-plane", "--snapshot", snap},
		{"exercise", "show", "monitoring-agent"},
		{"exercise", "show", "control-plane", "--hint", "3"},
	} {
		_, flat, _ := runCLIEnv(t, map[string]string{"COLUMNS": "100000"}, args...)
		longest := 0
		for _, l := range strings.Split(flat, "\n") {
			longest = max(longest, xansi.StringWidth(l))
		}
		if longest <= 60 {
			t.Fatalf("%v: unwrapped output has no line over 60 cells; the test proves nothing", args)
		}
		for _, w := range []int{60, 80} {
			_, out, _ := runCLIEnv(t, map[string]string{"COLUMNS": strconv.Itoa(w)}, args...)
			for _, l := range strings.Split(out, "\n") {
				if cw := xansi.StringWidth(l); cw > w {
					t.Errorf("%v at %d: %d cells: %q", args, w, cw, l)
				}
			}
			// The same words in the same order: no word or identifier is
			// broken (e.g. "파드", "monitoring-agent").
			if got, want := strings.Fields(out), strings.Fields(flat); !slices.Equal(got, want) {
				t.Errorf("%v at %d: words differ from the unwrapped text:\n%s", args, w, out)
			}
		}
	}
}

// `dslab grade <id>` text output ends with a one-line summary: score,
// checks passed n/m, verdict.
func TestGradeTextSummary(t *testing.T) {
	fixture := func(ex, name string) string {
		return filepath.Join("..", "..", "grader", "testdata", "exercises", ex, name+".json")
	}
	for _, tc := range []struct {
		ex, snap, want string
	}{
		{"control-plane", "seed-master-only", "요약: 미통과 · 3/10점 · 통과한 채점 항목 2/4"},
		{"control-plane", "solution", "요약: 통과 · 10/10점 · 통과한 채점 항목 4/4"},
	} {
		_, out, _ := runCLI(t, "grade", tc.ex, "--snapshot", fixture(tc.ex, tc.snap))
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if last := lines[len(lines)-1]; last != tc.want {
			t.Errorf("%s/%s: last line %q, want %q", tc.ex, tc.snap, last, tc.want)
		}
	}
	if s := gradeSummary([]grader.Result{
		{Score: 10, MaxScore: 10, Passed: true, Checks: []grader.CheckResult{{Passed: true}}},
		{Score: 0, MaxScore: 10, Status: grader.StatusNotStarted, Checks: []grader.CheckResult{{}, {}}},
	}); s != "요약: 통과한 연습 1/2 (시작 전 1) · 점수 10/20점 · 점수가 있는 연습의 채점 항목 1/1 통과" {
		t.Errorf("several: %q", s)
	}
	// The states of the learner's own lab, in the words of every screen: a
	// 시작함 exercise has no score and its checks (one the prepared state
	// meets) are not counted as passed (issue 14 state13: "0/10점 (시작함)"
	// with ✓ lines).
	if s := gradeSummary([]grader.Result{
		{Score: 3, MaxScore: 10, Status: grader.StatusInProgress, Checks: []grader.CheckResult{{Passed: true}, {}}},
		{Score: 0, MaxScore: 10, Status: grader.StatusStarted, Checks: []grader.CheckResult{{Passed: true}, {}}},
	}); s != "요약: 통과한 연습 0/2 (진행 중 1, 시작함 1) · 점수 3/20점 · 점수가 있는 연습의 채점 항목 1/2 통과" {
		t.Errorf("진행 중 and 시작함: %q", s)
	}
	// Nothing graded item by item (grade --all before any start, or from
	// the records without a cluster): no "채점 항목 0/0 통과".
	if s := gradeSummary([]grader.Result{
		{MaxScore: 10, Status: grader.StatusNotStarted, Checks: []grader.CheckResult{}},
		{MaxScore: 10, Status: grader.StatusNotStarted, Checks: []grader.CheckResult{}},
	}); s != "요약: 통과한 연습 0/2 (시작 전 2) · 점수 0/20점" {
		t.Errorf("nothing graded: %q", s)
	}
	if s := gradeSummary([]grader.Result{{MaxScore: 10, Status: grader.StatusStarted, Checks: []grader.CheckResult{{Passed: true}, {}}}}); s != "요약: 시작함 · 10점 만점 · 채점할 항목 2개" {
		t.Errorf("시작함: %q", s)
	}
}

// A copy of the target is one with its name or all of its pod labels.
func TestCopyOf(t *testing.T) {
	pod := map[string]string{"app": "gpu-monitor"}
	ds := func(name string, l map[string]string) appsv1.DaemonSet {
		d := appsv1.DaemonSet{}
		d.Namespace, d.Name, d.Spec.Template.Labels = "default", name, l
		return d
	}
	for _, tc := range []struct {
		d    appsv1.DaemonSet
		want string
	}{
		{ds("gpu-monitor", map[string]string{"app": "x"}), "이름이 같음"},
		{ds("other", map[string]string{"app": "gpu-monitor", "tier": "x"}), "파드 레이블이 같음"},
		{ds("other", map[string]string{"app": "gpu"}), ""},
		{ds("other", nil), ""},
	} {
		l, ok := copyOf(tc.d, "gpu-monitor", pod)
		if ok != (tc.want != "") || l.Why != tc.want {
			t.Errorf("%s %v: %v %q", tc.d.Name, tc.d.Spec.Template.Labels, ok, l.Why)
		}
	}
}
