package grader

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Hand-made snapshots for each check kind of check_pitfalls.go.

var pt0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func ptNodes() []Node {
	cp := Node{Name: "lab-control-plane", Ready: true, Labels: map[string]string{LabelControlPlane: ""},
		Taints: []corev1.Taint{{Key: TaintControlPlane, Effect: corev1.TaintEffectNoSchedule}}}
	out := []Node{cp}
	for _, n := range []string{"lab-worker", "lab-worker2", "lab-worker3"} {
		out = append(out, Node{Name: n, Ready: true, Labels: map[string]string{"kubernetes.io/hostname": n}})
	}
	return out
}

// ptSnap is a DaemonSet ns/agent with tpl and a Ready pod created at
// created on each worker.
func ptSnap(tpl PodTemplate, created time.Time) Snapshot {
	s := Snapshot{Version: SnapshotVersion, CapturedAt: pt0.Add(10 * time.Minute), Cluster: "lab", Nodes: ptNodes()}
	ds := DaemonSet{Namespace: "ns", Name: "agent", UID: "ds-1", Template: tpl,
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}}}
	s.DaemonSets = []DaemonSet{ds}
	for _, n := range []string{"lab-worker", "lab-worker2", "lab-worker3"} {
		s.Pods = append(s.Pods, Pod{Namespace: "ns", Name: "agent-" + n, Node: n, OwnerUID: "ds-1", OwnerKind: "DaemonSet", Phase: "Running", Ready: true, Created: created,
			Containers: []ContainerStatus{{Name: "c", Image: "img", Ready: true, State: "running"}}})
	}
	s.Baseline = &Baseline{Exercise: "x", Recorded: pt0, Source: "state"}
	for _, n := range s.Nodes {
		s.Baseline.Nodes = append(s.Baseline.Nodes, BaselineNode{Name: n.Name, Labels: n.Labels, Taints: n.Taints})
	}
	return s
}

func ptGrade(t *testing.T, c Check, s Snapshot) CheckResult {
	t.Helper()
	c.ID, c.Title, c.Points = "c", "t", 1
	spec := Spec{ID: "x", Target: ObjectRef{Namespace: "ns", Name: "agent"}, Expect: NodeSet{Role: "workers"}, Checks: []Check{c}}
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	res := Grade(spec, s)
	r, _ := res.Check("c")
	return r
}

func want(t *testing.T, name string, r CheckResult, pass bool, msg, warn string) {
	t.Helper()
	text := r.Message
	for _, n := range r.Nodes {
		text += "\n" + n.Node + ": " + n.Reason
	}
	if r.Passed != pass || !strings.Contains(text, msg) || !strings.Contains(r.Warning, warn) || (warn == "" && r.Warning != "") {
		t.Errorf("%s: passed %v (want %v)\n%s\nwarning: %s\nwant %q / warning %q", name, r.Passed, pass, text, r.Warning, msg, warn)
	}
}

func setNode(s *Snapshot, name string, f func(*Node)) {
	for i := range s.Nodes {
		if s.Nodes[i].Name == name {
			f(&s.Nodes[i])
		}
	}
}

func dropPod(s *Snapshot, node string) {
	var out []Pod
	for _, p := range s.Pods {
		if p.Node != node {
			out = append(out, p)
		}
	}
	s.Pods = out
}

