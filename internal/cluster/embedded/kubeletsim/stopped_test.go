package kubeletsim

import (
	"context"
	"testing"

	"k8s.io/client-go/kubernetes/fake"
)

// TestStoppedNodeSendsNothing: a stopped node's kubelet renews no lease and
// posts no status; leaving the stopped set queues the node for an immediate
// heartbeat.
func TestStoppedNodeSendsNothing(t *testing.T) {
	client := fake.NewClientset(testNode())
	s := New(client, Options{Stopped: []string{"dslab-worker"}})
	s.heartbeat(context.Background(), "dslab-worker", true)
	if acts := client.Actions(); len(acts) != 0 {
		t.Fatalf("a stopped node made API calls: %v", acts)
	}
	if !s.isStopped("dslab-worker") {
		t.Fatal("Options.Stopped not applied")
	}
	s.SetStopped([]string{"dslab-worker2"})
	if s.isStopped("dslab-worker") || !s.isStopped("dslab-worker2") {
		t.Errorf("SetStopped: worker stopped=%v, worker2 stopped=%v", s.isStopped("dslab-worker"), s.isStopped("dslab-worker2"))
	}
	select {
	case n := <-s.resumed:
		if n != "dslab-worker" {
			t.Errorf("resumed %q, want dslab-worker", n)
		}
	default:
		t.Error("the resumed node was not queued for a heartbeat")
	}
	// Setting the same set again resumes nothing.
	s.SetStopped([]string{"dslab-worker2"})
	select {
	case n := <-s.resumed:
		t.Errorf("unchanged set resumed %q", n)
	default:
	}
}
