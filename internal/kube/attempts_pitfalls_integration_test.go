package kube_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	kwait "k8s.io/apimachinery/pkg/util/wait"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// Attempts at the production-pitfalls exercises (issue 10) on the shared
// course cluster of TestIntegrationCourse: each starts with an assertion
// that `exercise reset` really produced the broken state, then a learner's
// answer; correct answers that are broader than needed also assert their
// warning (warned), since the course loop checks only pass/fail.

func init() {
	attempts["cordon-maintenance"] = []attempt{
		{name: "solution", do: []action{brokenAgentOnWorker2, solvePitfalls, podOnNode("{cluster}-worker2", false)}},
		{name: "taint-only", do: []action{taintNode("{cluster}-worker2", "maintenance", "true", corev1.TaintEffectNoExecute), podOnNode("{cluster}-worker2", false)}},
		{name: "noschedule-and-delete", do: []action{taintNode("{cluster}-worker2", "maintenance", "true", corev1.TaintEffectNoSchedule), deletePods("{cluster}-worker2"), podOnNode("{cluster}-worker2", false)}},
		{name: "affinity-not-worker2", do: []action{
			applyEdited("      containers:", "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: kubernetes.io/hostname\n                operator: NotIn\n                values: [dslab-worker2]\n      containers:"),
			podOnNode("{cluster}-worker2", false), warned("kept-away", "데몬셋의 파드 템플릿(nodeSelector·노드 어피니티)으로 dslab-worker2 를 뺐습니다")}},
		{name: "cordon-only", do: []action{cordonNode("{cluster}-worker2")},
			fail: map[string]string{"kept-away": "cordon(spec.unschedulable) 은 데몬셋 파드를 내보내지도 다시 오지 못하게 막지도 못합니다", "placement": "dslab-worker2"}},
		{name: "cordon-and-delete", do: []action{cordonNode("{cluster}-worker2"), deletePods("{cluster}-worker2"), podOnNode("{cluster}-worker2", true)},
			fail: map[string]string{"kept-away": "node.kubernetes.io/unschedulable:NoSchedule 톨러레이션을 자동으로", "placement": "dslab-worker2"}},
		{name: "noschedule-only", do: []action{taintNode("{cluster}-worker2", "maintenance", "true", corev1.TaintEffectNoSchedule)},
			fail: map[string]string{"kept-away": "이미 실행 중인 파드를 내보내지 않습니다", "placement": "dslab-worker2"}},
		{name: "tainted-worker3-too", do: []action{taintNode("{cluster}-worker2", "maintenance", "true", corev1.TaintEffectNoExecute), taintNode("{cluster}-worker3", "maintenance", "true", corev1.TaintEffectNoExecute), podOnNode("{cluster}-worker3", false)},
			fail: map[string]string{"placement": "dslab-worker3", "other-nodes-unchanged": "다른 노드의 레이블과 테인트는 바꾸지 마세요."}},
	}
	attempts["selector-change"] = []attempt{
		{name: "solution", do: []action{oneAgentPerWorker, solvePitfalls, noOtherPods("app=node-agent")}},
		{name: "match-expressions", do: []action{deleteTarget(metav1.DeletePropagationBackground),
			applyEdited("  selector:\n    matchLabels:\n      app: node-agent\n      tier: node\n", "  selector:\n    matchExpressions:\n    - {key: app, operator: In, values: [node-agent]}\n    - {key: tier, operator: In, values: [node]}\n"),
			noOtherPods("app=node-agent")}},
		{name: "orphans-cleaned-up", do: []action{deleteTarget(metav1.DeletePropagationOrphan), applyEdited(), deleteOrphans("app=node-agent"), noOtherPods("app=node-agent")}},
		{name: "apply-refused", do: []action{applyRefused("field is immutable")},
			fail: map[string]string{"selector": "field is immutable"}},
		{name: "template-labels-only", do: []action{applyEdited("  selector:\n    matchLabels:\n      app: node-agent\n      tier: node\n", "  selector:\n    matchLabels:\n      app: node-agent\n")},
			fail: map[string]string{"selector": "파드 템플릿의 레이블만 바꿔서는"}},
		{name: "orphaned-old-pods", do: []action{deleteTarget(metav1.DeletePropagationOrphan), applyEdited()},
			fail: map[string]string{"no-stray-pods": "고아(orphan) 파드입니다"}},
		// Last: setup does not remove node-agent-v2.
		{name: "second-daemonset", do: []action{applyEdited("  name: node-agent\n", "  name: node-agent-v2\n")},
			fail: map[string]string{"selector": "app=node-agent 입니다", "no-stray-pods": "다른 데몬셋 dslab/node-agent-v2 의 파드입니다"}},
	}
}

