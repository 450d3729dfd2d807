package grader_test

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// Scenarios of the production-pitfalls exercises (issue 10), simulated on
// the lab; the same attempts run on a real cluster in
// internal/kube/attempts_pitfalls_integration_test.go.

const (
	agentContainers  = "      containers:\n"
	worker2NotIn     = "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: kubernetes.io/hostname\n                operator: NotIn\n                values: [dslab-worker2]\n"
	maintenanceNotIn = "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: maintenance\n                operator: DoesNotExist\n"
	cordonReason     = "node.kubernetes.io/unschedulable:NoSchedule 톨러레이션을 자동으로 붙이므로, cordon(spec.unschedulable) 은 데몬셋 파드를 내보내지도 다시 오지 못하게 막지도 못합니다"
	templateWarning  = "데몬셋의 파드 템플릿(nodeSelector·노드 어피니티)으로 dslab-worker2 를 뺐습니다"
	newSelector      = "  selector:\n    matchLabels:\n      app: node-agent\n      tier: node\n"
	oldSelector      = "  selector:\n    matchLabels:\n      app: node-agent\n"
)

func maintenance(effect corev1.TaintEffect) corev1.Taint {
	return corev1.Taint{Key: "maintenance", Value: "true", Effect: effect}
}

func steps(fs ...func(*gradertest.Lab, exercises.Exercise)) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, ex exercises.Exercise) {
		for _, f := range fs {
			f(l, ex)
		}
	}
}

func taint(node string, t corev1.Taint) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, _ exercises.Exercise) { l.Taint(node, t) }
}

func cordon(node string) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, _ exercises.Exercise) { l.Cordon(node) }
}

func deletePods(ns, node string) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, _ exercises.Exercise) { l.DeletePods(ns, node) }
}

func deleteTarget(orphan bool) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, ex exercises.Exercise) {
		if orphan {
			l.DeleteOrphan(ex.Spec.Target.Namespace, ex.Spec.Target.Name)
		} else {
			l.Delete(ex.Spec.Target.Namespace, ex.Spec.Target.Name)
		}
	}
}

func tick(d time.Duration) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, _ exercises.Exercise) { l.Tick(d) }
}

const (
	maintenanceToleration = "      - key: maintenance\n        operator: Equal\n        value: \"true\"\n        effect: NoExecute\n"
	churnReason           = "tolerationSeconds 를 늘리면 축출이 늦어질 뿐 여전히 일어납니다"
)

func evictWorker2(l *gradertest.Lab, ex exercises.Exercise) {
	l.Evict(ex.Spec.Target.Namespace, ex.Spec.Target.Name, "{cluster}-worker2")
}

const (
	noSurge     = "      maxSurge: 0\n      maxUnavailable: 1\n"
	surge       = "      maxSurge: 1\n      maxUnavailable: 0\n"
	hostPort    = "          hostPort: 9100\n"
	portsClash  = "hostPort 는 노드마다 한 파드만 쓸 수 있어서"
	surgeReason = "didn't have free ports) Pending 에 머물고 롤아웃이 멈춥니다"
)

func deleteAllPods(l *gradertest.Lab, ex exercises.Exercise) {
	for _, n := range []string{"{cluster}-worker", "{cluster}-worker2", "{cluster}-worker3"} {
		l.DeletePods(ex.Spec.Target.Namespace, n)
	}
}

const (
	agentResources = "        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n          limits:\n            cpu: 200m\n            memory: 128Mi\n"
	wideQuota      = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: team-a\nspec:\n  hard:\n    requests.cpu: \"2\"\n    requests.memory: 1Gi\n    limits.cpu: \"2\"\n    limits.memory: 2Gi\n"
	teamDefaults   = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: team-a\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 50m, memory: 32Mi}\n    default: {cpu: 100m, memory: 64Mi}\n"
)

func applyRaw(manifest string) func(*gradertest.Lab, exercises.Exercise) {
	return func(l *gradertest.Lab, _ exercises.Exercise) { l.Apply([]byte(manifest)) }
}

