package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// hintHeadRE is the first line of an open hint ("  2. …").
var hintHeadRE = regexp.MustCompile(`^  \d+\. `)

// TestHintShownFromItsHeading: after every h the scroll region's first
// line is a heading — the hints' heading (힌트 n/N …) or the new hint's
// own first line, or the end of the panel with the hints' heading whole
// in view — never the middle of a heading (issue 14: at 60×12 the panel
// started on the last line of the wrapped hints' heading), and the new
// hint's first line is in view.
func TestHintShownFromItsHeading(t *testing.T) {
	for _, size := range screenSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
			final(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
			for n := 1; n <= 3; n++ {
				tm.Send(keyRunes("h"))
				s := waitFor(t, tm, "the hint", func(s snapshot) bool { return strings.Contains(s.view, fmt.Sprintf("힌트 %d/3", n)) })
				top := ansi.Strip(s.panelScroll[s.panelOffset])
				// At the end of what scrolls, the top is what the end
				// leaves: the hints' heading must then be in view whole.
				atEnd := s.panelOffset >= len(s.panelScroll)-s.panelHeight
				heading := -1
				for i, l := range s.panelScroll {
					if strings.HasPrefix(ansi.Strip(l), "힌트 ") {
						heading = i
					}
				}
				headingShown := heading >= s.panelOffset && heading < s.panelOffset+s.panelHeight
				if !(atEnd && headingShown) && !strings.HasPrefix(top, "힌트 ") && !hintHeadRE.MatchString(top) {
					t.Errorf("after hint %d the panel starts mid-heading: %q\n%s", n, top, s.view)
				}
				shown := s.panelScroll[s.panelOffset:min(s.panelOffset+s.panelHeight, len(s.panelScroll))]
				found := false
				for _, l := range shown {
					found = found || strings.HasPrefix(ansi.Strip(l), fmt.Sprintf("  %d. ", n))
				}
				if !found {
					t.Errorf("hint %d's first line is not in view:\n%s", n, s.view)
				}
			}
		})
	}
}
