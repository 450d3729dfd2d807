package lab

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationShellAttempts: on a real embedded cluster, `kubectl apply`
// typed in the lab shell (dslab kubectl, kubectl's own apply) creating and
// then changing the exercise's DaemonSet counts one attempt each (counted
// by dslab kubectl itself, never twice by the watcher); the lab's own apply (ApplyFile, counted by the TUI itself) and an apply that
// changes nothing do not.
func TestIntegrationShellAttempts(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The progress file dslab kubectl writes too (as the TUI and the lab
	// shell share one on a trainee's machine): dslab kubectl counts its own
	// applies there (field manager dslab-lab, which the watcher leaves to it).
	store := progress.New(c.Paths.ProgressFile())
	w := NewWatcher(WatcherConfig{
		Connect: func(ctx context.Context) (*kube.Conn, error) {
			return kube.Connect(ctx, c.Paths.Kubeconfigs, kube.Target{})
		},
		Paths: c.Paths, Logger: testLogger(t), Progress: store,
	})
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	ex := exercise(t, "gpu-only")
	w.SetExercise(&ex)
	u := waitUpdate(t, w, 30*time.Second, "the first grade", func(u Update) bool {
		return u.State == StateConnected && u.Exercise == "gpu-only" && u.Graded()
	})
	st := Starter{Paths: c.Paths, Catalog: catalog(t), Executable: c.Bin, Logger: testLogger(t)}
	if _, err := st.Start(ctx, u.Conn, ex, false, nil); err != nil {
		t.Fatal(err)
	}
	w.Refresh()
	u = waitUpdate(t, w, 30*time.Second, "the started exercise", func(u Update) bool { return u.Graded() && u.Started })
	attempts := func() int { return store.Exercise(ex.ID).Attempts }
	if n := attempts(); n != 0 {
		t.Fatalf("attempts after the start: %d", n)
	}

	dir := t.TempDir()
	shellApply := func(manifest []byte) {
		t.Helper()
		f := filepath.Join(dir, "shell.yaml")
		if err := os.WriteFile(f, manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", f); err != nil {
			t.Fatalf("kubectl apply: %v\n%s\n%s", err, out, stderr)
		}
	}
	waitAttempts := func(want int, what string) Update {
		t.Helper()
		u := waitUpdate(t, w, 30*time.Second, what, func(Update) bool { return attempts() >= want })
		if n := attempts(); n != want {
			t.Fatalf("%s: attempts %d, want %d", what, n, want)
		}
		return u
	}

	// The shell creates the DaemonSet: one attempt.
	shellApply(ex.Solution)
	created := waitAttempts(1, "the shell's create")

	// The same file again changes nothing: no attempt (the pods come up
	// meanwhile, regrading several times). On a loaded machine the
	// debounced grade that counted the create may already see every pod
	// Ready (CI, 2026-11-30): then no later update comes to wait for.
	shellApply(ex.Solution)
	if !passed(created) {
		waitUpdate(t, w, 60*time.Second, "a pass", passed)
	}
	if n := attempts(); n != 1 {
		t.Fatalf("an unchanged apply counted: attempts %d", n)
	}

	// The lab's own apply changes the spec: the TUI counts it, not the watcher.
	path, _, err := EnsureWorkFile(c.Paths, ex)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(ex.Solution), "spec:\n", "spec:\n  minReadySeconds: 1\n", 1)
	if changed == string(ex.Solution) {
		t.Fatal("could not change the solution")
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyFile(ctx, TargetOf(u.Conn), path); err != nil {
		t.Fatal(err)
	}
	u = waitUpdate(t, w, 30*time.Second, "the lab's change", func(u Update) bool {
		return u.Graded() && u.Snapshot != nil && len(u.Snapshot.DaemonSets) > 0 && u.Snapshot.DaemonSets[0].Generation >= 2
	})
	if n := attempts(); n != 1 {
		t.Fatalf("the lab's own apply was counted by the watcher: attempts %d", n)
	}

	// The shell changes the spec back: a second attempt.
	shellApply(ex.Solution)
	waitAttempts(2, "the shell's change")
}
