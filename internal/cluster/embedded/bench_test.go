package embedded_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/cluster/embedded/kubeletsim"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// BenchmarkClusterUpCold measures `dslab cluster up` from nothing until every
// node is Ready (target ≤ 6 s on 2 cores; kind needs ~47–146 s).
func BenchmarkClusterUpCold(b *testing.B) {
	if testing.Short() {
		b.Skip("needs the embedded cluster")
	}
	for range b.N {
		b.StopTimer()
		c := testcluster.NewEnv(b)
		b.StartTimer()
		if _, stderr, err := c.Run(context.Background(), "cluster", "up", "--runtime", "embedded"); err != nil {
			b.Fatalf("up: %v\n%s", err, stderr)
		}
		b.StopTimer()
		c.Stop(b)
		b.StartTimer()
	}
}

// BenchmarkApplyToPodsReady measures creating a DaemonSet until all its pods
// are Ready on the four-node lab (target ≤ 1 s).
func BenchmarkApplyToPodsReady(b *testing.B) {
	c := testcluster.Start(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		ds := benchDaemonSet(fmt.Sprintf("bench-%d", i), true)
		if _, err := c.Client.AppsV1().DaemonSets("default").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		waitReady(ctx, b, c.Client, ds.Name, 4, time.Minute)
		b.StopTimer()
		_ = c.Client.AppsV1().DaemonSets("default").Delete(ctx, ds.Name, metav1.DeleteOptions{})
		b.StartTimer()
	}
}

// BenchmarkClusterMemory reports the memory of a running lab cluster with a
// DaemonSet on every node: the sum of RSS over the supervisor and the three
// components, and the sum of PSS (RSS with the shared binary pages counted
// once). Target ≤ 600 MB.
func BenchmarkClusterMemory(b *testing.B) {
	c := testcluster.Start(b)
	ctx := context.Background()
	ds := benchDaemonSet("mem", true)
	if _, err := c.Client.AppsV1().DaemonSets("default").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	waitReady(ctx, b, c.Client, ds.Name, 4, time.Minute)
	time.Sleep(5 * time.Second) // settle: informers synced, first GC cycles done
	for range b.N {
		rss, pss := clusterMemory(b, c)
		b.ReportMetric(rss, "RSS-MB")
		b.ReportMetric(pss, "PSS-MB")
	}
}

// BenchmarkThousandNodes adds 996 simulated nodes to the lab (1,000 in
// all) and reports how long until they are all Ready, how long a DaemonSet
// takes to have 1,000 Ready pods, and the cluster's memory then.
func BenchmarkThousandNodes(b *testing.B) {
	c := testcluster.Start(b)
	ctx := context.Background()
	client := c.Client
	for range b.N {
		var specs []cluster.NodeSpec
		for i := range 996 {
			labels := map[string]string{}
			if i%4 == 0 {
				labels["hardware"] = "gpu"
			}
			specs = append(specs, cluster.NewNodeSpec(fmt.Sprintf("sim-%04d", i), labels))
		}
		start := time.Now()
		if _, err := kubeletsim.RegisterNodes(ctx, client, specs, 16); err != nil {
			b.Fatal(err)
		}
		waitNodes(ctx, b, client, 1000, 5*time.Minute)
		b.ReportMetric(time.Since(start).Seconds(), "s-nodes-ready")

		ds := benchDaemonSet("thousand", true)
		start = time.Now()
		if _, err := client.AppsV1().DaemonSets("default").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		waitReady(ctx, b, client, ds.Name, 1000, 5*time.Minute)
		b.ReportMetric(time.Since(start).Seconds(), "s-1000-pods-ready")
		rss, pss := clusterMemory(b, c)
		b.ReportMetric(rss, "RSS-MB")
		b.ReportMetric(pss, "PSS-MB")
	}
}

func benchDaemonSet(name string, tolerateAll bool) *appsv1.DaemonSet {
	labels := map[string]string{"app": name}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: "agent", Image: "quay.io/prometheus/node-exporter:v1.8.2"}},
				},
			},
		},
	}
	if tolerateAll {
		ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}
	}
	return ds
}

func waitReady(ctx context.Context, b *testing.B, client kubernetes.Interface, name string, want int32, timeout time.Duration) {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ds, err := client.AppsV1().DaemonSets("default").Get(ctx, name, metav1.GetOptions{})
		if err == nil && ds.Status.DesiredNumberScheduled == want && ds.Status.NumberReady == want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("DaemonSet %s not ready: %+v %v", name, ds.Status, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitNodes(ctx context.Context, b *testing.B, client kubernetes.Interface, want int, timeout time.Duration) {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for {
		nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{ResourceVersion: "0"})
		ready := 0
		if err == nil {
			for i := range nodes.Items {
				for _, c := range nodes.Items[i].Status.Conditions {
					if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
						ready++
					}
				}
			}
		}
		if ready >= want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d/%d nodes Ready", ready, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// clusterMemory sums RSS and PSS (MB) over the supervisor and components.
func clusterMemory(b *testing.B, c *testcluster.Cluster) (rss, pss float64) {
	b.Helper()
	st, err := embedded.Dir(c.ClusterDir()).LoadStatus()
	if err != nil {
		b.Fatal(err)
	}
	pids := []int{st.PID}
	for _, comp := range st.Components {
		pids = append(pids, comp.PID)
	}
	for _, pid := range pids {
		r, p := smapsRollup(b, pid)
		rss += r
		pss += p
	}
	return rss, pss
}

func smapsRollup(b *testing.B, pid int) (rss, pss float64) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "Rss:":
			rss = kb / 1024
		case "Pss:":
			pss = kb / 1024
		}
	}
	return rss, pss
}
