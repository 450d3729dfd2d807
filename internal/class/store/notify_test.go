package store_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestPostgresNotifyOncePerBatch checks that a batch of submissions is
// announced with ONE NOTIFY carrying the batch's highest seq (its flagged
// copies' events included), while every event is still in the log: a
// first submission is held inside its commit while 12 more queue, and a
// student joining afterwards (one event, one NOTIFY) marks the end of what
// the listener has to read, so no waiting on a clock decides the count.
func TestPostgresNotifyOncePerBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	// A bound on a hang only, never on the speed of anything.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := classtest.StartPostgres(t)
	dsn := pg.NewDatabase(t)
	s, err := store.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b := mustStudent(t, s, "na"), mustStudent(t, s, "nb")

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{store.NotifyChannel}.Sanitize()); err != nil {
		t.Fatal(err)
	}

	entered, release := make(chan struct{}), make(chan struct{})
	calls := 0
	store.SetBeforeCommit(s, func(int) {
		calls++ // the writer goroutine only
		if calls == 1 {
			close(entered)
			<-release
		}
	})
	errs := make(chan error, 13)
	submit := func(sb store.Submission) {
		go func() {
			_, _, err := s.AddSubmission(ctx, sb)
			errs <- err
		}()
	}
	submit(sub(a.ID, "first", "ds-basics", ""))
	<-entered
	for i := range 10 {
		submit(sub(a.ID, fmt.Sprintf("k%02d", i), "taints", ""))
	}
	// Copied between the two students: a flagged event for the earlier row.
	submit(sub(a.ID, "copy-a", "ds-basics", "uid-n"))
	submit(sub(b.ID, "copy-b", "ds-basics", "uid-n"))
	for store.QueuedSubmissions(s) < 12 {
		time.Sleep(time.Millisecond) // waiting for the goroutines to queue, not a timed assertion
	}
	close(release)
	for range 13 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	mustStudent(t, s, "sentinel")
	evs, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	sentinel := evs[len(evs)-1].Seq
	var batchLast int64 // the highest seq before the sentinel's
	for _, e := range evs[:len(evs)-1] {
		batchLast = max(batchLast, e.Seq)
	}

	var payloads []int64
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatalf("notifications so far %v: %v", payloads, err)
		}
		seq, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			t.Fatalf("payload %q: %v", n.Payload, err)
		}
		if seq == sentinel {
			break
		}
		payloads = append(payloads, seq)
	}
	// The first submission's commit, then the batch of 12 (13 events:
	// 12 submitted, 1 flagged) announced once with its highest seq.
	if len(payloads) != 2 || payloads[1] != batchLast {
		t.Fatalf("NOTIFY payloads %v before the sentinel's %d, want two, the second %d (the batch's highest seq)", payloads, sentinel, batchLast)
	}
}
