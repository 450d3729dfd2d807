package kube_test

import (
	"context"
	"encoding/json"
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

const (
	maintenanceToleration = "      - key: maintenance\n        operator: Equal\n        value: \"true\"\n        effect: NoExecute\n"
	noSurgeStrategy       = "      maxSurge: 0\n      maxUnavailable: 1\n"
	agentResources        = "        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n          limits:\n            cpu: 200m\n            memory: 128Mi\n"
)

func init() {
	attempts["noexecute-churn"] = []attempt{
		{name: "solution", do: []action{evictedOnWorker2, solvePitfalls, ranFor("{cluster}-worker2")}},
		{name: "exists-any-value", do: []action{applyEdited(maintenanceToleration, "      - key: maintenance\n        operator: Exists\n        effect: NoExecute\n"), ranFor("{cluster}-worker2")}},
		{name: "keyless-noexecute", do: []action{applyEdited(maintenanceToleration, "      - operator: Exists\n        effect: NoExecute\n"), ranFor("{cluster}-worker2"),
			warned("tolerates-forever", "(모든 key):NoExecute (Exists) 는 필요보다 넓습니다")}},
		{name: "left-churning", do: []action{evictedOnWorker2},
			fail:  map[string]string{"tolerates-forever": "tolerationSeconds: 20", "uninterrupted": "축출(eviction)"},
			maybe: []string{"placement"}},
		{name: "bigger-seconds", do: []action{applyEdited(maintenanceToleration, maintenanceToleration+"        tolerationSeconds: 3600\n")},
			fail:  map[string]string{"tolerates-forever": "tolerationSeconds 를 늘리면 축출이 늦어질 뿐 여전히 일어납니다"},
			maybe: []string{"uninterrupted"}},
		{name: "removed-taint", do: []action{untaint("{cluster}-worker2", "maintenance")},
			fail:  map[string]string{"tolerates-forever": "tolerationSeconds: 20", "taint-kept": "dslab-worker2 의 테인트는 건드리지 마세요."},
			maybe: []string{"uninterrupted"}},
		{name: "no-toleration", do: []action{applyEdited("      tolerations:\n"+maintenanceToleration, ""), podOnNode("{cluster}-worker2", false)},
			fail: map[string]string{"tolerates-forever": "용인하는 톨러레이션이 없습니다", "placement": "dslab-worker2", "uninterrupted": "파드가 없습니다"}},
	}
	attempts["surge-hostport"] = []attempt{
		{name: "solution", do: []action{surgeStuck, solvePitfalls}},
		{name: "max-unavailable-all", do: []action{applyEdited(noSurgeStrategy, "      maxSurge: 0\n      maxUnavailable: 100%\n")}},
		{name: "on-delete", do: []action{applyEdited("    type: RollingUpdate\n    rollingUpdate:\n"+noSurgeStrategy, "    type: OnDelete\n"),
			deletePods("{cluster}-worker"), deletePods("{cluster}-worker2"), deletePods("{cluster}-worker3"), warned("no-surge", "OnDelete 에서는 앞으로 이미지를 바꿀 때마다")}},
		{name: "left-stuck", do: []action{surgeStuck},
			fail: map[string]string{"all-updated": "v1.8.2", "no-surge": "didn't have free ports"}},
		{name: "host-port-removed", do: []action{applyEdited(noSurgeStrategy, "      maxSurge: 1\n      maxUnavailable: 0\n", "          hostPort: 9100\n", "")},
			fail: map[string]string{"host-port": "hostPort 는 노드마다 한 파드만 쓸 수 있어서"}},
		// The API server refuses maxSurge 1 with maxUnavailable 1 for a
		// DaemonSet ("may not be set when maxUnavailable is non-zero").
		{name: "pods-deleted-by-hand", do: []action{deleteOldPods("quay.io/prometheus/node-exporter:v1.8.2")},
			fail: map[string]string{"no-surge": "rollingUpdate.maxSurge 가 1 입니다"}, maybe: []string{"all-updated"}},
	}
	attempts["quota-limits"] = []attempt{
		{name: "solution", do: []action{quotaRefusedPods, solvePitfalls}},
		{name: "limits-only", do: []action{applyEdited(agentResources, "        resources:\n          limits:\n            cpu: 200m\n            memory: 256Mi\n")}},
		{name: "limit-range-defaults", do: []action{
			applyManifest("apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: team-a\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 50m, memory: 32Mi}\n    default: {cpu: 100m, memory: 64Mi}\n"),
			// A changed label makes the DaemonSet controller sync now
			// instead of after its FailedCreate back-off.
			applyEdited(agentResources, "", "    app: log-agent\nspec:", "    app: log-agent\n    defaults: limit-range\nspec:"),
			warned("quota-fit", "리밋레인지(LimitRange) 기본값으로 채워졌습니다")}},
		{name: "left-broken", do: []action{quotaRefusedPods},
			fail: map[string]string{"placement": "must specify", "quota-fit": "limits.cpu 가 없습니다"}},
		{name: "quota-deleted", do: []action{deleteQuota, applyEdited(agentResources, "", "    app: log-agent\nspec:", "    app: log-agent\n    quota: deleted\nspec:")},
			fail: map[string]string{"quota-unchanged": "team-a/compute 가 없습니다", "quota-fit": "requests.cpu 가 없습니다"}},
		{name: "quota-widened", do: []action{applyManifest("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: team-a\nspec:\n  hard:\n    requests.cpu: \"2\"\n    requests.memory: 1Gi\n    limits.cpu: \"2\"\n    limits.memory: 2Gi\n"),
			applyEdited("cpu: 100m", "cpu: 500m", "cpu: 200m", "cpu: 600m")},
			fail: map[string]string{"quota-unchanged": "requests.cpu 가 1 에서 2 로 바뀌었습니다", "quota-fit": "exceeded quota"}},
		{name: "too-big", do: []action{applyOnly("cpu: 100m", "cpu: 400m", "cpu: 200m", "cpu: 600m"), dsEvent("FailedCreate", "exceeded quota"), readyPods(2)},
			fail: map[string]string{"placement": "exceeded quota", "quota-fit": "파드 3개가 쿼터에 들어가지 않습니다"}},
		{name: "requests-only", do: []action{applyOnly("          limits:\n            cpu: 200m\n            memory: 128Mi\n", ""), dsObserved, dsEvent("FailedCreate", "must specify limits.cpu for: log-agent; limits.memory for: log-agent")},
			fail: map[string]string{"placement": "must specify", "quota-fit": "limits.cpu 가 없습니다"}},
	}
}

// ranFor waits until the target's pod on node has run as long as the
// exercise's uninterrupted check asks (its seconds, plus one for the
// one-second resolution of creationTimestamp): no longer.
func ranFor(node string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		var secs int32
		for _, ch := range ex.Spec.Checks {
			if ch.Kind == grader.KindUninterrupted {
				secs = ch.Seconds
			}
		}
		if secs == 0 {
			t.Fatal("no uninterrupted check")
		}
		node := expandNode(c, node)
		need := time.Duration(secs+1) * time.Second
		err := kwait.PollUntilContextTimeout(ctx, time.Second, need+2*time.Minute, true, func(ctx context.Context) (bool, error) {
			pods, err := targetPods(ctx, c, ex)
			if err != nil {
				return false, nil
			}
			for _, p := range pods {
				if p.Spec.NodeName == node && podReady(p) && time.Since(p.CreationTimestamp.Time) >= need {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			t.Fatalf("no pod on %s ran %s: %v", node, need, err)
		}
	}
}

func podReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// evictedOnWorker2 asserts the state noexecute-churn starts from: the
// taint-eviction controller has evicted a pod of the agent.
var evictedOnWorker2 action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	evs, err := c.Client.CoreV1().Events("dslab").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs.Items {
		if e.InvolvedObject.Kind == "Pod" && e.Reason == grader.EvictionReason && strings.HasPrefix(e.InvolvedObject.Name, "metrics-agent-") && strings.HasPrefix(e.Message, grader.EvictionMessagePrefix) {
			return
		}
	}
	t.Fatal("setup left no TaintManagerEviction event of metrics-agent")
}

// surgeStuck asserts the state surge-hostport starts from: the template
// is v1.9.1, a new pod is Pending on free ports, and three Ready pods
// still run v1.8.2.
var surgeStuck action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	ds, err := c.Client.AppsV1().DaemonSets("monitoring").Get(ctx, "port-exporter", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if img := ds.Spec.Template.Spec.Containers[0].Image; img != "quay.io/prometheus/node-exporter:v1.9.1" {
		t.Fatalf("template image %s", img)
	}
	pods, err := targetPods(ctx, c, ex)
	if err != nil {
		t.Fatal(err)
	}
	old, pending := 0, 0
	for _, p := range pods {
		switch {
		case podReady(p) && p.Spec.Containers[0].Image == "quay.io/prometheus/node-exporter:v1.8.2":
			old++
		case p.Status.Phase == corev1.PodPending:
			for _, cond := range p.Status.Conditions {
				if cond.Type == corev1.PodScheduled && strings.Contains(cond.Message, "didn't have free ports") {
					pending++
				}
			}
		}
	}
	if old != 3 || pending != 1 {
		t.Fatalf("after setup %d Ready v1.8.2 pods and %d Pending on ports, want 3 and 1", old, pending)
	}
}

// quotaRefusedPods asserts the state quota-limits starts from: the quota,
// no pod, and the DaemonSet's FailedCreate "must specify".
var quotaRefusedPods action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	q, err := c.Client.CoreV1().ResourceQuotas("team-a").Get(ctx, "compute", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cpu := q.Spec.Hard[corev1.ResourceRequestsCPU]; cpu.String() != "1" {
		t.Fatalf("quota requests.cpu %s", cpu.String())
	}
	pods, err := c.Client.CoreV1().Pods("team-a").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pods.Items) != 0 {
		t.Fatalf("%d pods in team-a after setup, want none", len(pods.Items))
	}
	dsEvent("FailedCreate", "must specify")(ctx, t, c, ex)
}

var deleteQuota action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	if err := c.Client.CoreV1().ResourceQuotas("team-a").Delete(ctx, "compute", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func applyManifest(manifest string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		if err := kube.Apply(ctx, c.Client, []byte(manifest)); err != nil {
			t.Fatal(err)
		}
	}
}

// applyOnly applies the edited solution without waiting for a rollout
// (one that cannot finish).
func applyOnly(pairs ...string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		if err := kube.Apply(ctx, c.Client, edit(ex, pairs...)); err != nil {
			t.Fatal(err)
		}
	}
}

