package tui

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestPassSuggestsFirstUnpassed: the pass message names the first
// exercise not passed yet in course order (issue 14: it named the next
// one although it had passed), n opens that one, and when every exercise
// has passed the message says so.
func TestPassSuggestsFirstUnpassed(t *testing.T) {
	m := labCourseModel(t)
	store := m.common.Progress
	all := m.common.Exercises()
	at := -1
	for i, e := range all {
		if e.ID == "gpu-only" {
			at = i
		}
	}
	if at < 0 || at+2 >= len(all) {
		t.Fatalf("gpu-only at %d of %d exercises", at, len(all))
	}
	// The exercise right after gpu-only has passed; the one after it not.
	passed, want := all[at+1], all[at+2]
	store.UpdateExercise(passed.ID, func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, 10 })
	tm := startProgram(t, m, 100, 40)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
	solved := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	tm.Send(labUpdateMsg{u: solved})
	s := waitFor(t, tm, "the pass", func(s snapshot) bool { return s.passed && strings.Contains(flat(s.view), "통과했습니다!") })
	v := flat(s.view)
	if !strings.Contains(v, "「"+want.Title+"」") || strings.Contains(v, "「"+passed.Title+"」") {
		t.Errorf("the pass message does not name %q (first not passed) but maybe %q (passed):\n%s", want.Title, passed.Title, s.view)
	}
	tm.Send(keyRunes("n"))
	waitFor(t, tm, "the suggested exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise == want.ID })

	// Every exercise passed: the message says so and names none.
	m2 := labCourseModel(t)
	for _, e := range m2.common.Exercises() {
		m2.common.Progress.UpdateExercise(e.ID, func(p *progress.ExerciseProgress) { p.Passed = true })
	}
	next, _ := m2.openExercise("gpu-only")
	m2 = next.(Model)
	if msg := m2.exercise.passMessage(*solved.Result); !strings.Contains(msg, "모든 연습을 통과했습니다") || strings.Contains(msg, "「") {
		t.Errorf("with every exercise passed the message is %q", msg)
	}
}