func TestCheckKeptAway(t *testing.T) {
	c := Check{Kind: KindKeptAway, Node: "{cluster}-worker2"}
	cordoned := func(n *Node) {
		n.Unschedulable = true
		n.Taints = append(n.Taints, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	}
	s := ptSnap(PodTemplate{}, pt0)
	setNode(&s, "lab-worker2", cordoned)
	want(t, "cordon only", ptGrade(t, c, s), false, "cordon(spec.unschedulable) 은 데몬셋 파드를 내보내지도", "")
	dropPod(&s, "lab-worker2")
	want(t, "cordon, pod deleted", ptGrade(t, c, s), false, "곧 다시 만듭니다", "")

	s = ptSnap(PodTemplate{}, pt0)
	setNode(&s, "lab-worker2", func(n *Node) {
		n.Taints = append(n.Taints, corev1.Taint{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoSchedule})
	})
	want(t, "NoSchedule, pod left", ptGrade(t, c, s), false, "이미 실행 중인 파드를 내보내지 않습니다", "")
	dropPod(&s, "lab-worker2")
	want(t, "NoSchedule, pod deleted", ptGrade(t, c, s), true, "다시 오지 않습니다", "")

	s = ptSnap(PodTemplate{}, pt0)
	dropPod(&s, "lab-worker2")
	want(t, "pod deleted only", ptGrade(t, c, s), false, "테인트나 노드 어피니티가 필요합니다", "")

	aff := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"lab-worker2"}}}}}}}}
	s = ptSnap(PodTemplate{Affinity: aff}, pt0)
	dropPod(&s, "lab-worker2")
	want(t, "affinity", ptGrade(t, c, s), true, "다시 오지 않습니다", "다른 노드의 파드까지 새 리비전으로")
}

func TestCheckUninterrupted(t *testing.T) {
	c := Check{Kind: KindUninterrupted, Node: "{cluster}-worker2", Seconds: 60}
	at := pt0.Add(10 * time.Minute) // capture time
	s := ptSnap(PodTemplate{}, at.Add(-70*time.Second))
	want(t, "ran 70s", ptGrade(t, c, s), true, "70초 동안 축출도 재시작도 없었습니다", "")

	s = ptSnap(PodTemplate{}, at.Add(-30*time.Second))
	want(t, "ran 30s", ptGrade(t, c, s), false, "만들어진 지 30초입니다: 60초 이상", "")
	s.Events = []Event{{Namespace: "ns", Kind: "Pod", Name: "agent-abcde", Reason: EvictionReason, Message: EvictionMessagePrefix + " Pod ns/agent-abcde", Last: at.Add(-31 * time.Second)}}
	want(t, "evicted 31s ago", ptGrade(t, c, s), false, "축출(eviction) 1번: agent-abcde (09:09:29)", "")

	s = ptSnap(PodTemplate{}, at.Add(-70*time.Second))
	s.Events = []Event{
		{Namespace: "ns", Kind: "Pod", Name: "agent-abcde", Reason: EvictionReason, Message: EvictionMessagePrefix + " Pod ns/agent-abcde", Last: at.Add(-50 * time.Second)},
		{Namespace: "ns", Kind: "Pod", Name: "other-abcde", Reason: EvictionReason, Message: EvictionMessagePrefix + " Pod ns/other-abcde", Last: at.Add(-50 * time.Second)},
		{Namespace: "ns", Kind: "Pod", Name: "agent-fghij", Reason: EvictionReason, Message: "Cancelling deletion of Pod ns/agent-fghij", Last: at.Add(-50 * time.Second)},
	}
	want(t, "other pod evicted in window", ptGrade(t, c, s), false, "축출(eviction) 1번: agent-abcde", "")
	s.Events = s.Events[1:]
	want(t, "unrelated events", ptGrade(t, c, s), true, "축출도 재시작도 없었습니다", "")

	s.Pods[1].Containers[0].RestartCount = 2
	want(t, "restarted", ptGrade(t, c, s), false, "2번 재시작되었습니다", "")
	dropPod(&s, "lab-worker2")
	want(t, "no pod", ptGrade(t, c, s), false, "파드가 없습니다", "")
}

func TestCheckToleratesForever(t *testing.T) {
	taint := corev1.Taint{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoExecute}
	c := Check{Kind: KindToleratesForever, Taint: &taint}
	sec := func(n int64) *int64 { return &n }
	tol := corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpEqual, Value: "true", Effect: corev1.TaintEffectNoExecute}
	want(t, "forever", ptGrade(t, c, ptSnap(PodTemplate{Tolerations: []corev1.Toleration{tol}}, pt0)), true, "기한 없이", "")
	bounded := tol
	bounded.TolerationSeconds = sec(3600)
	want(t, "3600s", ptGrade(t, c, ptSnap(PodTemplate{Tolerations: []corev1.Toleration{bounded}}, pt0)), false, "3600초 뒤", "")
	short := corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: sec(20)}
	want(t, "forever and 20s", ptGrade(t, c, ptSnap(PodTemplate{Tolerations: []corev1.Toleration{tol, short}}, pt0)), false, "20초 뒤", "")
	want(t, "none", ptGrade(t, c, ptSnap(PodTemplate{}, pt0)), false, "용인하는 톨러레이션이 없습니다", "")
	wide := corev1.Toleration{Operator: corev1.TolerationOpExists}
	want(t, "wildcard", ptGrade(t, c, ptSnap(PodTemplate{Tolerations: []corev1.Toleration{wide}}, pt0)), true, "기한 없이", "필요보다 넓습니다")
}

