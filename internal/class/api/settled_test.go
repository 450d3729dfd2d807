package api

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/dslab-kr/dslab/grader"
)

// TestSettled: each kind of a cluster still changing (a spec the
// controller has not seen, a pod being deleted, a node without its pod
// yet, a rolling update half done, a pod starting, the DaemonSet being
// deleted by a reset) is unsettled; a finished rollout, pods stuck for
// good, an OnDelete DaemonSet with old pods and an absent target are
// settled.
func TestSettled(t *testing.T) {
	target := grader.ObjectRef{Namespace: "lab", Name: "agent"}
	base := func() grader.Snapshot {
		return grader.Snapshot{
			DaemonSets: []grader.DaemonSet{{Namespace: "lab", Name: "agent", UID: "u1", Generation: 2,
				UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType},
				Status: grader.DaemonSetStatus{ObservedGeneration: 2, DesiredNumberScheduled: 2, CurrentNumberScheduled: 2,
					UpdatedNumberScheduled: 2, NumberReady: 2, NumberAvailable: 2}}},
			Pods: []grader.Pod{
				{Namespace: "lab", Name: "agent-a", OwnerUID: "u1", Node: "w1", Ready: true, Phase: "Running"},
				{Namespace: "lab", Name: "agent-b", OwnerUID: "u1", Node: "w2", Ready: true, Phase: "Running"},
			},
		}
	}
	now := time.Now()
	cases := []struct {
		name string
		edit func(*grader.Snapshot)
		want bool
	}{
		{"rollout complete", func(*grader.Snapshot) {}, true},
		{"absent target", func(s *grader.Snapshot) { s.DaemonSets, s.Pods = nil, nil }, true},
		{"another DaemonSet changing", func(s *grader.Snapshot) { s.DaemonSets[0].Name = "other" }, true},
		{"spec not yet seen", func(s *grader.Snapshot) { s.DaemonSets[0].Generation = 3 }, false},
		{"being deleted (reset)", func(s *grader.Snapshot) { s.DaemonSets[0].Deleting = true }, false},
		{"pod terminating", func(s *grader.Snapshot) { s.Pods[1].Deleting = &now }, false},
		{"node without its pod yet", func(s *grader.Snapshot) { s.DaemonSets[0].Status.CurrentNumberScheduled = 1 }, false},
		{"rolling update half done", func(s *grader.Snapshot) { s.DaemonSets[0].Status.UpdatedNumberScheduled = 1 }, false},
		{"OnDelete keeps old pods", func(s *grader.Snapshot) {
			s.DaemonSets[0].UpdateStrategy.Type = appsv1.OnDeleteDaemonSetStrategyType
			s.DaemonSets[0].Status.UpdatedNumberScheduled = 0
		}, true},
		{"pod starting", func(s *grader.Snapshot) {
			s.Pods[0].Ready, s.Pods[0].Phase = false, "Pending"
			s.Pods[0].Containers = []grader.ContainerStatus{{Name: "c", State: "waiting", Reason: "ContainerCreating"}}
		}, false},
		{"image cannot be pulled", func(s *grader.Snapshot) {
			s.Pods[0].Ready, s.Pods[0].Phase = false, "Pending"
			s.Pods[0].Containers = []grader.ContainerStatus{{Name: "c", State: "waiting", Reason: "ImagePullBackOff"}}
		}, true},
		{"crash loop", func(s *grader.Snapshot) {
			s.Pods[1].Ready = false
			s.Pods[1].Containers = []grader.ContainerStatus{{Name: "c", State: "waiting", Reason: "CrashLoopBackOff"}}
		}, true},
		{"cannot be scheduled", func(s *grader.Snapshot) {
			s.Pods[1].Ready, s.Pods[1].Phase, s.Pods[1].Unschedulable = false, "Pending", "0/4 nodes are available"
		}, true},
	}
	for _, c := range cases {
		s := base()
		c.edit(&s)
		if got := Settled(s, target); got != c.want {
			t.Errorf("%s: settled %v, want %v", c.name, got, c.want)
		}
	}
}
