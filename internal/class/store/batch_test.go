package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/store"
)

// testGroupCommit holds the writer inside a first commit while more
// submissions queue, then checks that they all go into the next single
// commit, each with the outcome it would have had alone: a row that fails
// (unknown student: a foreign key error in the database) or conflicts
// (same key, other snapshot) fails alone and leaves nothing behind (not
// even the copy flag it had set on another row), a key repeated inside
// the batch is stored once, and copying between two rows of the same batch
// is flagged on both. Without the failing row (failing false), a
// PostgreSQL store writes that batch with its set-based statements
// (batch_set_postgres.go) and the outcomes are the same.
func testGroupCommit(t *testing.T, s store.Store, postgres, failing bool) {
	ctx := context.Background()
	a, b := mustStudent(t, s, "ga"), mustStudent(t, s, "gb")
	// Written before the hook: one commit each, not counted.
	mustSubmit(t, s, a.ID, "old-key", "ds-basics", "")
	preY, _ := mustSubmit(t, s, a.ID, "pre-y", "ds-basics", "uid-y")

	var mu sync.Mutex
	var batches []int
	entered, release := make(chan struct{}), make(chan struct{})
	store.SetBeforeCommit(s, func(rows int) {
		mu.Lock()
		batches = append(batches, rows)
		first := len(batches) == 1
		mu.Unlock()
		if first {
			close(entered)
			<-release
		}
	})
	type outcome struct {
		sub     store.Submission
		created bool
		err     error
	}
	submit := func(sb store.Submission) <-chan outcome {
		ch := make(chan outcome, 1)
		go func() {
			got, created, err := s.AddSubmission(ctx, sb)
			ch <- outcome{got, created, err}
		}()
		return ch
	}
	first := submit(sub(a.ID, "first", "ds-basics", ""))
	<-entered // the writer is inside the first batch's transaction

	var good []<-chan outcome
	for i := range 14 {
		st := a.ID
		if i%2 == 1 {
			st = b.ID
		}
		good = append(good, submit(sub(st, fmt.Sprintf("good-%02d", i), "taints", "")))
	}
	var fk <-chan outcome
	queued := 14 + 1 + 2 + 2
	if failing {
		fk = submit(sub(999999, "no-such-student", "ds-basics", "uid-y"))
		queued++
	}
	conflicting := sub(a.ID, "old-key", "ds-basics", "")
	conflicting.SnapshotSHA256 = "another-snapshot"
	conflict := submit(conflicting)
	twice := []<-chan outcome{submit(sub(b.ID, "twice", "gpu-only", "")), submit(sub(b.ID, "twice", "gpu-only", ""))}
	copyA, copyB := submit(sub(a.ID, "copy-a", "ds-basics", "uid-x")), submit(sub(b.ID, "copy-b", "ds-basics", "uid-x"))
	for store.QueuedSubmissions(s) < queued {
		time.Sleep(time.Millisecond) // waiting for the goroutines to queue, not a timed assertion
	}
	close(release)

	if o := <-first; o.err != nil || !o.created {
		t.Fatalf("first: %+v", o)
	}
	ids := map[int64]bool{}
	for i, ch := range good {
		o := <-ch
		if o.err != nil || !o.created || o.sub.ID == 0 || ids[o.sub.ID] {
			t.Fatalf("good-%02d: %+v", i, o)
		}
		ids[o.sub.ID] = true
	}
	if fk != nil {
		if o := <-fk; o.err == nil || errors.Is(o.err, store.ErrConflict) {
			t.Fatalf("submission of an unknown student: err = %v, want a database error", o.err)
		}
	}
	if o := <-conflict; !errors.Is(o.err, store.ErrConflict) {
		t.Fatalf("same key, other snapshot: err = %v, want ErrConflict", o.err)
	}
	t1, t2 := <-twice[0], <-twice[1]
	if t1.err != nil || t2.err != nil || t1.created == t2.created || t1.sub.ID != t2.sub.ID {
		t.Fatalf("same key twice in one batch: %+v / %+v, want one created and one duplicate of the same row", t1, t2)
	}
	// The later of the two rows is flagged when written (and flags the
	// earlier one in the table): one answer at least carries the flag.
	ca, cb := <-copyA, <-copyB
	if ca.err != nil || cb.err != nil ||
		!slices.Contains(ca.sub.Flags, store.FlagCopiedDaemonSet) && !slices.Contains(cb.sub.Flags, store.FlagCopiedDaemonSet) {
		t.Fatalf("copy inside a batch: %+v / %+v", ca, cb)
	}

	mu.Lock()
	got := slices.Clone(batches)
	mu.Unlock()
	if !slices.Equal(got, []int{1, queued}) {
		t.Fatalf("commits held %v rows, want [1 %d]: the queued submissions in one commit", got, queued)
	}
	all, err := s.Submissions(ctx, 0, false)
	// old-key, pre-y, first, 14 good, twice, copy-a, copy-b
	if want := 2 + 1 + 14 + 1 + 2; err != nil || len(all) != want {
		t.Fatalf("stored %d submissions, want %d (%v)", len(all), want, err)
	}
	for _, x := range all {
		if x.ID == preY.ID && len(x.Flags) != 0 {
			t.Fatalf("the failed row's copy flag on %q was not undone: %v", x.IdempotencyKey, x.Flags)
		}
		if x.DaemonSetUID == "uid-x" && !slices.Contains(x.Flags, store.FlagCopiedDaemonSet) {
			t.Fatalf("copy inside a batch: %q stored without the flag: %v", x.IdempotencyKey, x.Flags)
		}
		if x.StudentID == 999999 {
			t.Fatalf("the failed row is stored: %+v", x)
		}
	}
	evs, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	submitted := 0
	for _, e := range evs {
		switch {
		case e.Kind == store.EventSubmitted:
			submitted++
		case e.Kind == store.EventFlagged && e.SubmissionID == preY.ID:
			t.Fatalf("the failed row's flag event is stored: %+v", e)
		}
	}
	if submitted != len(all) {
		t.Fatalf("%d submitted events for %d submissions", submitted, len(all))
	}
	// Events follow the submissions' order (the board applies them so).
	last := int64(0)
	for _, e := range evs {
		if e.Kind == store.EventSubmitted {
			if e.SubmissionID <= last {
				t.Fatalf("submitted events out of submission order: %d after %d", e.SubmissionID, last)
			}
			last = e.SubmissionID
		}
	}
	if postgres && !failing {
		if n := store.SetCommits(s); n != 1 {
			t.Fatalf("%d batches written with the set statements, want 1 (the queued one)", n)
		}
	}
}
