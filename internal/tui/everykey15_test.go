package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestKeysReadWithTheOpeningKeyAnswer: a key read in one message with
// the key that opened the screen — a terminal delivers "mn" typed fast,
// or tmux send-keys, as one read — answers as it does alone (trainee
// trial, issue 14: n on the full-screen node map was silent: the note was
// cleared as the note of the screen left). TestEveryPrintableKeyAnswers
// sends each key to a screen already open, so it never saw this; here
// every printable key follows m (node map), o (진행 현황) and c
// (클러스터) from the exercise screen.
func TestKeysReadWithTheOpeningKeyAnswer(t *testing.T) {
	km := DefaultKeyMap()
	scrolling := []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom}
	m := attemptedModel(t, "gpu-only")
	tm := teatest.NewTestModel(t, keyProbe{probe{m}}, teatest.WithInitialTermSize(100, 30))
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		_ = m.common.saves.last(func() error { return nil })
	})
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
	final(t, tm, "the exercise", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	for _, opener := range []string{"m", "o", "c"} {
		keys := []tea.KeyMsg{keyRunes(opener)}
		for _, k := range printableKeys() {
			if k.Type != tea.KeyRunes {
				continue
			}
			keys = append(keys, tea.KeyMsg{Type: tea.KeyRunes, Runes: append([]rune(opener), k.Runes...)})
		}
		ch := make(chan []keyTrial, 1)
		tm.Send(tryKeysMsg{keys: keys, ch: ch})
		var trials []keyTrial
		select {
		case trials = <-ch:
		case <-time.After(60 * time.Second):
			t.Fatal("no answer to the key trials")
		}
		alone := trials[0]
		for _, tr := range trials[1:] {
			k := keyRunes(tr.key[len(opener):])
			switch {
			case tr.view != alone.view || tr.newState != alone.newState:
			case key.Matches(k, scrolling...):
			case key.Matches(k, km.Quit):
			default:
				t.Errorf("%q after %s (one read) does nothing visible:\n%s", tr.key[len(opener):], opener, tr.view)
			}
		}
	}
}
