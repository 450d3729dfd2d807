package kube_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// setupLikeKubectl (on the course cluster, TestIntegrationCourse): setup objects carry kubectl's
// last-applied annotation, so a learner who deletes the tolerations from
// the work file and runs `kubectl apply -f` sees them gone (issue 15 §9);
// and `exercise start` right after deleting a namespace waits until it is
// gone, so the learner's next apply works (issue 9 §D).
func setupLikeKubectl(t *testing.T, c *testcluster.Cluster, cat *exercises.Catalog) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	t.Run("removed-field-is-removed", func(t *testing.T) {
		if _, stderr, err := c.Run(ctx, "exercise", "start", "control-plane"); err != nil {
			t.Fatalf("exercise start: %v\n%s", err, stderr)
		}
		ex, _ := cat.Get("control-plane")
		seed := string(ex.Files["seed.yaml"])
		cut := "      tolerations:\n      - key: node-role.kubernetes.io/master\n        effect: NoSchedule\n"
		if !strings.Contains(seed, cut) {
			t.Fatalf("seed.yaml changed; update the test:\n%s", seed)
		}
		work := filepath.Join(t.TempDir(), "control-plane.yaml")
		if err := os.WriteFile(work, []byte(strings.Replace(seed, cut, "", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", work)
		if err != nil {
			t.Fatalf("kubectl apply: %v\n%s%s", err, out, stderr)
		}
		if strings.Contains(stderr, "missing the kubectl.kubernetes.io/last-applied-configuration") {
			t.Errorf("kubectl warned about the missing annotation:\n%s", stderr)
		}
		ds, err := c.Client.AppsV1().DaemonSets("kube-system").Get(ctx, "fluentd-elasticsearch", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if tol := ds.Spec.Template.Spec.Tolerations; len(tol) != 0 {
			t.Errorf("tolerations removed from the file are still there: %+v", tol)
		}
	})

	t.Run("terminating-namespace", func(t *testing.T) {
		if _, stderr, err := c.Run(ctx, "exercise", "start", "monitoring-agent"); err != nil {
			t.Fatalf("exercise start: %v\n%s", err, stderr)
		}
		if err := c.Client.CoreV1().Namespaces().Delete(ctx, "monitoring", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		_, stderr, err := c.Run(ctx, "exercise", "start", "monitoring-agent")
		if err != nil {
			t.Fatalf("exercise start after deleting the namespace: %v\n%s", err, stderr)
		}
		t.Logf("start progress:\n%s", stderr)
		ns, err := c.Client.CoreV1().Namespaces().Get(ctx, "monitoring", metav1.GetOptions{})
		if err != nil || ns.DeletionTimestamp != nil {
			t.Fatalf("namespace after start: %v %+v", err, ns.Status)
		}
		ex, _ := cat.Get("monitoring-agent")
		work := filepath.Join(t.TempDir(), "monitoring-agent.yaml")
		if err := os.WriteFile(work, ex.Solution, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", work); err != nil {
			t.Fatalf("the learner's apply right after start failed: %v\n%s%s", err, out, stderr)
		}
	})
}
