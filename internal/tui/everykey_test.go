package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// keyTrial is what one key did to a screen, tried on a copy of the model.
type keyTrial struct {
	key      string
	changed  bool // the view or the screen changed
	cmd      bool // it returned a command (work that shows later)
	view     string
	newState state
}

// tryKeysMsg asks keyProbe to try keys, each on a copy of the model in
// the program goroutine, and to report what each did.
type tryKeysMsg struct {
	keys []tea.KeyMsg
	ch   chan<- []keyTrial
}

// keyProbe is probe that also answers tryKeysMsg.
type keyProbe struct{ probe }

func (p keyProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if tk, ok := msg.(tryKeysMsg); ok {
		out := make([]keyTrial, 0, len(tk.keys))
		for _, k := range tk.keys {
			out = append(out, tryKey(p.Model, k))
		}
		tk.ch <- out
		return p, nil
	}
	next, cmd := p.probe.Update(msg)
	return keyProbe{next.(probe)}, cmd
}

// tryKey applies k to a copy of m and restores what the copy shares with
// m (Common, Live); the command is not run (no editor, shell or quit).
func tryKey(m Model, k tea.KeyMsg) keyTrial {
	c := m.common
	savedCommon, savedLive := *c, *c.Live
	before := m.View()
	next, cmd := m.Update(k)
	nm := next.(Model)
	after := nm.View()
	*c, *c.Live = savedCommon, savedLive
	return keyTrial{key: k.String(), changed: after != before || nm.state != m.state, cmd: cmd != nil, view: after, newState: nm.state}
}

// printableKeys are the keys of every printable ASCII character, the
// space bar as bubbletea reads it.
func printableKeys() []tea.KeyMsg {
	var keys []tea.KeyMsg
	for r := rune(0x20); r <= 0x7e; r++ {
		if r == ' ' {
			keys = append(keys, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		keys = append(keys, keyRunes(string(r)))
	}
	return keys
}

// TestEveryPrintableKeyAnswers: on every screen, every printable key
// either shows something (a change of screen, of the view, a Korean note)
// or is a documented no-op: a scrolling key at the edge of what scrolls
// (the position shows where), q (quits: its command), and the exercise's
// e and s (they open the editor and the shell: their command). Issue 14:
// a digit on the exercise screen was silently ignored.
func TestEveryPrintableKeyAnswers(t *testing.T) {
	km := DefaultKeyMap()
	scrolling := []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom}
	for _, sc := range screenCases() {
		for _, size := range []struct{ w, h int }{{60, 12}, {100, 30}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				m := sc.model(t)
				tm := teatest.NewTestModel(t, keyProbe{probe{m}}, teatest.WithInitialTermSize(size.w, size.h))
				t.Cleanup(func() {
					_ = tm.Quit()
					tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
					_ = m.common.saves.last(func() error { return nil })
				})
				waitFor(t, tm, "the size", func(s snapshot) bool { return s.width == size.w })
				if sc.open != nil {
					sc.open(t, tm)
				}
				s := final(t, tm, sc.name, sc.ready)
				ch := make(chan []keyTrial, 1)
				tm.Send(tryKeysMsg{keys: printableKeys(), ch: ch})
				var trials []keyTrial
				select {
				case trials = <-ch:
				case <-time.After(60 * time.Second):
					t.Fatal("no answer to the key trials")
				}
				for _, tr := range trials {
					k := keyRunes(tr.key)
					if tr.key == " " {
						k = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
					}
					switch {
					case tr.changed:
					case key.Matches(k, scrolling...):
					case key.Matches(k, km.Quit) && tr.cmd:
					case (sc.name == "exercise" || sc.name == "exercise-record" || sc.name == "error") && key.Matches(k, km.Edit, km.Shell) && tr.cmd:
					default:
						t.Errorf("%q on %s does nothing visible (state %d):\n%s", tr.key, sc.name, s.state, tr.view)
					}
				}
			})
		}
	}
}

// TestKoreanInputKeyNote: a key typed with the Korean input method on (j
// arrives as ㅓ) is answered with how to switch, on the screens that
// answer unknown keys.
func TestKoreanInputKeyNote(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(keyRunes("ㅓ"))
	waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "ㅓ: 한글 입력 상태입니다") })
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(keyRunes("ㅎ"))
	waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "ㅎ: 한글 입력 상태입니다") })
}
