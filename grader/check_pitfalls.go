package grader

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Check kinds of the production-pitfalls exercises (issue 10).
const (
	KindKeptAway         = "keptAway"         // no pod of the target on Node, and the controller would not put one back
	KindUninterrupted    = "uninterrupted"    // the Ready pod on Node has run Seconds without eviction or restart
	KindToleratesForever = "toleratesForever" // Taint (NoExecute) tolerated without tolerationSeconds
	KindHostPort         = "hostPort"         // a container keeps hostPort Port
	KindNoSurge          = "noSurge"          // an update strategy that can finish with a host port (maxSurge 0)
	KindQuota            = "quota"            // the namespace's ResourceQuota Quota.Name has exactly Quota.Hard
	KindQuotaFit         = "quotaFit"         // the pods set requests and limits and all expected pods fit Quota.Hard
	KindSelector         = "selector"         // the target's spec.selector is exactly Selector
	KindNoStrayPods      = "noStrayPods"      // no pod labelled Key=Value besides the target's own
)

// Quota is a ResourceQuota as the exercise set it up.
type Quota struct {
	Name string              `json:"name"`
	Hard corev1.ResourceList `json:"hard"`
}

// EvictionReason is the event reason of the taint-eviction controller
// (k8s.io/kubernetes/pkg/controller/tainteviction, emitPodDeletionEvent:
// "Marking for deletion Pod ns/name").
const EvictionReason = "TaintManagerEviction"

// EvictionMessagePrefix starts the message of an eviction (as opposed to
// "Cancelling deletion of Pod", which shares the reason).
const EvictionMessagePrefix = "Marking for deletion"

// validatePitfalls returns what a pitfalls check lacks.
func validatePitfalls(c Check) []string {
	var errs []string
	need := func(ok bool, what string) {
		if !ok {
			errs = append(errs, c.Kind+" needs "+what)
		}
	}
	switch c.Kind {
	case KindKeptAway:
		need(c.Node != "", "node")
	case KindUninterrupted:
		need(c.Node != "" && c.Seconds > 0, "node and seconds")
	case KindToleratesForever:
		need(c.Taint != nil && c.Taint.Key != "" && c.Taint.Effect == corev1.TaintEffectNoExecute, "a NoExecute taint")
	case KindHostPort:
		need(c.Port > 0, "port")
	case KindQuota, KindQuotaFit:
		need(c.Quota != nil && c.Quota.Name != "" && len(c.Quota.Hard) > 0, "quota name and hard")
	case KindSelector:
		need(len(c.Selector) > 0, "selector")
	case KindNoStrayPods:
		need(c.Key != "" && c.Value != "", "key and value")
	}
	return errs
}

// runPitfalls runs a pitfalls check; ok is false for other kinds.
func (g *gradeCtx) runPitfalls(c Check) (CheckResult, bool) {
	switch c.Kind {
	case KindKeptAway:
		return g.checkKeptAway(c), true
	case KindUninterrupted:
		return g.checkUninterrupted(c), true
	case KindToleratesForever:
		return g.checkToleratesForever(c), true
	case KindHostPort:
		return g.checkHostPort(c), true
	case KindNoSurge:
		return g.checkNoSurge(c), true
	case KindQuota:
		return g.checkQuota(c), true
	case KindQuotaFit:
		return g.checkQuotaFit(c), true
	case KindSelector:
		return g.checkSelector(c), true
	case KindNoStrayPods:
		return g.checkNoStrayPods(c), true
	}
	return CheckResult{}, false
}

