package lab

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationLeftoverWatcher: on a real embedded cluster, a copy of
// gpu-only's DaemonSet created in the default namespace (as an apply
// without metadata.namespace does) reaches the TUI through the watcher's
// Update.Leftovers and FindLeftovers (what `dslab grade` calls), and is
// gone from both once RemoveLeftover deleted it.
func TestIntegrationLeftoverWatcher(t *testing.T) {
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
	if len(u.Leftovers) != 0 {
		t.Fatalf("leftovers before any copy: %+v", u.Leftovers)
	}

	dss, err := exercises.DaemonSets(ex.Solution)
	if err != nil || len(dss) == 0 {
		t.Fatalf("solution: %v", err)
	}
	cp := dss[0].DeepCopy()
	cp.Namespace = "default"
	if _, err := u.Conn.Client.AppsV1().DaemonSets("default").Create(ctx, cp, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ref := "default/" + ex.Spec.Target.Name
	u = waitUpdate(t, w, 30*time.Second, "the leftover", func(u Update) bool { return u.Graded() && len(u.Leftovers) > 0 })
	if len(u.Leftovers) != 1 || u.Leftovers[0].Ref() != ref || u.Leftovers[0].Why != "이름이 같음" {
		t.Fatalf("watcher leftovers: %+v, want %s", u.Leftovers, ref)
	}
	found, err := FindLeftovers(ctx, u.Conn.Client, ex)
	if err != nil || len(found) != 1 || found[0].Ref() != ref {
		t.Fatalf("FindLeftovers: %+v, %v", found, err)
	}

	if err := RemoveLeftover(ctx, u.Conn.Client, u.Leftovers[0]); err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, w, 30*time.Second, "the leftover gone", func(u Update) bool { return u.Graded() && len(u.Leftovers) == 0 })
	if found, err := FindLeftovers(ctx, u.Conn.Client, ex); err != nil || len(found) != 0 {
		t.Fatalf("FindLeftovers after removal: %+v, %v", found, err)
	}
	// Removing it again is no error (already gone).
	if err := RemoveLeftover(ctx, u.Conn.Client, Leftover{Namespace: "default", Name: ex.Spec.Target.Name}); err != nil {
		t.Errorf("removing a leftover already gone: %v", err)
	}
}
