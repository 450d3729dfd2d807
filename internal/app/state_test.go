package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// One exercise, one state on every screen (issue 14: taints opened and
// left was 진행 중 in `dslab progress`, 시작함 in `dslab exercises` and 시작
// 전 in `grade --all`; control-plane only opened was a "마지막 시도 기록" in
// `grade --all`). The table sets up a learner's progress.json and
// baselines and reads the state word from `dslab progress`, `dslab
// exercises` and the `grade --all` result of the same records.
func TestExerciseStateSameOnEveryScreen(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "COLUMNS": "100000"}
	p := paths.FromEnv(func(k string) string { return vars[k] })
	t0 := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)
	type row struct {
		id       string
		progress progress.ExerciseProgress
		prepared bool
		// out is what the cluster's records give grade --all; fixture the
		// snapshot of its attempt record (out failed).
		out, fixture string
		want         progress.ExerciseState
	}
	rows := []row{
		{id: "ds-basics", out: statusNotStarted, want: progress.StateNotStarted},
		// Opened in the TUI and left: graded live (LastGradedAt), no apply.
		{id: "taints", progress: progress.ExerciseProgress{StartedAt: t0, LastGradedAt: t0, Score: 2}, prepared: true, out: statusNotStarted, want: progress.StateStarted},
		// Opened only; the lab wrote an attempt record of the starter.
		{id: "control-plane", progress: progress.ExerciseProgress{StartedAt: t0}, prepared: true, out: statusFailed, fixture: "seed-master-only", want: progress.StateStarted},
		// Attempted and left failing: the re-graded attempt record is 진행
		// 중 as dslab progress says, not 미통과 (issue 14 state13).
		{id: "gpu-only", progress: progress.ExerciseProgress{StartedAt: t0, Attempts: 2, LastGradedAt: t0}, prepared: true, out: statusFailed, fixture: "label-typo", want: progress.StateInProgress},
		{id: "troubleshoot", progress: progress.ExerciseProgress{StartedAt: t0, Attempts: 2, LastGradedAt: t0}, prepared: true, out: statusNotStarted, want: progress.StateInProgress},
		// Passed on a cluster since deleted: progress.json still says so.
		{id: "ssd-affinity", progress: progress.ExerciseProgress{Passed: true, PassedAt: t0, Score: 10, Attempts: 1}, out: statusNotStarted, want: progress.StatePassed},
	}
	store := progress.New(p.ProgressFile())
	for _, r := range rows {
		store.UpdateExercise(r.id, func(e *progress.ExerciseProgress) { *e = r.progress })
		if r.prepared {
			if err := kube.SaveBaseline(kube.BaselineFile(kube.ExerciseDir(p, "dslab", r.id)), grader.Baseline{Exercise: r.id, Recorded: t0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	_, progOut, _ := runCLIEnv(t, vars, "progress")
	_, exOut, _ := runCLIEnv(t, vars, "exercises")
	line := func(out, id string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, " "+id+" ") {
				return l
			}
		}
		return ""
	}
	c, _ := exercises.Load()
	for _, r := range rows {
		word := r.want.Korean()
		if got := progress.StateOf(r.progress, r.prepared, false); got != r.want {
			t.Errorf("%s: StateOf %s, want %s", r.id, got, r.want)
		}
		if l := line(progOut, r.id); !strings.Contains(l, word) {
			t.Errorf("%s: dslab progress row %q lacks %q", r.id, l, word)
		}
		if l := line(exOut, r.id); !strings.Contains(l, word) {
			t.Errorf("%s: dslab exercises row %q lacks %q", r.id, l, word)
		}
		ex, _ := c.Get(r.id)
		out := exerciseOutcome{Exercise: r.id, Status: r.out, MaxScore: ex.Spec.MaxScore(), Score: intp(0)}
		if r.out == statusFailed {
			at := t0
			res := grader.Grade(ex.Spec, attemptFixture(t, r.id, r.fixture))
			out.AttemptedAt, out.Result, out.Score = &at, &res, intp(res.Score)
		}
		res := stateResult(ex, r.progress, r.prepared, out, outcomeResult(ex, out))
		if got := resultMark(res); got != word {
			t.Errorf("%s: grade --all says %q, want %q (%+v)", r.id, got, word, res)
		}
		if notes := strings.Join(res.Notes, " "); r.want == progress.StateStarted && strings.Contains(notes, "시도 기록") {
			t.Errorf("%s: an exercise only opened is graded from an attempt record: %q", r.id, notes)
		}
	}
	if t.Failed() {
		t.Logf("progress:\n%s\nexercises:\n%s", progOut, exOut)
	}
}

// Issue 14: grade said "3번 시도했지만 채점할 기록이 없습니다 — … 시도
// 기록도 남지 않았습니다". The note names what it has (the attempts counted
// in progress.json) and what it lacks (the cluster's record of the last
// attempt) without contradicting itself.
func TestGradeNoteOfAttemptsWithoutRecordIsTrue(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("ssd-affinity")
	t0 := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		attempts int
		want     string
	}{{3, "시도 3번이 진행 기록(progress)에 남아 있지만"}, {1, "시도 1번이"}} {
		p := progress.ExerciseProgress{StartedAt: t0, Attempts: tc.attempts, LastGradedAt: t0}
		if progress.StateOf(p, true, false) != progress.StateInProgress {
			t.Fatalf("attempts %d: not in progress", tc.attempts)
		}
		out := exerciseOutcome{Exercise: ex.ID, Status: statusNotStarted, MaxScore: ex.Spec.MaxScore(), Score: intp(0)}
		res := stateResult(ex, p, true, out, outcomeResult(ex, out))
		notes := strings.Join(res.Notes, " ")
		if !strings.Contains(notes, tc.want) || !strings.Contains(notes, "마지막 시도의 클러스터 상태") {
			t.Errorf("attempts %d: note %q lacks %q", tc.attempts, notes, tc.want)
		}
		if strings.Contains(notes, "남지 않았습니다") || strings.Contains(notes, "0번") {
			t.Errorf("attempts %d: note contradicts the records: %q", tc.attempts, notes)
		}
	}
}
