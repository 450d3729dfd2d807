package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestClassWatchFeedFillsFreeRows (issue 12): at 80×40 with two students
// the event feed uses the free rows (not 2 lines and blank rows), a
// freshly opened watch shows the events from before it opened (the
// server replays them), newest last, and esc does not quit (the footer
// says q).
func TestClassWatchFeedFillsFreeRows(t *testing.T) {
	b, _ := watchLayoutBoard()
	now := b.Now
	data := func(v any) json.RawMessage { d, _ := json.Marshal(v); return d }
	var evs []api.StreamEvent
	for i := 1; i <= 8; i++ {
		evs = append(evs, api.StreamEvent{Seq: int64(i), Time: now, Kind: "submitted", RosterID: "w2", Name: "이영희",
			Data: data(map[string]any{"exercise": "taints", "status": "failed", "score": i, "maxScore": 10})})
	}
	b.LastSeq = 8 // all of them happened before watch opened
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 40))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "8/10")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")}) // still running: names hide
	waitOutput(t, tm, "이○○")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	if !fm.hideNames {
		t.Fatalf("esc quit watch before p")
	}
	fm.hideNames = false
	view := fm.View()
	t.Logf("view:\n%s", view)
	if n := len(strings.Split(view, "\n")); n != 40 {
		t.Errorf("%d lines at 80×40", n)
	}
	last := -1
	for i := 1; i <= 8; i++ {
		at := strings.Index(view, fmt.Sprintf("실패 %d/10", i))
		if at < 0 || at < last {
			t.Fatalf("feed lacks event %d or is out of order (newest last):\n%s", i, view)
		}
		last = at
	}
}

// TestClassWatchStudentPosition: with 60 students at 80×24 the header
// says which students are shown ("학생 1–…/60") and follows the cursor.
func TestClassWatchStudentPosition(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	t.Cleanup(m.stop)
	b := api.Board{Class: "큰 수업", Now: time.Now(), Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본"}}}
	for i := 1; i <= 60; i++ {
		b.Students = append(b.Students, api.BoardStudent{RosterID: fmt.Sprintf("s%02d", i), Name: fmt.Sprintf("학생%02d", i), Cells: map[string]api.BoardCell{}})
	}
	m.board = &b
	view := m.View()
	if !strings.Contains(view, "학생 1–") || !strings.Contains(view, "/60") {
		t.Fatalf("no position at the top:\n%s", view)
	}
	m.row = 59
	view = m.View()
	if !strings.Contains(view, "–60/60") || !strings.Contains(view, "학생60") {
		t.Fatalf("no position at the bottom:\n%s", view)
	}
	if n := len(strings.Split(view, "\n")); n > 24 {
		t.Fatalf("%d lines at 80×24", n)
	}
}
