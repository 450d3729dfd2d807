package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/progress"
)

// TestExerciseHeaderTwoRowsAt60x12: at README's minimum, 60×12, the
// exercise's header — the title bar and the panel's head — takes at most
// 2 rows: the task starts on the third row (issue 14: it took 4), for
// every exercise, with and without a passed record beside the live grade.
func TestExerciseHeaderTwoRowsAt60x12(t *testing.T) {
	for _, ex := range labCatalog(t).All() {
		for _, record := range []bool{false, true} {
			name := ex.ID
			if record {
				name += "/record"
			}
			t.Run(name, func(t *testing.T) {
				m := labCourseModel(t)
				if record {
					m.common.Progress.UpdateExercise(ex.ID, func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, ex.Spec.MaxScore() })
				}
				tm := startProgram(t, m, 60, 12)
				tm.Send(openExerciseMsg{id: ex.ID})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, ex.ID, nil)})
				s := final(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
				lines := strings.Split(s.view, "\n")
				first := strings.TrimRight(ansi.Strip(s.panelScroll[0]), " ")
				if first == "" {
					t.Errorf("the scroll region starts with a blank line:\n%s", s.view)
				}
				if got := strings.TrimRight(ansi.Strip(lines[2]), " "); got != first {
					t.Errorf("the header takes more than 2 rows: row 3 is %q, the task starts %q:\n%s", got, first, s.view)
				}
				if !strings.Contains(lines[1], "work/"+ex.ID+".yaml") {
					t.Errorf("the one-row head lacks the work file:\n%s", s.view)
				}
			})
		}
	}
}
