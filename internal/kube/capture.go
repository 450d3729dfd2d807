package kube

import (
	"context"
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/grader"
)

// CaptureOptions say what to capture.
type CaptureOptions struct {
	// Targets are the DaemonSets graded; their pods, revisions and events
	// are captured, as are DaemonSets with the same name elsewhere (for
	// "wrong namespace" feedback).
	Targets []grader.ObjectRef
	// Context is recorded in the snapshot.
	Context string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// maxEvents bounds the events kept per snapshot.
const maxEvents = 50

// Capture reads what grading needs from the cluster into a Snapshot. The
// baseline and the rollout recording are added by the caller.
func Capture(ctx context.Context, client kubernetes.Interface, opts CaptureOptions) (grader.Snapshot, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	snap := grader.Snapshot{Version: grader.SnapshotVersion, CapturedAt: now(), Context: opts.Context}
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return snap, fmt.Errorf("노드 목록을 읽을 수 없습니다: %w", err)
	}
	for i := range nodes.Items {
		snap.Nodes = append(snap.Nodes, grader.FromNode(&nodes.Items[i]))
	}
	sort.Slice(snap.Nodes, func(i, j int) bool { return snap.Nodes[i].Name < snap.Nodes[j].Name })
	snap.Cluster = grader.InferCluster(snap.Nodes)

	names := map[string]bool{}
	namespaces := map[string]bool{}
	for _, t := range opts.Targets {
		names[t.Name] = true
		namespaces[t.Namespace] = true
	}
	dss, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return snap, fmt.Errorf("데몬셋 목록을 읽을 수 없습니다: %w", err)
	}
	var kept []*appsv1.DaemonSet
	for i := range dss.Items {
		d := &dss.Items[i]
		if names[d.Name] || namespaces[d.Namespace] {
			kept = append(kept, d)
		}
	}
	owners := map[string]bool{}
	byNS := map[string][]*appsv1.DaemonSet{}
	for _, d := range kept {
		owners[string(d.UID)] = true
		byNS[d.Namespace] = append(byNS[d.Namespace], d)
	}
	nsList := make([]string, 0, len(byNS))
	for ns := range byNS {
		nsList = append(nsList, ns)
	}
	sort.Strings(nsList)
	podNames := map[string]bool{}
	for _, ns := range nsList {
		revs, err := client.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return snap, fmt.Errorf("컨트롤러 리비전(ControllerRevision) 목록을 읽을 수 없습니다: %w", err)
		}
		for _, d := range byNS[ns] {
			snap.DaemonSets = append(snap.DaemonSets, grader.FromDaemonSet(d, revs.Items))
		}
		pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return snap, fmt.Errorf("파드 목록을 읽을 수 없습니다: %w", err)
		}
		for i := range pods.Items {
			p := &pods.Items[i]
			if c := metav1.GetControllerOf(p); c != nil && owners[string(c.UID)] {
				snap.Pods = append(snap.Pods, grader.FromPod(p))
				podNames[ns+"/"+p.Name] = true
			}
		}
		events, err := client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			continue // events are a nicety; RBAC may forbid them
		}
		for i := range events.Items {
			e := &events.Items[i]
			o := e.InvolvedObject
			if (o.Kind == "DaemonSet" && names[o.Name]) || (o.Kind == "Pod" && podNames[ns+"/"+o.Name]) {
				snap.Events = append(snap.Events, grader.FromEvent(e))
			}
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
	sort.Slice(snap.Events, func(i, j int) bool { return snap.Events[i].Last.After(snap.Events[j].Last) })
	if len(snap.Events) > maxEvents {
		snap.Events = snap.Events[:maxEvents]
	}
	return snap, nil
}

// Nodes lists the cluster's nodes as snapshot nodes.
func Nodes(ctx context.Context, client kubernetes.Interface) ([]grader.Node, error) {
	list, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]grader.Node, 0, len(list.Items))
	for i := range list.Items {
		out = append(out, grader.FromNode(&list.Items[i]))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