// dsEvent waits for an event about the target with reason whose message
// contains msg.
func dsEvent(reason, msg string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		tg := ex.Spec.Target
		err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
			evs, err := c.Client.CoreV1().Events(tg.Namespace).List(ctx, metav1.ListOptions{})
			if err != nil {
				return false, nil
			}
			for _, e := range evs.Items {
				if e.InvolvedObject.Kind == "DaemonSet" && e.InvolvedObject.Name == tg.Name && e.Reason == reason && strings.Contains(e.Message, msg) {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			t.Fatalf("no %s event %q of %s: %v", reason, msg, tg, err)
		}
		time.Sleep(2 * time.Second)
	}
}

// dsObserved waits until the DaemonSet controller has seen the target's
// latest spec (status.observedGeneration).
var dsObserved action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	tg := ex.Spec.Target
	err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		ds, err := c.Client.AppsV1().DaemonSets(tg.Namespace).Get(ctx, tg.Name, metav1.GetOptions{})
		return err == nil && ds.Status.ObservedGeneration >= ds.Generation, nil
	})
	if err != nil {
		t.Fatalf("%s not observed: %v", tg, err)
	}
}

// readyPods waits until the target has n Ready pods.
func readyPods(n int) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		err := kwait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
			pods, err := targetPods(ctx, c, ex)
			ready := 0
			for _, p := range pods {
				if podReady(p) {
					ready++
				}
			}
			return err == nil && ready == n, nil
		})
		if err != nil {
			t.Fatalf("%s never had %d Ready pods: %v", ex.Spec.Target, n, err)
		}
	}
}

// deleteOldPods deletes the target's pods running image at once (the
// learner clearing the way for the surge pods by hand), then settles.
func deleteOldPods(image string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		pods, err := targetPods(ctx, c, ex)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range pods {
			if p.Spec.Containers[0].Image == image {
				if err := c.Client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		if n == 0 {
			t.Fatalf("no pod runs %s", image)
		}
		settle(ctx, t, c, ex)
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
