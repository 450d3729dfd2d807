package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestClassWatchFitsEveryTerminal (issue 12, instructor trial: at 60×12
// the title and the connection line scrolled off when the selected cell's
// line wrapped, and the legend took 4 of the 12 rows, leaving one student
// row): at 60×12, 80×24 and 160×45 the view is exactly the terminal's
// height with the title and the connection on its first row, no line
// wider than the terminal, at least four student rows (all twelve where
// they fit), and at 60×12 the legend on one row ending in "? 모든 기호";
// ? shows the whole legend there, the title still on top, and esc closes
// it. The selected cell (the first) has a long description that wraps.
// Goldens in testdata/TestClassWatchFitsEveryTerminal (-update).
func TestClassWatchFitsEveryTerminal(t *testing.T) {
	for _, sz := range [][2]int{{60, 12}, {80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			w, h := sz[0], sz[1]
			b := watchAlignBoard()
			used := 2
			b.Students[0].Cells["ds-basics"] = api.BoardCell{Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 3, Hints: 1, HintsUsed: &used,
				Now: &api.BoardCellNow{Status: api.StatusFailed, Score: 3, MaxScore: 10, Late: true}, Flags: []string{"late", "copied-cluster"}}
			m := fakeBoardWatch(t, b, nil)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
			t.Cleanup(func() { m.stop(); _ = tm.Quit() })
			waitOutput(t, tm, "김민수", "● 실시간")
			check := func(view string, legend bool) {
				t.Helper()
				lines := strings.Split(view, "\n")
				if len(lines) != h {
					t.Errorf("%d lines, want %d:\n%s", len(lines), h, view)
				}
				if !strings.Contains(lines[0], "dslab 수업 보드 — 정렬 수업") || !strings.Contains(lines[0], "● 실시간") {
					t.Errorf("first row %q lacks the title or the connection:\n%s", lines[0], view)
				}
				rows := 0
				for _, l := range lines {
					if ansi.StringWidth(l) > w {
						t.Errorf("line %q is %d cells wide", l, ansi.StringWidth(l))
					}
					for _, s := range b.Students {
						if strings.Contains(l, s.Name+" ") && strings.Contains(l, "  ") && (strings.Contains(l, "—") || strings.ContainsAny(l, "✔✘")) && !strings.Contains(l, "·") {
							rows++
							break
						}
					}
				}
				if want := min(len(b.Students), max(4, rows)); rows < 4 || (h >= 24 && rows != len(b.Students)) {
					t.Errorf("%d student rows, want %d or more:\n%s", rows, want, view)
				}
				if !legend && h == 12 {
					n := 0
					for _, l := range lines {
						if strings.Contains(l, "q 끝내기") || strings.Contains(l, "⚑ 막힘") || strings.Contains(l, "? 모든 기호") {
							n++
						}
					}
					if n != 1 || !strings.Contains(lines[h-1], "? 모든 기호") {
						t.Errorf("legend on %d rows (want the last one, with ? 모든 기호):\n%s", n, view)
					}
				}
				if legend {
					for _, it := range watchLegend() {
						if !strings.Contains(view, it) {
							t.Errorf("? legend lacks %q:\n%s", it, view)
						}
					}
				}
			}
			if h == 12 {
				tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
				waitOutput(t, tm, "? 닫기")
				tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
			}
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
			if fm.legend {
				t.Error("esc did not close the legend")
			}
			view := fm.View()
			check(view, false)
			teatest.RequireEqualOutput(t, []byte(view+"\n"))
			if h == 12 {
				fm.legend = true
				check(fm.View(), true)
			}
		})
	}
}
