package lab

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

func TestRecordAndSummarize(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	store.MarkRead("node-selector")
	RecordStart(store, "gpu-only", t0)
	RecordApply(store, "gpu-only")
	if !RecordHint(store, "gpu-only", 2) || RecordHint(store, "gpu-only", 1) {
		t.Fatal("hint count must only grow")
	}
	changed, first := RecordGrade(store, grader.Result{Exercise: "gpu-only", Score: 4, MaxScore: 10}, t0)
	if !changed || first {
		t.Fatalf("partial grade: changed=%v first=%v", changed, first)
	}
	RecordGrade(store, grader.Result{Exercise: "gpu-only", Score: 3, MaxScore: 10}, t0)
	if e := store.Exercise("gpu-only"); e.Score != 4 || e.LastScore == nil || *e.LastScore != 3 {
		t.Fatalf("a lower score: best %d, last %v; want the best 4 kept, the last 3", e.Score, e.LastScore)
	}
	changed, first = RecordGrade(store, grader.Result{Exercise: "gpu-only", Score: 10, MaxScore: 10, Passed: true}, t0.Add(time.Minute))
	if !changed || !first {
		t.Fatalf("pass: changed=%v first=%v", changed, first)
	}
	if _, first := RecordGrade(store, grader.Result{Exercise: "gpu-only", Score: 10, MaxScore: 10, Passed: true}, t0.Add(2*time.Minute)); first {
		t.Fatal("second pass reported as first")
	}
	// A later failing grade (cluster changed) keeps the pass.
	RecordGrade(store, grader.Result{Exercise: "gpu-only", Score: 0, MaxScore: 10}, t0.Add(3*time.Minute))

	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(course, catalog(t).All(), store.Snapshot())
	if s.Totals.Lessons != len(course) || s.Totals.LessonsRead != 1 || s.Totals.Exercises != len(catalog(t).All()) || s.Totals.ExercisesPassed != 1 {
		t.Fatalf("totals: %+v", s.Totals)
	}
	var g ExerciseStatus
	for _, e := range s.Exercises {
		if e.ID == "gpu-only" {
			g = e
		}
	}
	if !g.Passed || g.Score != 10 || g.MaxScore != 10 || g.HintsUsed != 2 || g.Attempts != 1 || !g.PassedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("gpu-only: %+v", g)
	}
	if s.Totals.Score != 10 || s.Totals.HintsUsed != 2 || s.Totals.MaxScore < 10 {
		t.Errorf("totals: %+v", s.Totals)
	}
}

// TestRecordOpenedHint: the one rule of the CLI and the TUI — a hint
// opened after the pass, or one the instructor opened, is not recorded;
// otherwise the count becomes the highest hint opened.
func TestRecordOpenedHint(t *testing.T) {
	store := progress.New("")
	if r := RecordOpenedHint(store, "gpu-only", 2); r != HintRecorded || store.Exercise("gpu-only").HintsUsed != 2 {
		t.Fatalf("hint 2 before a pass: %v, used %d", r, store.Exercise("gpu-only").HintsUsed)
	}
	if r := RecordOpenedHint(store, "gpu-only", 1); r != HintCounted || store.Exercise("gpu-only").HintsUsed != 2 {
		t.Errorf("hint 1 again: %v, used %d", r, store.Exercise("gpu-only").HintsUsed)
	}
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.Passed = true })
	if r := RecordOpenedHint(store, "gpu-only", 3); r != HintAfterPass || store.Exercise("gpu-only").HintsUsed != 2 {
		t.Errorf("hint 3 after the pass: %v, used %d (want 2 kept)", r, store.Exercise("gpu-only").HintsUsed)
	}
	store.UpdateExercise("ds-basics", func(e *progress.ExerciseProgress) { e.HintsUnlocked = 2 })
	if r := RecordOpenedHint(store, "ds-basics", 2); r != HintUnlocked || store.Exercise("ds-basics").HintsUsed != 0 {
		t.Errorf("a hint the instructor opened: %v, used %d", r, store.Exercise("ds-basics").HintsUsed)
	}
}

// Trial 2026-11-30 (issue 14): control-plane opened and a watch grade
// stored 3/10 with nothing applied; progress said 시작함 3/10 (83/160)
// while grade --all said 0/10 (시작함). One rule: a 시작함 exercise has no
// score, so the totals agree.
func TestSummarizeStartedHasNoScore(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		ep        progress.ExerciseProgress
		state     progress.ExerciseState
		wantScore int
	}{
		{"opened, watch-graded", progress.ExerciseProgress{StartedAt: t0, Score: 3, MaxScore: 10, LastGradedAt: t0}, progress.StateStarted, 0},
		{"attempted", progress.ExerciseProgress{StartedAt: t0, Score: 3, MaxScore: 10, LastGradedAt: t0, Attempts: 1}, progress.StateInProgress, 3},
		{"passed", progress.ExerciseProgress{StartedAt: t0, Score: 10, MaxScore: 10, Passed: true, PassedAt: t0, Attempts: 1}, progress.StatePassed, 10},
		{"never opened", progress.ExerciseProgress{}, progress.StateNotStarted, 0},
	} {
		s := Summarize(course, c.All(), progress.File{Exercises: map[string]progress.ExerciseProgress{"control-plane": tc.ep}})
		for _, e := range s.Exercises {
			if e.ID != "control-plane" {
				continue
			}
			if e.State != tc.state || e.Score != tc.wantScore {
				t.Errorf("%s: state %v score %d, want %v %d", tc.name, e.State, e.Score, tc.state, tc.wantScore)
			}
		}
		if s.Totals.Score != tc.wantScore {
			t.Errorf("%s: total %d, want %d", tc.name, s.Totals.Score, tc.wantScore)
		}
	}
}
