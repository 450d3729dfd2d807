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

// TestPassSuggestsOnlyTheClassExercises: in a class of ds-basics, taints
// and gpu-only, after taints passed the lab named the next exercise in
// course order (not in the class) while gpu-only was unpassed (issue 12):
// the pass message and n pick from the class's list.
func TestPassSuggestsOnlyTheClassExercises(t *testing.T) {
	m := labCourseModel(t)
	m.common.Lab.ClassExercises = []string{"ds-basics", "taints", "gpu-only"}
	var gpu exercises.Exercise
	for _, e := range m.common.Exercises() {
		if e.ID == "gpu-only" {
			gpu = e
		}
	}
	for _, id := range []string{"ds-basics", "taints"} {
		m.common.Progress.UpdateExercise(id, func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, 10 })
	}
	next, _ := m.openExercise("taints")
	m = next.(Model)
	solved := simulatedUpdate(t, "taints", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	if msg := m.exercise.passMessage(*solved.Result); !strings.Contains(msg, "「"+gpu.Title+"」") {
		t.Errorf("the pass message in the class does not name gpu-only (%q): %q", gpu.Title, msg)
	}
	if ex, ok := m.exercise.next(); !ok || ex.ID != "gpu-only" {
		t.Errorf("n in the class opens %q, want gpu-only", ex.ID)
	}
	// Every exercise of the class passed: it says the class's, not every
	// exercise of the course (the others are not passed).
	m.common.Progress.UpdateExercise("gpu-only", func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, 10 })
	if msg := m.exercise.passMessage(*solved.Result); !strings.Contains(msg, "수업의 연습을 모두 통과했습니다") {
		t.Errorf("the class's exercises all passed: %q", msg)
	}
}

// TestPassAfterFreezeSaysItIsLate is the instructor trial on f9ad301: a
// pass made after the instructor froze the class read "✓ 통과했습니다! …
// 수업의 연습을 모두 통과했습니다" with no word that it will not count.
// While the class is frozen the pass message and the pass line say 마감 후;
// otherwise they do not.
func TestPassAfterFreezeSaysItIsLate(t *testing.T) {
	m := labCourseModel(t)
	frozen := false
	m.common.Lab.ClassExercises = []string{"ds-basics", "taints"}
	m.common.Lab.ClassFrozen = func() bool { return frozen }
	next, _ := m.openExercise("taints")
	m = next.(Model)
	solved := simulatedUpdate(t, "taints", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	m.common.Live.Update = solved
	for _, f := range []bool{false, true} {
		frozen = f
		msg, line := m.exercise.passMessage(*solved.Result), m.exercise.passLine(200)
		if got := strings.Contains(msg, LatePassNote); got != f {
			t.Errorf("frozen %v: pass message says 마감 후: %v: %q", f, got, msg)
		}
		if got := strings.Contains(line, "마감 후 — 점수에 들어가지 않음"); got != f || !strings.HasPrefix(line, "✓ 통과") {
			t.Errorf("frozen %v: pass line %q", f, line)
		}
	}
}
