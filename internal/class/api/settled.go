package api

import "github.com/dslab-kr/dslab/grader"

// stuckReasons are the container waiting reasons of a pod that will not
// become Ready by waiting: the learner's mistake, settled as it is.
var stuckReasons = map[string]bool{
	"ImagePullBackOff": true, "ErrImagePull": true, "InvalidImageName": true, "ErrImageNeverPull": true,
	"CrashLoopBackOff": true, "CreateContainerConfigError": true, "CreateContainerError": true, "RunContainerError": true,
}

// Settled reports whether snap shows the cluster settled for the DaemonSet
// target: its controller has seen its newest spec, no pod of it is being
// deleted, every node it should run on has a pod, every pod of a rolling
// update has the new template, and every pod is Ready or stuck for good
// (an image that cannot be pulled, a crash loop, a pod that cannot be
// scheduled). An absent target is settled; a target being deleted (the
// lab's reset) is not. A grade of an unsettled snapshot is a moment of a
// rollout or reset, not the learner's result (issue 12: 4/10 then 8/10
// for one edit, "실제 Ready 파드: []" as the first failure).
func Settled(snap grader.Snapshot, target grader.ObjectRef) bool {
	var ds *grader.DaemonSet
	for i := range snap.DaemonSets {
		if snap.DaemonSets[i].Namespace == target.Namespace && snap.DaemonSets[i].Name == target.Name {
			ds = &snap.DaemonSets[i]
		}
	}
	if ds == nil {
		return true
	}
	st := ds.Status
	if ds.Deleting || st.ObservedGeneration < ds.Generation || st.CurrentNumberScheduled < st.DesiredNumberScheduled {
		return false
	}
	if ds.UpdateStrategy.Type != "OnDelete" && st.UpdatedNumberScheduled < st.DesiredNumberScheduled {
		return false
	}
	for _, p := range snap.Pods {
		if ds.UID == "" || p.OwnerUID != ds.UID {
			continue
		}
		if p.Terminating() {
			return false
		}
		if p.Ready || p.Unschedulable != "" || p.Phase == "Failed" {
			continue
		}
		stuck := false
		for _, c := range p.Containers {
			stuck = stuck || (!c.Ready && stuckReasons[c.Reason])
		}
		if !stuck {
			return false
		}
	}
	return true
}
