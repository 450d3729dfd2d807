package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLessonPaneAfterFastResizes: the exercise opened at 60×12 (no lesson
// pane), then resized several times fast ending at 160×45: the lesson pane
// shows the lesson, never stays on "불러오는 중" (trainee trial: seen once
// after 60×12 → 160×45), and the reader after it too.
func TestLessonPaneAfterFastResizes(t *testing.T) {
	m := labCourseModel(t)
	tm := startProgram(t, m, 60, 12)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	settled(t, tm)
	for _, size := range [][2]int{{160, 45}, {59, 11}, {120, 40}, {160, 45}, {200, 50}, {60, 12}, {161, 45}, {160, 45}} {
		tm.Send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	s := final(t, tm, "the lesson beside the exercise", func(s snapshot) bool {
		return s.width == 160 && s.state == stateExercise && !strings.Contains(s.view, "불러오는 중")
	})
	if !strings.Contains(s.view, "│") {
		t.Errorf("no lesson pane at 160×45:\n%s", s.view)
	}
	checkFrame(t, s)
}
