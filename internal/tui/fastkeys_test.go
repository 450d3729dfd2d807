package tui

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/progress"
)

// TestFastKeysAreEachApplied: keys read together (tmux send-keys "n n",
// fast typing) arrive as one KeyRunes message "nn" — and keys sent one by
// one may be read before the screen the first one opened is shown. Each
// key acts on the screen the previous one left (trial, issue 14: "n n" on
// lesson 5 only reached lesson 6, "p p p" went from 8 to 7).
func TestFastKeysAreEachApplied(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.width == 100 })
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "lesson 1", func(s snapshot) bool { return s.state == stateReader && s.lesson == 0 })

	tm.Send(keyRunes("nn")) // one write of two keys
	if s := take(t, tm); s.lesson != 2 {
		t.Fatalf("after \"nn\" in one message: lesson index %d, want 2", s.lesson)
	}
	tm.Send(keyRunes("p"))
	tm.Send(keyRunes("p")) // before the first p's lesson was rendered
	if s := take(t, tm); s.lesson != 0 {
		t.Fatalf("after p, p: lesson index %d, want 0", s.lesson)
	}
	tm.Send(keyRunes("nnnn")) // past the last lesson: stops there
	s := take(t, tm)
	if s.lesson != 3 {
		t.Fatalf("after \"nnnn\": lesson index %d, want 3 (the last)", s.lesson)
	}
	// The keys a screen does not use are still answered one by one: esc
	// then n from the contents opens the lesson under the cursor.
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(keyRunes("n"))
	s = settled(t, tm)
	if s.state != stateReader || s.lesson != 3 {
		t.Fatalf("esc, n: state %v lesson %d, want the reader on lesson index 3", s.state, s.lesson)
	}
}
