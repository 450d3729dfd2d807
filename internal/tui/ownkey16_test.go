package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestOwnKeyStaysOnScreen: a screen's own key does not toggle back to
// where the screen was opened from (trainee trial, issue 14: after esc
// from an exercise opened from 진행 현황, o 8 enter opened lesson 8 on
// 목차 instead of exercise 8): o on 진행 현황 and c on 클러스터 stay,
// saying so, and the digits typed next still pick an exercise.
func TestOwnKeyStaysOnScreen(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(keyRunes("o"))
	waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "an exercise from 진행 현황", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "진행 현황 again", func(s snapshot) bool { return s.state == stateSummary })
	tm.Send(keyRunes("o"))
	s := waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(s.view, "이미 진행 현황입니다") })
	if s.state != stateSummary {
		t.Fatalf("o on 진행 현황 left it for %v", s.state)
	}
	tm.Send(keyRunes("8"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s = waitFor(t, tm, "exercise 8", func(s snapshot) bool { return s.state != stateSummary })
	if s.state != stateExercise {
		t.Errorf("o 8 enter on 진행 현황 went to %v, not exercise 8:\n%s", s.state, s.view)
	}

	tm2 := startProgram(t, labCourseModel(t), 80, 24)
	tm2.Send(keyRunes("c"))
	waitFor(t, tm2, "클러스터", func(s snapshot) bool { return s.state == stateCluster })
	tm2.Send(keyRunes("c"))
	s = waitFor(t, tm2, "the note", func(s snapshot) bool { return strings.Contains(s.view, "이미 클러스터 화면입니다") })
	if s.state != stateCluster {
		t.Errorf("c on 클러스터 left it for %v", s.state)
	}
}
