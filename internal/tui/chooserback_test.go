package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestChooserFooterAndEscBack: the chooser's footer names every key it
// answers (enter and x, esc; from 80 columns also the digits and ↑↓) and an exercise picked there goes back with esc to where x was
// pressed — the lesson or the contents — not to the chooser (issue 14).
func TestChooserFooterAndEscBack(t *testing.T) {
	for _, size := range screenSizes {
		for _, from := range []state{stateContents, stateReader} {
			t.Run(fmt.Sprintf("%dx%d/from-%d", size.w, size.h, from), func(t *testing.T) {
				tm := startProgram(t, labCourseModel(t), size.w, size.h)
				if from == stateReader {
					tm.Send(openLessonMsg{index: 8}) // 업데이트 전략: rolling-update, on-delete
					waitFor(t, tm, "the lesson", func(s snapshot) bool { return s.state == stateReader && s.lesson == 8 })
				} else {
					for range 8 {
						tm.Send(tea.KeyMsg{Type: tea.KeyDown})
					}
				}
				tm.Send(keyRunes("x"))
				s := waitFor(t, tm, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
				footer := footerOf(s)
				want := []string{"enter/x 열기", "esc 뒤로", "q 종료"}
				if size.w >= 80 {
					want = append(want, "7,8 번호로 열기", "↑↓ 고르기", "? 도움말")
				}
				for _, w := range want {
					if !strings.Contains(footer, w) {
						t.Errorf("the chooser's footer lacks %q: %q", w, footer)
					}
				}
				tm.Send(keyRunes("x")) // the highlighted exercise
				s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
				if s.exercise != "rolling-update" {
					t.Errorf("x in the chooser opened %s, want rolling-update", s.exercise)
				}
				tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
				s = waitFor(t, tm, "esc", func(s snapshot) bool { return s.state != stateExercise })
				if s.state != from {
					t.Errorf("esc from an exercise picked in the chooser went to screen %d, want %d (where x was pressed):\n%s", s.state, from, s.view)
				}
				escToContents(t, tm, "x → chooser → x → esc")
			})
		}
	}
}
