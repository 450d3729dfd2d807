package kube

import (
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/grader"
)

// Objects are API objects already in memory, e.g. the contents of
// client-go informer caches. The slices hold pointers into those caches:
// SnapshotFromObjects only reads them.
type Objects struct {
	Nodes      []*corev1.Node
	DaemonSets []*appsv1.DaemonSet
	Revisions  []*appsv1.ControllerRevision
	Pods       []*corev1.Pod
	Events     []*corev1.Event
}

// SnapshotFromObjects builds the Snapshot that Capture would read from a
// cluster holding objs, without any API call: the same DaemonSets are kept
// (the targets, DaemonSets with a target's name in other namespaces, and
// every DaemonSet in a target's namespace), with their revisions, the pods
// they control and the events about them. objs may hold more than that
// (e.g. pods of other namespaces); it may also hold less (a watcher that
// only caches the targets' namespace), in which case what is missing is
// simply not in the snapshot. The baseline and the rollout recording are
// added by the caller, as with Capture.
func SnapshotFromObjects(opts CaptureOptions, objs Objects) grader.Snapshot {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	snap := grader.Snapshot{Version: grader.SnapshotVersion, CapturedAt: now(), Context: opts.Context}
	for _, n := range objs.Nodes {
		snap.Nodes = append(snap.Nodes, grader.FromNode(n))
	}
	sort.Slice(snap.Nodes, func(i, j int) bool { return snap.Nodes[i].Name < snap.Nodes[j].Name })
	snap.Cluster = grader.InferCluster(snap.Nodes)

	names := map[string]bool{}
	namespaces := map[string]bool{}
	for _, t := range opts.Targets {
		names[t.Name] = true
		namespaces[t.Namespace] = true
	}
	owners := map[string]bool{}
	kept := map[string]bool{} // namespaces of kept DaemonSets
	var dss []*appsv1.DaemonSet
	for _, d := range objs.DaemonSets {
		if names[d.Name] || namespaces[d.Namespace] {
			dss = append(dss, d)
			owners[string(d.UID)] = true
			kept[d.Namespace] = true
		}
	}
	revsByNS := map[string][]appsv1.ControllerRevision{}
	for _, r := range objs.Revisions {
		if kept[r.Namespace] {
			revsByNS[r.Namespace] = append(revsByNS[r.Namespace], *r)
		}
	}
	for _, d := range dss {
		snap.DaemonSets = append(snap.DaemonSets, grader.FromDaemonSet(d, revsByNS[d.Namespace]))
	}
	podNames := map[string]bool{}
	for _, p := range objs.Pods {
		if !kept[p.Namespace] {
			continue
		}
		if c := metav1.GetControllerOf(p); c != nil && owners[string(c.UID)] {
			snap.Pods = append(snap.Pods, grader.FromPod(p))
			podNames[p.Namespace+"/"+p.Name] = true
		}
	}
	for _, e := range objs.Events {
		if !kept[e.Namespace] {
			continue
		}
		o := e.InvolvedObject
		if (o.Kind == "DaemonSet" && names[o.Name]) || (o.Kind == "Pod" && podNames[e.Namespace+"/"+o.Name]) {
			snap.Events = append(snap.Events, grader.FromEvent(e))
		}
	}
	sort.Slice(snap.DaemonSets, func(i, j int) bool {
		return snap.DaemonSets[i].Ref().String() < snap.DaemonSets[j].Ref().String()
	})
	sort.Slice(snap.Pods, func(i, j int) bool {
		if snap.Pods[i].Namespace != snap.Pods[j].Namespace {
			return snap.Pods[i].Namespace < snap.Pods[j].Namespace
		}
		return snap.Pods[i].Name < snap.Pods[j].Name
	})
	sort.SliceStable(snap.Events, func(i, j int) bool { return snap.Events[i].Last.After(snap.Events[j].Last) })
	if len(snap.Events) > maxEvents {
		snap.Events = snap.Events[:maxEvents]
	}
	return snap
}
