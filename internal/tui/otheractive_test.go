package tui

import (
	"context"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// TestNoPassWhileClusterPreparedForAnother: a passing grade of an exercise
// while the cluster is prepared for another one (Active; trial:
// noexecute-churn's setup, then x opened cordon-maintenance, which passed
// by itself) is shown but never recorded as the learner's pass; once the
// cluster is the exercise's own, the same grade is recorded.
func TestNoPassWhileClusterPreparedForAnother(t *testing.T) {
	store := progress.New("")
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	pass := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	if !pass.Result.Passed {
		t.Fatal("the reference solution does not pass")
	}
	pass.Started, pass.Active = true, "noexecute-churn"
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: pass})
	waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	if p := store.Exercise("gpu-only"); p.Passed || p.Score != 0 {
		t.Fatalf("a grade on a cluster prepared for noexecute-churn was recorded: %+v", p)
	}
	own := pass
	own.Active = "gpu-only"
	tm.Send(labUpdateMsg{u: own})
	waitFor(t, tm, "the own grade recorded", func(snapshot) bool { return store.Exercise("gpu-only").Passed })
}
