package grader_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/lessons"
)

// An idle student (a fresh lab, no exercise ever started) scores 0 on
// every exercise, including integrity checks, and every result is
// "not started" with "시작 전" and no accusation (issue 9 §8).
func TestNotStartedScoresNothing(t *testing.T) {
	l := gradertest.NewLab("dslab")
	l.Tick(time.Hour)
	snap := l.Snapshot()
	total := 0
	for _, ex := range catalog(t).All() {
		res := grader.Grade(ex.Spec, snap)
		total += res.Score
		if res.Status != grader.StatusNotStarted || res.Passed || res.Score != 0 || res.MaxScore != 10 {
			t.Errorf("%s: status %q, passed %v, %d/%d", ex.ID, res.Status, res.Passed, res.Score, res.MaxScore)
		}
		if len(res.Checks) != len(ex.Spec.Checks) {
			t.Errorf("%s: %d checks", ex.ID, len(res.Checks))
		}
		for _, c := range res.Checks {
			if c.Passed || c.Points != 0 || !strings.HasPrefix(c.Message, "시작 전") {
				t.Errorf("%s/%s: %+v", ex.ID, c.ID, c)
			}
			for _, accusing := range []string{"확인하세요", "지워졌습니다", "잘못", "오타"} {
				if strings.Contains(c.Message, accusing) {
					t.Errorf("%s/%s accuses: %s", ex.ID, c.ID, c.Message)
				}
			}
		}
		var b bytes.Buffer
		if err := grader.WriteText(&b, []grader.Result{res}); err != nil || !strings.Contains(b.String(), ": 시작 전 · 10점 만점\n") {
			t.Errorf("%s text: %v\n%s", ex.ID, err, b.String())
		}
		b.Reset()
		if err := grader.WriteJUnit(&b, []grader.Result{res}); err != nil || !strings.Contains(b.String(), "<skipped") || strings.Contains(b.String(), "<failure") {
			t.Errorf("%s junit: %v\n%s", ex.ID, err, b.String())
		}
	}
	if total != 0 {
		t.Errorf("a fresh cluster scores %d", total)
	}
	c := grader.ClassReport{Exercises: catalog(t).IDs(), Students: []grader.StudentResult{{Student: "idle"}}}
	for _, ex := range catalog(t).All() {
		c.Students[0].Results = append(c.Students[0].Results, grader.Grade(ex.Spec, snap))
	}
	c.Students[0].Totals()
	var b bytes.Buffer
	if err := grader.WriteClassText(&b, c); err != nil {
		t.Fatal(err)
	}
	row := strings.Fields(strings.Split(b.String(), "\n")[1])
	for _, cell := range row[1 : len(row)-1] {
		if cell != "-" {
			t.Errorf("not-started shown as %q:\n%s", cell, b.String())
		}
	}
}

// Started but the DaemonSet never created: still not started; a look-alike
// in another namespace is an attempt, graded as failed with the reason.
func TestNotStartedVersusAttempt(t *testing.T) {
	ex, err := catalog(t).Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	started := build(ex, scenario{do: func(*gradertest.Lab, exercises.Exercise) {}})
	if res := grader.Grade(ex.Spec, started); res.Status != grader.StatusNotStarted || res.Score != 0 {
		t.Errorf("started, nothing applied: %s %d", res.Status, res.Score)
	}
	wrongNS := build(ex, scenario{do: apply("namespace: kube-system", "namespace: default")})
	if res := grader.Grade(ex.Spec, wrongNS); res.Status != grader.StatusFailed {
		t.Errorf("wrong namespace graded %s", res.Status)
	}
}