func TestCheckHostPortAndNoSurge(t *testing.T) {
	port := []corev1.ContainerPort{{ContainerPort: 9100, HostPort: 9100}}
	withPort := PodTemplate{Containers: []Container{{Name: "exporter", Image: "img", Ports: port}}}
	noPort := PodTemplate{Containers: []Container{{Name: "exporter", Image: "img", Ports: []corev1.ContainerPort{{ContainerPort: 9100}}}}}
	hostNet := PodTemplate{HostNetwork: true, Containers: []Container{{Name: "exporter", Image: "img", Ports: []corev1.ContainerPort{{ContainerPort: 9100}}}}}
	hp := Check{Kind: KindHostPort, Port: 9100}
	want(t, "hostPort", ptGrade(t, hp, ptSnap(withPort, pt0)), true, "(hostPort)", "")
	want(t, "hostNetwork", ptGrade(t, hp, ptSnap(hostNet, pt0)), true, "(hostNetwork)", "")
	want(t, "removed", ptGrade(t, hp, ptSnap(noPort, pt0)), false, "didn't have free ports", "")

	strategy := func(tpl PodTemplate, surge, unavailable string) Snapshot {
		s := ptSnap(tpl, pt0)
		ms, mu := intstr.Parse(surge), intstr.Parse(unavailable)
		s.DaemonSets[0].UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxSurge: &ms, MaxUnavailable: &mu}}
		return s
	}
	ns := Check{Kind: KindNoSurge}
	want(t, "surge 1", ptGrade(t, ns, strategy(withPort, "1", "0")), false, "maxSurge 가 1 입니다", "")
	want(t, "surge 10%", ptGrade(t, ns, strategy(withPort, "10%", "0")), false, "maxSurge 가 10% 입니다", "")
	want(t, "surge 0", ptGrade(t, ns, strategy(withPort, "0", "1")), true, "maxSurge 0, maxUnavailable 1", "")
	want(t, "surge without port", ptGrade(t, ns, strategy(noPort, "1", "0")), true, "host port 가 없어", "")
	s := ptSnap(withPort, pt0)
	s.DaemonSets[0].UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}
	want(t, "OnDelete", ptGrade(t, ns, s), true, "OnDelete", "직접 지워야")
}

func TestCheckQuota(t *testing.T) {
	hard := corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("1"), corev1.ResourceLimitsMemory: resource.MustParse("2Gi")}
	c := Check{Kind: KindQuota, Quota: &Quota{Name: "compute", Hard: hard}}
	s := ptSnap(PodTemplate{}, pt0)
	want(t, "missing", ptGrade(t, c, s), false, "ns/compute 가 없습니다", "")
	s.ResourceQuotas = []ResourceQuota{{Namespace: "other", Name: "compute", Hard: hard}}
	want(t, "other namespace", ptGrade(t, c, s), false, "ns/compute 가 없습니다", "")
	s.ResourceQuotas = []ResourceQuota{{Namespace: "ns", Name: "compute", Hard: corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("1000m"), corev1.ResourceLimitsMemory: resource.MustParse("2048Mi")}}}
	want(t, "same values written differently", ptGrade(t, c, s), true, "처음 그대로입니다", "")
	s.ResourceQuotas[0].Hard = corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("2"), corev1.ResourceLimitsCPU: resource.MustParse("4")}
	want(t, "changed", ptGrade(t, c, s), false, "limits.memory 가 지워졌습니다 (원래 2Gi); requests.cpu 가 1 에서 2 로 바뀌었습니다; limits.cpu=4 가 추가되었습니다", "")
	s.ResourceQuotas[0].Hard, s.ResourceQuotas[0].Deleting = hard, true
	want(t, "deleting", ptGrade(t, c, s), false, "없습니다", "")
	s.DaemonSets = nil
	s.ResourceQuotas[0].Deleting = false
	if r := ptGrade(t, c, s); r.Passed {
		t.Errorf("graded without the DaemonSet: %+v", r)
	}
}

