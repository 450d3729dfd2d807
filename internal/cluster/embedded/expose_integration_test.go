package embedded_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// exposeAddr is a second loopback address: on Linux all of 127.0.0.0/8
// routes to lo, so it stands in for a LAN address (another machine
// reaching the student's laptop) without touching the network.
const exposeAddr = "127.0.0.2"

// TestIntegrationExposeAndGraderKubeconfig is issue 15's "instructor on
// another machine": a cluster started with --expose on a second address,
// a grader kubeconfig for it, and the instructor's client that verifies
// TLS, reads what grading needs, cannot write anything, and grades.
func TestIntegrationExposeAndGraderKubeconfig(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs an embedded cluster (skipped with -short)")
	}
	if l, err := net.Listen("tcp", exposeAddr+":0"); err != nil {
		t.Skipf("cannot listen on %s here: %v", exposeAddr, err)
	} else {
		l.Close()
	}
	c := testcluster.NewEnv(t)
	t.Cleanup(func() { c.Stop(t) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	run := func(args ...string) (string, string, int) {
		t.Helper()
		out, errOut, err := c.Run(ctx, args...)
		return out, errOut, testcluster.ExitCode(err)
	}
	out, errOut, code := run("cluster", "up", "--runtime", "embedded", "--expose="+exposeAddr)
	if code != 0 {
		c.DumpLogs(t)
		t.Fatalf("cluster up --expose: exit %d\n%s\n%s", code, out, errOut)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	cfg, err := embedded.Dir(c.ClusterDir()).LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	url := "https://" + net.JoinHostPort(exposeAddr, strconv.Itoa(cfg.Ports.APIServer))
	if !strings.Contains(out, url) || !strings.Contains(out, "--grader") {
		t.Errorf("cluster up output does not give the instructor's URL %s and the next step:\n%s", url, out)
	}

	// The admin kubeconfig is unchanged: loopback only.
	if c.Rest.Host != embedded.Server(cfg.Ports.APIServer) {
		t.Errorf("admin kubeconfig server %s, want loopback", c.Rest.Host)
	}

	file := filepath.Join(c.Root, "instructor", "김민수.yaml")
	out, errOut, code = run("cluster", "kubeconfig", "--grader", "--name", "김민수", "-o", file)
	if code != 0 {
		t.Fatalf("kubeconfig --grader: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "dslab grade --all --kubeconfig "+file+" --context 김민수") {
		t.Errorf("kubeconfig --grader does not tell what the instructor runs:\n%s", out)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("grader kubeconfig %s: %v, mode %v (want 0600)", file, err, st.Mode().Perm())
	}
	grc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: file},
		&clientcmd.ConfigOverrides{CurrentContext: "김민수"}).ClientConfig()
	if err != nil {
		t.Fatal(err)
	}
	if grc.Host != url || grc.Insecure || len(grc.CAData) == 0 {
		t.Fatalf("grader config: host %s insecure %v CA %d bytes; want %s, verified TLS", grc.Host, grc.Insecure, len(grc.CAData), url)
	}
	// TLS as any client sees it: the serving certificate names the
	// exposed address and chains to the cluster CA.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(grc.CAData)
	conn, err := tls.Dial("tcp", net.JoinHostPort(exposeAddr, strconv.Itoa(cfg.Ports.APIServer)), &tls.Config{RootCAs: pool, ServerName: exposeAddr})
	if err != nil {
		t.Fatalf("TLS to the exposed address does not verify: %v", err)
	}
	conn.Close()

	gc, err := kubernetes.NewForConfig(grc)
	if err != nil {
		t.Fatal(err)
	}
	// Set up an exercise as the student does and answer it, so there is
	// something to read: pods, a DaemonSet, revisions, a baseline.
	if out, errOut, code := run("exercise", "start", "ds-basics"); code != 0 {
		t.Fatalf("exercise start: exit %d\n%s\n%s", code, out, errOut)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	sol, err := ex.SolutionDaemonSet()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.AppsV1().DaemonSets(sol.Namespace).Create(ctx, &sol, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	assertReads(ctx, t, gc, sol.Namespace)
	assertNoWrites(ctx, t, gc, c.Client, sol)

	// Grading through the read-only kubeconfig, as the instructor does.
	// The solution's pods take a moment to be placed and Ready.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		out, errOut, code = run("grade", "ds-basics", "--kubeconfig", file, "--context", "김민수")
		if code == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if code != 0 {
		t.Fatalf("grade ds-basics through the grader kubeconfig: exit %d (want 0, passed)\n%s\n%s", code, out, errOut)
	}
	gOut, gErr, gCode := run("grade", "--all", "-o", "json", "--kubeconfig", file, "--context", "김민수")
	aOut, aErr, aCode := run("grade", "--all", "-o", "json")
	if gCode != aCode || gCode == 2 {
		t.Fatalf("grade --all: grader exit %d, admin exit %d\n%s\n%s", gCode, aCode, gErr, aErr)
	}
	for _, s := range []string{gOut, gErr} {
		if strings.Contains(strings.ToLower(s), "forbidden") {
			t.Errorf("grading through the grader kubeconfig met a forbidden request:\n%s", s)
		}
	}
	if g, a := scores(t, gOut), scores(t, aOut); fmt.Sprint(g) != fmt.Sprint(a) {
		t.Errorf("scores through the grader kubeconfig %v differ from the admin's %v", g, a)
	}

	// The setting survives a restart...
	if out, errOut, code := run("cluster", "down", "--keep-data"); code != 0 {
		t.Fatalf("cluster down --keep-data: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := run("cluster", "up"); code != 0 || !strings.Contains(out, url) {
		t.Fatalf("cluster up after a restart: exit %d, want the exposed URL %s again\n%s\n%s", code, url, out, errOut)
	}
	if _, err := gc.CoreV1().Nodes().List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("grader kubeconfig after a restart: %v", err)
	}
	// ...and --expose=false on the running cluster turns it off.
	out, errOut, code = run("cluster", "up", "--expose=false")
	if code != 0 {
		t.Fatalf("cluster up --expose=false: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, url) {
		t.Errorf("--expose=false still prints %s:\n%s", url, out)
	}
	if c2, err := net.DialTimeout("tcp", net.JoinHostPort(exposeAddr, strconv.Itoa(cfg.Ports.APIServer)), 2*time.Second); err == nil {
		c2.Close()
		t.Errorf("%s still accepts connections after --expose=false", url)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("admin access after --expose=false: %v", err)
	}
}

// assertReads lists what grading reads, with the grader's client.
func assertReads(ctx context.Context, t *testing.T, gc kubernetes.Interface, ns string) {
	t.Helper()
	nodes, err := gc.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil || len(nodes.Items) < 4 {
		t.Errorf("grader lists nodes: %d, %v", len(nodesOrEmpty(nodes)), err)
	}
	for what, list := range map[string]func() error{
		"pods":       func() error { _, err := gc.CoreV1().Pods("").List(ctx, metav1.ListOptions{}); return err },
		"daemonsets": func() error { _, err := gc.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{}); return err },
		"controllerrevisions": func() error {
			_, err := gc.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{})
			return err
		},
		"events":         func() error { _, err := gc.CoreV1().Events(ns).List(ctx, metav1.ListOptions{}); return err },
		"namespaces":     func() error { _, err := gc.CoreV1().Namespaces().List(ctx, metav1.ListOptions{}); return err },
		"resourcequotas": func() error { _, err := gc.CoreV1().ResourceQuotas("").List(ctx, metav1.ListOptions{}); return err },
		"dslab-system configmaps": func() error {
			_, err := gc.CoreV1().ConfigMaps(embedded.EvidenceNamespace).List(ctx, metav1.ListOptions{})
			return err
		},
		"ds-basics baseline": func() error {
			_, err := gc.CoreV1().ConfigMaps(embedded.BaselineNamespace).Get(ctx, embedded.BaselinePrefix+"ds-basics", metav1.GetOptions{})
			return err
		},
	} {
		if err := list(); err != nil {
			t.Errorf("grader reads %s: %v", what, err)
		}
	}
	w, err := gc.CoreV1().Pods("").Watch(ctx, metav1.ListOptions{})
	if err != nil {
		t.Errorf("grader watches pods: %v", err)
	} else {
		w.Stop()
	}
}

func nodesOrEmpty(l *corev1.NodeList) []corev1.Node {
	if l == nil {
		return nil
	}
	return l.Items
}

// assertNoWrites tries every kind of write the grader could attempt and
// wants 403 Forbidden from the API server for each, and no access to
// Secrets or other kube-system ConfigMaps.
func assertNoWrites(ctx context.Context, t *testing.T, gc, admin kubernetes.Interface, ds appsv1.DaemonSet) {
	t.Helper()
	pods, err := admin.CoreV1().Pods(ds.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	podName := "none"
	if len(pods.Items) > 0 {
		podName = pods.Items[0].Name
	}
	patch := []byte(`{"metadata":{"labels":{"graded":"yes"}}}`)
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: embedded.EvidenceNamespace}}
	for what, write := range map[string]func() error{
		"create namespace": func() error {
			_, err := gc.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "graded"}}, metav1.CreateOptions{})
			return err
		},
		"create daemonset": func() error {
			d := ds.DeepCopy()
			d.Name, d.ResourceVersion = "graded", ""
			_, err := gc.AppsV1().DaemonSets(ds.Namespace).Create(ctx, d, metav1.CreateOptions{})
			return err
		},
		"patch daemonset": func() error {
			_, err := gc.AppsV1().DaemonSets(ds.Namespace).Patch(ctx, ds.Name, types.MergePatchType, patch, metav1.PatchOptions{})
			return err
		},
		"delete daemonset": func() error { return gc.AppsV1().DaemonSets(ds.Namespace).Delete(ctx, ds.Name, metav1.DeleteOptions{}) },
		"patch node": func() error {
			_, err := gc.CoreV1().Nodes().Patch(ctx, "dslab-worker", types.MergePatchType, patch, metav1.PatchOptions{})
			return err
		},
		"delete node": func() error { return gc.CoreV1().Nodes().Delete(ctx, "dslab-worker3", metav1.DeleteOptions{}) },
		"delete pod":  func() error { return gc.CoreV1().Pods(ds.Namespace).Delete(ctx, podName, metav1.DeleteOptions{}) },
		"evict pod": func() error {
			return gc.CoreV1().Pods(ds.Namespace).EvictV1(ctx, &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: podName, Namespace: ds.Namespace}})
		},
		"create configmap": func() error {
			_, err := gc.CoreV1().ConfigMaps(embedded.EvidenceNamespace).Create(ctx, cm, metav1.CreateOptions{})
			return err
		},
		"list secrets": func() error { _, err := gc.CoreV1().Secrets("").List(ctx, metav1.ListOptions{}); return err },
		"kube-system configmaps": func() error {
			_, err := gc.CoreV1().ConfigMaps("kube-system").List(ctx, metav1.ListOptions{})
			return err
		},
		"pod logs": func() error {
			return gc.CoreV1().Pods(ds.Namespace).GetLogs(podName, &corev1.PodLogOptions{}).Do(ctx).Error()
		},
		"create clusterrolebinding": func() error {
			crb, err := admin.RbacV1().ClusterRoleBindings().Get(ctx, embedded.GraderRole, metav1.GetOptions{})
			if err != nil {
				return err
			}
			crb.Name, crb.ResourceVersion, crb.RoleRef.Name = "graded", "", "cluster-admin"
			_, err = gc.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{})
			return err
		},
	} {
		if err := write(); !apierrors.IsForbidden(err) {
			t.Errorf("grader %s: got %v, want 403 Forbidden", what, err)
		}
	}
	// Nothing changed behind the errors.
	if d, err := admin.AppsV1().DaemonSets(ds.Namespace).Get(ctx, ds.Name, metav1.GetOptions{}); err != nil || d.Labels["graded"] != "" {
		t.Errorf("DaemonSet after the grader's writes: %v, labels %v", err, d.Labels)
	}
}

// scores reads `grade --all -o json` as exercise → score.
func scores(t *testing.T, out string) map[string]int {
	t.Helper()
	var results []struct {
		Exercise string `json:"exercise"`
		Score    int    `json:"score"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("grade --all -o json: %v\n%s", err, out)
	}
	m := map[string]int{}
	for _, r := range results {
		m[r.Exercise] = r.Score
	}
	if len(m) == 0 {
		t.Fatalf("grade --all -o json graded nothing:\n%s", out)
	}
	return m
}