func init() {
	scenarios["quota-limits"] = []scenario{
		{name: "solution", do: solve},
		// Correct answers written differently.
		{name: "limits-only", do: apply(agentResources, "        resources:\n          limits:\n            cpu: 200m\n            memory: 256Mi\n")},
		{name: "limit-range-defaults", do: steps(applyRaw(teamDefaults), apply(agentResources, "")),
			warn: map[string][]string{"quota-fit": {"리밋레인지(LimitRange) 기본값으로 채워졌습니다"}}},
		// Wrong answers.
		{name: "left-broken", do: func(*gradertest.Lab, exercises.Exercise) {},
			fail: map[string][]string{"placement": {"리소스 쿼터(ResourceQuota) compute 가 제한하는 자원의 값(requests/limits)이 컨테이너에 없어 API 서버가 파드를 만들지 않습니다 (데몬셋 이벤트 FailedCreate: Error creating: ", "must specify"}, "quota-fit": {"컨테이너 log-agent 에 limits.cpu 가 없습니다", "(FailedCreate: failed quota: compute: must specify limits.cpu for: log-agent;"}}},
		{name: "quota-deleted", do: func(l *gradertest.Lab, _ exercises.Exercise) { l.DeleteQuota("team-a", "compute") },
			fail: map[string][]string{"quota-unchanged": {"리소스 쿼터(ResourceQuota) team-a/compute 가 없습니다", "과제: “리소스 쿼터 compute 는 바꾸거나 지우지 마세요.”"}, "quota-fit": {"requests.cpu 가 없습니다"}}},
		{name: "quota-widened", do: steps(applyRaw(wideQuota), apply("cpu: 100m", "cpu: 500m", "cpu: 200m", "cpu: 600m")),
			fail: map[string][]string{"quota-unchanged": {"requests.cpu 가 1 에서 2 로 바뀌었습니다", "과제"}, "quota-fit": {"requests.cpu 파드당 500m × 3 = 1.5 / 쿼터 1", "exceeded quota"}}},
		{name: "too-big", do: apply("cpu: 100m", "cpu: 400m", "cpu: 200m", "cpu: 600m"),
			fail: map[string][]string{"placement": {"리소스 쿼터(ResourceQuota) compute 의 상한을 넘어 API 서버가 파드를 더 만들지 않습니다 (데몬셋 이벤트 FailedCreate: Error creating: ", "exceeded quota"}, "quota-fit": {"파드 3개가 쿼터에 들어가지 않습니다", "requests.cpu 파드당 400m × 3 = 1.2 / 쿼터 1"}}},
		{name: "requests-only", do: apply("          limits:\n            cpu: 200m\n            memory: 128Mi\n", ""),
			fail: map[string][]string{"placement": {"must specify"}, "quota-fit": {"limits.cpu 가 없습니다"}}},
	}
	scenarios["surge-hostport"] = []scenario{
		{name: "solution", do: solve},
		// Correct answers written differently.
		{name: "max-unavailable-all", do: apply(noSurge, "      maxSurge: 0\n      maxUnavailable: 100%\n")},
		{name: "on-delete", do: steps(apply("    type: RollingUpdate\n    rollingUpdate:\n"+noSurge, "    type: OnDelete\n"), deleteAllPods),
			warn: map[string][]string{"no-surge": {"OnDelete 에서는 앞으로 이미지를 바꿀 때마다"}}},
		// Wrong answers.
		{name: "left-stuck", do: func(*gradertest.Lab, exercises.Exercise) {},
			fail: map[string][]string{"all-updated": {"아직 quay.io/prometheus/node-exporter:v1.8.2"}, "no-surge": {"rollingUpdate.maxSurge 가 1 입니다", surgeReason, "과제: “다음 이미지 업데이트도"}}},
		{name: "host-port-removed", do: apply(noSurge, surge, hostPort, ""),
			fail: map[string][]string{"host-port": {"hostPort 9100 이 없어졌습니다", portsClash, "과제: “hostPort 9100 은 그대로 두세요.”"}}},
		{name: "pods-deleted-by-hand", do: steps(deleteAllPods),
			fail: map[string][]string{"no-surge": {surgeReason}}},
	}
	scenarios["noexecute-churn"] = []scenario{
		{name: "solution", do: steps(evictWorker2, tick(20*time.Second), evictWorker2, solve, tick(70*time.Second))},
		// Correct answers written differently.
		{name: "exists-any-value", do: steps(evictWorker2, apply(maintenanceToleration, "      - key: maintenance\n        operator: Exists\n        effect: NoExecute\n"), tick(70*time.Second)),
			warn: map[string][]string{"tolerates-forever": {"value 와 상관없이 key maintenance 의 모든 NoExecute 테인트도 용인합니다"}}},
		{name: "keyless-noexecute", do: steps(evictWorker2, apply(maintenanceToleration, "      - operator: Exists\n        effect: NoExecute\n"), tick(70*time.Second)),
			warn: map[string][]string{"tolerates-forever": {"(모든 key):NoExecute (Exists) 는 필요보다 넓습니다"}}},
		// Wrong answers.
		{name: "left-churning", do: steps(evictWorker2, tick(20*time.Second), evictWorker2, tick(20*time.Second), evictWorker2),
			fail: map[string][]string{"tolerates-forever": {"tolerationSeconds: 20", churnReason}, "uninterrupted": {"축출(eviction)", "metrics-agent-"}}},
		{name: "bigger-seconds", do: steps(evictWorker2, apply(maintenanceToleration, maintenanceToleration+"        tolerationSeconds: 3600\n"), tick(70*time.Second)),
			fail: map[string][]string{"tolerates-forever": {"tolerationSeconds: 3600", "3600초 뒤", churnReason}}},
		{name: "removed-taint", do: steps(evictWorker2, func(l *gradertest.Lab, _ exercises.Exercise) { l.Untaint("{cluster}-worker2", "maintenance") }, tick(70*time.Second)),
			fail: map[string][]string{"tolerates-forever": {"tolerationSeconds: 20"}, "taint-kept": {"dslab-worker2: 테인트 maintenance=true:NoExecute 가 지워졌습니다", "과제: “dslab-worker2 의 테인트는 건드리지 마세요.”"}}},
		{name: "no-toleration", do: steps(apply(maintenanceToleration, ""), tick(70*time.Second)),
			fail: map[string][]string{"tolerates-forever": {"테인트 maintenance=true:NoExecute 를 용인하는 톨러레이션이 없습니다"}, "placement": {"dslab-worker2"}, "uninterrupted": {"파드가 없습니다"}}},
	}
	scenarios["cordon-maintenance"] = []scenario{
		{name: "solution", do: solve},
		// Correct answers written differently.
		{name: "taint-only", do: taint("{cluster}-worker2", maintenance(corev1.TaintEffectNoExecute))},
		{name: "noschedule-and-delete", do: steps(taint("{cluster}-worker2", maintenance(corev1.TaintEffectNoSchedule)), deletePods("dslab", "{cluster}-worker2"))},
		{name: "affinity-not-worker2", do: apply(agentContainers, worker2NotIn+agentContainers),
			warn: map[string][]string{"kept-away": {templateWarning, "다른 노드의 파드까지 새 리비전으로"}}},
		{name: "label-and-affinity", do: steps(func(l *gradertest.Lab, _ exercises.Exercise) { l.Label("{cluster}-worker2", "maintenance", "true") }, apply(agentContainers, maintenanceNotIn+agentContainers)),
			warn: map[string][]string{"kept-away": {templateWarning}}},
		// Wrong answers.
		{name: "cordon-only", do: cordon("{cluster}-worker2"),
			fail: map[string][]string{"kept-away": {"노드가 cordon 되었지만 파드", cordonReason}, "placement": {"dslab-worker2", "점검(maintenance)에 들어간 노드라"}}},
		{name: "cordon-and-delete", do: steps(cordon("{cluster}-worker2"), deletePods("dslab", "{cluster}-worker2")),
			fail: map[string][]string{"kept-away": {cordonReason}, "placement": {"dslab-worker2"}}},
		{name: "noschedule-only", do: taint("{cluster}-worker2", maintenance(corev1.TaintEffectNoSchedule)),
			fail: map[string][]string{"kept-away": {"NoSchedule 테인트와 셀렉터 변경은 이미 실행 중인 파드를 내보내지 않습니다", "maintenance=true:NoSchedule"}, "placement": {"dslab-worker2"}}},
		{name: "tainted-worker3-too", do: steps(solve, taint("{cluster}-worker3", maintenance(corev1.TaintEffectNoExecute))),
			fail: map[string][]string{"placement": {"dslab-worker3"}, "other-nodes-unchanged": {"dslab-worker3: 테인트 maintenance=true:NoExecute 가 추가되었습니다", "과제: “다른 노드의 레이블과 테인트는 바꾸지 마세요.”"}}},
	}
	scenarios["selector-change"] = []scenario{
		{name: "solution", do: solve},
		{name: "match-expressions", do: steps(deleteTarget(false), apply(newSelector, "  selector:\n    matchExpressions:\n    - {key: app, operator: In, values: [node-agent]}\n    - {key: tier, operator: In, values: [node]}\n"))},
		{name: "orphans-cleaned-up", do: steps(deleteTarget(true), solveApply, func(l *gradertest.Lab, _ exercises.Exercise) { l.DeleteOrphans("dslab") })},
		// Wrong answers.
		{name: "apply-refused", do: solveApply,
			fail: map[string][]string{"selector": {"셀렉터(spec.selector)가 app=node-agent 입니다", "field is immutable", "과제: “셀렉터가 정확히 app: node-agent, tier: node 인 데몬셋 node-agent”"}}},
		{name: "orphaned-old-pods", do: steps(deleteTarget(true), solveApply),
			fail: map[string][]string{"no-stray-pods": {"dslab-worker 의 node-agent-", "dslab-worker3 의", "고아(orphan)", "kubectl -n dslab delete pod", "과제: “끝났을 때 레이블이 app: node-agent 인 파드는 이 데몬셋의 파드뿐이어야 합니다"}}},
		{name: "second-daemonset", do: apply("name: node-agent\n", "name: node-agent-v2\n"),
			fail: map[string][]string{"selector": {"app=node-agent 입니다"}, "no-stray-pods": {"다른 데몬셋 dslab/node-agent-v2 의 파드입니다"}}},
		{name: "template-labels-only", do: apply(newSelector, oldSelector),
			fail: map[string][]string{"selector": {"파드 템플릿의 레이블만 바꿔서는"}}},
	}
}

