package kubeletsim

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"
)

// deletingPod is testPod deleted at del with grace seconds and the given
// preStop sleep hooks, one container each (0: no hook).
func deletingPod(del time.Time, grace int64, sleeps ...int64) *corev1.Pod {
	p := testPod("registry.k8s.io/pause:3.10")
	p.Spec.Containers = nil
	for i, s := range sleeps {
		c := corev1.Container{Name: "c" + string(rune('a'+i)), Image: "registry.k8s.io/pause:3.10"}
		if s > 0 {
			c.Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: s}}}
		}
		p.Spec.Containers = append(p.Spec.Containers, c)
	}
	p.DeletionGracePeriodSeconds = ptr.To(grace)
	p.DeletionTimestamp = ptr.To(metav1.NewTime(del.Add(time.Duration(grace) * time.Second)))
	return p
}

// TestPreStopRemaining: a deleted pod's containers run until their longest
// preStop sleep hook ends, never past the grace period; without a hook
// they stop at once. This is what upstream's async-preemption e2e spec
// relies on (victims stay Terminating for 79s of an 80s grace period).
func TestPreStopRemaining(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	for _, tc := range []struct {
		name  string
		pod   *corev1.Pod
		start time.Time // when the kubelet began stopping the pod
		now   time.Time
		want  time.Duration
	}{
		{"no hook", deletingPod(t0, 30, 0), t0, t0, 0},
		{"hook runs", deletingPod(t0, 80, 79), t0, t0, 79 * time.Second},
		{"hook half way", deletingPod(t0, 80, 79), t0, t0.Add(40 * time.Second), 39 * time.Second},
		{"hook over", deletingPod(t0, 80, 79), t0, t0.Add(79 * time.Second), 0},
		{"longest of two containers", deletingPod(t0, 80, 10, 50), t0, t0, 50 * time.Second},
		{"grace period cuts the hook", deletingPod(t0, 30, 79), t0, t0, 30 * time.Second},
		// A second delete with grace 0 moves the deadline to now.
		{"shortened to zero", deletingPod(t0.Add(20*time.Second), 0, 79), t0, t0.Add(20 * time.Second), 0},
		{"not deleted", testPod("registry.k8s.io/pause:3.10"), t0, t0, 0},
	} {
		if got := preStopRemaining(tc.pod, tc.start, tc.now); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSyncDeletingPodWaitsForPreStop: the simulator keeps a deleted pod
// whose preStop sleep hook still runs (no delete call, the pod stays
// Terminating) and completes the deletion of one without a hook.
func TestSyncDeletingPodWaitsForPreStop(t *testing.T) {
	now := time.Now()
	hooked := deletingPod(now, 80, 79)
	plain := deletingPod(now, 30, 0)
	plain.Name, plain.UID = "plain", "uid-2"
	node := testNode()
	client := fake.NewClientset(node, hooked, plain)
	s := New(client, Options{})
	nodes := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
	pods := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
	_ = nodes.Add(node)
	_ = pods.Add(hooked)
	_ = pods.Add(plain)
	s.nodes, s.pods = corelisters.NewNodeLister(nodes), corelisters.NewPodLister(pods)
	defer s.queue.ShutDown()

	ctx := context.Background()
	if err := s.syncPod(ctx, "default/p"); err != nil {
		t.Fatal(err)
	}
	if err := s.syncPod(ctx, "default/plain"); err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, a := range client.Actions() {
		if d, ok := a.(interface{ GetName() string }); ok && a.GetVerb() == "delete" {
			deleted = append(deleted, d.GetName())
		}
	}
	if len(deleted) != 1 || deleted[0] != "plain" {
		t.Errorf("deleted %v, want only the pod without a preStop hook", deleted)
	}
	if _, ok := s.terminating["default/p"]; !ok {
		t.Error("the hooked pod's termination start was not recorded")
	}
	// Once the pod is gone its record goes too.
	_ = pods.Delete(hooked)
	if err := s.syncPod(ctx, "default/p"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.terminating["default/p"]; ok {
		t.Error("the record of a pod that is gone was kept")
	}
}
