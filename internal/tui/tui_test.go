package tui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// TestFixtureCourseFollowsTheContract keeps the fixture honest: it must
// look like the real course.
func TestFixtureCourseFollowsTheContract(t *testing.T) {
	if err := lessons.ValidateCourse(fixtureCourse(t)); err != nil {
		t.Fatal(err)
	}
}

// TestTUIFlow opens the TUI at 100x30, walks to the third lesson with
// enter and →, scrolls the long second lesson, resizes, goes back to the
// contents and quits. Every stage is compared with a golden file
// (go test ./internal/tui -run TestTUIFlow -update regenerates them).
func TestTUIFlow(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)

	t.Run("contents", func(t *testing.T) {
		s := waitFor(t, tm, "the contents", func(s snapshot) bool { return s.width == 100 })
		if !strings.Contains(s.view, "넓은 표와 한글 폭") {
			t.Fatalf("contents do not list the third lesson:\n%s", s.view)
		}
		golden(t, s)
	})

	t.Run("third-lesson", func(t *testing.T) {
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // lesson 1
		waitFor(t, tm, "lesson 1", func(s snapshot) bool { return s.lesson == 0 && !s.loading })
		tm.Send(keyRunes("n")) // lesson 2
		waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
		tm.Send(tea.KeyMsg{Type: tea.KeyRight}) // lesson 3
		s := waitFor(t, tm, "lesson 3", func(s snapshot) bool { return s.lesson == 2 && !s.loading })
		if !strings.Contains(s.view, "3. 넓은 표와 한글 폭") || !strings.Contains(s.view, "강의 3/4") {
			t.Fatalf("header or status bar do not show lesson 3:\n%s", s.view)
		}
		checkTableAligned(t, s.view)
		golden(t, s)
	})

	t.Run("scrolled", func(t *testing.T) {
		tm.Send(keyRunes("p")) // back to the long lesson 2, at its top
		waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
		tm.Send(keyRunes("j"))
		tm.Send(keyRunes("j"))
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
		tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		tm.Send(keyRunes("k"))
		s := take(t, tm)
		page := 30 - chrome - 1
		if want := 3 + page - 1; s.offset != want {
			t.Fatalf("offset = %d after j j ↓ space k, want %d", s.offset, want)
		}
		golden(t, s)
	})

	t.Run("resized", func(t *testing.T) {
		before := take(t, tm)
		tm.Send(tea.WindowSizeMsg{Width: 72, Height: 24})
		s := waitFor(t, tm, "re-render at 72 columns", func(s snapshot) bool { return s.width == 72 && !s.loading })
		// Re-wrapped at the new width (more lines) and still at about the
		// same place in the lesson.
		if s.maxOff <= before.maxOff {
			t.Errorf("max offset %d at 72 columns, %d at 100: not re-wrapped?", s.maxOff, before.maxOff)
		}
		wantPct := float64(before.offset) / float64(before.maxOff)
		if got := float64(s.offset) / float64(s.maxOff); got < wantPct-0.05 || got > wantPct+0.05 {
			t.Errorf("position %.2f after resize, was %.2f", got, wantPct)
		}
		golden(t, s)
	})

	t.Run("back-to-contents", func(t *testing.T) {
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		s := waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
		// Lessons 1 and 3 were entirely on screen, so they count as read;
		// lesson 2 was not read to the end.
		if got := readMarks(s.view); got != "1,3" {
			t.Errorf("read marks on lessons %q, want 1,3:\n%s", got, s.view)
		}
		if !strings.Contains(s.view, "▸   2") {
			t.Errorf("cursor is not on lesson 2 (the one just left):\n%s", s.view)
		}
		golden(t, s)
	})

	t.Run("quit", func(t *testing.T) {
		tm.Send(keyRunes("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		fm, ok := tm.FinalModel(t).(probe)
		if !ok {
			t.Fatalf("final model is %T", tm.FinalModel(t))
		}
		if fm.common.Width != 72 {
			t.Errorf("final width %d", fm.common.Width)
		}
	})

	reopened, notice, err := progress.Open(store.Path())
	if err != nil || notice != "" {
		t.Fatalf("progress.json after quitting: notice=%q err=%v", notice, err)
	}
	for id, want := range map[string]bool{"intro": true, "long-read": false, "wide-table": true, "wrap-up": false} {
		if got := reopened.Lesson(id).Read; got != want {
			t.Errorf("lesson %s read = %v, want %v", id, got, want)
		}
	}
	if lp := reopened.Lesson("long-read"); lp.Offset == 0 || lp.Width != 72 {
		t.Errorf("long-read position not saved: %+v", lp)
	}
}

// readMarks lists the orders of the contents rows carrying a ✓.
func readMarks(view string) string {
	var marks []string
	for _, line := range strings.Split(view, "\n") {
		if strings.Contains(line, "✓") && strings.Contains(line, "분") {
			fields := strings.Fields(strings.TrimPrefix(line, "▸"))
			marks = append(marks, fields[0])
		}
	}
	return strings.Join(marks, ",")
}

// checkTableAligned checks that the column separators of the rendered table
// are in the same cell columns on every line (Hangul is two cells).
func checkTableAligned(t *testing.T, view string) {
	t.Helper()
	var want []int
	rows := 0
	for _, line := range strings.Split(view, "\n") {
		if !strings.Contains(line, "│") || strings.HasPrefix(strings.TrimSpace(line), "│") {
			continue
		}
		var cols []int
		for i, r := range line {
			if r == '│' {
				cols = append(cols, ansi.StringWidth(line[:i]))
			}
		}
		rows++
		if want == nil {
			want = cols
			continue
		}
		if !slices.Equal(cols, want) {
			t.Errorf("table separators at %v, want %v: %q", cols, want, line)
		}
	}
	if rows < 4 {
		t.Errorf("found %d table lines, want at least 4", rows)
	}
}
