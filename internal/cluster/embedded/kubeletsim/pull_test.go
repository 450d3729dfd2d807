package kubeletsim

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"
)

func testPuller() *puller {
	return newPuller(NewImageKnowledge(), testingclock.NewFakeClock(time.Unix(1700000000, 0)))
}

func container(image string, policy corev1.PullPolicy) *corev1.Container {
	return &corev1.Container{Name: "app", Image: image, ImagePullPolicy: policy}
}

func reasons(events []event) string {
	var out []string
	for _, e := range events {
		out = append(out, e.kind+"/"+e.reason)
	}
	return strings.Join(out, ",")
}

func TestLookup(t *testing.T) {
	k := NewImageKnowledge()
	for _, tc := range []struct {
		image, ref string
		want       ImageVerdict
	}{
		{"busybox:1.36", "docker.io/library/busybox:1.36", ImageKnown},
		{"docker.io/library/busybox:1.37.0", "docker.io/library/busybox:1.37.0", ImageKnown},
		{"quay.io/prometheus/node-exporter:v1.8.2", "quay.io/prometheus/node-exporter:v1.8.2", ImageKnown},
		{"busybox", "docker.io/library/busybox:latest", ImageKnown},
		{"busybox:1.99", "docker.io/library/busybox:1.99", ImageNoTag},
		{"quay.io/prometheus/node-exporter:v1.99.0", "quay.io/prometheus/node-exporter:v1.99.0", ImageNoTag},
		{"nosuchimage:1.0", "docker.io/library/nosuchimage:1.0", ImageNoRepository},
		{"foo:non-existent", "docker.io/library/foo:non-existent", ImageNoRepository},
		{"redis:7.4", "docker.io/library/redis:7.4", ImageSimulated},
		// The upstream e2e images of conformance/ (k8s v1.37.2 manifest).
		{"registry.k8s.io/e2e-test-images/agnhost:2.66.1", "registry.k8s.io/e2e-test-images/agnhost:2.66.1", ImageKnown},
		{"registry.k8s.io/e2e-test-images/agnhost:2.55", "registry.k8s.io/e2e-test-images/agnhost:2.55", ImageKnown},
		{"registry.k8s.io/pause:3.10.2", "registry.k8s.io/pause:3.10.2", ImageKnown},
		{"registry.k8s.io/e2e-test-images/agnhost:2.99", "registry.k8s.io/e2e-test-images/agnhost:2.99", ImageNoTag},
		{"nvidia/dcgm-exporter:3.3.5", "docker.io/nvidia/dcgm-exporter:3.3.5", ImageSimulated},
		{"example.org/team/app:v9", "example.org/team/app:v9", ImageSimulated},
		{"busybox@sha256:" + strings.Repeat("a", 64), "docker.io/library/busybox@sha256:" + strings.Repeat("a", 64), ImageSimulated},
	} {
		got, ref, err := k.Lookup(tc.image)
		if err != nil || got != tc.want || ref != tc.ref {
			t.Errorf("Lookup(%q) = %v, %q, %v; want %v, %q", tc.image, got, ref, err, tc.want, tc.ref)
		}
	}
	for _, bad := range []string{"", "Bad:Image!", "nginx::1"} {
		if _, _, err := k.Lookup(bad); err == nil {
			t.Errorf("Lookup(%q): no error", bad)
		}
	}
}

func TestPullKnownImage(t *testing.T) {
	p := testPuller()
	out := p.ensure("dslab-worker", "uid-1", container("quay.io/prometheus/node-exporter:v1.8.2", corev1.PullIfNotPresent))
	if !out.ok || out.retry != 0 || len(out.events) != 1 ||
		out.events[0].message != `Container image "quay.io/prometheus/node-exporter:v1.8.2" already present on machine` {
		t.Errorf("IfNotPresent: %+v", out)
	}
	out = p.ensure("dslab-worker", "uid-1", container("busybox:1.36", corev1.PullAlways))
	if !out.ok || reasons(out.events) != "Normal/Pulling,Normal/Pulled" || out.events[0].message != `Pulling image "busybox:1.36"` ||
		!strings.HasPrefix(out.events[1].message, `Successfully pulled image "busybox:1.36" in `) {
		t.Errorf("Always: %+v", out)
	}
	// Without a tag the API server's default policy is Always: it pulls.
	out = p.ensure("dslab-worker", "uid-1", container("busybox", ""))
	if !out.ok || reasons(out.events) != "Normal/Pulling,Normal/Pulled" {
		t.Errorf("no tag: %+v", out)
	}
}

