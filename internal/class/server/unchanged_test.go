package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// capturedAt returns raw with its capturedAt set to at: the same cluster
// state captured at another moment.
func capturedAt(t *testing.T, raw json.RawMessage, at time.Time) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["capturedAt"] = at.UTC().Format(time.RFC3339Nano)
	return mustJSON(m)
}

// TestUnchangedSnapshotIsNotAnAttempt: the same snapshot again (another
// key, another capture time: `class submit --all` rerun on an unchanged
// cluster, issue 12) is answered with the earlier submission and not
// stored, so the board's 회, the export's 시도 and the student's verdict
// count it once; a changed snapshot, and a change back, are attempts; a
// retry of a stored key is still a duplicate; another student's same
// snapshot is that student's own submission.
func TestUnchangedSnapshotIsNotAnAttempt(t *testing.T) {
	f := newFixture(t)
	a := f.join("2026001", "machine-a1")
	t0 := time.Now().Add(-time.Hour)
	solution, typo := snapshot(t, "ds-basics", "solution"), snapshot(t, "ds-basics", "image-typo")
	key := func(i int) string { return fmt.Sprintf("key-unchanged-%06d", i) }

	code, first, body := f.submit(a.Token, key(0), "ds-basics", capturedAt(t, solution, t0))
	if code != http.StatusCreated || first.Unchanged {
		t.Fatalf("first: %d %s", code, body)
	}
	for i := 1; i <= 5; i++ {
		code, r, body := f.submit(a.Token, key(i), "ds-basics", capturedAt(t, solution, t0.Add(time.Duration(i)*time.Minute)))
		if code != http.StatusOK || !r.Unchanged || r.Duplicate || r.ID != first.ID || r.Status != first.Status || r.Score != first.Score || r.Result.Score != first.Score {
			t.Fatalf("unchanged run %d: %d %s (first id %d)", i, code, body, first.ID)
		}
	}
	// A retry of the stored key is a duplicate, as before.
	if code, r, body := f.submit(a.Token, key(0), "ds-basics", capturedAt(t, solution, t0)); code != http.StatusOK || !r.Duplicate || r.ID != first.ID {
		t.Fatalf("retry: %d %s", code, body)
	}
	// A, B, A: both changes are attempts.
	for i, snap := range []json.RawMessage{typo, solution} {
		if code, r, body := f.submit(a.Token, key(10+i), "ds-basics", capturedAt(t, snap, t0.Add(time.Hour))); code != http.StatusCreated || r.Unchanged {
			t.Fatalf("change %d: %d %s", i, code, body)
		}
	}
	// Another student with the same snapshot is not "unchanged".
	b := f.join("2026002", "machine-b1")
	if code, r, body := f.submit(b.Token, key(20), "ds-basics", capturedAt(t, solution, t0)); code != http.StatusCreated || r.Unchanged {
		t.Fatalf("other student: %d %s", code, body)
	}

	if n := f.count(); n != 4 {
		t.Fatalf("%d submissions stored, want 4 (3 of 2026001, 1 of 2026002)", n)
	}
	exp := f.export()
	for _, s := range exp.Students {
		if s.RosterID != "2026001" {
			continue
		}
		if len(s.Attempts) != 1 || s.Attempts[0].Count != 3 || s.Attempts[0].Failed != 1 {
			t.Fatalf("2026001 attempts %+v, want 3 (solution, image-typo, solution) with 1 failed", s.Attempts)
		}
	}
	board := f.board()
	for _, row := range board.Students {
		if row.RosterID == "2026001" {
			if c := row.Cells["ds-basics"]; c.Submissions != 3 {
				t.Fatalf("board cell of 2026001: %d 회, want 3", c.Submissions)
			}
		}
	}
}
