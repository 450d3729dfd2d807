package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// noClusterVars is a learner's environment with no cluster at all (an
// empty home: no kubeconfig), progress.json recording a pass of ds-basics
// and a started gpu-only.
func noClusterVars(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir(), "COLUMNS": "200"}
	p := paths.FromEnv(func(k string) string { return vars[k] })
	store := progress.New(p.ProgressFile())
	at := time.Date(2026, 11, 30, 9, 30, 0, 0, time.Local)
	store.UpdateExercise("ds-basics", func(e *progress.ExerciseProgress) {
		e.Passed, e.Score, e.MaxScore, e.PassedAt, e.StartedAt, e.Attempts = true, 10, 10, at, at.Add(-time.Hour), 2
	})
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.StartedAt, e.Attempts = at, 1 })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	return vars
}

// Grading a passed exercise after `dslab cluster down` shows the recorded
// pass with a Korean note (exit 0); an exercise without a recorded pass
// cannot be graded (exit 2), and --all likewise (issue 14).
func TestGradeWithoutCluster(t *testing.T) {
	vars := noClusterVars(t)
	code, out, errOut := runCLIEnv(t, vars, "grade", "ds-basics")
	if code != ExitOK {
		t.Fatalf("grade ds-basics without a cluster: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "클러스터에 연결할 수 없어 지금 상태는 채점할 수 없습니다") || !strings.Contains(errOut, "dslab cluster up") {
		t.Errorf("stderr does not say there is no cluster:\n%s", errOut)
	}
	if !strings.Contains(out, "통과 기록 (2026-11-30 09:30)") || !strings.Contains(out, "요약: 통과 · 10/10점") {
		t.Errorf("recorded pass not shown:\n%s", out)
	}

	code, out, errOut = runCLIEnv(t, vars, "grade", "gpu-only")
	if code != ExitUsage || !strings.Contains(out, "채점하지 못했습니다") || !strings.Contains(errOut, "채점하지 못했습니다") {
		t.Errorf("gpu-only (started, no pass) without a cluster: exit %d\n%s\n%s", code, out, errOut)
	}

	code, out, errOut = runCLIEnv(t, vars, "grade", "--all", "-o", "json")
	if code != ExitUsage {
		t.Errorf("--all without a cluster: exit %d, want %d\n%s", code, ExitUsage, errOut)
	}
	var results []grader.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("--all -o json: %v\n%s", err, out)
	}
	status := map[string]string{}
	for _, r := range results {
		status[r.Exercise] = r.Status
	}
	if len(results) != exerciseCount(t) || status["ds-basics"] != grader.StatusPassed || status["gpu-only"] != grader.StatusInProgress || status["taints"] != grader.StatusNotStarted {
		t.Errorf("--all statuses: %v", status)
	}

	// Another cluster named by the learner is not the lab: no fallback.
	code, _, errOut = runCLIEnv(t, vars, "grade", "ds-basics", "--context", "elsewhere", "--kubeconfig", vars["HOME"]+"/none")
	if code != ExitUsage || strings.Contains(errOut, "기록된 결과") {
		t.Errorf("--kubeconfig of another cluster: exit %d\n%s", code, errOut)
	}
}

