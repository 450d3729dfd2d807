package kubeletsim

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// termination is when the simulated kubelet began stopping a deleted pod.
type termination struct {
	uid     types.UID
	started time.Time
}

// terminationStart returns when the kubelet began stopping the pod with
// key and uid, recording now the first time it is asked (a new pod under
// the same key starts afresh).
func (s *Simulator) terminationStart(key string, uid types.UID) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.terminating[key]
	if !ok || t.uid != uid {
		t = termination{uid: uid, started: time.Now()}
		s.terminating[key] = t
	}
	return t.started
}

// forgetTermination drops the record of a pod that is gone.
func (s *Simulator) forgetTermination(key string) {
	s.mu.Lock()
	delete(s.terminating, key)
	s.mu.Unlock()
}

// preStopRemaining returns how long a deleted pod's containers still run
// when the kubelet began stopping them at started: the longest preStop
// sleep hook (LifecycleHandler.Sleep, seconds), which the kubelet runs
// before it signals the container, cut at the pod's deletion deadline
// (metadata.deletionTimestamp: the end of the grace period, when the kubelet
// kills what still runs). Zero when nothing is left to wait for: no sleep
// hook (exec and HTTP hooks are not run by the simulator), or the hook or
// the grace period is over (a second delete with a shorter grace period
// moves the deadline earlier).
//
// Source: k8s.io/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go
// (killContainer runs executePreStopHook within the grace period) and
// pkg/kubelet/lifecycle/handlers.go (runSleepHandler).
func preStopRemaining(pod *corev1.Pod, started, now time.Time) time.Duration {
	if pod.DeletionTimestamp == nil {
		return 0
	}
	var longest time.Duration
	for _, c := range pod.Spec.Containers {
		if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
			continue
		}
		if d := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second; d > longest {
			longest = d
		}
	}
	end := started.Add(longest)
	if deadline := pod.DeletionTimestamp.Time; deadline.Before(end) {
		end = deadline
	}
	if left := end.Sub(now); left > 0 {
		return left
	}
	return 0
}
