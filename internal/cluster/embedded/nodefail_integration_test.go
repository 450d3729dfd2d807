package embedded_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/cluster/nodes"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// pollUntil calls cond every 200ms until it returns true, failing t with
// what() after timeout.
func pollUntil(t *testing.T, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", timeout, what())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func nodeHealth(ctx context.Context, t *testing.T, client kubernetes.Interface, name string) nodes.Health {
	t.Helper()
	n, err := client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return nodes.HealthOf(n)
}

// TestIntegrationNodeStopStart fails dslab-worker2 with `dslab cluster node
// stop` on one embedded cluster and watches the real node-lifecycle
// controller react: NotReady (Unknown), both unreachable taints, the daemon
// pod kept, a Deployment pod with a short unreachable toleration evicted;
// then `node start` brings the node back. It also checks that a stop
// survives `cluster down --keep-data` + `cluster up`.
func TestIntegrationNodeStopStart(t *testing.T) {
	c := testcluster.Start(t)
	ctx := context.Background()
	client := c.Client
	worker2 := c.Name + "-worker2"

	agentLabels := map[string]string{"app": "node-agent"}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "node-agent", Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: agentLabels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: agentLabels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "agent", Image: "busybox:1.36"}}},
			},
		},
	}
	if _, err := client.AppsV1().DaemonSets("default").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// One web pod, on worker2 (required affinity would keep its replacement
	// Pending; preferred lets it move), that tolerates the unreachable and
	// not-ready NoExecute taints for 5s instead of the default 300s.
	webLabels := map[string]string{"app": "web"}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: webLabels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: webLabels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}},
					Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
						PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{
							Weight: 100,
							Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{
								Key: cluster.LabelHostname, Operator: corev1.NodeSelectorOpIn, Values: []string{worker2},
							}}},
						}},
					}},
					Tolerations: []corev1.Toleration{
						{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](5)},
						{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](5)},
					},
				},
			},
		},
	}
	if _, err := client.AppsV1().Deployments("default").Create(ctx, dep, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	workers := []string{c.Name + "-worker", worker2, c.Name + "-worker3"}
	agents := waitPlacement(ctx, t, client, ds, workers, nil)
	agentPod := agents[worker2]

	var webPod corev1.Pod
	pollUntil(t, time.Minute, func() bool {
		pods, err := client.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
		if err != nil || len(pods.Items) != 1 {
			return false
		}
		webPod = pods.Items[0]
		return podReady(webPod)
	}, func() string { return "web pod Ready" })
	if webPod.Spec.NodeName != worker2 {
		t.Fatalf("web pod landed on %s, want %s (preferred node affinity)", webPod.Spec.NodeName, worker2)
	}

	t.Run("refusals", func(t *testing.T) {
		_, stderr, err := c.Run(ctx, "cluster", "node", "stop", c.Name+"-control-plane")
		if testcluster.ExitCode(err) == 0 || !strings.Contains(stderr, "컨트롤 플레인") {
			t.Errorf("stopping the control-plane node: exit %d, stderr %q; want a Korean refusal", testcluster.ExitCode(err), stderr)
		}
		_, stderr, err = c.Run(ctx, "cluster", "node", "stop", c.Name+"-worker9")
		if testcluster.ExitCode(err) == 0 || !strings.Contains(stderr, "없습니다") {
			t.Errorf("stopping a missing node: exit %d, stderr %q; want a Korean 'no such node'", testcluster.ExitCode(err), stderr)
		}
	})

	t.Run("stop: NotReady, unreachable taints, daemon pod stays, web pod evicted", func(t *testing.T) {
		start := time.Now()
		stdout, stderr, err := c.Run(ctx, "cluster", "node", "stop", worker2)
		if err != nil {
			c.DumpLogs(t)
			t.Fatalf("node stop: %v\n%s\n%s", err, stdout, stderr)
		}
		t.Logf("node stop took %s\n%s%s", time.Since(start).Round(time.Second), stdout, stderr)
		for _, want := range []string{"node-monitor-grace-period", "node.kubernetes.io/unreachable", "데몬셋 파드는"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("node stop output lacks %q:\n%s", want, stdout)
			}
		}
		for _, want := range []string{"Ready → NotReady (Ready=Unknown)", "unreachable:NoSchedule", "unreachable:NoExecute"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("node stop progress lacks %q:\n%s", want, stderr)
			}
		}
		h := nodeHealth(ctx, t, client, worker2)
		if h.Ready != corev1.ConditionUnknown || h.Reason != "NodeStatusUnknown" {
			t.Errorf("worker2 Ready = %s (%s), want Unknown (NodeStatusUnknown)", h.Ready, h.Reason)
		}
		want := []string{"node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"}
		if strings.Join(h.Taints, ",") != strings.Join(want, ",") {
			t.Errorf("worker2 lifecycle taints = %v, want %v", h.Taints, want)
		}
		for _, other := range []string{c.Name + "-worker", c.Name + "-worker3"} {
			if h := nodeHealth(ctx, t, client, other); !h.Up() {
				t.Errorf("%s should stay Ready and untainted: %+v", other, h)
			}
		}

		// The web pod tolerates unreachable for 5s, then the taint-eviction
		// controller deletes it; with the kubelet down it stays Terminating
		// and the ReplicaSet makes a new pod on another node.
		pollUntil(t, time.Minute, func() bool {
			p, err := client.CoreV1().Pods("default").Get(ctx, webPod.Name, metav1.GetOptions{})
			return apierrors.IsNotFound(err) || (err == nil && p.DeletionTimestamp != nil)
		}, func() string { return "web pod " + webPod.Name + " evicted from " + worker2 })
		pollUntil(t, time.Minute, func() bool {
			pods, err := client.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
			if err != nil {
				return false
			}
			for _, p := range pods.Items {
				if p.DeletionTimestamp == nil && p.Spec.NodeName != "" && p.Spec.NodeName != worker2 && podReady(p) {
					return true
				}
			}
			return false
		}, func() string { return "a replacement web pod Ready on another node" })

		// The daemon pod is still there, not deleted, and marked not Ready
		// by the node-lifecycle controller (the simulator does not undo it).
		p, err := client.CoreV1().Pods("default").Get(ctx, agentPod.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("daemon pod on worker2: %v", err)
		}
		if p.DeletionTimestamp != nil || p.Spec.NodeName != worker2 {
			t.Errorf("daemon pod %s: deletion %v, node %s; want it kept on %s", p.Name, p.DeletionTimestamp, p.Spec.NodeName, worker2)
		}
		pollUntil(t, 30*time.Second, func() bool {
			p, err := client.CoreV1().Pods("default").Get(ctx, agentPod.Name, metav1.GetOptions{})
			return err == nil && !podReady(*p)
		}, func() string { return "daemon pod on worker2 marked not Ready" })
		for _, tol := range p.Spec.Tolerations {
			if (tol.Key == corev1.TaintNodeUnreachable || tol.Key == corev1.TaintNodeNotReady) && tol.TolerationSeconds != nil {
				t.Errorf("daemon pod toleration %+v has tolerationSeconds; daemon pods tolerate forever", tol)
			}
		}

		out, _, err := c.Run(ctx, "cluster", "status", "-o", "json")
		if err != nil {
			t.Fatal(err)
		}
		var st cluster.Status
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatal(err)
		}
		for _, n := range st.Nodes {
			if n.Stopped != (n.Name == worker2) {
				t.Errorf("status: node %s stopped=%v", n.Name, n.Stopped)
			}
		}
		text, _, err := c.Run(ctx, "cluster", "status")
		if err != nil || !strings.Contains(text, "NotReady (멈춤: node stop)") || !strings.Contains(text, "멈춘 노드(node stop): "+worker2) {
			t.Errorf("cluster status text does not mark %s stopped (err %v):\n%s", worker2, err, text)
		}
	})

	t.Run("start: Ready again, taints gone, pods synced", func(t *testing.T) {
		stdout, stderr, err := c.Run(ctx, "cluster", "node", "start", worker2)
		if err != nil {
			t.Fatalf("node start: %v\n%s\n%s", err, stdout, stderr)
		}
		if h := nodeHealth(ctx, t, client, worker2); !h.Up() {
			t.Errorf("after node start worker2 = %+v, want Ready without taints", h)
		}
		// The kubelet is back: the daemon pod is Ready again and the
		// evicted web pod finishes terminating.
		pollUntil(t, 30*time.Second, func() bool {
			p, err := client.CoreV1().Pods("default").Get(ctx, agentPod.Name, metav1.GetOptions{})
			return err == nil && podReady(*p)
		}, func() string { return "daemon pod on worker2 Ready again" })
		pollUntil(t, 30*time.Second, func() bool {
			_, err := client.CoreV1().Pods("default").Get(ctx, webPod.Name, metav1.GetOptions{})
			return apierrors.IsNotFound(err)
		}, func() string { return "evicted web pod gone once the kubelet is back" })
		if _, err := os.Stat(embedded.Dir(c.ClusterDir()).StoppedNodesFile()); !os.IsNotExist(err) {
			t.Errorf("stopped-nodes.json should be gone when no node is stopped (stat: %v)", err)
		}
	})

	t.Run("a stop survives down --keep-data and up", func(t *testing.T) {
		if _, stderr, err := c.Run(ctx, "cluster", "node", "stop", worker2, "--wait=false"); err != nil {
			t.Fatalf("node stop --wait=false: %v\n%s", err, stderr)
		}
		if _, stderr, err := c.Run(ctx, "cluster", "down", "--keep-data"); err != nil {
			t.Fatalf("down --keep-data: %v\n%s", err, stderr)
		}
		if _, stderr, err := c.Run(ctx, "cluster", "up", "--runtime", "embedded"); err != nil {
			c.DumpLogs(t)
			t.Fatalf("up with a stopped node: %v\n%s", err, stderr)
		}
		if err := c.Connect(); err != nil {
			t.Fatal(err)
		}
		client := c.Client
		leaseRenew := func() time.Time {
			l, err := client.CoordinationV1().Leases(corev1.NamespaceNodeLease).Get(ctx, worker2, metav1.GetOptions{})
			if err != nil || l.Spec.RenewTime == nil {
				t.Fatalf("lease of %s: %v", worker2, err)
			}
			return l.Spec.RenewTime.Time
		}
		other := func() time.Time {
			l, err := client.CoordinationV1().Leases(corev1.NamespaceNodeLease).Get(ctx, c.Name+"-worker", metav1.GetOptions{})
			if err != nil || l.Spec.RenewTime == nil {
				t.Fatalf("lease of worker: %v", err)
			}
			return l.Spec.RenewTime.Time
		}
		before, otherBefore := leaseRenew(), other()
		// The simulator renews leases every 10s: wait for a renewal of
		// another node's lease, then worker2's must not have moved.
		pollUntil(t, 30*time.Second, func() bool { return other().After(otherBefore) }, func() string { return "worker lease renewed" })
		if after := leaseRenew(); !after.Equal(before) {
			t.Errorf("worker2's lease was renewed after restart (%s → %s) although the node is stopped", before, after)
		}
		if _, stderr, err := c.Run(ctx, "cluster", "node", "start", worker2); err != nil {
			t.Fatalf("node start after restart: %v\n%s", err, stderr)
		}
		if h := nodeHealth(ctx, t, client, worker2); !h.Up() {
			t.Errorf("after node start worker2 = %+v, want Ready without taints", h)
		}
	})
}
