package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// footerOf is the last line of the view (the key help).
func footerOf(s snapshot) string {
	lines := strings.Split(s.view, "\n")
	return lines[len(lines)-1]
}

// TestTabFromLessonOpensThatLessonsExercise: a lesson reached from
// exercise 6 (control-plane), p to lesson 7: tab goes to lesson 7's
// exercise (taints), not back to exercise 6 (issue 14), and the footer
// names it; from a lesson with several exercises tab opens the chooser.
func TestTabFromLessonOpensThatLessonsExercise(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 100, 30)
	tm.Send(openExerciseMsg{id: "control-plane"})
	waitFor(t, tm, "exercise 6", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "control-plane" })
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	s := waitFor(t, tm, "lesson 8", func(s snapshot) bool { return s.state == stateReader && s.lesson == 7 })
	if f := footerOf(s); !strings.Contains(f, "tab 연습 6 으로") {
		t.Errorf("lesson 8's footer does not name exercise 6: %q", f)
	}
	tm.Send(keyRunes("p"))
	s = waitFor(t, tm, "lesson 7", func(s snapshot) bool { return s.state == stateReader && s.lesson == 6 })
	if f := footerOf(s); !strings.Contains(f, "tab 연습 5 로") {
		t.Errorf("lesson 7's footer does not name its exercise 5: %q", f)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	s = waitFor(t, tm, "an exercise", func(s snapshot) bool { return s.state == stateExercise })
	if s.exercise != "taints" {
		t.Fatalf("tab from lesson 7 opened %s, want taints (lesson 7's exercise)", s.exercise)
	}
	// Lesson 9 has two exercises: tab asks which.
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "lesson 7 again", func(s snapshot) bool { return s.state == stateReader && s.lesson == 6 })
	tm.Send(keyRunes("n"))
	tm.Send(keyRunes("n"))
	s = waitFor(t, tm, "lesson 9", func(s snapshot) bool { return s.state == stateReader && s.lesson == 8 })
	if f := footerOf(s); !strings.Contains(f, "tab 연습 고르기") {
		t.Errorf("lesson 9's footer does not offer the chooser: %q", f)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "the chooser of lesson 9", func(s snapshot) bool { return s.state == stateChooser })
}
