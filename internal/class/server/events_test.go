package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// boardFixture serves the class in st (set up with the token file in dir)
// with board settings bc; opts adjust the server's Config before New.
func boardFixture(t testing.TB, st store.Store, dir string, bc server.BoardConfig, opts ...func(*server.Config)) *boardFix {
	t.Helper()
	return serveFixture(t, st, dir, "보드 수업", append([]func(*server.Config){func(c *server.Config) { c.BoardConfig = bc }}, opts...)...)
}

// serveFixture sets up the class titled title in st (the instructor token
// file in dir) and serves it in-process with the grader's catalog; opts
// adjust the Config before New. The server stops with the test.
func serveFixture(t testing.TB, st store.Store, dir, title string, opts ...func(*server.Config)) *boardFix {
	t.Helper()
	c := classtest.Serve(t, st, dir, title, opts...)
	return &boardFix{fixture: &fixture{t: t, st: st, srv: c.HTTP, code: c.JoinCode, instructor: c.InstructorToken}, s: c.Server}
}

type boardFix struct {
	*fixture
	s *server.Server
}

// restart-style stop: end the streams (they never go idle), then the server.
func (f *boardFix) stop() {
	f.s.Close()
	f.srv.Close()
}

func openSQLite(t testing.TB, dir string) store.Store {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

type sseEvent struct {
	id, event, data string
}

// stream opens the event stream with lastID as Last-Event-ID ("" none) and
// returns its events and comments; the stream ends with the test.
func (f *fixture) stream(lastID string) (<-chan sseEvent, <-chan string) {
	f.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+api.PathEvents, nil)
	req.Header.Set("Authorization", "Bearer "+f.instructor)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		f.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events, comments := make(chan sseEvent, 1000), make(chan string, 1000)
	go func() {
		defer resp.Body.Close()
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.data != "" {
					events <- e
				}
				e = sseEvent{}
			case strings.HasPrefix(line, ":"):
				select {
				case comments <- line:
				default:
				}
			case strings.HasPrefix(line, "id: "):
				e.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				e.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				e.data = line[6:]
			}
		}
	}()
	return events, comments
}

// waitFor reads events until one of kind for rosterID arrives and returns
// it with everything read before it. The deadline only ends a hung test.
func waitFor(t testing.TB, events <-chan sseEvent, kind, rosterID string) (api.StreamEvent, []api.StreamEvent) {
	t.Helper()
	var seen []api.StreamEvent
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("stream ended before a %s event of %s (saw %+v)", kind, rosterID, seen)
			}
			var se api.StreamEvent
			if err := json.Unmarshal([]byte(e.data), &se); err != nil {
				t.Fatalf("event data %q: %v", e.data, err)
			}
			if strconv.FormatInt(se.Seq, 10) != e.id || se.Kind != e.event {
				t.Fatalf("SSE id/event %q/%q do not match data %+v", e.id, e.event, se)
			}
			if se.Kind == kind && se.RosterID == rosterID {
				return se, seen
			}
			seen = append(seen, se)
		case <-timeout:
			t.Fatalf("no %s event of %s on the stream (saw %+v)", kind, rosterID, seen)
		}
	}
}

