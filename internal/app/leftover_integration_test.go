package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationLeftoverDaemonSet: a copy of the exercise's target
// DaemonSet in another namespace (same name, or same pod labels) is pointed
// out by exercise start, grade and reset (a Korean warning, not a failure):
// while the target is absent as the learner's answer in the wrong
// namespace (no removal offered), once it exists as a leftover; reset
// removes it only when asked (--remove-leftovers; stdin here is not a
// terminal, so no prompt and no silent removal). One cluster.
func TestIntegrationLeftoverDaemonSet(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	copies := `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: gpu-monitor, namespace: default}
spec:
  selector: {matchLabels: {app: copy-a}}
  template:
    metadata: {labels: {app: copy-a}}
    spec:
      containers: [{name: a, image: registry.k8s.io/pause:3.10}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: other-name, namespace: default}
spec:
  selector: {matchLabels: {app: gpu-monitor}}
  template:
    metadata: {labels: {app: gpu-monitor}}
    spec:
      containers: [{name: a, image: registry.k8s.io/pause:3.10}]
`
	file := filepath.Join(t.TempDir(), "copies.yaml")
	if err := os.WriteFile(file, []byte(copies), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", file); err != nil {
		t.Fatalf("apply copies: %v\n%s", err, stderr)
	}
	warned := func(what, stderr string) {
		t.Helper()
		flat := strings.Join(strings.Fields(stderr), " ") // wrapped to the width (80 in a pipe)
		for _, want := range []string{"경고:", "이름이 같은 default/gpu-monitor", "파드 레이블이 같은 default/other-name",
			"dslab kubectl delete daemonset gpu-monitor -n default", "--remove-leftovers"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", what, want, stderr)
			}
		}
	}
	// Without the target in dslab the copies may be the learner's answer
	// in the wrong namespace: the warning names the namespace the task
	// asks for and offers no removal.
	misplaced := func(what, stderr string) {
		t.Helper()
		flat := strings.Join(strings.Fields(stderr), " ")
		for _, want := range []string{"경고:", "데몬셋 default/gpu-monitor 는 과제의 데몬셋과 이름이 같고, default/other-name 은 파드 레이블이 같지만 모두 네임스페이스 default 에 있습니다.", "과제의 네임스페이스는 dslab 입니다"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", what, want, stderr)
			}
		}
		if strings.Contains(flat, "--remove-leftovers") {
			t.Errorf("%s: removal offered for what may be the learner's answer:\n%s", what, stderr)
		}
	}
	target := filepath.Join(t.TempDir(), "target.yaml")
	if err := os.WriteFile(target, []byte(strings.NewReplacer("name: gpu-monitor, namespace: default", "name: gpu-monitor, namespace: dslab", "copy-a", "mine").Replace(copies[:strings.Index(copies, "---")])), 0o644); err != nil {
		t.Fatal(err)
	}
	exists := func(name string) bool {
		_, err := c.Client.AppsV1().DaemonSets("default").Get(ctx, name, metav1.GetOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}

	_, stderr, err := c.Run(ctx, "exercise", "start", "gpu-only")
	if err != nil {
		t.Fatalf("start: %v\n%s", err, stderr)
	}
	misplaced("start", stderr)

	_, stderr, err = c.Run(ctx, "grade", "gpu-only")
	if code := testcluster.ExitCode(err); code != ExitFailure {
		t.Errorf("grade of an unsolved exercise: exit %d\n%s", code, stderr)
	}
	misplaced("grade", stderr)

	// The learner's own DaemonSet in dslab: now the copies are leftovers.
	if _, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", target); err != nil {
		t.Fatalf("apply target: %v\n%s", err, stderr)
	}
	_, stderr, err = c.Run(ctx, "grade", "gpu-only")
	if code := testcluster.ExitCode(err); code != ExitFailure {
		t.Errorf("grade of an unsolved exercise: exit %d\n%s", code, stderr)
	}
	warned("grade", stderr)

	_, stderr, err = c.Run(ctx, "exercise", "reset", "gpu-only")
	if err != nil {
		t.Fatalf("reset: %v\n%s", err, stderr)
	}
	warned("reset", stderr)
	if !exists("gpu-monitor") || !exists("other-name") {
		t.Fatal("reset without --remove-leftovers (not a terminal) removed a leftover")
	}

	_, stderr, err = c.Run(ctx, "exercise", "reset", "gpu-only", "--remove-leftovers")
	if err != nil {
		t.Fatalf("reset --remove-leftovers: %v\n%s", err, stderr)
	}
	if exists("gpu-monitor") || exists("other-name") {
		t.Errorf("--remove-leftovers left a copy:\n%s", stderr)
	}
	if flat := strings.Join(strings.Fields(stderr), " "); !strings.Contains(flat, "남은 데몬셋 default/gpu-monitor") || !strings.Contains(flat, "지웠습니다") {
		t.Errorf("removal not reported:\n%s", stderr)
	}
	// Nothing left: no warning any more.
	if _, stderr, _ = c.Run(ctx, "grade", "gpu-only"); strings.Contains(stderr, "경고: 연습 gpu-only") {
		t.Errorf("warning after removal:\n%s", stderr)
	}
}
