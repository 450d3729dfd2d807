package kube

import (
	"context"
	"reflect"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
)

// TestCapturePitfalls: what the production-pitfalls exercises grade is
// captured the same way by Capture and SnapshotFromObjects: the quotas of
// the target's namespace (not others), pods left without an owner that
// carry the target's template label (with their labels; unrelated pods
// not), evictions of the target's pods that are already gone (not the
// "Cancelling deletion" events, not other DaemonSets' evictions), and the
// containers' admitted resources.
func TestCapturePitfalls(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "node-agent", Namespace: "dslab", UID: "ds-1"}}
	ds.Spec.Template.Labels = map[string]string{"app": "node-agent", "tier": "node"}
	other := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: "dslab", UID: "ds-2"}}
	own := daemonPod(ds, "node-agent-new", "dslab-worker", true)
	own.Spec.Containers[0].Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m")},
	}
	orphan := daemonPod(ds, "node-agent-old", "dslab-worker", true)
	orphan.OwnerReferences = nil
	orphan.Labels = map[string]string{"app": "node-agent", appsv1.DefaultDaemonSetUniqueLabelKey: "old"}
	stranger := daemonPod(ds, "web", "dslab-worker", true)
	stranger.OwnerReferences = nil
	stranger.Labels = map[string]string{"app": "web"}
	elsewhere := daemonPod(ds, "node-agent-x", "dslab-worker", true)
	elsewhere.Namespace, elsewhere.OwnerReferences = "team-a", nil
	elsewhere.Labels = map[string]string{"app": "node-agent"}
	quota := func(ns string) *corev1.ResourceQuota {
		return &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "compute", Namespace: ns, UID: types.UID("q-" + ns)},
			Spec:   corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("1")}},
			Status: corev1.ResourceQuotaStatus{Used: corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("300m")}}}
	}
	event := func(name, obj, msg string, at time.Time) *corev1.Event {
		return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "dslab"}, Type: "Normal", Reason: grader.EvictionReason, Message: msg,
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "dslab", Name: obj}, LastTimestamp: metav1.NewTime(at)}
	}
	objs := append(labNodes(), ds, other, own, orphan, stranger, elsewhere, quota("dslab"), quota("team-a"),
		event("e1", "node-agent-gone1", "Marking for deletion Pod dslab/node-agent-gone1", t0),
		event("e2", "node-agent-gone2", "Cancelling deletion of Pod dslab/node-agent-gone2", t0),
		event("e3", "other-gone", "Marking for deletion Pod dslab/other-gone", t0),
	)
	opts := CaptureOptions{Targets: []grader.ObjectRef{{Namespace: "dslab", Name: "node-agent"}}, Now: func() time.Time { return t0.Add(time.Minute) }}
	want, err := Capture(context.Background(), fake.NewClientset(objs...), opts)
	if err != nil {
		t.Fatal(err)
	}
	in := Objects{DaemonSets: []*appsv1.DaemonSet{ds, other}, Pods: []*corev1.Pod{own, orphan, stranger, elsewhere},
		ResourceQuotas: []*corev1.ResourceQuota{quota("dslab"), quota("team-a")}}
	for _, o := range objs {
		switch o := o.(type) {
		case *corev1.Node:
			in.Nodes = append(in.Nodes, o)
		case *corev1.Event:
			in.Events = append(in.Events, o)
		}
	}
	got := SnapshotFromObjects(opts, in)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("snapshots differ\nfrom objects: %+v\ncaptured:     %+v", got, want)
	}
	if len(got.ResourceQuotas) != 1 || got.ResourceQuotas[0].Namespace != "dslab" {
		t.Fatalf("quotas %+v", got.ResourceQuotas)
	}
	if h := got.ResourceQuotas[0].Hard[corev1.ResourceRequestsCPU]; h.String() != "1" {
		t.Errorf("quota hard %s", h.String())
	}
	if u := got.ResourceQuotas[0].Used[corev1.ResourceRequestsCPU]; u.String() != "300m" {
		t.Errorf("quota used %s", u.String())
	}
	if len(got.LabelledPods) != 1 || got.LabelledPods[0].Name != "node-agent-old" || got.LabelledPods[0].Labels["app"] != "node-agent" || got.LabelledPods[0].OwnerUID != "" {
		t.Errorf("labelled pods %+v", got.LabelledPods)
	}
	if len(got.Events) != 1 || got.Events[0].Name != "node-agent-gone1" {
		t.Errorf("events %+v", got.Events)
	}
	if len(got.Pods) != 1 || got.Pods[0].Containers[0].Resources == nil || got.Pods[0].Containers[0].Resources.Limits.Cpu().String() != "200m" {
		t.Errorf("pods %+v", got.Pods)
	}
}