// A snapshot of one exercise graded as another is refused with a typed
// error the CLI maps to exit 2 (issue 15 §8).
func TestSnapshotMismatch(t *testing.T) {
	c := catalog(t)
	gpu, _ := c.Get("gpu-only")
	cp, _ := c.Get("control-plane")
	snap := build(gpu, scenario{do: solve})
	if err := grader.CheckSnapshot(gpu.Spec, snap); err != nil {
		t.Errorf("own snapshot refused: %v", err)
	}
	err := grader.CheckSnapshot(cp.Spec, snap)
	var mm *grader.SnapshotMismatchError
	if !errors.Is(err, grader.ErrSnapshotMismatch) || !errors.As(err, &mm) || mm.Snapshot != "gpu-only" || mm.Exercise != "control-plane" {
		t.Fatalf("mismatch not reported: %v", err)
	}
	if !strings.Contains(err.Error(), "스냅숏은 gpu-only 의 것이라 연습 control-plane 으로 채점할 수 없습니다") {
		t.Errorf("message: %s", err)
	}
	// A recording of another DaemonSet is refused too.
	ru, _ := c.Get("rolling-update")
	rec := build(ru, scenario{do: solve})
	rec.Baseline.Exercise = ""
	if err := grader.CheckSnapshot(gpu.Spec, rec); !errors.Is(err, grader.ErrSnapshotMismatch) {
		t.Errorf("foreign recording accepted: %v", err)
	}
}

// "기대한 노드(…) 모두에서 … 실행 중" lists only the expected nodes
// (issue 15 §8): a pod on the control plane is the other check's business.
func TestCoversMessageListsExpectedNodes(t *testing.T) {
	ex, _ := catalog(t).Get("ds-basics")
	snap := build(ex, scenario{do: apply(fluentdTolerations, "      tolerations:\n"+wildcard+fluentdTolerations)})
	c, _ := grader.Grade(ex.Spec, snap).Check("on-every-worker")
	if !c.Passed || !strings.HasSuffix(c.Message, ": dslab-worker, dslab-worker2, dslab-worker3") {
		t.Errorf("covers message: %s", c.Message)
	}
}

// A pod that an older template placed and the current one no longer
// tolerates is misscheduled, never placed, and the reason says so.
func TestMisscheduledFromOlderTemplate(t *testing.T) {
	ex, _ := catalog(t).Get("on-delete")
	snap := build(ex, scenario{do: func(l *gradertest.Lab, ex exercises.Exercise) {
		// OnDelete, then drop the control-plane toleration: the old pod
		// stays on the tainted control plane.
		l.Apply(edit(ex, cpToleration, ""))
	}})
	res := grader.Grade(ex.Spec, snap)
	c, _ := res.Check("on-all-nodes")
	var cpNode *grader.NodeResult
	for i := range c.Nodes {
		if c.Nodes[i].Node == "dslab-control-plane" {
			cpNode = &c.Nodes[i]
		}
	}
	if c.Passed || cpNode == nil || cpNode.Actual != grader.StateMisscheduled || !strings.Contains(cpNode.Reason, "예전 파드 템플릿") {
		t.Errorf("misscheduled: %+v", c)
	}
}

// monitoring-agent grades the image the task asks (v1.9.1): the lesson's
// own manifest (lesson 11, v1.8.2 at the time of writing) fails exactly
// the image check, with the task's words; if the lesson moves to v1.9.1 it
// passes.
func TestMonitoringAgentGradesLessonImage(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	var manifest string
	for _, l := range course {
		if l.ID != "monitoring-agent" {
			continue
		}
		for _, block := range strings.Split(l.Body, "```yaml\n")[1:] {
			block = block[:strings.Index(block, "```")]
			if strings.Contains(block, "kind: DaemonSet") && strings.Contains(block, "name: node-exporter") {
				manifest = block
			}
		}
	}
	if manifest == "" {
		t.Skip("lesson monitoring-agent has no node-exporter DaemonSet manifest")
	}
	ex, _ := catalog(t).Get("monitoring-agent")
	res := grader.Grade(ex.Spec, build(ex, scenario{do: func(l *gradertest.Lab, _ exercises.Exercise) { l.Apply([]byte(manifest)) }}))
	img, _ := res.Check("image")
	if strings.Contains(manifest, "node-exporter:v1.9.1") {
		if !img.Passed {
			t.Errorf("lesson manifest with v1.9.1 fails the image check: %s", img.Message)
		}
		return
	}
	if img.Passed || !strings.Contains(img.Message, "quay.io/prometheus/node-exporter:v1.9.1 이어야 합니다 — 과제: “컨테이너 node-exporter, 이미지 quay.io/prometheus/node-exporter:v1.9.1”") {
		t.Errorf("lesson manifest image check: %+v", img)
	}
	for _, c := range res.Checks {
		if c.ID != "image" && !c.Passed {
			t.Errorf("lesson manifest fails %s: %s", c.ID, c.Message)
		}
	}
}