func TestCheckQuotaFit(t *testing.T) {
	hard := corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("1"), corev1.ResourceLimitsCPU: resource.MustParse("2")}
	c := Check{Kind: KindQuotaFit, Quota: &Quota{Name: "compute", Hard: hard}}
	res := func(req, lim string) Container {
		ct := Container{Name: "c", Image: "img", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{}, Limits: corev1.ResourceList{}}}
		if req != "" {
			ct.Resources.Requests[corev1.ResourceCPU] = resource.MustParse(req)
		}
		if lim != "" {
			ct.Resources.Limits[corev1.ResourceCPU] = resource.MustParse(lim)
		}
		return ct
	}
	noPods := func(ct Container) Snapshot {
		s := ptSnap(PodTemplate{Containers: []Container{ct}}, pt0)
		s.Pods = nil
		return s
	}
	want(t, "nothing", ptGrade(t, c, noPods(Container{Name: "c", Image: "img"})), false, "컨테이너 c 에 limits.cpu 가 없습니다; 컨테이너 c 에 requests.cpu 가 없습니다", "")
	want(t, "requests only", ptGrade(t, c, noPods(res("100m", ""))), false, "limits.cpu 가 없습니다", "")
	want(t, "limits only (requests default to limits)", ptGrade(t, c, noPods(res("", "300m"))), true, "requests.cpu 파드당 300m × 3 = 900m / 쿼터 1", "")
	want(t, "too big", ptGrade(t, c, noPods(res("400m", "400m"))), false, "requests.cpu 파드당 400m × 3 = 1.2 / 쿼터 1", "")
	// Pods admitted with LimitRange defaults, the template has none.
	s := ptSnap(PodTemplate{Containers: []Container{{Name: "c", Image: "img"}}}, pt0)
	for i := range s.Pods {
		s.Pods[i].Containers[0].Resources = &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}}
	}
	want(t, "limit range", ptGrade(t, c, s), true, "파드당 50m × 3 = 150m", "리밋레인지(LimitRange)")
	// Pod-level resources (PodLevelResources): the containers need none.
	s = noPods(Container{Name: "c", Image: "img"})
	s.DaemonSets[0].Template.Resources = &corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("300m")}}
	want(t, "pod-level", ptGrade(t, c, s), true, "requests.cpu 파드당 300m × 3 = 900m", "")
	s.DaemonSets[0].Template.Resources.Limits[corev1.ResourceCPU] = resource.MustParse("700m")
	want(t, "pod-level too big", ptGrade(t, c, s), false, "limits.cpu 파드당 700m × 3 = 2.1 / 쿼터 2", "")
	// A deleted quota: pods run without resources.
	s = ptSnap(PodTemplate{Containers: []Container{{Name: "c", Image: "img"}}}, pt0)
	want(t, "pods without resources", ptGrade(t, c, s), false, "requests.cpu 가 없습니다", "")
	// Trial 2026-11: requests lowered 500m → 250m in the template, but the
	// old pods (two of three admitted) still hold the quota, so the
	// rollout cannot create a new pod. The template is judged, and the
	// message says why the new pods do not come.
	s = ptSnap(PodTemplate{Containers: []Container{res("250m", "500m")}}, pt0)
	dropPod(&s, "lab-worker3")
	for i := range s.Pods {
		s.Pods[i].Containers[0].Resources = &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("600m")}}
	}
	s.ResourceQuotas = []ResourceQuota{{Namespace: "ns", Name: "compute", Hard: hard,
		Used: corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("1"), corev1.ResourceLimitsCPU: resource.MustParse("1200m")}}}
	r := ptGrade(t, c, s)
	want(t, "old pods hold the quota", r, false, "파드 템플릿은 쿼터에 듭니다 (limits.cpu 파드당 500m × 3 = 1.5 / 쿼터 2; requests.cpu 파드당 250m × 3 = 750m / 쿼터 1)", "")
	for _, w := range []string{"이전 템플릿의 파드 2개(agent-lab-worker, agent-lab-worker2)", "requests.cpu 사용 1 / 상한 1 (새 파드 하나에 250m 더 필요)", "이전 파드를 지우거나", "maxUnavailable"} {
		if !strings.Contains(r.Message, w) {
			t.Errorf("old pods hold the quota: message lacks %q: %s", w, r.Message)
		}
	}
	if strings.Contains(r.Message, "들어가지 않습니다") {
		t.Errorf("old pods hold the quota: judged the old pods: %s", r.Message)
	}
	// The old pods gone, the template's pods run: passes.
	for i := range s.Pods {
		s.Pods[i].Containers[0].Resources = &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")}}
	}
	s.ResourceQuotas[0].Used = corev1.ResourceList{corev1.ResourceRequestsCPU: resource.MustParse("500m"), corev1.ResourceLimitsCPU: resource.MustParse("1")}
	want(t, "new pods", ptGrade(t, c, s), true, "requests.cpu 파드당 250m × 3 = 750m / 쿼터 1", "")
}

