package lab

import (
	"context"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationWatcherFollowsCurrent: exercises started elsewhere (here
// a Starter, as `dslab exercise start` in another terminal; nobody calls
// Refresh) change the record dslab-current, and the watcher's updates
// follow it: Active names the exercise started last, Started turns true
// for the watched one (trial, issue 14: "지금 클러스터는 연습 gpu-only 에
// 맞게 준비되어 있습니다" stayed after `dslab exercise start taints` until
// the TUI restarted).
func TestIntegrationWatcherFollowsCurrent(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newClusterWatcher(t, c)
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	taints := exercise(t, "taints")
	w.SetExercise(&taints)
	u := waitUpdate(t, w, 30*time.Second, "the first grade", func(u Update) bool {
		return u.State == StateConnected && u.Exercise == "taints" && u.Graded()
	})
	if u.Started || u.Active != "" {
		t.Fatalf("first grade: started=%v active=%q, want neither", u.Started, u.Active)
	}
	st := Starter{Paths: c.Paths, Catalog: catalog(t), Executable: c.Bin, Logger: testLogger(t)}
	gpu := exercise(t, "gpu-only")
	if _, err := st.Start(ctx, u.Conn, gpu, false, func(string) {}); err != nil {
		t.Fatal(err)
	}
	u = waitUpdate(t, w, 30*time.Second, "active gpu-only", func(u Update) bool { return u.Graded() && u.Active == "gpu-only" })
	if u.Started {
		t.Errorf("taints is started after gpu-only was")
	}
	if _, err := st.Start(ctx, u.Conn, taints, false, func(string) {}); err != nil {
		t.Fatal(err)
	}
	u = waitUpdate(t, w, 30*time.Second, "active taints", func(u Update) bool { return u.Graded() && u.Active == "taints" })
	if !u.Started {
		t.Errorf("taints started elsewhere: the update says it is not started")
	}
}
