package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

func courseModelWith(t *testing.T, store *progress.Store) Model {
	t.Helper()
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestContentsCursorRestored: quit while reading lesson 13, start again:
// 목차's cursor is on lesson 13 (not lesson 1); the same for the cursor
// left on 목차 itself.
func TestContentsCursorRestored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m := courseModelWith(t, store)
	n := len(m.common.Course)
	if n < 13 {
		t.Skipf("the course has %d lessons", n)
	}
	tm := startProgram(t, m, 80, 24)
	tm.Send(openLessonMsg{index: 12})
	waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader && s.lesson == 12 })
	tm.Send(keyRunes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	reopened, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm2 := startProgram(t, courseModelWith(t, reopened), 80, 24)
	want := fmt.Sprintf("목차 13/%d", n)
	s := waitFor(t, tm2, "목차", func(s snapshot) bool { return s.state == stateContents })
	if !strings.Contains(s.view, want) {
		t.Errorf("after quitting in lesson 13 the cursor is not on it (want %q):\n%s", want, s.view)
	}
	// Move the cursor on 목차 and quit there.
	tm2.Send(tea.KeyMsg{Type: tea.KeyUp})
	tm2.Send(tea.KeyMsg{Type: tea.KeyUp})
	waitFor(t, tm2, "the cursor moved", func(s snapshot) bool { return strings.Contains(s.view, fmt.Sprintf("목차 11/%d", n)) })
	tm2.Send(keyRunes("q"))
	tm2.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	third, _, _ := progress.Open(path)
	tm3 := startProgram(t, courseModelWith(t, third), 80, 24)
	s = waitFor(t, tm3, "목차", func(s snapshot) bool { return s.state == stateContents })
	if !strings.Contains(s.view, fmt.Sprintf("목차 11/%d", n)) {
		t.Errorf("the cursor left on 목차 is not restored:\n%s", s.view)
	}
}
