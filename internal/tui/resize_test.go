package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLessonPaneAfterFastResizes: the exercise opened at 60×12 (no lesson
// pane), then resized several times fast ending at 160×45: the lesson pane
// shows the lesson, never stays on "불러오는 중" (trainee trial: seen once
// after 60×12 → 160×45), and the reader after it too.
func TestLessonPaneAfterFastResizes(t *testing.T) {
	m := labCourseModel(t)
	tm := startProgram(t, m, 60, 12)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	settled(t, tm)
	for _, size := range [][2]int{{160, 45}, {59, 11}, {120, 40}, {160, 45}, {200, 50}, {60, 12}, {161, 45}, {160, 45}} {
		tm.Send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	s := final(t, tm, "the lesson beside the exercise", func(s snapshot) bool {
		return s.width == 160 && s.state == stateExercise && !strings.Contains(s.view, "불러오는 중")
	})
	if !strings.Contains(s.view, "│") {
		t.Errorf("no lesson pane at 160×45:\n%s", s.view)
	}
	checkFrame(t, s)
}

// TestQuitSaveWaitsForSaves: the quit's save (saveProgressLast) waits for
// a progress save under way in a command's goroutine, and no save runs
// after it — so the program returns with nothing writing progress.json
// (TestProgressThroughTUI once failed on t.TempDir's cleanup racing a
// background save).
func TestQuitSaveWaitsForSaves(t *testing.T) {
	tr := &saveTracker{}
	release, started := make(chan struct{}), make(chan struct{})
	go func() {
		_ = tr.run(func() error { close(started); <-release; return nil })
	}()
	<-started
	done := make(chan struct{})
	lastRan := false
	go func() {
		_ = tr.last(func() error { lastRan = true; return nil })
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("the last save returned while another save was still writing")
	default:
	}
	close(release)
	<-done
	if !lastRan {
		t.Error("the last save did not run")
	}
	if err := tr.run(func() error { t.Error("a save ran after the last one"); return nil }); err != nil {
		t.Error(err)
	}
}
