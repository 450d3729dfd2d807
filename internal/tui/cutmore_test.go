package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestCutPanelSaysMore: when the exercise panel is cut (a long failed
// apply at README's minimum, 60×12), a marker row under it says more
// follows and how to scroll (issue 14: the error ended at
// "…gpu-only.yaml: error" with nothing saying so). The marker's row is
// not part of the page: paging with space shows every line of the panel,
// each page starting on the previous page's last line, the last line of
// every page is on screen above the marker, and at the end the marker
// says so.
func TestCutPanelSaysMore(t *testing.T) {
	u := simulatedUpdate(t, "ds-basics", nil)
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, realCourseModel(t, paths.Paths{}, nil), size.w, size.h)
			tm.Send(openExerciseMsg{id: "ds-basics"})
			tm.Send(labUpdateMsg{u: u})
			waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			tm.Send(appliedMsg{id: "ds-basics", err: longApplyError(), attempted: true})
			s := final(t, tm, "the error", func(s snapshot) bool {
				return strings.Contains(s.view, "적용 실패") && !strings.Contains(s.view, "불러오는 중")
			})
			golden(t, s)
			if !strings.Contains(s.view, "↓ 더 있음") {
				t.Fatalf("the cut panel does not say more follows:\n%s", s.view)
			}
			prevOff, prevH := -1, 0
			for range 60 {
				s = take(t, tm)
				checkFrame(t, s)
				off, sh := s.panelOffset, s.panelHeight
				if off == prevOff {
					break
				}
				if prevOff >= 0 && off > prevOff+prevH-1 {
					t.Errorf("paging skipped lines %d..%d (page of %d from %d)", prevOff+prevH, off-1, prevH, prevOff)
				}
				view := ansi.Strip(s.view)
				last := min(off+sh, len(s.panelScroll)) - 1
				if want := strings.TrimSpace(ansi.Strip(s.panelScroll[last])); want != "" && !strings.Contains(view, want) {
					t.Errorf("the page's last line %q is not on screen (offset %d, height %d):\n%s", want, off, sh, view)
				}
				atEnd := off+sh >= len(s.panelScroll)
				if atEnd != strings.Contains(view, "↑ 끝") || atEnd == strings.Contains(view, "↓ 더 있음") {
					t.Errorf("offset %d of %d lines (page %d): marker wrong:\n%s", off, len(s.panelScroll), sh, view)
				}
				prevOff, prevH = off, sh
				tm.Send(keyRunes(" "))
			}
			if prevOff+prevH < len(s.panelScroll) {
				t.Errorf("paging stopped at %d+%d of %d lines", prevOff, prevH, len(s.panelScroll))
			}
		})
	}
}
