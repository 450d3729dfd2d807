package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/paths"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveUntilReady runs `dslab class serve` in-process until its banner is
// out, then stops it (as Ctrl-C does: the context ends) and returns what
// it printed.
func serveUntilReady(t *testing.T, p paths.Paths, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: unwrapped}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, env, append([]string{"class", "serve", "--listen", "127.0.0.1:0"}, args...)) }()
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C") {
		select {
		case code := <-done:
			t.Fatalf("serve ended early (%d): %s %s", code, out.String(), errb.String())
		case <-deadline:
			t.Fatalf("no banner: %s %s", out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
	return out.String()
}

// TestClassServeResumes: a restart says it resumes the class with its
// counts, remembers --stuck, says it stopped, and prints the data path
// whole on its own line.
func TestClassServeResumes(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	p := paths.Under(filepath.Join(dir, "home"))
	first := serveUntilReady(t, p, "--data", data, "--stuck", "5m")
	if !strings.Contains(first, "수업을 열었습니다") || strings.Contains(first, "이어서") || !strings.Contains(first, "막힘 기준 5분") ||
		!strings.Contains(first, "수업 서버를 멈췄습니다") || !strings.Contains(first, "  저장: SQLite "+filepath.Join(data, store.SQLiteFile)+"\n") {
		t.Fatalf("first serve:\n%s", first)
	}
	second := serveUntilReady(t, p, "--data", data)
	if !strings.Contains(second, "수업을 이어서 엽니다") || !strings.Contains(second, "학생 0명 · 제출 0건") || !strings.Contains(second, "막힘 기준 5분") {
		t.Fatalf("restart without --stuck:\n%s", second)
	}
}

// TestClassServeStuckMovesIntoStore: a data dir from an older dslab whose
// --stuck is in the stuck-after file: serve takes it into the store once,
// deletes the file, and keeps it on the next restart; a later --stuck
// replaces it.
func TestClassServeStuckMovesIntoStore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	p := paths.Under(filepath.Join(dir, "home"))
	if out := serveUntilReady(t, p, "--data", data); !strings.Contains(out, "막힘 기준 10분") {
		t.Fatalf("first serve:\n%s", out)
	}
	legacy := filepath.Join(data, StuckFile)
	if err := os.WriteFile(legacy, []byte("7m0s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := serveUntilReady(t, p, "--data", data); !strings.Contains(out, "막힘 기준 7분") {
		t.Fatalf("serve with the old stuck-after file:\n%s", out)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatalf("the old %s file is still there: %v", StuckFile, err)
	}
	if out := serveUntilReady(t, p, "--data", data); !strings.Contains(out, "막힘 기준 7분") {
		t.Fatalf("restart after the move:\n%s", out)
	}
	// A changed --stuck is announced like --title/--exercises and is on
	// the timeline (issue 12); the same value again says nothing.
	if out := serveUntilReady(t, p, "--data", data, "--stuck", "3m"); !strings.Contains(out, "막힘 기준 3분") || !strings.Contains(out, "막힘 기준을 바꿉니다: 7분 → 3분") {
		t.Fatalf("serve --stuck 3m:\n%s", out)
	}
	if out := serveUntilReady(t, p, "--data", data, "--stuck", "3m"); strings.Contains(out, "바꿉니다") {
		t.Fatalf("serve --stuck 3m again announced a change:\n%s", out)
	}
	st, err := store.OpenSQLite(context.Background(), filepath.Join(data, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Setting(context.Background(), store.SettingStuckAfter); err != nil || v != "3m0s" {
		t.Fatalf("stored %s: %q %v", store.SettingStuckAfter, v, err)
	}
	evs, err := st.Events(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range evs {
		if e.Kind == store.EventClassChanged {
			lines = append(lines, eventLine(api.StreamEvent{Kind: e.Kind, Time: e.Time, Data: e.Data}, false))
		}
	}
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "막힘 기준을 정했습니다: 7분") || !strings.HasSuffix(lines[1], "막힘 기준을 바꿨습니다: 7분 → 3분") {
		t.Fatalf("class-changed events on the timeline: %q", lines)
	}
}

// TestClassServeStuckSharedOnPostgres: two servers of one PostgreSQL class
// with data dirs of their own (deploy/class-server.yaml's replicas): the
// --stuck one gave is the other's too.
func TestClassServeStuckSharedOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	pg := classtest.StartPostgres(t)
	db := pg.NewDatabase(t)
	dir := t.TempDir()
	p := paths.Under(filepath.Join(dir, "home"))
	if out := serveUntilReady(t, p, "--db", db, "--data", filepath.Join(dir, "a"), "--stuck", "5m"); !strings.Contains(out, "막힘 기준 5분") {
		t.Fatalf("first replica:\n%s", out)
	}
	if out := serveUntilReady(t, p, "--db", db, "--data", filepath.Join(dir, "b")); !strings.Contains(out, "막힘 기준 5분") {
		t.Fatalf("second replica, its own data dir, no --stuck:\n%s", out)
	}
}
