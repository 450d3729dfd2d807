package lab

import (
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

func catalog(tb testing.TB) *exercises.Catalog {
	tb.Helper()
	c, err := exercises.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func exercise(tb testing.TB, id string) exercises.Exercise {
	tb.Helper()
	ex, err := catalog(tb).Get(id)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}

// mapOf simulates ex on a lab, lets do act, grades and builds the map.
func mapOf(t *testing.T, id string, do func(*gradertest.Lab, exercises.Exercise)) (NodeMap, grader.Result) {
	t.Helper()
	ex := exercise(t, id)
	l := gradertest.NewLab("dslab")
	l.StartExercise(ex)
	if do != nil {
		do(l, ex)
	}
	snap := l.Snapshot()
	res := grader.Grade(ex.Spec, snap)
	return BuildNodeMap(ex, snap, res), res
}

func row(t *testing.T, m NodeMap, name string) NodeRow {
	t.Helper()
	r, ok := m.Row(name)
	if !ok {
		t.Fatalf("no row for %s in %s", name, m)
	}
	return r
}

func TestNodeMapBeforeTheDaemonSetExists(t *testing.T) {
	m, res := mapOf(t, "gpu-only", nil)
	if res.Passed || m.Exists || len(m.Rows) != 4 {
		t.Fatalf("passed=%v exists=%v rows=%d", res.Passed, m.Exists, len(m.Rows))
	}
	for _, name := range []string{"dslab-worker2", "dslab-worker3"} {
		r := row(t, m, name)
		// Not started: what is expected, without a verdict (no ✗ next to a
		// checklist that has nothing to grade).
		if r.Expected != ExpectPod || r.Graded || r.OK || r.Reason != "" {
			t.Errorf("%s: %+v", name, r)
		}
		if !slices.Contains(r.Attrs, "hardware=gpu") {
			t.Errorf("%s: attrs %v lack hardware=gpu", name, r.Attrs)
		}
	}
	cp := row(t, m, "dslab-control-plane")
	if !cp.ControlPlane || cp.Expected != ExpectNoPod || cp.Graded || !slices.Contains(cp.Attrs, "node-role.kubernetes.io/control-plane:NoSchedule") {
		t.Errorf("control plane: %+v", cp)
	}
	// Labels that do not matter to gpu-only are left out.
	if w := row(t, m, "dslab-worker"); slices.ContainsFunc(w.Attrs, func(a string) bool { return strings.HasPrefix(a, "kubernetes.io/") }) {
		t.Errorf("worker attrs: %v", w.Attrs)
	}
}

func TestNodeMapSolved(t *testing.T) {
	m, res := mapOf(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	if !res.Passed {
		t.Fatalf("solution does not pass: %+v", res)
	}
	if got := m.PodNodes(); !slices.Equal(got, []string{"dslab-worker2", "dslab-worker3"}) {
		t.Fatalf("pods on %v", got)
	}
	for _, r := range m.Rows {
		if !r.Graded || !r.OK {
			t.Errorf("%s not OK: %+v", r.Name, r)
		}
	}
	w2 := row(t, m, "dslab-worker2")
	if w2.Status != "Running" || !strings.HasPrefix(w2.Pod, "gpu-monitor-") || w2.Expected != ExpectPod {
		t.Errorf("worker2: %+v", w2)
	}
	if m.Desired != 2 || m.Ready != 2 || !m.Exists {
		t.Errorf("counters: %+v", m)
	}
}

func TestNodeMapExplainsAWrongSelector(t *testing.T) {
	m, _ := mapOf(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) {
		l.Apply([]byte(strings.Replace(string(ex.Solution), "hardware: gpu", "hardwre: gpu", 1)))
	})
	r := row(t, m, "dslab-worker2")
	if r.OK || r.Pod != "" || r.Expected != ExpectPod || !strings.Contains(r.Reason, "hardwre") {
		t.Errorf("worker2: %+v", r)
	}
	// The DaemonSet's own selector key is shown too (it matters here).
	if !slices.Contains(r.Attrs, "hardware=gpu") {
		t.Errorf("attrs %v", r.Attrs)
	}
}

func TestNodeMapWithoutPlacementCheck(t *testing.T) {
	// rolling-update grades with "updated" (per node images), no placement.
	m, res := mapOf(t, "rolling-update", nil)
	if res.Passed {
		t.Fatal("passes before any change")
	}
	for _, r := range m.Rows {
		if !r.Graded || r.OK || r.Expected != ExpectPod || r.Pod == "" {
			t.Errorf("%s: %+v", r.Name, r)
		}
	}
}

func TestNodeMapImagePullProblem(t *testing.T) {
	m, _ := mapOf(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) {
		l.BreakImage("docker.io/library/busybox:1.37.0", "ImagePullBackOff")
		l.Solve(ex)
	})
	r := row(t, m, "dslab-worker3")
	if r.Status != "ImagePullBackOff" || r.PodReady || r.OK {
		t.Errorf("worker3: %+v", r)
	}
}

// on-delete's point is the canary: its ✓ rows say which image each node
// runs (issue 14: they said only that a Ready pod runs), and before the
// template has the new image the worker2 row says to change the template
// first, not to delete the pod.
func TestNodeMapOnDeleteShowsEachNodesImage(t *testing.T) {
	m, res := mapOf(t, "on-delete", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	if !res.Passed {
		t.Fatalf("solution does not pass: %+v", res)
	}
	for name, tag := range map[string]string{"dslab-worker2": "v1.9.1", "dslab-worker": "v1.8.2", "dslab-control-plane": "v1.8.2"} {
		if r := row(t, m, name); !r.OK || !strings.Contains(r.Reason, "node-exporter:"+tag+" ") || !strings.Contains(r.Reason, "실행 중") {
			t.Errorf("%s: %+v, want the image %s on its ✓ row", name, r, tag)
		}
	}

	// Strategy changed, template still the old image (after a re-start).
	m, _ = mapOf(t, "on-delete", func(l *gradertest.Lab, ex exercises.Exercise) {
		l.Apply([]byte(strings.ReplaceAll(string(ex.Solution), "node-exporter:v1.9.1", "node-exporter:v1.8.2")))
	})
	w2 := row(t, m, "dslab-worker2")
	if w2.OK || !strings.Contains(w2.Reason, "먼저 템플릿의 이미지를") || strings.Contains(w2.Reason, "지워야") {
		t.Errorf("worker2 before the template changed: %+v", w2)
	}
}

// troubleshoot's task is to find the causes: its map says what is wrong on
// each node, never why (issue 14: it named the selector typo and the
// toleration's effect straight away); the hints say why.
func TestNodeMapTroubleshootLeavesTheDiagnosis(t *testing.T) {
	m, res := mapOf(t, "troubleshoot", nil)
	if res.Passed {
		t.Fatal("the broken DaemonSet passes")
	}
	for _, r := range m.Rows {
		for _, cause := range []string{"hardwre", "hardware", "NoExecute", "effect", "오타", "nodeSelector", "톨러레이션"} {
			if strings.Contains(r.Reason, cause) {
				t.Errorf("%s names the cause %q: %q", r.Name, cause, r.Reason)
			}
		}
	}
	for _, name := range []string{"dslab-worker2", "dslab-worker3"} {
		if r := row(t, m, name); r.OK || !strings.Contains(r.Reason, "파드가 있어야 할 노드인데") {
			t.Errorf("%s does not say what is wrong on it: %+v", name, r)
		}
	}
}

// While the last apply failed, a failing row's reason says it is about the
// object from before that apply (issue 14: "hardwre 의 오타가 아닌가요?" for a
// file already fixed); passing rows and the map itself are unchanged.
func TestNodeMapBeforeFailedApply(t *testing.T) {
	m := NodeMap{Rows: []NodeRow{
		{Name: "w1", Graded: true, OK: false, Reason: "nodeSelector 의 key hardwre 는 hardware 의 오타가 아닌가요?"},
		{Name: "w2", Graded: true, OK: true, Reason: "Ready 파드가 실행 중입니다"},
	}}
	got := m.BeforeFailedApply()
	if !strings.HasPrefix(got.Rows[0].Reason, MapBeforeFailedApplyLead) || !strings.Contains(got.Rows[0].Reason, "hardwre") {
		t.Errorf("failing row: %q", got.Rows[0].Reason)
	}
	if got.Rows[1].Reason != m.Rows[1].Reason {
		t.Errorf("passing row changed: %q", got.Rows[1].Reason)
	}
	if strings.HasPrefix(m.Rows[0].Reason, MapBeforeFailedApplyLead) {
		t.Errorf("the original map was modified")
	}
	if again := got.BeforeFailedApply(); again.Rows[0].Reason != got.Rows[0].Reason {
		t.Errorf("said twice: %q", again.Rows[0].Reason)
	}
}
