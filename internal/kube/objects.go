package kube

import (
	"sort"
	"strconv"
	"strings"
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
	// ResourceQuotas of the targets' namespaces (may be nil).
	ResourceQuotas []*corev1.ResourceQuota
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
	// Labels of the targets' pod templates: a pod carrying one of them
	// that no kept DaemonSet controls is a stray copy (selector-change).
	targetLabels := map[string]map[string]string{}
	for _, d := range dss {
		if namespaces[d.Namespace] && names[d.Name] {
			if targetLabels[d.Namespace] == nil {
				targetLabels[d.Namespace] = map[string]string{}
			}
			for k, v := range d.Spec.Template.Labels {
				if k != appsv1.DefaultDaemonSetUniqueLabelKey && k != appsv1.DeprecatedTemplateGeneration {
					targetLabels[d.Namespace][k] = v
				}
			}
		}
	}
	podNames := map[string]bool{}
	for _, p := range objs.Pods {
		if !kept[p.Namespace] {
			continue
		}
		if c := metav1.GetControllerOf(p); c != nil && owners[string(c.UID)] {
			snap.Pods = append(snap.Pods, grader.FromPod(p))
			podNames[p.Namespace+"/"+p.Name] = true
			continue
		}
		for k, v := range targetLabels[p.Namespace] {
			if p.Labels[k] == v {
				lp := grader.FromPod(p)
				lp.Labels = p.Labels
				snap.LabelledPods = append(snap.LabelledPods, lp)
				break
			}
		}
	}
	// Newest first. LastTimestamp has one-second resolution, so two events
	// of the same second (a quota's "must specify" and then "exceeded
	// quota" after a quick fix) tie; the later write wins the tie by its
	// resourceVersion, which kube-apiserver takes from etcd's revision
	// (storage/etcd3: it only grows). Unparsable versions keep list order.
	events := append([]*corev1.Event(nil), objs.Events...)
	sort.SliceStable(events, func(i, j int) bool { return resourceVersion(events[i]) > resourceVersion(events[j]) })
	for _, e := range events {
		if !kept[e.Namespace] {
			continue
		}
		o := e.InvolvedObject
		if (o.Kind == "DaemonSet" && names[o.Name]) || (o.Kind == "Pod" && podNames[e.Namespace+"/"+o.Name]) || evictionOfTarget(e, names) {
			snap.Events = append(snap.Events, grader.FromEvent(e))
		}
	}
	for _, q := range objs.ResourceQuotas {
		if namespaces[q.Namespace] {
			snap.ResourceQuotas = append(snap.ResourceQuotas, grader.FromResourceQuota(q))
		}
	}
	sort.Slice(snap.ResourceQuotas, func(i, j int) bool {
		a, b := snap.ResourceQuotas[i], snap.ResourceQuotas[j]
		return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
	})
	sort.Slice(snap.LabelledPods, func(i, j int) bool {
		a, b := snap.LabelledPods[i], snap.LabelledPods[j]
		return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
	})
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

// evictionOfTarget reports whether e is the taint-eviction controller
// evicting a pod named after a target DaemonSet ("<name>-xxxxx"): the pod
// is gone by capture time, its eviction is what noexecute-churn grades.
func evictionOfTarget(e *corev1.Event, names map[string]bool) bool {
	o := e.InvolvedObject
	if o.Kind != "Pod" || e.Reason != grader.EvictionReason || !strings.HasPrefix(e.Message, grader.EvictionMessagePrefix) {
		return false
	}
	i := strings.LastIndex(o.Name, "-")
	return i > 0 && names[o.Name[:i]]
}

// resourceVersion is e's resourceVersion as a number, 0 when it is not one.
func resourceVersion(e *corev1.Event) uint64 {
	v, err := strconv.ParseUint(e.ResourceVersion, 10, 64)
	if err != nil {
		return 0
	}
	return v
}
