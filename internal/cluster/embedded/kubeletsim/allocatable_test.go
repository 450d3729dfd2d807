package kubeletsim

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
)

const beardsecond = corev1.ResourceName("example.com/beardsecond")

// TestSyncAllocatable: like the kubelet's MachineInfo setter, every
// capacity entry becomes allocatable (an extended resource added to
// capacity alone included), and an extended resource gone from capacity
// leaves allocatable.
func TestSyncAllocatable(t *testing.T) {
	n := testNode()
	n.Status.Capacity = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4"), beardsecond: resource.MustParse("1000")}
	n.Status.Allocatable = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4"), "example.com/gone": resource.MustParse("5")}
	if allocatableInSync(n) {
		t.Fatal("a capacity-only extended resource counted as in sync")
	}
	syncAllocatable(n)
	if q := n.Status.Allocatable[beardsecond]; q.Cmp(resource.MustParse("1000")) != 0 {
		t.Errorf("allocatable %s = %s, want 1000", beardsecond, q.String())
	}
	if _, ok := n.Status.Allocatable["example.com/gone"]; ok {
		t.Error("an extended resource removed from capacity stayed allocatable")
	}
	if q := n.Status.Allocatable[corev1.ResourceCPU]; q.Cmp(resource.MustParse("4")) != 0 {
		t.Errorf("cpu allocatable %s", q.String())
	}
	if !allocatableInSync(n) {
		t.Error("not in sync after syncAllocatable")
	}
}

// TestHeartbeatReportsNewCapacity: a status heartbeat that is not due yet
// is still written when the node's allocatable lags its capacity (the
// kubelet writes a changed status at its next 10s sync), and carries the
// new allocatable; an unchanged node gets only its lease renewed.
func TestHeartbeatReportsNewCapacity(t *testing.T) {
	node := testNode()
	node.Status.Capacity = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}
	node.Status.Allocatable = node.Status.Capacity.DeepCopy()
	client := fake.NewClientset(node)
	s := New(client, Options{StatusInterval: time.Hour})
	defer s.queue.ShutDown()
	nodes := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
	_ = nodes.Add(node)
	s.nodes = corelisters.NewNodeLister(nodes)
	s.beats[node.Name] = time.Now() // the periodic status write is not due

	ctx := context.Background()
	statusWrites := func() int {
		n := 0
		for _, a := range client.Actions() {
			if a.GetVerb() == "update" && a.GetResource().Resource == "nodes" && a.GetSubresource() == "status" {
				n++
			}
		}
		return n
	}
	s.heartbeat(ctx, node.Name, false)
	if w := statusWrites(); w != 0 {
		t.Fatalf("unchanged node: %d status writes, want 0", w)
	}

	// Someone adds an extended resource to capacity only.
	changed := node.DeepCopy()
	changed.Status.Capacity[beardsecond] = resource.MustParse("1000")
	if _, err := client.CoreV1().Nodes().UpdateStatus(ctx, changed, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	_ = nodes.Update(changed)
	client.ClearActions()
	s.heartbeat(ctx, node.Name, false)
	if w := statusWrites(); w != 1 {
		t.Fatalf("capacity changed: %d status writes, want 1", w)
	}
	got, err := client.CoreV1().Nodes().Get(ctx, node.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if q := got.Status.Allocatable[beardsecond]; q.Cmp(resource.MustParse("1000")) != 0 {
		t.Errorf("allocatable %s = %s after the heartbeat, want 1000", beardsecond, q.String())
	}
}