func expandNode(c *testcluster.Cluster, node string) string {
	return strings.ReplaceAll(node, "{cluster}", c.Name)
}

// solvePitfalls is the reference solution with every kind of step, in
// order: steps marked Before, solution.yaml, the other steps.
var solvePitfalls action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	run := func(before bool) {
		for _, s := range ex.SolutionSteps {
			if s.Before != before {
				continue
			}
			switch {
			case s.Taint != nil:
				taintNode(s.Taint.Node, s.Taint.Key, s.Taint.Value, s.Taint.Effect)(ctx, t, c, ex)
			case s.Cordon != "":
				cordonNode(s.Cordon)(ctx, t, c, ex)
			case s.DeleteDaemonSet != nil:
				deleteTarget(metav1.DeletePropagationBackground)(ctx, t, c, ex)
			case s.Label != nil:
				label(s.Label.Node, s.Label.Key, s.Label.Value)(ctx, t, c, ex)
			case s.DeletePod != nil:
				deletePods(s.DeletePod.Node)(ctx, t, c, ex)
			}
		}
	}
	run(true)
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	settle(ctx, t, c, ex)
	run(false)
}

func taintNode(node, key, value string, effect corev1.TaintEffect) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		node := expandNode(c, node)
		n, err := c.Client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n.Spec.Taints = append(slices.DeleteFunc(n.Spec.Taints, func(x corev1.Taint) bool { return x.Key == key && x.Effect == effect }),
			corev1.Taint{Key: key, Value: value, Effect: effect})
		if _, err := c.Client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{FieldManager: "kubectl-taint"}); err != nil {
			t.Fatal(err)
		}
		settle(ctx, t, c, ex)
	}
}

func cordonNode(node string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		patch := []byte(`{"spec":{"unschedulable":true}}`)
		if _, err := c.Client.CoreV1().Nodes().Patch(ctx, expandNode(c, node), types.StrategicMergePatchType, patch, metav1.PatchOptions{FieldManager: "kubectl-cordon"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second) // a controller round: nothing is expected to happen
	}
}

// targetPods lists the live pods the target DaemonSet controls.
func targetPods(ctx context.Context, c *testcluster.Cluster, ex exercises.Exercise) ([]corev1.Pod, error) {
	tg := ex.Spec.Target
	ds, err := c.Client.AppsV1().DaemonSets(tg.Namespace).Get(ctx, tg.Name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	pods, err := c.Client.CoreV1().Pods(tg.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range pods.Items {
		if o := metav1.GetControllerOf(&p); o != nil && o.UID == ds.UID && p.DeletionTimestamp == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// podOnNode waits (up to two minutes) until the target has a live pod on
// node (want) or none.
func podOnNode(node string, want bool) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		node := expandNode(c, node)
		err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
			pods, err := targetPods(ctx, c, ex)
			if err != nil {
				return false, nil
			}
			has := slices.ContainsFunc(pods, func(p corev1.Pod) bool { return p.Spec.NodeName == node })
			return has == want, nil
		})
		if err != nil {
			t.Fatalf("pod of %s on %s = %v never seen: %v", ex.Spec.Target, node, want, err)
		}
		settle(ctx, t, c, ex)
	}
}

// brokenAgentOnWorker2 asserts the state cordon-maintenance starts from:
// a Ready agent on each of the three workers, none elsewhere.
var brokenAgentOnWorker2 action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	assertOnePerWorker(ctx, t, c, ex)
}