func TestCheckSelector(t *testing.T) {
	c := Check{Kind: KindSelector, Selector: map[string]string{"app": "agent", "tier": "node"}}
	s := ptSnap(PodTemplate{}, pt0)
	want(t, "old selector", ptGrade(t, c, s), false, "데몬셋을 지우고(dslab kubectl -n ns delete ds agent)", "")
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent", "tier": "node"}}
	want(t, "matchLabels", ptGrade(t, c, s), true, "app=agent, tier=node", "")
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}, MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"node"}}}}
	want(t, "matchExpressions", ptGrade(t, c, s), true, "app=agent, tier=node", "")
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent", "tier": "node", "team": "a"}}
	r := ptGrade(t, c, s)
	want(t, "extra label", r, false, "app=agent, team=a, tier=node 입니다", "")
	if strings.Contains(r.Message, "immutable") {
		t.Errorf("extra label blamed on immutability: %s", r.Message)
	}
}

func TestCheckNoStrayPods(t *testing.T) {
	c := Check{Kind: KindNoStrayPods, Key: "app", Value: "agent"}
	s := ptSnap(PodTemplate{Labels: map[string]string{"app": "agent"}}, pt0)
	want(t, "clean", ptGrade(t, c, s), true, "모두 데몬셋 ns/agent 것입니다", "")
	del := pt0
	s.LabelledPods = []Pod{
		{Namespace: "ns", Name: "agent-old1", Node: "lab-worker", Labels: map[string]string{"app": "agent"}},
		{Namespace: "ns", Name: "agent-old2", Node: "lab-worker2", Labels: map[string]string{"app": "agent"}, Deleting: &del},
		{Namespace: "ns", Name: "web", Node: "lab-worker2", Labels: map[string]string{"app": "web"}},
	}
	s.DaemonSets = append(s.DaemonSets, DaemonSet{Namespace: "ns", Name: "agent-v2", UID: "ds-2", Template: PodTemplate{Labels: map[string]string{"app": "agent"}}},
		DaemonSet{Namespace: "ns", Name: "web", UID: "ds-3", Template: PodTemplate{Labels: map[string]string{"app": "web"}}})
	s.Pods = append(s.Pods, Pod{Namespace: "ns", Name: "agent-v2-x", Node: "lab-worker3", OwnerUID: "ds-2", Ready: true},
		Pod{Namespace: "ns", Name: "web-x", Node: "lab-worker3", OwnerUID: "ds-3", Ready: true})
	r := ptGrade(t, c, s)
	want(t, "orphan and copy", r, false, "파드가 2개 남아 있습니다: lab-worker 의 agent-old1, lab-worker3 의 agent-v2-x", "")
	want(t, "orphan reason", r, false, "고아(orphan)", "")
	want(t, "copy reason", r, false, "다른 데몬셋 ns/agent-v2 의 파드입니다", "")
}

