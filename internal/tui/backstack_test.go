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

// step is a message and the screen it leads to at a width.
type step struct {
	msg tea.Msg
	to  func(width int) state
}

func to(s state) func(int) state { return func(int) state { return s } }

// TestEscReturnsWhereItCameFrom: an exercise picked in 진행 현황 returns
// there with esc — the same exercise or another, whether 진행 현황 was
// opened from a lesson or from an exercise opened from a lesson (at 160
// columns tab does not leave the exercise: trainee trial, esc landed on
// the lesson) — and esc goes on to 목차 without a loop.
func TestEscReturnsWhereItCameFrom(t *testing.T) {
	down := tea.KeyMsg{Type: tea.KeyDown}
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	// Lesson 4 is first-daemonset-yaml (its exercise is ds-basics, the
	// first row of 진행 현황).
	lesson := []step{{down, to(stateContents)}, {down, to(stateContents)}, {down, to(stateContents)}, {enter, to(stateReader)}}
	with := func(more ...step) []step { return append(append([]step{}, lesson...), more...) }
	x := step{keyRunes("x"), to(stateExercise)}
	// tab shows the lesson beside the exercise when both fit (160 columns).
	tab := step{tea.KeyMsg{Type: tea.KeyTab}, func(w int) state {
		if w >= 160 {
			return stateExercise
		}
		return stateReader
	}}
	for _, tc := range []struct {
		name string
		pre  []step
		pick []tea.Msg // in 진행 현황
	}{
		{"lesson → o → enter", lesson, []tea.Msg{enter}},
		{"lesson → x → o → enter (same exercise)", with(x), []tea.Msg{enter}},
		{"lesson → x → o → ↓ enter (another)", with(x), []tea.Msg{down, enter}},
		{"lesson → x → tab → o → ↓ enter", with(x, tab), []tea.Msg{down, enter}},
		{"lesson → x → m → o → ↓ enter", with(x, step{keyRunes("m"), to(stateNodeMap)}), []tea.Msg{down, enter}},
	} {
		for _, size := range [][2]int{{80, 24}, {160, 45}} {
			tm := startProgram(t, labCourseModel(t), size[0], size[1])
			for _, st := range tc.pre {
				tm.Send(st.msg)
				want := st.to(size[0])
				waitFor(t, tm, tc.name, func(s snapshot) bool { return s.state == want })
			}
			tm.Send(keyRunes("o"))
			waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
			for _, msg := range tc.pick {
				tm.Send(msg)
			}
			waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
			s := waitFor(t, tm, "esc", func(s snapshot) bool { return s.state != stateExercise })
			if s.state != stateSummary {
				t.Errorf("%s at %dx%d: esc from the exercise went to screen %d, not 진행 현황:\n%s", tc.name, size[0], size[1], s.state, s.view)
				continue
			}
			escToContents(t, tm, tc.name)
		}
	}
}
