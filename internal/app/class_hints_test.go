package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassSubmissionCarriesHintsUsed: the hints a learner opened
// (`dslab exercise show --hint N`) travel with the snapshot to the class
// server, and the board shows them apart from the instructor's unlocks.
func TestClassSubmissionCarriesHintsUsed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "server"), "수업", nil)
	st, srv, hs := s.st, s.srv, s.hs
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", hs.URL, "--code", s.code, "--name", "이영희", "--student-id", "s1"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	if code, out, errs := runClassCLI(t, student, "exercise", "show", "taints", "--hint", "2"); code != 0 {
		t.Fatalf("hint: %d %s %s", code, out, errs)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "taints", "solution.json")
	if code, out, errs := runClassCLI(t, student, "class", "submit", "taints", "--snapshot", snap); code != 0 {
		t.Fatalf("submit: %d %s %s", code, out, errs)
	}
	if _, err := st.AddCommand(ctx, store.Command{Kind: store.CommandUnlockHint, Exercise: "taints"}); err != nil {
		t.Fatal(err)
	}
	b, err := srv.BuildBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := b.Students[0].Cells["taints"]
	if c.HintsUsed == nil || *c.HintsUsed != 2 || c.Hints != 1 {
		t.Fatalf("board cell hintsUsed=%v hints=%d, want the student's 2 and 1 unlock", c.HintsUsed, c.Hints)
	}
}