// oneAgentPerWorker asserts the state selector-change starts from.
var oneAgentPerWorker action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	assertOnePerWorker(ctx, t, c, ex)
	ds, err := c.Client.AppsV1().DaemonSets("dslab").Get(ctx, "node-agent", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sel := ds.Spec.Selector.MatchLabels; len(sel) != 1 || sel["app"] != "node-agent" {
		t.Fatalf("setup selector %v, want only app=node-agent", sel)
	}
}

func assertOnePerWorker(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	pods, err := targetPods(ctx, c, ex)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []string
	for _, p := range pods {
		nodes = append(nodes, p.Spec.NodeName)
	}
	slices.Sort(nodes)
	want := []string{c.Name + "-worker", c.Name + "-worker2", c.Name + "-worker3"}
	if !slices.Equal(nodes, want) {
		t.Fatalf("after setup the agent runs on %v, want %v", nodes, want)
	}
}

func deleteTarget(policy metav1.DeletionPropagation) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		tg := ex.Spec.Target
		if err := c.Client.AppsV1().DaemonSets(tg.Namespace).Delete(ctx, tg.Name, metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil {
			t.Fatal(err)
		}
		err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
			_, err := c.Client.AppsV1().DaemonSets(tg.Namespace).Get(ctx, tg.Name, metav1.GetOptions{})
			return apierrors.IsNotFound(err), nil
		})
		if err != nil {
			t.Fatalf("%s not deleted: %v", tg, err)
		}
		if policy == metav1.DeletePropagationOrphan {
			// The garbage collector removes the owner references.
			time.Sleep(2 * time.Second)
		}
	}
}

// ownerless lists the live pods matching selector in the target's
// namespace that no controller owns.
func ownerless(ctx context.Context, c *testcluster.Cluster, ex exercises.Exercise, selector string) ([]corev1.Pod, error) {
	pods, err := c.Client.CoreV1().Pods(ex.Spec.Target.Namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range pods.Items {
		if metav1.GetControllerOf(&p) == nil && p.DeletionTimestamp == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func deleteOrphans(selector string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		pods, err := ownerless(ctx, c, ex, selector)
		if err != nil {
			t.Fatal(err)
		}
		if len(pods) == 0 {
			t.Fatalf("no orphaned pod %s to delete", selector)
		}
		for _, p := range pods {
			if err := c.Client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// noOtherPods waits until every pod matching selector in the target's
// namespace is the target's own.
func noOtherPods(selector string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		var last []string
		err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
			own, err := targetPods(ctx, c, ex)
			if err != nil {
				return false, nil
			}
			all, err := c.Client.CoreV1().Pods(ex.Spec.Target.Namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
			if err != nil {
				return false, nil
			}
			last = nil
			for _, p := range all.Items {
				if !slices.ContainsFunc(own, func(o corev1.Pod) bool { return o.UID == p.UID }) {
					last = append(last, p.Name)
				}
			}
			return len(last) == 0, nil
		})
		if err != nil {
			t.Fatalf("pods %s besides the target's: %v (%v)", selector, last, err)
		}
		settle(ctx, t, c, ex)
	}
}

// applyRefused applies the reference manifest and expects the API server
// to refuse it with a message containing want.
func applyRefused(want string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		err := kube.Apply(ctx, c.Client, ex.Solution)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("apply: %v, want an error with %q", err, want)
		}
	}
}

// warned grades and asserts that check id passed with a warning holding
// want (the course loop then grades again and checks pass/fail).
func warned(id, want string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		stdout, stderr, err := c.Run(ctx, "grade", ex.ID, "-o", "json")
		var res grader.Result
		if jerr := json.Unmarshal([]byte(stdout), &res); jerr != nil {
			t.Fatalf("grade: %v %v\n%s", err, jerr, stderr)
		}
		ch, ok := res.Check(id)
		switch {
		case !ok:
			t.Fatalf("no check %s", id)
		case !ch.Passed || !strings.Contains(ch.Warning, want):
			t.Errorf("check %s passed=%v warning %q, want a pass warning with %q", id, ch.Passed, ch.Warning, want)
		}
	}
}

var _ = fmt.Sprint
