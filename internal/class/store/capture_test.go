package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// captureSub is a submission of exercise ex whose capture (snapshot
// SHA-256) is sha, under key.
func captureSub(student int64, key, ex, sha string, late bool) store.Submission {
	x := sub(student, key, ex, "")
	x.SnapshotSHA256 = sha
	if late {
		x.Flags = []string{store.FlagLate}
	}
	return x
}

// testSameCapture: the store itself refuses a second submission of one
// capture (student, exercise, snapshot SHA-256) under another key — it
// returns the stored one, created false — except that an on-time copy of
// a capture stored only late is stored (it counts); another exercise's or
// another student's same hash is stored. Issue 12: the server's check
// before the store was per process.
func testSameCapture(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	a, b := mustStudent(t, s, "s1"), mustStudent(t, s, "s2")
	add := func(x store.Submission) (store.Submission, bool) {
		t.Helper()
		got, created, err := s.AddSubmission(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		return got, created
	}
	first, created := add(captureSub(a.ID, "k-cap-0000000000001", "ds-basics", "cap-1", false))
	if !created {
		t.Fatal("the first submission of a capture was not stored")
	}
	if again, created := add(captureSub(a.ID, "k-cap-0000000000002", "ds-basics", "cap-1", false)); created || again.ID != first.ID {
		t.Fatalf("the same capture under another key: created=%v id %d, want the stored %d", created, again.ID, first.ID)
	}
	if again, created := add(captureSub(a.ID, "k-cap-0000000000003", "ds-basics", "cap-1", true)); created || again.ID != first.ID {
		t.Fatalf("a late copy of an on-time capture: created=%v id %d, want the stored %d", created, again.ID, first.ID)
	}
	for _, x := range []store.Submission{
		captureSub(a.ID, "k-cap-0000000000004", "node-selector", "cap-1", false),
		captureSub(b.ID, "k-cap-0000000000005", "ds-basics", "cap-1", false),
	} {
		if _, created := add(x); !created {
			t.Errorf("%d %s: another student's or exercise's same hash was not stored", x.StudentID, x.Exercise)
		}
	}
	late, _ := add(captureSub(a.ID, "k-cap-0000000000006", "ds-basics", "cap-2", true))
	if again, created := add(captureSub(a.ID, "k-cap-0000000000007", "ds-basics", "cap-2", true)); created || again.ID != late.ID {
		t.Fatalf("a late copy of a late capture: created=%v", created)
	}
	onTime, created := add(captureSub(a.ID, "k-cap-0000000000008", "ds-basics", "cap-2", false))
	if !created || onTime.ID == late.ID {
		t.Fatalf("an on-time copy of a capture stored only late was not stored (it counts)")
	}
	if again, created := add(captureSub(a.ID, "k-cap-0000000000009", "ds-basics", "cap-2", false)); created || again.ID != onTime.ID {
		t.Fatalf("a second on-time copy: created=%v id %d, want %d", created, again.ID, onTime.ID)
	}
	// The retry of a key keeps its own answer.
	if again, created := add(captureSub(a.ID, "k-cap-0000000000001", "ds-basics", "cap-1", false)); created || again.ID != first.ID {
		t.Fatalf("a retried key: created=%v", created)
	}
	all, err := s.Submissions(ctx, a.ID, false)
	if err != nil || len(all) != 4 {
		t.Fatalf("s1 has %d submissions, want 4 (cap-1, node-selector, cap-2 late, cap-2 on time): %v", len(all), err)
	}
}

// TestPostgresTwoReplicasOneCapture (issue 12): two server replicas on
// one PostgreSQL — two store handles, each with its own group-commit
// writer — given the same capture under two keys at the same moment (an
// outbox flush on one, a new submit on the other) store it once: one
// handle creates it, the other returns that row (and so does each
// handle's own second copy, in one group commit or the next).
func TestPostgresTwoReplicasOneCapture(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	ctx := context.Background()
	pg := classtest.StartPostgres(t)
	dsn := pg.NewDatabase(t)
	var handles [2]store.Store
	for i := range handles {
		s, err := store.OpenPostgres(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		handles[i] = s
	}
	if _, _, err := handles[0].EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	const students, captures = 8, 6
	ids := make([]int64, students)
	for i := range ids {
		ids[i] = mustStudent(t, handles[0], fmt.Sprintf("r%02d", i)).ID
	}
	type answer struct {
		id      int64
		created bool
	}
	got := map[string][]answer{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range students {
		for c := range captures {
			// Twice on each replica: in one group commit too.
			for h := range 2 * len(handles) {
				wg.Go(func() {
					<-start
					sha := fmt.Sprintf("cap-%d-%d", i, c)
					x, created, err := handles[h%2].AddSubmission(ctx, captureSub(ids[i], fmt.Sprintf("k-replica%d-%03d-%03d", h, i, c), "ds-basics", sha, false))
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					got[sha] = append(got[sha], answer{x.ID, created})
					mu.Unlock()
				})
			}
		}
	}
	close(start)
	wg.Wait()
	for sha, as := range got {
		created := 0
		for _, a := range as {
			if a.created {
				created++
			}
			if a.id != as[0].id {
				created = -1
			}
		}
		if len(as) != 4 || created != 1 {
			t.Errorf("%s: answers %+v, want one created and the others the same row", sha, as)
		}
	}
	all, err := handles[1].Submissions(ctx, 0, false)
	if err != nil || len(all) != students*captures {
		t.Fatalf("stored %d submissions, want %d, one a capture (%v)", len(all), students*captures, err)
	}
}
