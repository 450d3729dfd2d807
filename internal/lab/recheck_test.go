package lab

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

func TestRecheckDelay(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	if _, ok := RecheckDelay(nil, now); ok {
		t.Error("nil result: a re-grade")
	}
	if _, ok := RecheckDelay(&grader.Result{}, now); ok {
		t.Error("no RecheckAt: a re-grade")
	}
	if d, ok := RecheckDelay(&grader.Result{RecheckAt: now.Add(40 * time.Second)}, now); !ok || d < 40*time.Second || d > 41*time.Second {
		t.Errorf("RecheckAt in 40 s: %v %v", d, ok)
	}
	if d, ok := RecheckDelay(&grader.Result{RecheckAt: now.Add(-time.Second)}, now); !ok || d != 0 {
		t.Errorf("RecheckAt past: %v %v, want at once", d, ok)
	}
}

// TestIntegrationWatcherRecheck: a check that only time can pass (a pod
// that must run N seconds) turns green in the live grade without any
// change in the cluster, and Regrade grades again on demand.
func TestIntegrationWatcherRecheck(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newClusterWatcher(t, c)
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// gpu-only with one more check: the pod on worker2 must have run 8 s.
	ex := exercise(t, "gpu-only")
	ex.Spec.Checks = append(append([]grader.Check(nil), ex.Spec.Checks...), grader.Check{
		ID: "uninterrupted", Kind: grader.KindUninterrupted, Title: "8초 이상 실행", Node: "{cluster}-worker2", Seconds: 8, Points: 1})
	if err := ex.Spec.Validate(); err != nil {
		t.Fatal(err)
	}
	w.SetExercise(&ex)
	u := waitUpdate(t, w, 30*time.Second, "the first grade", func(u Update) bool { return u.Graded() })
	st := Starter{Paths: c.Paths, Catalog: catalog(t), Executable: c.Bin, Logger: testLogger(t)}
	if _, err := st.Start(ctx, u.Conn, ex, false, func(string) {}); err != nil {
		t.Fatal(err)
	}
	w.Refresh()
	u = waitUpdate(t, w, 30*time.Second, "the started exercise", func(u Update) bool { return u.Graded() && u.Started })

	path, _, err := EnsureWorkFile(c.Paths, ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyFile(ctx, TargetOf(u.Conn), path); err != nil {
		t.Fatal(err)
	}
	check := func(u Update) grader.CheckResult {
		cr, _ := u.Result.Check("uninterrupted")
		return cr
	}
	u = waitUpdate(t, w, 60*time.Second, "a Ready pod on worker2", func(u Update) bool {
		return u.Graded() && len(check(u).Nodes) == 1 && check(u).Nodes[0].Actual == grader.StateRunning
	})
	if check(u).Passed {
		t.Skip("the pod was already 8 s old at its first Ready grade; nothing left to re-grade")
	}
	if u.Result.RecheckAt.IsZero() {
		t.Fatalf("a young pod fails %q but the grade sets no RecheckAt: %s", check(u).Message, check(u).Nodes[0].Reason)
	}
	// Nothing changes in the cluster now; only the recheck can pass it.
	u = waitUpdate(t, w, 30*time.Second, "the check passing by time alone", func(u Update) bool { return u.Graded() && check(u).Passed })
	if u.Cause != CauseRecheck {
		t.Errorf("passed on cause %q, want %q", u.Cause, CauseRecheck)
	}
	if !u.Result.Passed || !u.Result.RecheckAt.IsZero() {
		t.Errorf("after the recheck: passed %v RecheckAt %v", u.Result.Passed, u.Result.RecheckAt)
	}

	w.Regrade()
	u = waitUpdate(t, w, 30*time.Second, "a regrade on demand", func(u Update) bool { return u.Graded() && u.Cause == CauseRegrade })
	if !u.Result.Passed {
		t.Errorf("regrade: passed %v", u.Result.Passed)
	}
}
