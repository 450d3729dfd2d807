package app

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

func attemptFixture(t *testing.T, id, name string) grader.Snapshot {
	t.Helper()
	s, err := readSnapshot(filepath.Join("..", "..", "grader", "testdata", "exercises", id, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An attempt record (the last failing grade) of an exercise the learner
// left is failed with its first failing check's reason; a pass wins over
// it; the exercise started now is graded live.
func TestGradeBundleAttempts(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("control-plane")
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	failing := attemptFixture(t, "control-plane", "seed-master-only")
	passing := attemptFixture(t, "control-plane", "solution")
	b := kube.Bundle{Attempts: map[string]kube.Attempt{"control-plane": {Exercise: "control-plane", GradedAt: at, HintsUsed: 2, Attempts: 3, Snapshot: failing}}}
	o := gradeBundle([]exercises.Exercise{ex}, b)[0]
	want := firstFailure(grader.Grade(ex.Spec, failing))
	if o.Status != statusFailed || o.FirstFailure != want || want == "" || o.AttemptedAt == nil || !o.AttemptedAt.Equal(at) || *o.HintsUsed != 2 || *o.Attempts != 3 || o.PassedAt != nil {
		t.Errorf("attempt: %+v (want first failure %q)", o, want)
	}
	if got := outcomeText(o); got != "미통과(시도 기록)" {
		t.Errorf("text %q", got)
	}
	b.Passes = map[string]kube.Evidence{"control-plane": {Exercise: "control-plane", PassedAt: at, Snapshot: passing}}
	if o := gradeBundle([]exercises.Exercise{ex}, b)[0]; o.Status != statusPassed || o.FirstFailure != "" {
		t.Errorf("pass and attempt: %+v", o)
	}
	b.Passes = nil
	b.Current, b.Live = &kube.Current{Exercise: "control-plane", Started: at}, &passing
	if o := gradeBundle([]exercises.Exercise{ex}, b)[0]; o.Status != statusPassed || o.StartedAt == nil {
		t.Errorf("current: %+v", o)
	}
}

// The legend names exercises by id and never splits one (rolling-update)
// at its hyphen; every line fits 80 cells.
func TestClassLegendWrapsAtSpaces(t *testing.T) {
	c, _ := exercises.Load()
	var legend []string
	for i, ex := range c.All() {
		legend = append(legend, strconv.Itoa(i+1)+"="+ex.ID)
	}
	text := "연습: " + strings.Join(legend, "  ") + "  11=bad-image-rollback  12=cordon-maintenance  13=noexecute-churn"
	var b strings.Builder
	textOut{w: &b, width: 80}.Hanging("연습: ", strings.TrimPrefix(text, "연습: "))
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("not wrapped: %q", lines)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("line of %d cells: %q", ansi.StringWidth(l), l)
		}
		if strings.HasSuffix(l, "-") || strings.HasSuffix(l, "=") {
			t.Errorf("split inside an id: %q", l)
		}
	}
	joined := strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
	if joined != strings.Join(strings.Fields(text), " ") {
		t.Errorf("words lost:\n%s\n%s", joined, text)
	}
	for _, ex := range c.All() {
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, "="+ex.ID)
		}
		if !found {
			t.Errorf("%s split across lines:\n%s", ex.ID, strings.Join(lines, "\n"))
		}
	}
}

// --snapshot errors say in Korean what is wrong with the file.
func TestSnapshotErrorsKorean(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"nodes\": [\n    oops\n"), 0o644)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte("{}\n"), 0o644)
	noNodes := filepath.Join(dir, "nonodes.json")
	os.WriteFile(noNodes, []byte(`{"version": 1, "nodes": []}`), 0o644)
	for path, want := range map[string]string{
		filepath.Join(dir, "nope.json"): "파일 " + filepath.Join(dir, "nope.json") + " 이 없습니다",
		bad:                             "3번째 줄",
		dir:                             "디렉터리입니다",
		empty:                           "dslab 스냅숏이 아닙니다",
		noNodes:                         "dslab 스냅숏이 아닙니다",
	} {
		code, _, errOut := runCLI(t, "grade", "control-plane", "--snapshot", path)
		if code != ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, %q (want %q)", path, code, errOut, want)
		}
	}
}