func TestPullUnknownTagBacksOff(t *testing.T) {
	p := testPuller()
	clk := p.clock.(*testingclock.FakeClock)
	c := container("quay.io/prometheus/node-exporter:v1.99.0", corev1.PullIfNotPresent)
	wantErr := `rpc error: code = NotFound desc = failed to pull and unpack image "quay.io/prometheus/node-exporter:v1.99.0": ` +
		`failed to resolve reference "quay.io/prometheus/node-exporter:v1.99.0": quay.io/prometheus/node-exporter:v1.99.0: not found`

	out := p.ensure("dslab-worker", "uid-1", c)
	if out.ok || out.reason != "ErrImagePull" || out.message != wantErr || out.retry != errImagePullShown {
		t.Fatalf("first pull: %+v", out)
	}
	if reasons(out.events) != "Normal/Pulling,Warning/Failed,Warning/Failed" ||
		out.events[1].message != `Failed to pull image "quay.io/prometheus/node-exporter:v1.99.0": `+wantErr ||
		out.events[2].message != "Error: ErrImagePull" {
		t.Errorf("first pull events: %+v", out.events)
	}
	// A sync right after still shows ErrImagePull, without new events.
	out = p.ensure("dslab-worker", "uid-1", c)
	if out.reason != "ErrImagePull" || len(out.events) != 0 {
		t.Errorf("sync after the failure: %+v", out)
	}
	// Then ImagePullBackOff until the back-off ends: 10 s, 20 s, … 300 s.
	for i, backOff := range []time.Duration{10, 20, 40, 80, 160, 300, 300} {
		backOff *= time.Second
		clk.Step(errImagePullShown)
		out = p.ensure("dslab-worker", "uid-1", c)
		wantMsg := `Back-off pulling image "quay.io/prometheus/node-exporter:v1.99.0": ErrImagePull: ` + wantErr
		if out.ok || out.reason != "ImagePullBackOff" || out.message != wantMsg || out.retry != backOff-errImagePullShown {
			t.Fatalf("back-off %d: %+v", i, out)
		}
		if reasons(out.events) != "Normal/BackOff,Warning/Failed" || out.events[1].message != "Error: ImagePullBackOff" ||
			out.events[0].message != `Back-off pulling image "quay.io/prometheus/node-exporter:v1.99.0"` {
			t.Errorf("back-off %d events: %+v", i, out.events)
		}
		clk.Step(out.retry)
		out = p.ensure("dslab-worker", "uid-1", c)
		if out.reason != "ErrImagePull" || reasons(out.events) != "Normal/Pulling,Warning/Failed,Warning/Failed" {
			t.Fatalf("pull again after %v: %+v", backOff, out)
		}
	}
	// Another pod has its own back-off.
	if out := p.ensure("dslab-worker", "uid-2", c); len(out.events) != 3 {
		t.Errorf("other pod: %+v", out)
	}
}

func TestPullUnknownRepository(t *testing.T) {
	out := testPuller().ensure("dslab-worker", "uid-1", container("foo:non-existent", ""))
	want := `failed to pull and unpack image "docker.io/library/foo:non-existent": failed to resolve reference ` +
		`"docker.io/library/foo:non-existent": pull access denied, repository does not exist or may require authorization: ` +
		`server message: insufficient_scope: authorization failed`
	if out.ok || out.reason != "ErrImagePull" || out.message != want || out.events[1].message != `Failed to pull image "foo:non-existent": `+want {
		t.Errorf("%+v", out)
	}
}

func TestPullOutsideKnowledgeIsSimulated(t *testing.T) {
	p := testPuller()
	c := container("nvidia/dcgm-exporter:3.3.5", corev1.PullIfNotPresent)
	out := p.ensure("dslab-worker", "uid-1", c)
	if !out.ok || reasons(out.events) != "Normal/Pulling,Normal/Pulled" || !strings.Contains(out.events[1].message, "dslab 시뮬레이션") ||
		!strings.Contains(out.events[1].message, `"nvidia/dcgm-exporter:3.3.5"`) {
		t.Errorf("first pull: %+v", out)
	}
	// Now present on that node, and only there.
	if out := p.ensure("dslab-worker", "uid-2", c); !out.ok || !strings.Contains(out.events[0].message, "already present on machine") {
		t.Errorf("second pod: %+v", out)
	}
	if out := p.ensure("dslab-worker2", "uid-3", c); reasons(out.events) != "Normal/Pulling,Normal/Pulled" {
		t.Errorf("other node: %+v", out)
	}
	p.forgetNode("dslab-worker")
	if out := p.ensure("dslab-worker", "uid-4", c); reasons(out.events) != "Normal/Pulling,Normal/Pulled" {
		t.Errorf("after the node was removed: %+v", out)
	}
}

