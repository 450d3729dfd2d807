package lab

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// testLogger sends the watcher's logs to the test log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func newClusterWatcher(tb testing.TB, c *testcluster.Cluster) *Watcher {
	return NewWatcher(WatcherConfig{
		Connect: func(ctx context.Context) (*kube.Conn, error) {
			return kube.Connect(ctx, c.Paths.Kubeconfigs, kube.Target{})
		},
		Paths:  c.Paths,
		Logger: testLogger(tb),
	})
}

// waitUpdate reads updates until cond holds.
func waitUpdate(tb testing.TB, w *Watcher, timeout time.Duration, what string, cond func(Update) bool) Update {
	tb.Helper()
	deadline := time.After(timeout)
	var last Update
	for {
		select {
		case u, ok := <-w.Updates():
			if !ok {
				tb.Fatalf("watcher stopped while waiting for %s", what)
			}
			last = u
			if cond(u) {
				return u
			}
		case <-deadline:
			tb.Fatalf("timed out waiting for %s; last update: state=%s problem=%q exercise=%s started=%v graded=%v map=%s",
				what, last.State, last.Problem, last.Exercise, last.Started, last.Graded(), last.Map)
			return last
		}
	}
}

func passed(u Update) bool { return u.State == StateConnected && u.Graded() && u.Result.Passed }

// TestIntegrationWatcher: on a real embedded cluster the watcher grades
// gpu-only live — before the start, after the start, after the reference
// solution is applied the way the TUI's editor applies it — and survives
// the cluster stopping and coming back.
func TestIntegrationWatcher(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newClusterWatcher(t, c)
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	ex := exercise(t, "gpu-only")
	w.SetExercise(&ex)
	u := waitUpdate(t, w, 30*time.Second, "the first grade", func(u Update) bool {
		return u.State == StateConnected && u.Exercise == "gpu-only" && u.Graded()
	})
	if u.Started || u.Result.Passed || len(u.Nodes) != 4 || u.ReadyNodes() != 4 || u.Context != "dslab" {
		t.Fatalf("first grade: started=%v passed=%v nodes=%d/%d context=%s", u.Started, u.Result.Passed, u.ReadyNodes(), len(u.Nodes), u.Context)
	}

	var lines []string
	st := Starter{Paths: c.Paths, Catalog: catalog(t), Executable: c.Bin, Logger: testLogger(t)}
	if _, err := st.Start(ctx, u.Conn, ex, false, func(s string) { lines = append(lines, s) }); err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Error("no progress lines from the exercise start")
	}
	w.Refresh()
	u = waitUpdate(t, w, 30*time.Second, "the started exercise", func(u Update) bool { return u.Graded() && u.Started })
	if u.Active != "gpu-only" || u.Result.Passed {
		t.Fatalf("after start: active=%q passed=%v", u.Active, u.Result.Passed)
	}

	// What the editor does on save: the learner's file, applied.
	path, _, err := EnsureWorkFile(c.Paths, ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	applied := time.Now()
	if _, err := ApplyFile(ctx, TargetOf(u.Conn), path); err != nil {
		t.Fatal(err)
	}
	u = waitUpdate(t, w, 60*time.Second, "a pass", passed)
	t.Logf("passed %.1fs after the apply (cause: %s)", time.Since(applied).Seconds(), u.Cause)
	if got := u.Map.PodNodes(); !slices.Equal(got, []string{"dslab-worker2", "dslab-worker3"}) {
		t.Fatalf("pods on %v, map %s", got, u.Map)
	}

	// The API server goes away…
	if _, stderr, err := c.Run(ctx, "cluster", "down", "--keep-data"); err != nil {
		t.Fatalf("cluster down: %v\n%s", err, stderr)
	}
	u = waitUpdate(t, w, 30*time.Second, "the disconnection", func(u Update) bool { return u.State == StateDisconnected })
	if u.Problem == "" || u.Exercise != "gpu-only" {
		t.Errorf("disconnected update: %+v", u)
	}
	// …and comes back.
	if _, stderr, err := c.Run(ctx, "cluster", "up", "--runtime", "embedded"); err != nil {
		t.Fatalf("cluster up: %v\n%s", err, stderr)
	}
	u = waitUpdate(t, w, 90*time.Second, "the reconnection", passed)
	if !u.Started || len(u.Nodes) != 4 {
		t.Errorf("after reconnect: started=%v nodes=%d", u.Started, len(u.Nodes))
	}

	// Switching the exercise regrades the other one.
	other := exercise(t, "ssd-affinity")
	w.SetExercise(&other)
	u = waitUpdate(t, w, 30*time.Second, "ssd-affinity", func(u Update) bool { return u.Graded() && u.Exercise == "ssd-affinity" })
	if u.Started || u.Result.Passed || u.Map.Target.Name != "ssd-cache" {
		t.Errorf("ssd-affinity: started=%v passed=%v target=%s", u.Started, u.Result.Passed, u.Map.Target)
	}
}