// -o csv grades one cluster (--kubeconfig F --context C) as a class of one.
func TestGradeCSVOneCluster(t *testing.T) {
	kc := filepath.Join(t.TempDir(), "kim.yaml")
	os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user: {token: x}
contexts:
- name: 김민수
  context: {cluster: c, user: u}
current-context: 김민수
`), 0o600)
	code, out, errOut := runCLI(t, "grade", "--all", "-o", "csv", "--kubeconfig", kc, "--context", "김민수")
	if code != ExitUsage || !strings.Contains(errOut, "어느 클러스터도 채점하지 못했습니다") {
		t.Errorf("exit %d %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != "김민수" || rows[1][2] == "" {
		t.Errorf("csv %v:\n%s", err, out)
	}
}

// `exercise show --hint N` records the hints in the progress that
// `dslab progress` shows (the CLI path, issue 15 §5).
func TestHintRecordedByCLI(t *testing.T) {
	home := t.TempDir()
	run := func(args ...string) (int, string) {
		vars := map[string]string{"HOME": home}
		getenv := func(k string) string { return vars[k] }
		var out, errb strings.Builder
		env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv}
		return Run(context.Background(), env, args), out.String()
	}
	if code, _ := run("exercise", "show", "gpu-only", "--hint", "2"); code != ExitOK {
		t.Fatalf("show exit %d", code)
	}
	code, out := run("progress", "-o", "json")
	var sum struct {
		Exercises []struct {
			ID        string `json:"id"`
			HintsUsed int    `json:"hintsUsed"`
		} `json:"exercises"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != ExitOK {
		t.Fatalf("%d %v\n%s", code, err, out)
	}
	for _, e := range sum.Exercises {
		if (e.ID == "gpu-only") != (e.HintsUsed == 2) {
			t.Errorf("%s hints %d", e.ID, e.HintsUsed)
		}
	}
}

// Opening a hint says that it is recorded; the count is the highest hint
// opened (opening hints again does not add up), and a hint opened after a
// pass leaves the pass's count alone (issue 14).
func TestHintNoteAndCountAfterPass(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	getenv := func(k string) string { return vars[k] }
	env := Env{Paths: paths.FromEnv(getenv), Getenv: getenv}
	run := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		e := env
		e.Streams = Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		code := Run(context.Background(), e, args)
		return code, out.String(), strings.Join(strings.Fields(errb.String()), " ")
	}
	hints := func() int {
		s, _, err := progress.Open(env.Paths.ProgressFile())
		if err != nil {
			t.Fatal(err)
		}
		return s.Exercise("gpu-only").HintsUsed
	}
	for range 3 {
		code, _, errs := run("exercise", "show", "gpu-only", "--hint", "1")
		if code != ExitOK || !strings.Contains(errs, "힌트를 연 것은 진행 기록에 남습니다: 이 연습에서 힌트를 1개 썼습니다") {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
	}
	if got := hints(); got != 1 {
		t.Errorf("hint 1 opened three times: hints used %d, want 1", got)
	}
	s, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	s.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.Passed = true })
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("exercise", "show", "gpu-only", "--hint", "3")
	if code != ExitOK || !strings.Contains(out, "힌트 3") || !strings.Contains(errs, "이미 통과한 연습이라 이 힌트는 기록하지 않습니다 (통과 기록의 사용한 힌트는 1개 그대로입니다)") {
		t.Errorf("after a pass: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	if got := hints(); got != 1 {
		t.Errorf("hint 3 after the pass changed hints used to %d, want 1", got)
	}
}
