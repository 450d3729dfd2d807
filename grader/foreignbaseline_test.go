package grader_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/dslab-kr/dslab/grader"
)

// A snapshot whose baseline was recorded for another exercise is not
// compared with it (issue 14: gpu-only's recorded attempt was regraded
// against the taints exercise's nodes): the nodes are graded as they are,
// the node-change check says it cannot compare, and a note names the other
// exercise.
func TestForeignBaselineIsNotCompared(t *testing.T) {
	ex, err := catalog(t).Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(fixturePath("gpu-only", "solution"))
	if err != nil {
		t.Fatal(err)
	}
	var snap grader.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	// The other exercise's baseline: no GPU labels, a taint on dslab-worker.
	snap.Baseline.Exercise = "taints"
	for i := range snap.Baseline.Nodes {
		n := &snap.Baseline.Nodes[i]
		labels := map[string]string{}
		for k, v := range n.Labels {
			if !strings.Contains(k, "gpu") && !strings.Contains(v, "gpu") {
				labels[k] = v
			}
		}
		n.Labels = labels
		if n.Name == "dslab-worker" {
			n.Taints = append(n.Taints, corev1.Taint{Key: "dedicated", Value: "logging", Effect: corev1.TaintEffectNoSchedule})
		}
	}
	res := grader.Grade(ex.Spec, snap)
	for _, c := range res.Checks {
		switch c.ID {
		case "nodes-unchanged":
			if c.Passed || len(c.Nodes) != 0 || !strings.Contains(c.Message, "확인할 수 없습니다") {
				t.Errorf("nodes-unchanged compared with the other exercise's baseline: passed=%v %q %v", c.Passed, c.Message, c.Nodes)
			}
		default:
			if !c.Passed {
				t.Errorf("check %s failed against the other exercise's baseline: %s", c.ID, c.Message)
			}
		}
	}
	if notes := strings.Join(res.Notes, "\n"); !strings.Contains(notes, "다른 연습 taints 의 것이라") {
		t.Errorf("notes do not say the baseline is another exercise's: %q", notes)
	}
}
