package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestExerciseHeadFitsSmall: at README's minimum (60×12) the exercise's
// head (score badge, hints, DaemonSet, work file) takes at most 2 of the
// 12 rows, for every exercise and every badge (trainee trial: 4 rows,
// "데몬셋" alone on one); the work file's path is always there whole, and
// at 160×45 the head keeps every label.
func TestExerciseHeadFitsSmall(t *testing.T) {
	for _, ex := range labCatalog(t).All() {
		for _, badge := range []string{"fresh", "graded", "passed-before", "record-and-live"} {
			for _, size := range [][2]int{{60, 12}, {160, 45}} {
				m := labCourseModel(t)
				next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = next.(Model)
				if badge == "passed-before" || badge == "record-and-live" {
					m.common.Progress.UpdateExercise(ex.ID, func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, ex.Spec.MaxScore() })
				}
				next, _ = m.openExercise(ex.ID)
				m = next.(Model)
				if badge == "graded" || badge == "record-and-live" {
					u := simulatedUpdate(t, ex.ID, func(*gradertest.Lab, exercises.Exercise) {})
					m.common.Live.Update = u
				}
				w := m.exercise.panelWidth()
				head := m.exercise.headLines(w)
				text := ansi.Strip(strings.Join(head, "\n"))
				if size[0] == 60 && len(head) > 2 {
					t.Errorf("%s (%s) at %dx%d: the head takes %d rows:\n%s", ex.ID, badge, size[0], size[1], len(head), text)
				}
				if !strings.Contains(text, "work/"+ex.ID+".yaml") {
					t.Errorf("%s (%s) at %dx%d: the work file is not whole in the head:\n%s", ex.ID, badge, size[0], size[1], text)
				}
				if size[0] == 160 && (!strings.Contains(flat(text), "작업 파일") || !strings.Contains(flat(text), "데몬셋 "+ex.Spec.Target.String())) {
					t.Errorf("%s (%s) at %dx%d: the head lost a label:\n%s", ex.ID, badge, size[0], size[1], text)
				}
				for _, l := range head {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("%s (%s): a head line is %d cells wide, the panel %d", ex.ID, badge, lw, w)
					}
				}
			}
		}
	}
}

// TestHintAfterPassNotRecorded: h on an exercise that has passed opens
// the hint but does not record it, as `dslab exercise show --hint` does
// (lab.RecordOpenedHint), and says so; before a pass it is recorded.
func TestHintAfterPassNotRecorded(t *testing.T) {
	m := labCourseModel(t)
	store := m.common.Progress
	store.UpdateExercise("gpu-only", func(p *progress.ExerciseProgress) { p.Passed, p.Score, p.HintsUsed = true, 10, 1 })
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
	tm.Send(keyRunes("h")) // hint 1 is open already (HintsUsed)
	s := waitFor(t, tm, "hint 2", func(s snapshot) bool { return strings.Contains(flat(s.view), "힌트 2/3 열림") })
	if !strings.Contains(flat(s.view), "이미 통과한 연습이라 기록하지 않습니다") {
		t.Errorf("the hint after the pass is not said to be unrecorded:\n%s", s.view)
	}
	if n := store.Exercise("gpu-only").HintsUsed; n != 1 {
		t.Errorf("hints used after the pass = %d, want the pass's 1", n)
	}

	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })
	tm.Send(keyRunes("h"))
	waitFor(t, tm, "hint 1", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "힌트 1/3 열림 (사용한 힌트 수는")
	})
	if n := store.Exercise("ds-basics").HintsUsed; n != 1 {
		t.Errorf("hints used before a pass = %d, want 1", n)
	}
}
