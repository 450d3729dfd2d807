package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLessonPaneAfterChooserSameLesson is the trainee's sequence (issue 14,
// tui11 item 1): quota-limits at 60×12 → tab (lesson 13) → esc → c → esc →
// o → esc to 목차; resize to 160×45; x; 1 (cordon-maintenance, the same
// lesson). The lesson pane was rendered while quota-limits was open, so
// its render was cached and none was asked for again — and the pane stayed
// on "강의를 불러오는 중입니다…", also after tab and j, until a resize.
func TestLessonPaneAfterChooserSameLesson(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 60, 12)
	tm.Send(openExerciseMsg{id: "quota-limits"})
	waitFor(t, tm, "quota-limits", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "quota-limits" })
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader && s.lesson == 12 })
	settled(t, tm)
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEsc}, keyRunes("c"), {Type: tea.KeyEsc}, keyRunes("o"), {Type: tea.KeyEsc}} {
		before := take(t, tm).state
		tm.Send(k)
		waitFor(t, tm, "the screen after "+k.String(), func(s snapshot) bool { return s.state != before })
	}
	escToContents(t, tm, "quota-limits → tab → esc → c → esc → o → esc")
	tm.Send(tea.WindowSizeMsg{Width: 160, Height: 45})
	settled(t, tm)
	// The learner took a moment: the pane's render for 160 columns, asked
	// for on the resize while quota-limits was still the open exercise,
	// has arrived.
	waitFor(t, tm, "the lesson pane's render at 160 columns", func(s snapshot) bool { return s.paneRenders > 0 })
	tm.Send(keyRunes("x"))
	waitFor(t, tm, "the chooser of lesson 13", func(s snapshot) bool { return s.state == stateChooser })
	tm.Send(keyRunes("12")) // its course number
	s := waitFor(t, tm, "cordon-maintenance with its lesson beside it", func(s snapshot) bool {
		return s.state == stateExercise && s.exercise == "cordon-maintenance" && !strings.Contains(s.view, "불러오는 중")
	})
	if !strings.Contains(s.view, "│") {
		t.Errorf("no lesson pane at 160×45:\n%s", s.view)
	}
	checkFrame(t, s)
}
