package grader_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// Scenarios of bad-image-rollback (issue 13): on the simulated lab the
// broken rollout stalls on dslab-control-plane (the first node in name
// order), so the healthy pods are on the three workers.
func init() {
	const (
		good = "quay.io/prometheus/node-exporter:v1.8.2"
		bad  = "quay.io/prometheus/node-exporter:v1.99.0"
		next = "quay.io/prometheus/node-exporter:v1.9.1"
	)
	starterFixed := func(l *gradertest.Lab, ex exercises.Exercise) {
		l.Apply([]byte(strings.Replace(string(ex.Starter), bad, good, 1)))
	}
	scenarios["bad-image-rollback"] = []scenario{
		{name: "solution", do: solve},
		// `kubectl apply -f` of the manifest as it was before the bad
		// update: the same template, so the same revision hash.
		{name: "apply-old-manifest", do: func(l *gradertest.Lab, ex exercises.Exercise) {
			l.Apply(ex.Files["node-exporter.yaml"])
		}},
		// The starter (the broken manifest) with the tag put back.
		{name: "starter-tag-fixed", do: starterFixed},
		{name: "delete-and-recreate", do: func(l *gradertest.Lab, ex exercises.Exercise) {
			l.Delete("monitoring", "node-exporter")
			l.Apply(ex.Solution)
		}, fail: map[string][]string{"same-pods": {"데몬셋을 지우고 다시 만들어서", "멀쩡히 돌고 있는 세 파드는 다시 시작하지 마세요",
			// Issue 14: an ordering trap names its way out.
			"처음부터 다시 하세요 (TUI 에서 r 두 번, 또는 dslab exercise reset bad-image-rollback)"}}},
		{name: "fixed-then-deleted-healthy-pod", do: func(l *gradertest.Lab, ex exercises.Exercise) {
			starterFixed(l, ex)
			l.DeletePods("monitoring", "{cluster}-worker2")
		}, fail: map[string][]string{"same-pods": {"건강하던 파드가 다시 만들어졌습니다 (노드: dslab-worker2)", "과제: “멀쩡히", "dslab exercise reset bad-image-rollback"}}},
		{name: "fix-forward-v1.9.1", do: apply(good, next),
			fail: map[string][]string{
				"restored":  {"이미지가 " + next + " 입니다"},
				"same-pods": {"건강하던 파드가 다시 만들어졌습니다"},
			}},
		{name: "deleted-broken-pod-only", do: func(l *gradertest.Lab, ex exercises.Exercise) {
			l.DeletePods("monitoring", "{cluster}-control-plane")
		}, fail: map[string][]string{
			"restored":     {"이미지가 " + bad + " 입니다"},
			"on-all-nodes": {"ImagePullBackOff"},
		}},
	}
}

// A DaemonSet deleted and recreated in the same second as the baseline
// (creationTimestamp has one-second resolution, the baseline does not) is
// still named as recreated.
func TestSamePodsRecreatedSameSecondAsBaseline(t *testing.T) {
	ex, err := catalog(t).Get("bad-image-rollback")
	if err != nil {
		t.Fatal(err)
	}
	l := gradertest.NewLab("dslab")
	l.StartExercise(ex)
	l.Delete("monitoring", "node-exporter")
	l.Apply(ex.Solution)
	l.Tick(20 * time.Second)
	snap := l.Snapshot()
	var created time.Time
	for _, d := range snap.DaemonSets {
		if d.Name == "node-exporter" {
			created = d.Created
		}
	}
	b := *snap.Baseline
	b.Recorded = created.Add(500 * time.Millisecond)
	snap.Baseline = &b
	c, _ := grader.Grade(ex.Spec, snap).Check("same-pods")
	if c.Passed || !strings.Contains(c.Message, "데몬셋을 지우고 다시 만들어서") {
		t.Errorf("same-second recreate: %+v", c)
	}
}