// checkKeptAway passes when the target has no live pod on c.Node and the
// DaemonSet controller would not create one there (the template does not
// fit the node now). A cordon alone never does that: every daemon pod
// tolerates node.kubernetes.io/unschedulable:NoSchedule
// (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations).
func (g *gradeCtx) checkKeptAway(c Check) CheckResult {
	name := expand(c.Node, g.cluster)
	n, ok := g.current[name]
	if !ok {
		return CheckResult{Message: fmt.Sprintf("노드 %s 없습니다", iga(name))}
	}
	st := g.state(name)
	fit := g.placer.Place(n)
	nr := NodeResult{Node: name, Expected: StateAbsent, Actual: st.actual}
	present := st.actual == StateRunning || st.actual == StateNotReady
	cordon := fmt.Sprintf("데몬셋 컨트롤러는 모든 데몬셋 파드에 %s:NoSchedule 톨러레이션을 자동으로 붙이므로, cordon(spec.unschedulable) 은 데몬셋 파드를 내보내지도 다시 오지 못하게 막지도 못합니다", corev1.TaintNodeUnschedulable)
	switch {
	case present && fit.Fits && n.Unschedulable:
		nr.Reason = fmt.Sprintf("노드가 cordon 되었지만 파드 %s 그대로 있습니다: %s — NoExecute 테인트나 데몬셋의 노드 어피니티로 노드를 빼세요", iga(st.pod.Name), cordon)
	case present && fit.Fits:
		nr.Reason = fmt.Sprintf("파드 %s 이 노드에서 실행 중이고, 파드 템플릿도 여전히 이 노드를 고릅니다: 노드를 빼는 조치가 없습니다", iga(st.pod.Name))
	case present:
		nr.Reason = fmt.Sprintf("새 파드는 더 오지 않지만(%s) 파드 %s 남아 있습니다: NoSchedule 테인트와 셀렉터 변경은 이미 실행 중인 파드를 내보내지 않습니다 — NoExecute 테인트를 쓰거나 그 파드를 지우세요", strings.Join(fit.Reasons, "; "), iga(st.pod.Name))
	case fit.Fits && n.Unschedulable:
		nr.Reason = "지금은 파드가 없지만 데몬셋 컨트롤러가 곧 다시 만듭니다: " + cordon
	case fit.Fits:
		nr.Reason = "지금은 파드가 없지만 파드 템플릿이 이 노드를 고르므로 데몬셋 컨트롤러가 곧 다시 만듭니다: 점검이 끝날 때까지 오지 않게 하려면 테인트나 노드 어피니티가 필요합니다"
	default:
		nr.Passed = true
		nr.Reason = "파드가 없고 다시 오지 않습니다: " + strings.Join(fit.Reasons, "; ")
	}
	if !nr.Passed {
		return CheckResult{Message: fmt.Sprintf("%s: %s", name, nr.Reason), Nodes: []NodeResult{nr}}
	}
	res := CheckResult{Passed: true, Message: fmt.Sprintf("%s 에서 파드가 나갔고, 점검이 끝날 때까지 다시 오지 않습니다 (%s)", name, strings.Join(fit.Reasons, "; ")), Nodes: []NodeResult{nr}}
	if !fit.SelectorOK {
		res.Warning = fmt.Sprintf("데몬셋의 파드 템플릿(nodeSelector·노드 어피니티)으로 %s 뺐습니다: 템플릿을 바꾸면 다른 노드의 파드까지 새 리비전으로 다시 만들어지고, 점검이 끝나면 데몬셋을 되돌려야 합니다. 노드 하나만 바꾸는 테인트(NoExecute)가 더 가볍습니다", eul(name))
	}
	return res
}

// checkUninterrupted passes when the target's Ready pod on c.Node has run
// at least c.Seconds at capture time, without a restart and with no
// eviction of the target's pods (TaintManagerEviction events) in that
// window.
func (g *gradeCtx) checkUninterrupted(c Check) CheckResult {
	name := expand(c.Node, g.cluster)
	window := time.Duration(c.Seconds) * time.Second
	st := g.state(name)
	nr := NodeResult{Node: name, Expected: StateRunningAtLeast(int(c.Seconds)), Actual: st.actual}
	evictions := g.evictions(g.snap.CapturedAt.Add(-window))
	evicted := ""
	if len(evictions) > 0 {
		evicted = fmt.Sprintf(" — 최근 %d초 동안 축출(eviction) %d번: %s", c.Seconds, len(evictions), strings.Join(evictions, ", "))
	}
	if st.actual != StateRunning {
		if st.pod != nil {
			nr.Reason = podProblem(*st.pod)
		} else {
			nr.Reason = "파드가 없습니다"
		}
		return CheckResult{Message: fmt.Sprintf("%s 에 Ready 파드가 없습니다: %s%s", name, nr.Reason, evicted), Nodes: []NodeResult{nr}}
	}
	p := st.pod
	nr.Since = p.Created
	ran := g.snap.CapturedAt.Sub(p.Created).Truncate(time.Second)
	var restarts int32
	for _, cs := range p.Containers {
		restarts += cs.RestartCount
	}
	if restarts == 0 && (ran < window || evicted != "") {
		// Time alone passes this check: once the pod is old enough and the
		// last eviction has left the window (evictions counts those with
		// Last >= CapturedAt-window).
		at := p.Created.Add(window)
		if last := g.lastEviction(g.snap.CapturedAt.Add(-window)); !last.IsZero() {
			at = later(at, last.Add(window).Add(time.Millisecond))
		}
		g.recheckAt(at)
	}
	switch {
	case restarts > 0:
		nr.Reason = fmt.Sprintf("파드 %s 컨테이너가 %d번 재시작되었습니다", iga(p.Name), restarts)
	case ran < window:
		nr.Reason = fmt.Sprintf("파드 %s 만들어진 지 %d초입니다: %d초 이상 끊김 없이 실행되어야 합니다", iga(p.Name), int(ran.Seconds()), c.Seconds)
		if evicted == "" {
			nr.Reason += " — 잠시 뒤 다시 채점하세요"
		}
	case evicted != "":
		nr.Reason = fmt.Sprintf("파드 %s 오래 실행 중이지만", iga(p.Name))
	default:
		nr.Passed = true
		nr.Actual = StateRanFor(int(ran.Seconds()))
		nr.Reason = fmt.Sprintf("파드 %s %d초째 끊김 없이 실행 중입니다", iga(p.Name), int(ran.Seconds()))
		return CheckResult{Passed: true, Message: fmt.Sprintf("%s 의 파드 %s 생성(%s) 뒤 %d초 동안 축출도 재시작도 없었습니다", name, p.Name, g.fmtTime(p.Created), int(ran.Seconds())), Nodes: []NodeResult{nr}}
	}
	nr.Reason += evicted
	return CheckResult{Message: fmt.Sprintf("%s: %s", name, nr.Reason), Nodes: []NodeResult{nr}}
}

