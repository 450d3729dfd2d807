package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
)

func TestSQLiteBoardStore(t *testing.T) {
	testCommands(t, openSQLite(t))
	if err := openSQLite(t).(store.EventListener).ListenEvents(context.Background(), func() {}); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("SQLite ListenEvents: %v, want ErrUnsupported", err)
	}
}

// TestPostgresBoardStore runs the command tests on PostgreSQL and checks
// that a write through one store wakes a listener on another.
func TestPostgresBoardStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	pg := classtest.StartPostgres(t)
	open := func(dsn string) store.Store {
		s, err := store.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	testCommands(t, open(pg.NewDatabase(t)))

	dsn := pg.NewDatabase(t)
	a, b := open(dsn), open(dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	woke := make(chan struct{}, 100)
	go b.(store.EventListener).ListenEvents(ctx, func() { woke <- struct{}{} })
	<-woke // the listener is up (it wakes once after LISTEN)
	if _, err := a.AddCommand(ctx, store.Command{Kind: store.CommandBroadcast, Message: "깨우기"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-woke:
	case <-time.After(30 * time.Second): // only ends a hung test
		t.Fatal("a write through another store did not wake the listener")
	}
	if seq, err := b.LastEventSeq(ctx); err != nil || seq == 0 {
		t.Fatalf("LastEventSeq %d %v", seq, err)
	}
}

func testCommands(t *testing.T, s store.Store) {
	ctx := context.Background()
	if seq, err := s.LastEventSeq(ctx); err != nil || seq != 0 {
		t.Fatalf("empty log: %d %v", seq, err)
	}
	if _, frozen, err := s.Frozen(ctx); err != nil || frozen {
		t.Fatalf("a new class is frozen: %v %v", frozen, err)
	}
	a, b := mustStudent(t, s, "a"), mustStudent(t, s, "b")
	add := func(c store.Command) store.Command {
		t.Helper()
		got, err := s.AddCommand(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t0 := time.Unix(1_800_000_000, 0).UTC()
	c1 := add(store.Command{Time: t0, Kind: store.CommandBroadcast, Message: "안녕하세요"})
	add(store.Command{Time: t0.Add(time.Second), Kind: store.CommandResetExercise, StudentID: a.ID, Exercise: "taints"})
	add(store.Command{Time: t0.Add(2 * time.Second), Kind: store.CommandFreeze})
	if since, frozen, err := s.Frozen(ctx); err != nil || !frozen || !since.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("after freeze: %v %v %v", since, frozen, err)
	}
	add(store.Command{Time: t0.Add(3 * time.Second), Kind: store.CommandUnfreeze})
	if _, frozen, _ := s.Frozen(ctx); frozen {
		t.Fatal("still frozen after unfreeze")
	}
	all, err := s.Commands(ctx, 0, 0, 0)
	if err != nil || len(all) != 4 || all[0].Seq != c1.Seq || all[0].Message != "안녕하세요" || !all[0].Time.Equal(t0) {
		t.Fatalf("all commands: %+v %v", all, err)
	}
	forB, _ := s.Commands(ctx, b.ID, 0, 0)
	forA, _ := s.Commands(ctx, a.ID, c1.Seq, 0)
	if len(forB) != 3 || len(forA) != 3 || forA[0].Kind != store.CommandResetExercise || forA[0].Exercise != "taints" {
		t.Fatalf("for b %+v, for a after %d %+v", forB, c1.Seq, forA)
	}
	if lim, _ := s.Commands(ctx, 0, 0, 2); len(lim) != 2 {
		t.Fatalf("limit 2: %d", len(lim))
	}
	evs, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == store.EventCommand {
			n++
		}
	}
	last, _ := s.LastEventSeq(ctx)
	if n != 4 || last != evs[len(evs)-1].Seq {
		t.Fatalf("%d command events, last seq %d (log ends at %d)", n, last, evs[len(evs)-1].Seq)
	}
}