func TestValidatePitfalls(t *testing.T) {
	for _, c := range []Check{
		{Kind: KindKeptAway}, {Kind: KindUninterrupted, Node: "n"}, {Kind: KindToleratesForever, Taint: &corev1.Taint{Key: "k", Effect: corev1.TaintEffectNoSchedule}},
		{Kind: KindHostPort}, {Kind: KindQuota}, {Kind: KindQuotaFit, Quota: &Quota{Name: "q"}}, {Kind: KindSelector}, {Kind: KindNoStrayPods, Key: "app"},
	} {
		c.ID, c.Title, c.Points = "c", "t", 1
		spec := Spec{ID: "x", Target: ObjectRef{Namespace: "ns", Name: "agent"}, Checks: []Check{c}}
		if err := spec.Validate(); err == nil {
			t.Errorf("%s with %+v validated", c.Kind, c)
		}
	}
}

// A check that waits for time alone says when to grade again: when the pod
// is old enough and the last eviction has left the window. Nothing else
// (a restart, a missing pod, a pass) sets RecheckAt.
func TestRecheckAtUninterrupted(t *testing.T) {
	c := Check{ID: "c", Title: "t", Points: 1, Kind: KindUninterrupted, Node: "{cluster}-worker2", Seconds: 60}
	spec := Spec{ID: "x", Target: ObjectRef{Namespace: "ns", Name: "agent"}, Expect: NodeSet{Role: "workers"}, Checks: []Check{c}}
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	at := pt0.Add(10 * time.Minute) // capture time
	created := at.Add(-30 * time.Second)
	s := ptSnap(PodTemplate{}, created)
	if r := Grade(spec, s); !r.RecheckAt.Equal(created.Add(60 * time.Second)) {
		t.Errorf("ran 30s: RecheckAt %v, want %v", r.RecheckAt, created.Add(60*time.Second))
	}
	// Graded again at RecheckAt, the same state passes and says no more.
	s.CapturedAt = created.Add(60 * time.Second)
	if r := Grade(spec, s); !r.Passed || !r.RecheckAt.IsZero() {
		t.Errorf("at RecheckAt: passed %v, RecheckAt %v", r.Passed, r.RecheckAt)
	}

	// An old pod, but another pod of the DaemonSet was evicted 50 s ago:
	// the verdict changes when that eviction leaves the 60 s window.
	s = ptSnap(PodTemplate{}, at.Add(-70*time.Second))
	ev := at.Add(-50 * time.Second)
	s.Events = []Event{{Namespace: "ns", Kind: "Pod", Name: "agent-abcde", Reason: EvictionReason, Message: EvictionMessagePrefix + " Pod ns/agent-abcde", Last: ev}}
	r := Grade(spec, s)
	if r.Passed || r.RecheckAt.Before(ev.Add(60*time.Second)) || r.RecheckAt.After(ev.Add(61*time.Second)) {
		t.Errorf("evicted 50s ago: passed %v, RecheckAt %v (want just after %v)", r.Passed, r.RecheckAt, ev.Add(60*time.Second))
	}
	s.CapturedAt = r.RecheckAt
	if r := Grade(spec, s); !r.Passed || !r.RecheckAt.IsZero() {
		t.Errorf("at RecheckAt after an eviction: passed %v, RecheckAt %v", r.Passed, r.RecheckAt)
	}

	s = ptSnap(PodTemplate{}, at.Add(-30*time.Second))
	s.Pods[1].Containers[0].RestartCount = 1
	if r := Grade(spec, s); !r.RecheckAt.IsZero() {
		t.Errorf("restarted: RecheckAt %v, want none (time does not undo a restart)", r.RecheckAt)
	}
	dropPod(&s, "lab-worker2")
	if r := Grade(spec, s); !r.RecheckAt.IsZero() {
		t.Errorf("no pod: RecheckAt %v, want none", r.RecheckAt)
	}
}