// lastEviction is the time of the latest eviction of the target's pods
// since since (zero when none).
func (g *gradeCtx) lastEviction(since time.Time) time.Time {
	var last time.Time
	for _, e := range g.evictionEvents(since) {
		last = later(last, e.Last)
	}
	return last
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// evictions lists the target's pods evicted by the taint-eviction
// controller since since ("pod (15:04:05)").
func (g *gradeCtx) evictions(since time.Time) []string {
	evs := g.evictionEvents(since)
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s (%s)", e.Name, g.fmtTime(e.Last)))
	}
	return out
}

// evictionEvents are the taint-eviction controller's evictions of the
// target's pods since since, oldest first.
func (g *gradeCtx) evictionEvents(since time.Time) []Event {
	var evs []Event
	for _, e := range g.snap.Events {
		if e.Kind == "Pod" && e.Namespace == g.ds.Namespace && e.Reason == EvictionReason &&
			strings.HasPrefix(e.Message, EvictionMessagePrefix) && strings.HasPrefix(e.Name, g.ds.Name+"-") && !e.Last.Before(since) {
			evs = append(evs, e)
		}
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].Last.Before(evs[j].Last) })
	return evs
}

// checkToleratesForever passes when the template tolerates the NoExecute
// taint c.Taint and no tolerating toleration has tolerationSeconds: the
// taint-eviction controller evicts after the smallest tolerationSeconds of
// the matching tolerations (pkg/controller/tainteviction
// getMinTolerationTime), however large.
func (g *gradeCtx) checkToleratesForever(c Check) CheckResult {
	t := *c.Taint
	var by []corev1.Toleration
	var bounded []string
	var least *int64
	for _, tol := range g.ds.Template.Tolerations {
		if !tolerates(tol, t) {
			continue
		}
		by = append(by, tol)
		if tol.TolerationSeconds != nil {
			bounded = append(bounded, fmt.Sprintf("%s tolerationSeconds: %d", TolerationString(tol), *tol.TolerationSeconds))
			if least == nil || *tol.TolerationSeconds < *least {
				least = tol.TolerationSeconds
			}
		}
	}
	if len(by) == 0 {
		p := NewPlacer(g.ds.Template, g.snap.Nodes)
		return CheckResult{Message: quote(c, p.taintReason(t)+": NoExecute 테인트를 용인하지 않으면 파드가 그 노드에서 바로 축출되고 다시 만들어지지도 않습니다")}
	}
	if least != nil {
		msg := fmt.Sprintf("톨러레이션 %s 테인트 %s 용인하지만 기한이 있습니다 (%s): 테인트가 붙은 지 %d초 뒤 taint-eviction 컨트롤러가 파드를 축출하고(TaintManagerEviction) 데몬셋이 다시 만드는 일이 되풀이됩니다. tolerationSeconds 를 늘리면 축출이 늦어질 뿐 여전히 일어납니다 — tolerationSeconds 를 지워 테인트가 있는 동안 계속 용인하게 하세요",
			iga(strings.Join(names(by), ", ")), eul(TaintString(t)), strings.Join(bounded, ", "), *least)
		if len(bounded) < len(by) {
			msg += " (톨러레이션 여러 개가 맞으면 가장 짧은 tolerationSeconds 가 적용됩니다)"
		}
		return CheckResult{Message: quote(c, msg)}
	}
	return CheckResult{Passed: true, Message: fmt.Sprintf("톨러레이션 %s 테인트 %s 기한 없이(tolerationSeconds 없음) 용인합니다", iga(strings.Join(names(by), ", ")), eul(TaintString(t))),
		Warning: g.tolerationWarnings(by)}
}

