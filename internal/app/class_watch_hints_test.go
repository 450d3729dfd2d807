package app

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestClassHintsSeenNeverDrop is issue 12's instructor trial, through the
// real client (`dslab exercise show --hint`, `dslab class submit`):
//   - a later submission whose snapshot says fewer hints (the learner's
//     progress lost them) never lowers the board's count: the board keeps
//     the most any snapshot said, in the cache and in a full rebuild (a
//     restarted server);
//   - `class watch`'s H is that number (api.HintsHad, as the board's
//     hintsHad and the export's <id>.힌트), not only the instructor's
//     unlocks (it showed nothing for 3 hints the student read).
func TestClassHintsSeenNeverDrop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "server"), "힌트 수업", []string{"taints"})
	student := paths.Under(filepath.Join(dir, "student"))
	run := func(args ...string) {
		t.Helper()
		if code, out, errs := runClassCLI(t, student, args...); code != 0 {
			t.Fatalf("%s: %d %s %s", strings.Join(args, " "), code, out, errs)
		}
	}
	snap := func(name string) string {
		return filepath.Join("..", "..", "grader", "testdata", "exercises", "taints", name+".json")
	}
	run("class", "join", s.hs.URL, "--code", s.code, "--name", "이영희", "--id", "s1")
	run("exercise", "show", "taints", "--hint", "3")
	run("class", "submit", "taints", "--snapshot", snap("wrong-value"))
	cell := func(b api.Board) api.BoardCell {
		t.Helper()
		if len(b.Students) != 1 {
			t.Fatalf("board students: %+v", b.Students)
		}
		return b.Students[0].Cells["taints"]
	}
	b, err := s.srv.BuildBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := cell(b); c.HintsUsed == nil || *c.HintsUsed != 3 || c.HintsHad != 3 {
		t.Fatalf("after 3 hints: hintsUsed %d, hintsHad %d", derefOr(c.HintsUsed), c.HintsHad)
	}
	// The learner's progress loses its hints (issue 14's lost save); the
	// next submission says 1.
	removed := 0
	filepath.WalkDir(filepath.Join(dir, "student"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "progress.json" && os.Remove(p) == nil {
			removed++
		}
		return nil
	})
	if removed == 0 {
		t.Fatal("no progress.json under the student's home")
	}
	run("exercise", "show", "taints", "--hint", "1")
	run("class", "submit", "taints", "--snapshot", snap("solution"))
	subs, err := s.st.Submissions(ctx, 0, true)
	if err != nil || len(subs) != 2 {
		t.Fatalf("submissions: %d %v", len(subs), err)
	}
	if n := snapshotHintsOf(t, subs[1].Snapshot); n != 1 {
		t.Fatalf("the second snapshot says %d hints, want 1 (the test's premise)", n)
	}
	b, err = s.srv.BuildBoard(ctx) // the cache, updated from the log
	if err != nil {
		t.Fatal(err)
	}
	if c := cell(b); c.HintsUsed == nil || *c.HintsUsed != 3 || c.HintsHad != 3 || c.Status != api.StatusPassed {
		t.Errorf("board after a snapshot with fewer hints: status %s, hintsUsed %d, hintsHad %d; want passed, 3, 3", c.Status, derefOr(c.HintsUsed), c.HintsHad)
	}
	full, err := s.newServer(t).BuildBoard(ctx) // a restarted server: a full load from the tables
	if err != nil {
		t.Fatal(err)
	}
	if c := cell(full); c.HintsUsed == nil || *c.HintsUsed != 3 || c.HintsHad != 3 {
		t.Errorf("restarted server's board: hintsUsed %d, hintsHad %d; want 3, 3", derefOr(c.HintsUsed), c.HintsHad)
	}

	// class watch shows H3 in the cell and the same count in its line.
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(ctx, boardClient{URL: s.hs.URL, Token: s.token, HTTP: s.hs.Client()}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "✔ 10  H3", "힌트 본 것 3")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
}

// TestHintsHad is the one rule of the hints a student had.
func TestHintsHad(t *testing.T) {
	three, zero := 3, 0
	for _, c := range []struct {
		opened                *int
		unlocked, total, want int
	}{
		{nil, 0, 3, 0},
		{&three, 0, 3, 3},
		{&three, 1, 3, 3},
		{&zero, 2, 3, 2},
		{nil, 5, 3, 3}, // capped at the exercise's hints
		{&three, 0, 0, 3},
	} {
		if got := api.HintsHad(c.opened, c.unlocked, c.total); got != c.want {
			t.Errorf("HintsHad(%v, %d, %d) = %d, want %d", c.opened, c.unlocked, c.total, got, c.want)
		}
	}
}

// snapshotHintsOf is a raw snapshot's hintsUsed (-1 when absent).
func snapshotHintsOf(t *testing.T, raw []byte) int {
	t.Helper()
	var s struct {
		HintsUsed *int `json:"hintsUsed"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.HintsUsed == nil {
		return -1
	}
	return *s.HintsUsed
}

// derefOr is *p, or -1 for nil.
func derefOr(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
