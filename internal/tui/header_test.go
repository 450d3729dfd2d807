package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// TestExerciseHeadFitsSmall: at README's minimum (60×12) the exercise's
// head (score badge, hints, DaemonSet, work file) takes one of the 12
// rows — with the title bar, the header is 2 (trainee trials: 4 rows,
// "데몬셋" alone on one; then 2 rows and a blank line); the work file's path is always there whole, and
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
				if size[0] == 60 && len(head) > 1 {
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
	s := waitFor(t, tm, "hint 2", func(s snapshot) bool { return strings.Contains(flat(s.view), "2번째 힌트를 열었습니다") })
	if !strings.Contains(flat(s.view), "이미 통과한 연습이라 사용한 힌트로 세지 않습니다") {
		t.Errorf("the hint after the pass is not said to be unrecorded:\n%s", s.view)
	}
	// The head agrees with the record: 1 used, 1 opened after the pass
	// (it said 힌트 2/3 while the note said 1 is kept).
	if v := flat(s.view); !strings.Contains(v, "힌트 1/3 (통과 후 열람 1)") || strings.Contains(v, "힌트 2/3") {
		t.Errorf("the head does not show the recorded hints and the one opened after the pass apart:\n%s", s.view)
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

// TestOpenedHintsShownAfterRestart: every hint the learner opened —
// counted before the pass or only viewed after it — is shown again when
// the TUI starts anew on the same progress file (issue 14: the text of a
// hint opened after the pass was gone after a restart).
func TestOpenedHintsShownAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	store.UpdateExercise("gpu-only", func(p *progress.ExerciseProgress) { p.Passed, p.Score, p.HintsUsed = true, 10, 1 })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	run := func(m Model, keys string) snapshot {
		t.Helper()
		tm := startProgram(t, m, 100, 40)
		tm.Send(openExerciseMsg{id: "gpu-only"})
		s := waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
		for _, k := range keys {
			tm.Send(keyRunes(string(k)))
			s = waitFor(t, tm, "hint opened and saved", func(s snapshot) bool {
				f, err := progress.Read(path)
				return strings.Contains(flat(s.view), "번째 힌트를 열었습니다") && err == nil && f.Exercises["gpu-only"].HintsViewed == 2
			})
		}
		return s
	}
	m := labCourseModelWith(t, store)
	run(m, "h")
	if f, err := progress.Read(path); err != nil || f.Exercises["gpu-only"].HintsUsed != 1 {
		t.Fatalf("progress after a hint after the pass: %+v %v; want hints used 1 kept", f.Exercises["gpu-only"], err)
	}

	again, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m2 := labCourseModelWith(t, again)
	next, _ := m2.openExercise("gpu-only")
	m2 = next.(Model)
	if m2.exercise.hints != 2 {
		t.Errorf("after a restart %d hints are open, want the 2 opened before", m2.exercise.hints)
	}
	text := flat(ansi.Strip(strings.Join(m2.exercise.panelLines(100, false), "\n")))
	if !strings.Contains(text, "힌트 1/3 (통과 후 열람 1)") {
		t.Errorf("after a restart the panel does not show the hint opened after the pass:\n%s", text)
	}
}

// labCourseModelWith is labCourseModel on store.
func labCourseModelWith(tb testing.TB, store *progress.Store) Model {
	tb.Helper()
	course, err := lessons.Course()
	if err != nil {
		tb.Fatal(err)
	}
	opts := asciiOptions(tb, course, store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(tb), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
