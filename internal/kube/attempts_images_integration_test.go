package kube_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// kubectl runs the lab's built-in kubectl like a learner in `dslab shell`.
func kubectl(args ...string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		if out, stderr, err := c.Run(ctx, append([]string{"kubectl"}, args...)...); err != nil {
			t.Fatalf("kubectl %v: %v\n%s%s", args, err, out, stderr)
		}
	}
}

// kubectlApplyFile writes one of the exercise's files and runs
// `kubectl apply -f` on it (client-side apply, as a learner would).
func kubectlApplyFile(name string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, ex.Files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		kubectl("apply", "-f", path)(ctx, t, c, ex)
	}
}

func settled(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	settle(ctx, t, c, ex)
}

// Issue 13: bad-image-rollback. `exercise reset` leaves node-exporter's
// rollout stalled on v1.99.0 (one pod in ImagePullBackOff, three healthy
// v1.8.2 pods recorded as the baseline).
func init() {
	const ds = "daemonset/node-exporter"
	good := "node-exporter=quay.io/prometheus/node-exporter:v1.8.2"
	attempts["bad-image-rollback"] = []attempt{
		// The reference: back to the previous revision, whose pods stay.
		{name: "solution", do: []action{kubectl("-n", "monitoring", "rollout", "undo", ds), settled}},
		// Two other correct answers: the manifest as it was, and the
		// image set back; both give the template of revision 1 again.
		{name: "apply-old-manifest", do: []action{kubectlApplyFile("node-exporter.yaml"), settled}},
		{name: "set-image-back", do: []action{kubectl("-n", "monitoring", "set", "image", ds, good), settled}},
		// Wrong: every healthy pod is restarted.
		{name: "delete-and-recreate", do: []action{
			kubectl("-n", "monitoring", "delete", ds),
			kubectlApplyFile("node-exporter.yaml"), settled,
		}, fail: map[string]string{"same-pods": "데몬셋을 지우고 다시 만들어서"}},
		{name: "undo-then-restart", do: []action{
			kubectl("-n", "monitoring", "rollout", "undo", ds), settled,
			kubectl("-n", "monitoring", "rollout", "restart", ds), settled,
		}, fail: map[string]string{"same-pods": "건강하던 파드가 다시 만들어졌습니다"}},
		{name: "fix-forward-v1.9.1", do: []action{
			kubectl("-n", "monitoring", "set", "image", ds, "node-exporter=quay.io/prometheus/node-exporter:v1.9.1"), settled,
		}, fail: map[string]string{
			"restored":  "quay.io/prometheus/node-exporter:v1.9.1 입니다",
			"same-pods": "과제: “멀쩡히 돌고 있는 세 파드는 다시 시작하지 마세요”",
		}},
	}
}
