package kubeletsim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

func testNode() *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "dslab-worker", Annotations: map[string]string{AnnotationSimulated: "true", AnnotationNodeIndex: "1"}},
		Spec:       corev1.NodeSpec{PodCIDR: podCIDR(1)},
	}
	fillNodeStatus(n, metav1.Now())
	return n
}

func testPod(image string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default", UID: "uid-1"},
		Spec: corev1.PodSpec{
			NodeName:   "dslab-worker",
			Containers: []corev1.Container{{Name: "app", Image: image}},
		},
	}
}

func cond(st corev1.PodStatus, t corev1.PodConditionType) corev1.ConditionStatus {
	for _, c := range st.Conditions {
		if c.Type == t {
			return c.Status
		}
	}
	return ""
}

func TestDesiredStatusRunning(t *testing.T) {
	node := testNode()
	pod := testPod("quay.io/prometheus/node-exporter:v1.8.2")
	now := metav1.NewTime(time.Unix(1700000000, 0))
	st, events, _ := desiredStatus(pod, node, podIPFor(node, 0), now, testPuller())
	if st.Phase != corev1.PodRunning || cond(st, corev1.PodReady) != corev1.ConditionTrue || cond(st, corev1.ContainersReady) != corev1.ConditionTrue {
		t.Fatalf("phase %s ready %s", st.Phase, cond(st, corev1.PodReady))
	}
	if st.HostIP != "172.18.0.3" || st.PodIP != "10.244.1.2" || st.StartTime == nil {
		t.Errorf("ips %s/%s start %v", st.HostIP, st.PodIP, st.StartTime)
	}
	cs := st.ContainerStatuses[0]
	if !cs.Ready || cs.State.Running == nil || cs.Image != pod.Spec.Containers[0].Image || !strings.HasPrefix(cs.ImageID, "quay.io/prometheus/node-exporter@sha256:") {
		t.Errorf("container status %+v", cs)
	}
	if len(events) != 3 || events[2].reason != "Started" {
		t.Errorf("events %+v", events)
	}
	// Stable: syncing again changes nothing and records nothing.
	pod.Status = st
	again, events, _ := desiredStatus(pod, node, "10.244.1.99", metav1.NewTime(now.Add(time.Minute)), testPuller())
	if !statusEqual(&st, &again) || len(events) != 0 || again.PodIP != st.PodIP {
		t.Errorf("second sync changed status or recorded events: %+v %+v", again, events)
	}
	// An in-place image change restarts the container.
	pod.Spec.Containers[0].Image = "quay.io/prometheus/node-exporter:v1.9.1"
	changed, _, _ := desiredStatus(pod, node, "", metav1.NewTime(now.Add(2*time.Minute)), testPuller())
	if c := changed.ContainerStatuses[0]; c.RestartCount != 1 || c.Image != "quay.io/prometheus/node-exporter:v1.9.1" || c.LastTerminationState.Terminated == nil {
		t.Errorf("after image change: %+v", c)
	}
}

func TestDesiredStatusInvalidImage(t *testing.T) {
	for _, image := range []string{"Bad:Image!", "nginx::1", ""} {
		st, events, _ := desiredStatus(testPod(image), testNode(), "10.244.1.2", metav1.Now(), testPuller())
		cs := st.ContainerStatuses[0]
		if st.Phase != corev1.PodPending || cs.Ready || cs.State.Waiting == nil || cs.State.Waiting.Reason != "InvalidImageName" {
			t.Errorf("%q: phase %s status %+v", image, st.Phase, cs)
			continue
		}
		if !strings.HasPrefix(cs.State.Waiting.Message, "Failed to apply default image tag") {
			t.Errorf("%q: message %q", image, cs.State.Waiting.Message)
		}
		if cond(st, corev1.PodReady) != corev1.ConditionFalse {
			t.Errorf("%q: Ready condition %s", image, cond(st, corev1.PodReady))
		}
		if len(events) != 2 || events[1].message != "Error: InvalidImageName" {
			t.Errorf("%q: events %+v", image, events)
		}
	}
}

func TestDesiredStatusHostNetwork(t *testing.T) {
	pod := testPod("nginx:1.27")
	pod.Spec.HostNetwork = true
	st, _, _ := desiredStatus(pod, testNode(), "", metav1.Now(), testPuller())
	if st.PodIP != st.HostIP || st.PodIP == "" {
		t.Errorf("hostNetwork pod IP %q, host %q", st.PodIP, st.HostIP)
	}
}

func TestNodeAddressing(t *testing.T) {
	if nodeIP(0) != "172.18.0.2" || nodeIP(300) != "172.18.1.46" {
		t.Errorf("nodeIP: %s %s", nodeIP(0), nodeIP(300))
	}
	if podCIDR(0) != "10.244.0.0/24" || podCIDR(256) != "10.245.0.0/24" {
		t.Errorf("podCIDR: %s %s", podCIDR(0), podCIDR(256))
	}
}

func TestPodIPIndexInvertsPodIPFor(t *testing.T) {
	node := testNode()
	for _, n := range []int{0, 1, 100, 249} {
		if got := podIPIndex(node, podIPFor(node, n)); got != n {
			t.Errorf("podIPIndex(podIPFor(%d)) = %d", n, got)
		}
	}
	for _, ip := range []string{"", "10.244.9.3", "172.18.0.3", "10.244.1.1"} {
		if got := podIPIndex(node, ip); got != -1 {
			t.Errorf("podIPIndex(%q) = %d, want -1", ip, got)
		}
	}
}

func TestNextPodIPContinuesAfterExistingPods(t *testing.T) {
	node := testNode()
	idx := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{"node": func(obj any) ([]string, error) {
		return []string{obj.(*corev1.Pod).Spec.NodeName}, nil
	}})
	for i, ip := range []string{"10.244.1.2", "10.244.1.7"} {
		p := testPod("nginx:1.27")
		p.Name = fmt.Sprintf("p%d", i)
		p.Status.PodIP = ip
		if err := idx.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	s := &Simulator{podSeq: map[string]int{}, podIndex: idx}
	if got := s.nextPodIP(node); got != "10.244.1.8" {
		t.Errorf("first IP after restart = %s, want 10.244.1.8", got)
	}
	if got := s.nextPodIP(node); got != "10.244.1.9" {
		t.Errorf("second IP = %s, want 10.244.1.9", got)
	}
}
