package kube

import (
	"context"
	"reflect"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
)

// TestSnapshotFromObjectsMatchesCapture: the same objects give the same
// snapshot whether they are listed from the API (Capture) or taken from
// memory (SnapshotFromObjects, what the TUI's informer watcher uses).
func TestSnapshotFromObjectsMatchesCapture(t *testing.T) {
	yes := true
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "gpu-monitor", Namespace: "dslab", UID: "ds-1", Generation: 2}}
	ds.Spec.Template.Spec.NodeSelector = map[string]string{"hardware": "gpu"}
	sibling := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: "dslab", UID: "ds-3"}}
	unrelated := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: "kube-system", UID: "ds-2"}}
	rev := func(name string, n int64, owner *appsv1.DaemonSet) *appsv1.ControllerRevision {
		return &appsv1.ControllerRevision{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: owner.Namespace, Labels: map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: name},
				OwnerReferences: []metav1.OwnerReference{{Kind: "DaemonSet", Name: owner.Name, UID: owner.UID, Controller: &yes}}},
			Revision: n,
			Data:     runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"img:` + name + `"}]}}}}`)},
		}
	}
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	event := func(name, kind, obj string, at time.Time) *corev1.Event {
		return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "dslab"}, Type: "Warning", Reason: "R-" + name,
			InvolvedObject: corev1.ObjectReference{Kind: kind, Namespace: "dslab", Name: obj}, LastTimestamp: metav1.NewTime(at)}
	}
	orphan := daemonPod(ds, "gpu-monitor-orphan", "dslab-worker", true)
	orphan.OwnerReferences = nil
	objs := append(labNodes(), ds, sibling, unrelated,
		rev("r2", 2, ds), rev("r1", 1, ds), rev("s1", 1, sibling), rev("k1", 1, unrelated),
		daemonPod(ds, "gpu-monitor-b", "dslab-worker3", false),
		daemonPod(ds, "gpu-monitor-a", "dslab-worker2", true),
		daemonPod(sibling, "other-a", "dslab-worker", true),
		daemonPod(unrelated, "kube-proxy-a", "dslab-worker", true),
		orphan,
		event("e1", "DaemonSet", "gpu-monitor", t0),
		event("e2", "Pod", "gpu-monitor-a", t0.Add(time.Second)),
		event("e3", "Pod", "gpu-monitor-orphan", t0.Add(2*time.Second)),
		event("e4", "DaemonSet", "other", t0.Add(3*time.Second)),
	)
	client := fake.NewClientset(objs...)
	now := func() time.Time { return t0.Add(time.Minute) }
	opts := CaptureOptions{Targets: []grader.ObjectRef{{Namespace: "dslab", Name: "gpu-monitor"}}, Context: "dslab", Now: now}
	want, err := Capture(context.Background(), client, opts)
	if err != nil {
		t.Fatal(err)
	}

	var in Objects
	for _, o := range objs {
		switch o := o.(type) {
		case *corev1.Node:
			in.Nodes = append(in.Nodes, o)
		case *appsv1.DaemonSet:
			in.DaemonSets = append(in.DaemonSets, o)
		case *appsv1.ControllerRevision:
			in.Revisions = append(in.Revisions, o)
		case *corev1.Pod:
			in.Pods = append(in.Pods, o)
		case *corev1.Event:
			in.Events = append(in.Events, o)
		}
	}
	got := SnapshotFromObjects(opts, in)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("snapshots differ\nfrom objects: %+v\ncaptured:     %+v", got, want)
	}
	// Sanity: the comparison is about something.
	if len(got.DaemonSets) != 2 || len(got.Pods) != 3 || len(got.Events) != 2 || len(got.DaemonSets[0].Revisions) != 2 {
		t.Fatalf("unexpected snapshot: %d DaemonSets, %d pods, %d events", len(got.DaemonSets), len(got.Pods), len(got.Events))
	}
}

// TestSnapshotEventsSameSecondNewestWrittenFirst: two warnings of the target
// DaemonSet in the same second (LastTimestamp has one-second resolution)
// come out with the one written later (higher resourceVersion) first, in
// whatever order the API listed them.
func TestSnapshotEventsSameSecondNewestWrittenFirst(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "log-agent", Namespace: "dslab", UID: "ds-1"}}
	at := metav1.NewTime(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	event := func(name, rv, msg string) *corev1.Event {
		return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "dslab", ResourceVersion: rv}, Type: "Warning", Reason: "FailedCreate",
			Message: msg, InvolvedObject: corev1.ObjectReference{Kind: "DaemonSet", Namespace: "dslab", Name: "log-agent"}, LastTimestamp: at}
	}
	older := event("log-agent.a", "1200", "must specify limits.cpu")
	newer := event("log-agent.b", "1350", "exceeded quota: compute")
	opts := CaptureOptions{Targets: []grader.ObjectRef{{Namespace: "dslab", Name: "log-agent"}}, Context: "dslab", Now: func() time.Time { return at.Time }}
	for _, order := range [][]*corev1.Event{{older, newer}, {newer, older}} {
		var nodes []*corev1.Node
		for _, o := range labNodes() {
			nodes = append(nodes, o.(*corev1.Node))
		}
		snap := SnapshotFromObjects(opts, Objects{Nodes: nodes, DaemonSets: []*appsv1.DaemonSet{ds}, Events: order})
		if len(snap.Events) != 2 || snap.Events[0].Message != newer.Message {
			t.Fatalf("events listed as [%s %s]: snapshot has %+v, want %q first", order[0].Name, order[1].Name, snap.Events, newer.Message)
		}
	}
}