func TestPullPolicyNever(t *testing.T) {
	p := testPuller()
	if out := p.ensure("dslab-worker", "uid-1", container("busybox:1.36", corev1.PullNever)); !out.ok {
		t.Errorf("known image with Never: %+v", out)
	}
	c := container("example.org/app:1", corev1.PullNever)
	out := p.ensure("dslab-worker", "uid-1", c)
	msg := `Container image "example.org/app:1" is not present with pull policy of Never`
	if out.ok || out.reason != "ErrImageNeverPull" || out.message != msg || out.retry != 0 ||
		reasons(out.events) != "Warning/ErrImageNeverPull,Warning/Failed" || out.events[1].message != "Error: ErrImageNeverPull" {
		t.Errorf("absent image with Never: %+v", out)
	}
	// Never does not pull even a missing tag: the same ErrImageNeverPull.
	if out := p.ensure("dslab-worker", "uid-1", container("busybox:1.99", corev1.PullNever)); out.reason != "ErrImageNeverPull" {
		t.Errorf("missing tag with Never: %+v", out)
	}
	p.ensure("dslab-worker", "uid-2", container("example.org/app:1", corev1.PullIfNotPresent))
	if out := p.ensure("dslab-worker", "uid-1", c); !out.ok {
		t.Errorf("Never after another pod pulled it: %+v", out)
	}
}

func TestPullPolicyDefaults(t *testing.T) {
	for image, want := range map[string]corev1.PullPolicy{
		"busybox": corev1.PullAlways, "busybox:latest": corev1.PullAlways, "busybox:1.36": corev1.PullIfNotPresent,
		"localhost:5000/app": corev1.PullAlways, "localhost:5000/app:1": corev1.PullIfNotPresent,
		"busybox@sha256:" + strings.Repeat("a", 64): corev1.PullIfNotPresent,
	} {
		if got := pullPolicy(&corev1.Container{Image: image}); got != want {
			t.Errorf("pullPolicy(%q) = %s, want %s", image, got, want)
		}
	}
}

func TestDesiredStatusBadImage(t *testing.T) {
	node := testNode()
	p := testPuller()
	pod := testPod("quay.io/prometheus/node-exporter:v1.8.2")
	now := metav1.NewTime(time.Unix(1700000000, 0))
	pod.Status, _, _ = desiredStatus(pod, node, "10.244.1.2", now, p)
	// The image is changed in place to a tag that does not exist.
	pod.Spec.Containers[0].Image = "quay.io/prometheus/node-exporter:v1.99.0"
	st, events, retry := desiredStatus(pod, node, "", now, p)
	cs := st.ContainerStatuses[0]
	if st.Phase != corev1.PodPending || cs.Ready || cs.State.Waiting == nil || cs.State.Waiting.Reason != "ErrImagePull" ||
		cs.LastTerminationState.Terminated == nil || cs.RestartCount != 0 || cs.ImageID != "" || retry != errImagePullShown {
		t.Fatalf("status %+v retry %v", st, retry)
	}
	if cond(st, corev1.PodReady) != corev1.ConditionFalse || cond(st, corev1.ContainersReady) != corev1.ConditionFalse {
		t.Errorf("conditions %+v", st.Conditions)
	}
	if reasons(events) != "Normal/Pulling,Warning/Failed,Warning/Failed" {
		t.Errorf("events %+v", events)
	}
	pod.Status = st
	p.clock.(*testingclock.FakeClock).Step(errImagePullShown)
	next, _, _ := desiredStatus(pod, node, "", now, p)
	if statusEqual(&st, &next) || next.ContainerStatuses[0].State.Waiting.Reason != "ImagePullBackOff" {
		t.Errorf("ErrImagePull → ImagePullBackOff not seen as a change: %+v", next.ContainerStatuses[0])
	}
	// Back to the good image: the container runs again (one restart).
	pod.Status = next
	pod.Spec.Containers[0].Image = "quay.io/prometheus/node-exporter:v1.8.2"
	fixed, _, _ := desiredStatus(pod, node, "", now, p)
	if c := fixed.ContainerStatuses[0]; fixed.Phase != corev1.PodRunning || !c.Ready || c.State.Running == nil || c.RestartCount != 1 {
		t.Errorf("after the fix: %+v", c)
	}
}