// solveApply applies the reference manifest without its steps.
func solveApply(l *gradertest.Lab, ex exercises.Exercise) { l.Apply(ex.Solution) }

// selector-change graded before any attempt says what is asked, not the
// solution (issue 14: "데몬셋을 지우고(…) 새 셀렉터로 다시 만드세요" before the
// learner had tried); after a change that does not do it, the way is named.
func TestSelectorChangeDoesNotSpoilBeforeAnAttempt(t *testing.T) {
	ex, err := catalog(t).Get("selector-change")
	if err != nil {
		t.Fatal(err)
	}
	l := gradertest.NewLab("dslab")
	l.StartExercise(ex)
	l.Tick(20 * time.Second)
	c, _ := grader.Grade(ex.Spec, l.Snapshot()).Check("selector")
	if c.Passed || !strings.Contains(c.Message, "app=node-agent, tier=node") || !strings.Contains(c.Message, "아직 연습 시작 때 그대로") {
		t.Errorf("untouched: %+v", c)
	}
	for _, spoiler := range []string{"지우고", "delete ds", "다시 만드세요"} {
		if strings.Contains(c.Message, spoiler) {
			t.Errorf("untouched: the advice gives the solution away (%q): %s", spoiler, c.Message)
		}
	}
	// Template labels changed (an attempt): now the way out is named.
	l.Apply(edit(ex, newSelector, oldSelector))
	l.Tick(20 * time.Second)
	c, _ = grader.Grade(ex.Spec, l.Snapshot()).Check("selector")
	if !strings.Contains(c.Message, "데몬셋을 지우고") {
		t.Errorf("after an attempt: %+v", c)
	}
}