func TestEventStreamReplaysFromLastEventID(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a := f.join("s1", "machine-s1")
	events, _ := f.stream("")
	joined, before := waitFor(t, events, store.EventJoined, "s1")
	if len(before) == 0 || before[0].Kind != "class-created" || before[0].Seq != 1 {
		t.Fatalf("a stream without Last-Event-ID starts at the beginning of the log: %+v", before)
	}
	f.submit(a.Token, "key-stream-00000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	sub, _ := waitFor(t, events, store.EventSubmitted, "s1")
	var data struct {
		Exercise, Status string
	}
	json.Unmarshal(sub.Data, &data)
	if data.Exercise != "ds-basics" || data.Status != api.StatusPassed || sub.SubmissionID == 0 || sub.Name != "학생 s1" {
		t.Fatalf("submitted event %+v %s", sub, sub.Data)
	}

	// The page reloads: it resumes after the last id it saw and gets only
	// what came later.
	f.submit(a.Token, "key-stream-00000002", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	resumed, _ := f.stream(strconv.FormatInt(joined.Seq, 10))
	first, skipped := waitFor(t, resumed, store.EventSubmitted, "s1")
	if len(skipped) != 0 || first.Seq != sub.Seq {
		t.Fatalf("resumed after %d: first submitted event %d, skipped %+v (want %d first)", joined.Seq, first.Seq, skipped, sub.Seq)
	}
	second, _ := waitFor(t, resumed, store.EventSubmitted, "s1")
	if second.Seq <= first.Seq {
		t.Fatalf("events out of order: %d after %d", second.Seq, first.Seq)
	}

	// The server restarts (same database): a board reconnecting with its
	// Last-Event-ID gets what was written while it was away.
	f.stop()
	st.Close()
	st2 := openSQLite(t, dir)
	t.Cleanup(func() { st2.Close() })
	f2 := boardFixture(t, st2, dir, server.BoardConfig{})
	// A new capture of the first state (the same capture again would be
	// the stored one: TestSameCaptureStoredOnce).
	f2.submit(a.Token, "key-stream-00000003", "ds-basics", withCapturedAt(t, snapshot(t, "ds-basics", "solution"), time.Now()))
	again, _ := f2.stream(strconv.FormatInt(second.Seq, 10))
	third, skipped := waitFor(t, again, store.EventSubmitted, "s1")
	if len(skipped) != 0 || third.Seq != second.Seq+1 {
		t.Fatalf("after a restart: got %d (skipped %+v), want %d", third.Seq, skipped, second.Seq+1)
	}
}

func TestEventStreamHeartbeatAndAuth(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{Heartbeat: 20 * time.Millisecond})
	a := f.join("s1", "machine-s1")
	for _, tok := range []string{"", "dsi_wrong"} {
		if code, _ := f.do("GET", api.PathEvents, tok, nil); code != http.StatusUnauthorized {
			t.Fatalf("events with token %q: %d, want 401", tok, code)
		}
	}
	if code, _ := f.do("GET", api.PathEvents, a.Token, nil); code != http.StatusForbidden {
		t.Fatalf("events with a student token: %d, want 403", code)
	}
	events, comments := f.stream("")
	waitFor(t, events, store.EventJoined, "s1")
	select {
	case c := <-comments:
		if c != ": ping" {
			t.Fatalf("heartbeat %q", c)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no heartbeat on an idle stream")
	}
}

// TestIntegrationEventStreamAcrossReplicas: two servers share one
// PostgreSQL class; a submission to replica A appears on replica B's
// stream. B's fallback poll is an hour, so only the LISTEN/NOTIFY wake-up
// can bring it; the event itself is read from the events table.
func TestIntegrationEventStreamAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	pg := classtest.StartPostgres(t)
	dsn := pg.NewDatabase(t)
	dir := t.TempDir()
	open := func() store.Store {
		st, err := store.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	bc := server.BoardConfig{EventPoll: time.Hour}
	a := boardFixture(t, open(), dir, bc)
	b := boardFixture(t, open(), dir, bc)
	if a.instructor == "" || a.instructor != b.instructor {
		t.Fatal("replicas do not share the instructor token")
	}
	events, _ := b.stream("")
	waitFor(t, events, "class-created", "")
	stu := a.join("pg1", "machine-pg1")
	waitFor(t, events, store.EventJoined, "pg1")
	a.submit(stu.Token, "key-replica-0000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	got, _ := waitFor(t, events, store.EventSubmitted, "pg1")
	if got.SubmissionID == 0 {
		t.Fatalf("submitted event from replica A on B: %+v", got)
	}
}
