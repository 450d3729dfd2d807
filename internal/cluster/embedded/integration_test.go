package embedded_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// seedDaemonSet is the lecture note's fluentd DaemonSet, with only the
// obsolete master toleration.
func seedDaemonSet() *appsv1.DaemonSet {
	labels := map[string]string{"name": "fluentd-elasticsearch"}
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd-elasticsearch", Namespace: "kube-system"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Tolerations: []corev1.Toleration{{Key: "node-role.kubernetes.io/master", Effect: corev1.TaintEffectNoSchedule}},
					Containers:  []corev1.Container{{Name: "fluentd-elasticsearch", Image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2"}},
				},
			},
		},
	}
}

// podsByNode returns, for the DaemonSet's pods (by owner reference), the
// node → pod map and how many pods are terminating.
func podsByNode(ctx context.Context, t *testing.T, client kubernetes.Interface, ds *appsv1.DaemonSet) (map[string]corev1.Pod, int) {
	t.Helper()
	live, err := client.AppsV1().DaemonSets(ds.Namespace).Get(ctx, ds.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pods, err := client.CoreV1().Pods(ds.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]corev1.Pod{}
	terminating := 0
	for _, p := range pods.Items {
		owned := false
		for _, o := range p.OwnerReferences {
			owned = owned || o.UID == live.UID
		}
		if !owned {
			continue
		}
		if p.DeletionTimestamp != nil {
			terminating++
			continue
		}
		out[p.Spec.NodeName] = p
	}
	return out, terminating
}

func podReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// waitPlacement waits until the DaemonSet runs exactly one Ready pod on each
// of want (and nowhere else, nothing terminating), accepting it only when
// check (if any) holds for every pod.
func waitPlacement(ctx context.Context, t *testing.T, client kubernetes.Interface, ds *appsv1.DaemonSet, want []string, check func(corev1.Pod) bool) map[string]corev1.Pod {
	t.Helper()
	sort.Strings(want)
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for {
		pods, terminating := podsByNode(ctx, t, client, ds)
		var nodes []string
		ok := terminating == 0
		for n, p := range pods {
			nodes = append(nodes, n)
			if !podReady(p) || (check != nil && !check(p)) {
				ok = false
			}
		}
		sort.Strings(nodes)
		last = fmt.Sprintf("nodes=%v terminating=%d", nodes, terminating)
		if ok && strings.Join(nodes, ",") == strings.Join(want, ",") {
			return pods
		}
		if time.Now().After(deadline) {
			t.Fatalf("DaemonSet %s/%s: want Ready pods on exactly %v; last seen %s", ds.Namespace, ds.Name, want, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestIntegrationEmbeddedCluster(t *testing.T) {
	c := testcluster.Start(t)
	ctx := context.Background()
	client := c.Client
	name := c.Name
	workers := []string{name + "-worker", name + "-worker2", name + "-worker3"}
	all := append([]string{name + "-control-plane"}, workers...)

	t.Run("topology", func(t *testing.T) {
		nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]corev1.Node{}
		for _, n := range nodes.Items {
			got[n.Name] = n
		}
		for _, spec := range cluster.Topology(name) {
			n, ok := got[spec.Name]
			if !ok {
				t.Fatalf("node %s missing; have %v", spec.Name, nodes.Items)
			}
			for k, v := range spec.Labels {
				if n.Labels[k] != v {
					t.Errorf("%s: label %s=%q, want %q", spec.Name, k, n.Labels[k], v)
				}
			}
			var taints []string
			for _, tt := range n.Spec.Taints {
				taints = append(taints, fmt.Sprintf("%s=%s:%s", tt.Key, tt.Value, tt.Effect))
			}
			var want []string
			for _, tt := range spec.Taints {
				want = append(want, fmt.Sprintf("%s=%s:%s", tt.Key, tt.Value, tt.Effect))
			}
			if strings.Join(taints, ",") != strings.Join(want, ",") {
				t.Errorf("%s: taints %v, want %v", spec.Name, taints, want)
			}
			if !nodeReady(n) {
				t.Errorf("%s is not Ready", spec.Name)
			}
			if cpu := n.Status.Allocatable.Cpu().String(); cpu != "4" {
				t.Errorf("%s: allocatable cpu %s, want 4", spec.Name, cpu)
			}
		}
		if len(nodes.Items) != 4 {
			t.Errorf("%d nodes, want 4", len(nodes.Items))
		}
		// Nothing else runs by default.
		dss, err := client.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(dss.Items) != 0 {
			t.Errorf("a fresh cluster has DaemonSets: %v", dss.Items)
		}
	})

	ds := seedDaemonSet()
	t.Run("seed DaemonSet lands on the three workers only", func(t *testing.T) {
		if _, err := client.AppsV1().DaemonSets("kube-system").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		pods := waitPlacement(ctx, t, client, ds, workers, nil)
		for node, p := range pods {
			if p.Status.PodIP == "" || p.Status.HostIP == "" || p.Status.StartTime == nil {
				t.Errorf("%s: pod %s lacks IPs or start time: %+v", node, p.Name, p.Status)
			}
			if len(p.Status.ContainerStatuses) != 1 || p.Status.ContainerStatuses[0].State.Running == nil || !p.Status.ContainerStatuses[0].Ready {
				t.Errorf("%s: container status not running/ready: %+v", node, p.Status.ContainerStatuses)
			}
		}
	})

	t.Run("control-plane toleration adds the fourth pod; old pods finish terminating", func(t *testing.T) {
		updateDaemonSet(ctx, t, client, ds, func(live *appsv1.DaemonSet) {
			live.Spec.Template.Spec.Tolerations = append(live.Spec.Template.Spec.Tolerations,
				corev1.Toleration{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule})
		})
		waitPlacement(ctx, t, client, ds, all, func(p corev1.Pod) bool {
			return len(p.Spec.Tolerations) > 0 && hasToleration(p, "node-role.kubernetes.io/control-plane")
		})
	})

	t.Run("RollingUpdate completes", func(t *testing.T) {
		one := intstr.FromInt32(1)
		updated := updateDaemonSet(ctx, t, client, ds, func(live *appsv1.DaemonSet) {
			live.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &one}}
			live.Spec.Template.Spec.Containers[0].Image = "quay.io/fluentd_elasticsearch/fluentd:v2.6.0"
		})
		waitPlacement(ctx, t, client, ds, all, func(p corev1.Pod) bool {
			return p.Spec.Containers[0].Image == "quay.io/fluentd_elasticsearch/fluentd:v2.6.0" &&
				p.Status.ContainerStatuses[0].Image == "quay.io/fluentd_elasticsearch/fluentd:v2.6.0"
		})
		deadline := time.Now().Add(30 * time.Second)
		for {
			d, err := client.AppsV1().DaemonSets("kube-system").Get(ctx, ds.Name, metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := d.Status
			if s.ObservedGeneration >= updated.Generation && s.UpdatedNumberScheduled == 4 && s.DesiredNumberScheduled == 4 && s.NumberAvailable == 4 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("rollout status never complete: %+v", s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	gpu := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "gpu-monitor", Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "gpu-monitor"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "gpu-monitor"}},
				Spec: corev1.PodSpec{
					NodeSelector: map[string]string{"hardware": "gpu"},
					Containers:   []corev1.Container{{Name: "monitor", Image: "nvidia/dcgm-exporter:3.3.5"}},
				},
			},
		},
	}
	t.Run("add-node with hardware=gpu receives a GPU-only DaemonSet's pod", func(t *testing.T) {
		if _, err := client.AppsV1().DaemonSets("default").Create(ctx, gpu, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitPlacement(ctx, t, client, gpu, []string{name + "-worker2", name + "-worker3"}, nil)
		if _, stderr, err := c.Run(ctx, "cluster", "add-node", name+"-worker4", "--label", "hardware=gpu"); err != nil {
			t.Fatalf("add-node: %v\n%s", err, stderr)
		}
		waitPlacement(ctx, t, client, gpu, []string{name + "-worker2", name + "-worker3", name + "-worker4"}, nil)
		// ...and the all-nodes DaemonSet follows too.
		waitPlacement(ctx, t, client, ds, append(all[:len(all):len(all)], name+"-worker4"), nil)
	})

	t.Run("remove-node collects the node's pods", func(t *testing.T) {
		if _, stderr, err := c.Run(ctx, "cluster", "remove-node", name+"-worker4"); err != nil {
			t.Fatalf("remove-node: %v\n%s", err, stderr)
		}
		waitPlacement(ctx, t, client, gpu, []string{name + "-worker2", name + "-worker3"}, nil)
		waitPlacement(ctx, t, client, ds, all, nil)
		_, stderr, err := c.Run(ctx, "cluster", "remove-node", name+"-control-plane")
		if testcluster.ExitCode(err) == 0 || !strings.Contains(stderr, "컨트롤 플레인") {
			t.Errorf("removing the control-plane node: exit %d, stderr %q; want a Korean refusal", testcluster.ExitCode(err), stderr)
		}
	})

	t.Run("an unparseable image fails like the kubelet reports it", func(t *testing.T) {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "bad-image", Namespace: "default"},
			Spec: corev1.PodSpec{
				NodeName:   name + "-worker",
				Containers: []corev1.Container{{Name: "c", Image: "Bad:Image!"}},
			},
		}
		if _, err := client.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			p, err := client.CoreV1().Pods("default").Get(ctx, "bad-image", metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if cs := p.Status.ContainerStatuses; len(cs) == 1 && cs[0].State.Waiting != nil {
				w := cs[0].State.Waiting
				if w.Reason != "InvalidImageName" || !strings.Contains(w.Message, `couldn't parse image name "Bad:Image!"`) {
					t.Fatalf("waiting = %+v, want InvalidImageName", w)
				}
				if p.Status.Phase != corev1.PodPending || podReady(*p) {
					t.Fatalf("phase %s ready %v, want Pending and not ready", p.Status.Phase, podReady(*p))
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("pod status never reported: %+v", p.Status)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("kubectl logs reaches the simulated kubelet API", func(t *testing.T) {
		pods, _ := podsByNode(ctx, t, client, ds)
		p := pods[name+"-worker"]
		stdout, stderr, err := c.Run(ctx, "kubectl", "logs", "-n", "kube-system", p.Name)
		if err != nil || !strings.Contains(stdout, "시뮬레이터") || !strings.Contains(stdout, p.Spec.Containers[0].Image) {
			t.Errorf("kubectl logs %s: %v\nstdout: %s\nstderr: %s", p.Name, err, stdout, stderr)
		}
		_, stderr, err = c.Run(ctx, "kubectl", "logs", "bad-image")
		if testcluster.ExitCode(err) == 0 || !strings.Contains(stderr, "is waiting to start: InvalidImageName") {
			t.Errorf("kubectl logs bad-image: exit %d, stderr %q; want the kubelet's InvalidImageName error", testcluster.ExitCode(err), stderr)
		}
		// Issue 14: --tail=2 printed every line; exec said "404 page not
		// found".
		stdout, stderr, err = c.Run(ctx, "kubectl", "logs", "--tail=2", "-n", "kube-system", p.Name)
		if got := strings.Split(strings.TrimSpace(stdout), "\n"); err != nil || len(got) != 2 {
			t.Errorf("kubectl logs --tail=2 %s: %v, %d lines\nstdout: %s\nstderr: %s", p.Name, err, len(got), stdout, stderr)
		}
		_, stderr, err = c.Run(ctx, "kubectl", "exec", "-n", "kube-system", p.Name, "--", "ls")
		if testcluster.ExitCode(err) == 0 || !strings.Contains(stderr, "kubectl exec, attach, port-forward 를 쓸 수 없습니다") || strings.Contains(stderr, "404 page not found") {
			t.Errorf("kubectl exec %s: exit %d, stderr %q; want the Korean line of the simulated kubelet", p.Name, testcluster.ExitCode(err), stderr)
		}
	})

	t.Run("a killed component is restarted", func(t *testing.T) {
		dir := embedded.Dir(c.ClusterDir())
		st, err := dir.LoadStatus()
		if err != nil {
			t.Fatal(err)
		}
		pid := componentPID(st, "kube-apiserver")
		if pid == 0 {
			t.Fatalf("no apiserver pid in %+v", st)
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(90 * time.Second)
		for {
			st, err := dir.LoadStatus()
			if err == nil {
				for _, comp := range st.Components {
					if comp.Name == "kube-apiserver" && comp.Running && comp.PID != pid && comp.Restarts >= 1 {
						goto restarted
					}
				}
			}
			if time.Now().After(deadline) {
				c.DumpLogs(t)
				t.Fatalf("kube-apiserver not restarted: %+v", st)
			}
			time.Sleep(100 * time.Millisecond)
		}
	restarted:
		// The API answers again and the cluster keeps its objects.
		deadline = time.Now().Add(90 * time.Second)
		for {
			_, err := client.AppsV1().DaemonSets("kube-system").Get(ctx, ds.Name, metav1.GetOptions{})
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("apiserver did not come back: %v", err)
			}
			time.Sleep(200 * time.Millisecond)
		}
		waitPlacement(ctx, t, client, ds, all, nil)
	})

	t.Run("a second supervisor is refused with a clear error", func(t *testing.T) {
		_, stderr, err := c.Run(ctx, "__supervisor", "--name", name, "--dir", c.ClusterDir())
		if code := testcluster.ExitCode(err); code != 3 || !strings.Contains(stderr, "이미") {
			t.Errorf("second supervisor: exit %d, stderr %q; want exit 3 and a Korean message", code, stderr)
		}
		// up on a running cluster is idempotent.
		if _, stderr, err := c.Run(ctx, "cluster", "up", "--runtime", "embedded"); err != nil {
			t.Fatalf("second up: %v\n%s", err, stderr)
		}
	})

	t.Run("down --keep-data then up keeps objects, even when a port was taken", func(t *testing.T) {
		dir := embedded.Dir(c.ClusterDir())
		before, err := dir.LoadConfig()
		if err != nil {
			t.Fatal(err)
		}
		st, _ := dir.LoadStatus()
		if _, stderr, err := c.Run(ctx, "cluster", "down", "--keep-data"); err != nil {
			t.Fatalf("down --keep-data: %v\n%s", err, stderr)
		}
		assertNoProcesses(t, st)
		out, _, err := c.Run(ctx, "cluster", "status", "-o", "json")
		if err != nil {
			t.Fatal(err)
		}
		var status cluster.Status
		if err := json.Unmarshal([]byte(out), &status); err != nil {
			t.Fatalf("status json: %v\n%s", err, out)
		}
		if status.State != cluster.StateStopped {
			t.Errorf("state after down --keep-data = %s, want stopped", status.State)
		}
		// Someone else takes the apiserver port meanwhile.
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(before.Ports.APIServer))
		if err != nil {
			t.Fatalf("take port: %v", err)
		}
		defer l.Close()
		if _, stderr, err := c.Run(ctx, "cluster", "up", "--runtime", "embedded"); err != nil {
			c.DumpLogs(t)
			t.Fatalf("up after down --keep-data: %v\n%s", err, stderr)
		}
		after, err := dir.LoadConfig()
		if err != nil {
			t.Fatal(err)
		}
		if after.Ports.APIServer == before.Ports.APIServer {
			t.Errorf("apiserver port %d was taken but kept", after.Ports.APIServer)
		}
		if err := c.Connect(); err != nil {
			t.Fatal(err)
		}
		client = c.Client
		if _, err := client.AppsV1().DaemonSets("default").Get(ctx, "gpu-monitor", metav1.GetOptions{}); err != nil {
			t.Fatalf("gpu-monitor lost across restart: %v", err)
		}
		waitPlacement(ctx, t, client, ds, all, nil)
		waitPlacement(ctx, t, client, gpu, []string{name + "-worker2", name + "-worker3"}, nil)
	})

	t.Run("down leaves no process and no data behind", func(t *testing.T) {
		dir := embedded.Dir(c.ClusterDir())
		st, err := dir.LoadStatus()
		if err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := c.Run(ctx, "cluster", "down"); err != nil {
			t.Fatalf("down: %v\n%s", err, stderr)
		}
		assertNoProcesses(t, st)
		if _, err := os.Stat(c.ClusterDir()); !os.IsNotExist(err) {
			t.Errorf("cluster dir still there: %v", err)
		}
		data, err := os.ReadFile(c.Kubeconfig)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "name: "+name) {
			t.Errorf("context %s still in %s:\n%s", name, c.Kubeconfig, data)
		}
	})
}

// updateDaemonSet applies change to the live DaemonSet, retrying when the
// controller's status updates win the race.
func updateDaemonSet(ctx context.Context, t *testing.T, client kubernetes.Interface, ds *appsv1.DaemonSet, change func(*appsv1.DaemonSet)) *appsv1.DaemonSet {
	t.Helper()
	var updated *appsv1.DaemonSet
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		live, err := client.AppsV1().DaemonSets(ds.Namespace).Get(ctx, ds.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		change(live)
		updated, err = client.AppsV1().DaemonSets(ds.Namespace).Update(ctx, live, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return updated
}

func hasToleration(p corev1.Pod, key string) bool {
	for _, t := range p.Spec.Tolerations {
		if t.Key == key {
			return true
		}
	}
	return false
}

func nodeReady(n corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func componentPID(st embedded.SupervisorStatus, name string) int {
	for _, c := range st.Components {
		if c.Name == name {
			return c.PID
		}
	}
	return 0
}

// assertNoProcesses checks that the supervisor and every component in st are gone.
func assertNoProcesses(t *testing.T, st embedded.SupervisorStatus) {
	t.Helper()
	pids := []int{st.PID}
	for _, c := range st.Components {
		pids = append(pids, c.PID)
	}
	for _, pid := range pids {
		if pid <= 0 {
			continue
		}
		if data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline")); err == nil && strings.Contains(string(data), "dslab") {
			if stat, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat")); !strings.Contains(string(stat), ") Z ") {
				t.Errorf("process %d survived: %s", pid, strings.ReplaceAll(string(data), "\x00", " "))
			}
		}
	}
}