// Inside the lab shell (DSLAB_EXERCISE) grade and exercise show need no
// ID and say which exercise they chose; outside it the ID is required.
func TestShellExerciseDefault(t *testing.T) {
	vars := noClusterVars(t)
	code, _, errOut := runCLIEnv(t, vars, "grade")
	// Trial 2026-11-30 (issue 14): the cause is that there is no cluster,
	// not that no exercise was started; grade <ID>/--all work from records.
	if code != ExitUsage || !strings.Contains(errOut, "채점할 연습 ID 나 --all 이 필요합니다") ||
		!strings.Contains(errOut, "클러스터에 연결할 수 없어") || !strings.Contains(errOut, "dslab grade --all") ||
		strings.Contains(errOut, "지금 시작한 연습이 없습니다") {
		t.Errorf("grade without ID outside the shell, no cluster: exit %d\n%s", code, errOut)
	}
	vars[ShellExerciseEnv] = "ds-basics"
	code, out, errOut := runCLIEnv(t, vars, "grade")
	if code != ExitOK || !strings.Contains(errOut, "실습 셸의 연습 ds-basics 를 채점합니다") || !strings.Contains(out, "ds-basics") {
		t.Errorf("grade in the lab shell: exit %d\n%s\n%s", code, out, errOut)
	}
	vars[ShellExerciseEnv] = "gpu-only"
	code, out, errOut = runCLIEnv(t, vars, "exercise", "show")
	if code != ExitOK || !strings.Contains(errOut, "실습 셸의 연습 gpu-only 를 보여 줍니다") || !strings.Contains(out, "(gpu-only)") {
		t.Errorf("exercise show in the lab shell: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLIEnv(t, vars, "exercise", "show", "--hint", "1")
	if code != ExitOK || !strings.Contains(errOut, "실습 셸의 연습 gpu-only 의 힌트를 보여 줍니다") || !strings.Contains(out, "힌트 1:") {
		t.Errorf("exercise show --hint 1 in the lab shell: exit %d\n%s\n%s", code, out, errOut)
	}
	// An explicit ID wins.
	code, out, errOut = runCLIEnv(t, vars, "exercise", "show", "taints")
	if code != ExitOK || strings.Contains(errOut, "실습 셸의") || !strings.Contains(out, "(taints)") {
		t.Errorf("exercise show taints in the lab shell: exit %d\n%s\n%s", code, out, errOut)
	}
}

// `dslab exercises` names each lesson by its Korean title, not its slug,
// and says 10점 (full marks) and 시작 전 rather than "점수 10 상태 -"
// (issue 14), in the table and in the narrow block form.
func TestExercisesListKorean(t *testing.T) {
	for _, cols := range []string{"200", "60"} {
		vars := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir(), "COLUMNS": cols}
		code, out, errOut := runCLIEnv(t, vars, "exercises")
		if code != ExitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		for _, want := range []string{"첫 데몬셋 YAML 해부", "10점", "시작 전", "만점"} {
			if !strings.Contains(out, want) {
				t.Errorf("COLUMNS=%s: no %q in\n%s", cols, want, out)
			}
		}
		for _, bad := range []string{"first-daemonset-yaml", "troubleshooting", "점수", "상태: -"} {
			if strings.Contains(out, bad) {
				t.Errorf("COLUMNS=%s: %q in\n%s", cols, bad, out)
			}
		}
	}
}

// Trial 2026-11-30 (issue 14): an exercise only opened (started, never
// graded) is 시작함 without the cluster too, as progress.StateOf says
// everywhere else; graded once is 진행 중.
func TestGradeWithoutClusterStartedState(t *testing.T) {
	vars := noClusterVars(t)
	p := paths.FromEnv(func(k string) string { return vars[k] })
	store := progress.New(p.ProgressFile())
	store.UpdateExercise("taints", func(e *progress.ExerciseProgress) { e.StartedAt = time.Now() })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLIEnv(t, vars, "grade", "--all", "-o", "json")
	if code != ExitUsage {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var results []grader.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	status := map[string]string{}
	for _, r := range results {
		status[r.Exercise] = r.Status
	}
	if status["taints"] != grader.StatusStarted || status["gpu-only"] != grader.StatusInProgress {
		t.Errorf("statuses without a cluster: taints %q (want %q), gpu-only %q (want %q)", status["taints"], grader.StatusStarted, status["gpu-only"], grader.StatusInProgress)
	}
	code, out, _ = runCLIEnv(t, vars, "grade", "taints")
	if code != ExitUsage || !strings.Contains(out, "시작함") || strings.Contains(out, "진행 중") {
		t.Errorf("grade taints (only opened) without a cluster: exit %d\n%s", code, out)
	}
}