func names(tols []corev1.Toleration) []string {
	var out []string
	for _, t := range tols {
		out = append(out, TolerationString(t))
	}
	return out
}

// hostPorts are the host ports the template's containers bind: hostPort,
// or containerPort with hostNetwork (the API server then defaults hostPort
// to containerPort).
func hostPorts(tpl PodTemplate) map[int32]string {
	out := map[int32]string{}
	for _, ct := range tpl.Containers {
		for _, p := range ct.Ports {
			switch {
			case p.HostPort != 0:
				out[p.HostPort] = ct.Name
			case tpl.HostNetwork && p.ContainerPort != 0:
				out[p.ContainerPort] = ct.Name
			}
		}
	}
	return out
}

func (g *gradeCtx) checkHostPort(c Check) CheckResult {
	if ct, ok := hostPorts(g.ds.Template)[c.Port]; ok {
		how := "hostPort"
		if g.ds.Template.HostNetwork {
			how = "hostNetwork"
		}
		return CheckResult{Passed: true, Message: fmt.Sprintf("컨테이너 %s 노드의 포트 %d 그대로 씁니다 (%s)", iga(ct), c.Port, how)}
	}
	return CheckResult{Message: quote(c, fmt.Sprintf("hostPort %s 없어졌습니다: 노드의 %d 포트로 지표를 가져가던 수집기가 더는 닿지 못합니다. 롤아웃이 멈춘 까닭은 hostPort 가 아니라 maxSurge 입니다 — hostPort 는 노드마다 한 파드만 쓸 수 있어서, maxSurge 로 옛 파드 곁에 새 파드를 먼저 띄우면 새 파드가 스케줄되지 못합니다(didn't have free ports). hostPort 는 두고 maxSurge 를 0 으로 하세요", iga(fmt.Sprint(c.Port)), c.Port))}
}

// checkNoSurge passes for a strategy that can finish while the template
// binds a host port: RollingUpdate with maxSurge 0 (the old pod goes
// first), or OnDelete (with a warning). With maxSurge > 0 the controller
// starts the new pod beside the old one on the same node, which the
// scheduler's NodePorts filter refuses while the old pod holds the port.
func (g *gradeCtx) checkNoSurge(c Check) CheckResult {
	s := g.ds.UpdateStrategy
	ports := hostPorts(g.ds.Template)
	var pl []string
	for p := range ports {
		pl = append(pl, fmt.Sprint(p))
	}
	sort.Strings(pl)
	if s.Type == "OnDelete" {
		return CheckResult{Passed: true, Message: "updateStrategy 가 OnDelete 입니다: 파드를 지울 때마다 그 노드에서 옛 파드가 먼저 없어지므로 host port 와 부딪치지 않습니다",
			Warning: "OnDelete 에서는 앞으로 이미지를 바꿀 때마다 노드마다 파드를 직접 지워야 새 버전이 됩니다: 지우지 않은 노드는 옛 버전으로 남습니다"}
	}
	var ms *intstr.IntOrString
	var mu *intstr.IntOrString
	if s.RollingUpdate != nil {
		ms, mu = s.RollingUpdate.MaxSurge, s.RollingUpdate.MaxUnavailable
	}
	total := len(g.expected)
	surge := 0
	if ms != nil {
		v, err := intstr.GetScaledValueFromIntOrPercent(ms, total, true)
		if err != nil {
			return CheckResult{Message: fmt.Sprintf("rollingUpdate.maxSurge %s 잘못되었습니다: %v", iga(ms.String()), err)}
		}
		surge = v
	}
	muS := "1 (기본값)"
	if mu != nil {
		muS = mu.String()
	}
	switch {
	case surge > 0 && len(ports) > 0:
		return CheckResult{Message: quote(c, fmt.Sprintf("rollingUpdate.maxSurge 가 %s 입니다: 롤링 업데이트가 노드마다 새 파드를 옛 파드 곁에 먼저 띄우는데, 옛 파드가 hostPort %s 쥐고 있는 동안 같은 노드의 새 파드는 스케줄되지 못해(didn't have free ports) Pending 에 머물고 롤아웃이 멈춥니다 — maxSurge: 0, maxUnavailable: 1 로 바꾸세요 (옛 파드를 먼저 내리고 새 파드를 띄웁니다)", ms.String(), eul(strings.Join(pl, ", "))))}
	case surge > 0:
		return CheckResult{Passed: true, Message: fmt.Sprintf("maxSurge %s: host port 가 없어 새 파드를 먼저 띄울 수 있습니다", ms.String())}
	}
	return CheckResult{Passed: true, Message: fmt.Sprintf("RollingUpdate, maxSurge 0, maxUnavailable %s: 노드마다 옛 파드를 먼저 내리고 새 파드를 띄우므로 host port 와 부딪치지 않습니다", muS)}
}

