package kube

import (
	"context"
	"fmt"
	"sort"
	"time"

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
// baseline and the rollout recording are added by the caller. It lists
// nodes and DaemonSets, then revisions, pods and events only in the
// namespaces of the DaemonSets that matter, and builds the snapshot with
// SnapshotFromObjects (the same code the live watcher uses).
func Capture(ctx context.Context, client kubernetes.Interface, opts CaptureOptions) (grader.Snapshot, error) {
	var objs Objects
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return grader.Snapshot{}, fmt.Errorf("노드 목록을 읽을 수 없습니다: %w", err)
	}
	for i := range nodes.Items {
		objs.Nodes = append(objs.Nodes, &nodes.Items[i])
	}
	names := map[string]bool{}
	namespaces := map[string]bool{}
	for _, t := range opts.Targets {
		names[t.Name] = true
		namespaces[t.Namespace] = true
	}
	dss, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return grader.Snapshot{}, fmt.Errorf("데몬셋 목록을 읽을 수 없습니다: %w", err)
	}
	kept := map[string]bool{}
	for i := range dss.Items {
		d := &dss.Items[i]
		objs.DaemonSets = append(objs.DaemonSets, d)
		if names[d.Name] || namespaces[d.Namespace] {
			kept[d.Namespace] = true
		}
	}
	nsList := make([]string, 0, len(kept))
	for ns := range kept {
		nsList = append(nsList, ns)
	}
	sort.Strings(nsList)
	for _, ns := range nsList {
		revs, err := client.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return grader.Snapshot{}, fmt.Errorf("컨트롤러 리비전(ControllerRevision) 목록을 읽을 수 없습니다: %w", err)
		}
		for i := range revs.Items {
			objs.Revisions = append(objs.Revisions, &revs.Items[i])
		}
		pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return grader.Snapshot{}, fmt.Errorf("파드 목록을 읽을 수 없습니다: %w", err)
		}
		for i := range pods.Items {
			objs.Pods = append(objs.Pods, &pods.Items[i])
		}
		if namespaces[ns] {
			quotas, err := client.CoreV1().ResourceQuotas(ns).List(ctx, metav1.ListOptions{})
			if err != nil {
				return grader.Snapshot{}, fmt.Errorf("리소스 쿼터(ResourceQuota) 목록을 읽을 수 없습니다: %w", err)
			}
			for i := range quotas.Items {
				objs.ResourceQuotas = append(objs.ResourceQuotas, &quotas.Items[i])
			}
		}
		events, err := client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			continue // events are a nicety; RBAC may forbid them
		}
		for i := range events.Items {
			objs.Events = append(objs.Events, &events.Items[i])
		}
	}
	snap := SnapshotFromObjects(opts, objs)
	snap.ClusterUID, _ = ClusterUID(ctx, client) // optional: RBAC may forbid it
	return snap, nil
}

// ClusterUID returns the cluster's identity, the UID of its kube-system
// namespace (created once with the cluster and never changed; the same
// identity kubeadm-era tools and Kubernetes' own telemetry proposals use).
// A re-created cluster gets a new one.
func ClusterUID(ctx context.Context, client kubernetes.Interface) (string, error) {
	ns, err := client.CoreV1().Namespaces().Get(ctx, metav1.NamespaceSystem, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("kube-system 네임스페이스를 읽을 수 없습니다: %w", err)
	}
	return string(ns.UID), nil
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
