package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// escToContents presses esc until 목차 shows and fails when a screen comes
// back (esc alternating between two screens) or 목차 is not reached.
func escToContents(t *testing.T, tm *teatest.TestModel, path string) {
	t.Helper()
	seen := map[state]bool{}
	for range 6 {
		s := take(t, tm)
		if s.state == stateContents {
			return
		}
		if seen[s.state] {
			t.Fatalf("%s: esc came back to screen %d (a loop); view:\n%s", path, s.state, s.view)
		}
		seen[s.state] = true
		before := s.state
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		waitFor(t, tm, "esc to leave the screen", func(s snapshot) bool { return s.state != before })
	}
	t.Fatalf("%s: 목차 not reached after 6 esc", path)
}

// TestEscNeverLoops: 목차 → x → o → ↓ enter (another exercise) → esc…
// reaches 목차 without alternating 진행 현황 / 연습; the same after a restart
// that reopens an exercise, then o → enter.
func TestEscNeverLoops(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "the first exercise", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(keyRunes("o"))
	waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s := waitFor(t, tm, "the second exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise != "ds-basics" })
	t.Logf("opened %s from 진행 현황", s.exercise)
	escToContents(t, tm, "contents → x → o → enter")

	// A restart that reopens an exercise: the model starts on it.
	tm2 := startProgram(t, labCourseModel(t), 80, 24)
	tm2.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm2, "the reopened exercise", func(s snapshot) bool { return s.state == stateExercise })
	tm2.Send(keyRunes("o"))
	waitFor(t, tm2, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	tm2.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm2, "an exercise from 진행 현황", func(s snapshot) bool { return s.state == stateExercise })
	escToContents(t, tm2, "restart → o → enter")

	// Cluster and progress opened from each other pop back too.
	tm3 := startProgram(t, labCourseModel(t), 80, 24)
	tm3.Send(keyRunes("o"))
	waitFor(t, tm3, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	tm3.Send(keyRunes("c"))
	waitFor(t, tm3, "클러스터", func(s snapshot) bool { return s.state == stateCluster })
	tm3.Send(keyRunes("o"))
	waitFor(t, tm3, "진행 현황 again", func(s snapshot) bool { return s.state == stateSummary })
	escToContents(t, tm3, "o → c → o")
}