func (g *gradeCtx) quota(name string) *ResourceQuota {
	for i := range g.snap.ResourceQuotas {
		q := &g.snap.ResourceQuotas[i]
		if q.Namespace == g.spec.Target.Namespace && q.Name == name {
			return q
		}
	}
	return nil
}

func sortedResources(l corev1.ResourceList) []corev1.ResourceName {
	var out []corev1.ResourceName
	for k := range l {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// checkQuota passes when the ResourceQuota c.Quota.Name of the target's
// namespace exists with exactly the hard limits the exercise set up.
func (g *gradeCtx) checkQuota(c Check) CheckResult {
	ref := g.spec.Target.Namespace + "/" + c.Quota.Name
	q := g.quota(c.Quota.Name)
	if q == nil || q.Deleting {
		return CheckResult{Message: quote(c, fmt.Sprintf("리소스 쿼터(ResourceQuota) %s 없습니다: 쿼터를 지우면 파드는 뜨지만 이 네임스페이스의 자원 상한도 함께 사라집니다 — 쿼터는 그대로 두고 파드에 requests 와 limits 를 넣으세요", iga(ref)))}
	}
	var changed []string
	seen := map[corev1.ResourceName]bool{}
	for _, rn := range sortedResources(c.Quota.Hard) {
		seen[rn] = true
		want := c.Quota.Hard[rn]
		got, ok := q.Hard[rn]
		switch {
		case !ok:
			changed = append(changed, fmt.Sprintf("%s 지워졌습니다 (원래 %s)", iga(string(rn)), want.String()))
		case got.Cmp(want) != 0:
			changed = append(changed, fmt.Sprintf("%s %s 에서 %s 바뀌었습니다", iga(string(rn)), want.String(), ro(got.String())))
		}
	}
	for _, rn := range sortedResources(q.Hard) {
		if !seen[rn] {
			v := q.Hard[rn]
			changed = append(changed, fmt.Sprintf("%s=%s 추가되었습니다", rn, iga(v.String())))
		}
	}
	if len(changed) > 0 {
		return CheckResult{Message: quote(c, fmt.Sprintf("리소스 쿼터(ResourceQuota) %s 바뀌었습니다: %s — 쿼터를 넓히면 파드는 뜨지만 팀에 정해 둔 상한이 무너집니다. 쿼터는 되돌리고 파드의 requests 와 limits 를 쿼터에 맞추세요", iga(ref), strings.Join(changed, "; ")))}
	}
	return CheckResult{Passed: true, Message: fmt.Sprintf("리소스 쿼터(ResourceQuota) %s 처음 그대로입니다 (%s)", iga(ref), formatResources(q.Hard))}
}

func formatResources(l corev1.ResourceList) string {
	var parts []string
	for _, rn := range sortedResources(l) {
		v := l[rn]
		parts = append(parts, fmt.Sprintf("%s %s", rn, v.String()))
	}
	return strings.Join(parts, ", ")
}

// podResources returns the requests and limits of one of the target's
// pods as admitted (LimitRange defaults included) and whether they came
// from a live pod; without a pod, the template's (requests default to
// limits, as the API server does).
func (g *gradeCtx) podResources() ([]Container, bool) {
	if r := g.ds.Template.Resources; r != nil && len(r.Requests)+len(r.Limits) > 0 {
		// Pod-level resources (PodLevelResources): quota counts them and
		// does not ask the containers for theirs.
		return []Container{{Name: "(파드 수준 spec.resources)", Resources: defaultRequests(*r)}}, false
	}
	// The template when it states resources for every container: it is
	// what the next pods get (the running pods may be an older revision
	// still holding the quota).
	declared := len(g.ds.Template.Containers) > 0
	for _, ct := range g.ds.Template.Containers {
		declared = declared && len(ct.Resources.Limits)+len(ct.Resources.Requests) > 0
	}
	if declared {
		var out []Container
		for _, ct := range g.ds.Template.Containers {
			out = append(out, Container{Name: ct.Name, Resources: defaultRequests(ct.Resources)})
		}
		return out, false
	}
	for _, name := range g.sortedSet(g.expected) {
		st := g.state(name)
		if st.pod == nil || st.actual == StateTerminating {
			continue
		}
		var out []Container
		for _, cs := range st.pod.Containers {
			ct := Container{Name: cs.Name}
			if cs.Resources != nil {
				ct.Resources = *cs.Resources
			}
			out = append(out, ct)
		}
		return out, true
	}
	var out []Container
	for _, ct := range g.ds.Template.Containers {
		out = append(out, Container{Name: ct.Name, Resources: defaultRequests(ct.Resources)})
	}
	return out, false
}

// defaultRequests sets requests missing from r to its limits, as the API
// server defaults them.
func defaultRequests(r corev1.ResourceRequirements) corev1.ResourceRequirements {
	req := corev1.ResourceList{}
	for k, v := range r.Requests {
		req[k] = v
	}
	for k, v := range r.Limits {
		if _, ok := req[k]; !ok {
			req[k] = v
		}
	}
	return corev1.ResourceRequirements{Requests: req, Limits: r.Limits}
}

// checkQuotaFit passes when every container sets what the quota limits
// (a quota on requests.cpu makes the API server refuse pods without it:
// "must specify") and the expected number of pods fits the quota's hard
// limits as the exercise set them up.
func (g *gradeCtx) checkQuotaFit(c Check) CheckResult {
	cts, fromPod := g.podResources()
	n := len(g.expected)
	var missing, over, fits, specify []string
	for _, rn := range sortedResources(c.Quota.Hard) {
		kind, res, ok := strings.Cut(string(rn), ".")
		if !ok || (kind != "requests" && kind != "limits") {
			continue
		}
		total := resource.Quantity{}
		for _, ct := range cts {
			l := ct.Resources.Requests
			if kind == "limits" {
				l = ct.Resources.Limits
			}
			q, has := l[corev1.ResourceName(res)]
			if !has {
				missing = append(missing, fmt.Sprintf("컨테이너 %s 에 %s 없습니다", ct.Name, iga(string(rn))))
				specify = append(specify, fmt.Sprintf("%s for: %s", rn, ct.Name))
				continue
			}
			total.Add(q)
		}
		all := resource.Quantity{}
		for i := 0; i < n; i++ {
			all.Add(total)
		}
		hard := c.Quota.Hard[rn]
		line := fmt.Sprintf("%s 파드당 %s × %d = %s / 쿼터 %s", rn, humanQuantity(corev1.ResourceName(res), total), n, humanQuantity(corev1.ResourceName(res), all), hard.String())
		if all.Cmp(hard) > 0 {
			over = append(over, line)
		} else {
			fits = append(fits, line)
		}
	}
	if len(missing) > 0 {
		return CheckResult{Message: fmt.Sprintf("%s: 쿼터 %s 이 자원들을 제한하므로, API 서버는 이 값이 없는 파드를 만들지 않습니다 (FailedCreate: failed quota: %s: must specify %s) — 컨테이너에 requests 와 limits 를 넣으세요", strings.Join(missing, "; "), iga(c.Quota.Name), c.Quota.Name, strings.Join(specify, "; "))}
	}
	if len(over) > 0 {
		return CheckResult{Message: fmt.Sprintf("파드 %d개가 쿼터에 들어가지 않습니다: %s — 넘치는 파드는 만들어지지 않습니다 (FailedCreate: exceeded quota). 파드당 값을 줄이세요", n, strings.Join(over, "; "))}
	}
	if msg := g.oldPodsHoldQuota(c, cts); msg != "" {
		return CheckResult{Message: fmt.Sprintf("파드 템플릿은 쿼터에 듭니다 (%s). %s", strings.Join(fits, "; "), msg)}
	}
	res := CheckResult{Passed: true, Message: fmt.Sprintf("파드 %d개가 쿼터 %s 안에 듭니다: %s", n, c.Quota.Name, strings.Join(fits, "; "))}
	if fromPod && g.ds.Template.Resources == nil {
		declared := true
		for _, ct := range g.ds.Template.Containers {
			declared = declared && len(ct.Resources.Limits)+len(ct.Resources.Requests) > 0
		}
		if !declared {
			res.Warning = "파드 템플릿에는 resources 가 없고 네임스페이스의 리밋레인지(LimitRange) 기본값으로 채워졌습니다: 기본값이 바뀌면 다음에 만들어지는 파드의 크기도 바뀌니, 에이전트의 requests 와 limits 는 템플릿에 적어 두는 편이 안전합니다"
		}
	}
	return res
}

// selectorSet returns a label selector as key → "=value" or "op values"
// (matchLabels and a one-value In are the same requirement), or an error
// string.
func selectorSet(sel *metav1.LabelSelector) (map[string]string, error) {
	out := map[string]string{}
	if sel == nil {
		return out, nil
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return nil, err
	}
	reqs, _ := s.Requirements()
	for _, r := range reqs {
		vals := r.Values().List()
		switch {
		case (r.Operator() == selection.Equals || r.Operator() == selection.DoubleEquals || r.Operator() == selection.In) && len(vals) == 1:
			out[r.Key()] = "=" + vals[0]
		default:
			out[r.Key()] = string(r.Operator()) + " " + strings.Join(vals, ",")
		}
	}
	return out, nil
}

func (g *gradeCtx) checkSelector(c Check) CheckResult {
	got, err := selectorSet(g.ds.Selector)
	if err != nil {
		return CheckResult{Message: fmt.Sprintf("spec.selector 를 읽을 수 없습니다: %v", err)}
	}
	want := map[string]string{}
	for k, v := range c.Selector {
		want[k] = "=" + v
	}
	format := func(m map[string]string) string {
		var parts []string
		for _, k := range sortedKeys(m) {
			parts = append(parts, k+m[k])
		}
		return strings.Join(parts, ", ")
	}
	if format(got) == format(want) {
		return CheckResult{Passed: true, Message: fmt.Sprintf("데몬셋 %s 의 셀렉터가 %s 입니다", g.ds.Name, format(want))}
	}
	msg := fmt.Sprintf("데몬셋 %s 의 셀렉터(spec.selector)가 %s 입니다: %s 합니다", g.ds.Name, format(got), after(format(want), "여야"))
	subset := true
	for k, v := range got {
		subset = subset && want[k] == v
	}
	if g.untouched() {
		// Issue 14: graded before any attempt, the advice gave the
		// solution away; say what is asked, the apply error explains the
		// rest when the learner tries.
		msg += " — 데몬셋은 아직 연습 시작 때 그대로입니다. 과제에 적힌 대로 셀렉터를 바꾼 매니페스트의 apply 는 \"field is immutable\" 로 거부됩니다: 그럴 때 어떻게 셀렉터를 바꿀지가 이 연습입니다"
	} else if subset {
		msg += " — spec.selector 는 만든 뒤 바꿀 수 없는(immutable) 필드라 바꾼 매니페스트의 apply 는 \"field is immutable\" 로 거부됩니다. 파드 템플릿의 레이블만 바꿔서는 셀렉터가 바뀌지 않습니다: 데몬셋을 지우고(dslab kubectl -n " + g.ds.Namespace + " delete ds " + g.ds.Name + ") 새 셀렉터로 다시 만드세요"
	}
	return CheckResult{Message: quote(c, msg)}
}

// untouched reports whether the target DaemonSet is still the object the
// exercise's set-up made: never changed (generation 1) and made before the
// exercise started.
func (g *gradeCtx) untouched() bool {
	b := g.snap.Baseline
	return g.ds != nil && g.ds.Generation == 1 && b != nil && !b.Recorded.IsZero() && g.ds.Created.Before(b.Recorded.Truncate(time.Second).Add(time.Second))
}

// checkNoStrayPods passes when every live pod labelled c.Key=c.Value in
// the snapshot belongs to the target: no orphan of an earlier DaemonSet
// (kubectl delete --cascade=orphan leaves its pods running), no pod of
// another DaemonSet with the same label.
func (g *gradeCtx) checkNoStrayPods(c Check) CheckResult {
	label := c.Key + "=" + c.Value
	owners := map[string]DaemonSet{}
	for _, d := range g.snap.DaemonSets {
		owners[d.UID] = d
	}
	var res CheckResult
	var bad []string
	add := func(p Pod, why string) {
		if p.Terminating() {
			return
		}
		node := p.Node
		if node == "" {
			node = "(스케줄 전)"
		}
		res.Nodes = append(res.Nodes, NodeResult{Node: node, Expected: StateAbsent, Actual: p.Name,
			Reason: fmt.Sprintf("파드 %s (%s) %s: 새 데몬셋의 파드와 함께 같은 에이전트가 한 노드에 둘 돕니다 — dslab kubectl -n %s delete pod %s", p.Name, label, why, p.Namespace, p.Name)})
		bad = append(bad, fmt.Sprintf("%s 의 %s", node, p.Name))
	}
	for _, p := range g.snap.Pods {
		if p.OwnerUID == g.ds.UID {
			continue
		}
		if d, ok := owners[p.OwnerUID]; ok && d.Template.Labels[c.Key] == c.Value {
			add(p, fmt.Sprintf("다른 데몬셋 %s 의 파드입니다", d.Ref()))
		}
	}
	for _, p := range g.snap.LabelledPods {
		if p.Labels[c.Key] != c.Value || (g.ds != nil && p.OwnerUID == g.ds.UID) {
			continue
		}
		why := "소유자(owner)가 없는 고아(orphan) 파드입니다 (데몬셋을 --cascade=orphan 으로 지우면 파드가 남고, 새 셀렉터와 맞지 않아 채택되지도 않습니다)"
		if p.OwnerKind != "" {
			why = fmt.Sprintf("%s 소유 파드입니다", p.OwnerKind)
		}
		add(p, why)
	}
	sort.Slice(res.Nodes, func(i, j int) bool { return res.Nodes[i].Node < res.Nodes[j].Node })
	sort.Strings(bad)
	if len(bad) > 0 {
		res.Message = quote(c, fmt.Sprintf("데몬셋 %s 밖에 레이블 %s 파드가 %d개 남아 있습니다: %s", g.spec.Target.String(), label, len(bad), strings.Join(bad, ", ")))
		return res
	}
	res.Passed = true
	res.Message = fmt.Sprintf("레이블 %s 파드는 모두 데몬셋 %s 것입니다", label, g.spec.Target.String())
	return res
}

// oldPodsHoldQuota explains, in Korean, a rollout stuck on the quota: the
// template (cts) fits, but live pods with other requests (an older
// revision) still count in the quota's used, so one more pod of the
// template exceeds hard and the API server refuses it (FailedCreate:
// exceeded quota). Empty when no old pod is live or a new pod fits.
func (g *gradeCtx) oldPodsHoldQuota(c Check, cts []Container) string {
	q := g.quota(c.Quota.Name)
	if q == nil {
		return ""
	}
	perPod := func(cs []Container, rn corev1.ResourceName) resource.Quantity {
		kind, res, _ := strings.Cut(string(rn), ".")
		total := resource.Quantity{}
		for _, ct := range cs {
			l := ct.Resources.Requests
			if kind == "limits" {
				l = ct.Resources.Limits
			}
			if v, ok := l[corev1.ResourceName(res)]; ok {
				total.Add(v)
			}
		}
		return total
	}
	var old []Pod
	for _, p := range g.snap.Pods {
		if p.OwnerUID != g.ds.UID || p.Terminating() {
			continue
		}
		for _, rn := range sortedResources(c.Quota.Hard) {
			a, b := perPod(podContainers(p), rn), perPod(cts, rn)
			if a.Cmp(b) != 0 {
				old = append(old, p)
				break
			}
		}
	}
	if len(old) == 0 {
		return ""
	}
	var blocked []string
	for _, rn := range sortedResources(q.Hard) {
		if _, ok := c.Quota.Hard[rn]; !ok {
			continue
		}
		used, hard := q.Used[rn], q.Hard[rn]
		next := used.DeepCopy()
		next.Add(perPod(cts, rn))
		if next.Cmp(hard) > 0 {
			blocked = append(blocked, fmt.Sprintf("%s 사용 %s / 상한 %s (새 파드 하나에 %s 더 필요)", rn, used.String(), hard.String(), func() string { v := perPod(cts, rn); return v.String() }()))
		}
	}
	if len(blocked) == 0 {
		return ""
	}
	var names []string
	for _, p := range old {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return fmt.Sprintf("하지만 이전 템플릿의 파드 %d개(%s)가 아직 쿼터를 차지하고 있어 새 파드를 만들 수 없습니다 (FailedCreate: exceeded quota): %s — 이전 파드가 없어져야 새 파드가 만들어집니다. 이전 파드를 지우거나(dslab kubectl -n %s delete pod …), 롤아웃이 먼저 지울 수 있도록 maxUnavailable 을 두세요",
		len(old), strings.Join(names, ", "), strings.Join(blocked, "; "), g.spec.Target.Namespace)
}

// podContainers returns a live pod's containers with their admitted
// resources.
func podContainers(p Pod) []Container {
	var out []Container
	for _, cs := range p.Containers {
		ct := Container{Name: cs.Name}
		if cs.Resources != nil {
			ct.Resources = *cs.Resources
		}
		out = append(out, ct)
	}
	return out
}
