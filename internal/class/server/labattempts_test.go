package server_test

import (
	"encoding/json"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// labSnapshot is the fixture ex/name as the lab sends it: the lab's apply
// count (grader.Snapshot.Attempts; nil: an older client) and, when
// midRollout, the target DaemonSet's newest spec not yet seen by its
// controller (a moment of a rollout).
func labSnapshot(t *testing.T, ex, name string, attempts *int, midRollout bool) json.RawMessage {
	t.Helper()
	var snap grader.Snapshot
	if err := json.Unmarshal(snapshot(t, ex, name), &snap); err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := cat.Get(ex)
	if err != nil {
		t.Fatal(err)
	}
	if !api.Settled(snap, e.Spec.Target) {
		t.Fatalf("fixture %s/%s is not settled", ex, name)
	}
	if midRollout {
		for i, d := range snap.DaemonSets {
			if d.Ref() == e.Spec.Target {
				snap.DaemonSets[i].Generation = d.Status.ObservedGeneration + 1
			}
		}
		if api.Settled(snap, e.Spec.Target) {
			t.Fatal("mid-rollout snapshot is settled")
		}
	}
	snap.Attempts = attempts
	return mustJSON(snap)
}

// TestAttemptsAreTheLabsApplies: the board's 회 and the export's 시도 are
// the lab's apply count the snapshots carry, not the number of
// submissions (issue 12: 10회 for 3 edits and a reset), with the number
// of submissions for an older client's snapshots; the export's 첫 실패 is
// the first failing submission of a settled cluster, not a moment
// mid-rollout.
func TestAttemptsAreTheLabsApplies(t *testing.T) {
	f := newFixture(t)
	kim := f.join("20260001", "machine-kim")
	lee := f.join("20260002", "machine-lee")
	n := func(v int) *int { return &v }

	// 김: a mid-rollout failure, the settled failure of the same edit,
	// a reset's not-started grade, then the pass: three applies.
	if code, _, body := f.submit(kim.Token, "key-kim-0000000001", "ds-basics", labSnapshot(t, "ds-basics", "image-typo", n(1), true)); code != 201 {
		t.Fatalf("submit: %d %s", code, body)
	}
	code, settled, body := f.submit(kim.Token, "key-kim-0000000002", "ds-basics", labSnapshot(t, "ds-basics", "label-typo", n(2), false))
	if code != 201 || settled.Status != api.StatusFailed {
		t.Fatalf("submit: %d %s", code, body)
	}
	for i, name := range []string{"image-typo", "solution"} {
		if code, _, body := f.submit(kim.Token, "key-kim-00000003-"+name, "ds-basics", labSnapshot(t, "ds-basics", name, n(2+i), false)); code != 201 {
			t.Fatalf("submit: %d %s", code, body)
		}
	}
	// 이: an older client (no apply count), two submissions.
	for _, name := range []string{"image-typo", "solution"} {
		if code, _, body := f.submit(lee.Token, "key-lee-000000000-"+name, "ds-basics", labSnapshot(t, "ds-basics", name, nil, false)); code != 201 {
			t.Fatalf("submit: %d %s", code, body)
		}
	}

	bd := f.board()
	cells := map[string]api.BoardCell{}
	for _, s := range bd.Students {
		cells[s.Name] = s.Cells["ds-basics"]
	}
	if c := cells["학생 20260001"]; c.Attempts != 3 || c.Submissions != 4 {
		t.Fatalf("김's cell: %d회 of %d submissions, want 3회 (the lab's applies)", c.Attempts, c.Submissions)
	}
	if c := cells["학생 20260002"]; c.Attempts != 2 || c.Submissions != 2 {
		t.Fatalf("이's cell (older client): %d회 of %d submissions, want 2", c.Attempts, c.Submissions)
	}

	exp := f.export()
	got := map[string]api.ExportAttempts{}
	for _, s := range exp.Students {
		for _, a := range s.Attempts {
			got[s.RosterID] = a
		}
	}
	k := got["20260001"]
	if k.Count != 3 || k.Submissions != 4 || k.Failed != 3 {
		t.Fatalf("김's export attempts %+v, want count 3 of 4 submissions, 3 failed", k)
	}
	if want := server.FirstFailure(settled.Result); k.FirstFailure != want || want == "" {
		t.Fatalf("김's first failure %q, want the settled one %q", k.FirstFailure, want)
	}
	if l := got["20260002"]; l.Count != 2 || l.Submissions != 2 {
		t.Fatalf("이's export attempts %+v, want the submissions", l)
	}
}
