package grader

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// checkTolerates passes when any toleration of the template tolerates the
// taint (every toleration is considered, with Kubernetes' own matching); a
// toleration broader than needed passes with a warning naming the risk.
func (g *gradeCtx) checkTolerates(c Check) CheckResult {
	t := *c.Taint
	var by []corev1.Toleration
	var names []string
	for _, tol := range g.ds.Template.Tolerations {
		if tolerates(tol, t) {
			by = append(by, tol)
			names = append(names, TolerationString(tol))
		}
	}
	if len(by) == 0 {
		if g.spec.FindCause {
			// Which toleration is off, and how, is the learner's to find.
			return CheckResult{Message: fmt.Sprintf("파드 템플릿의 톨러레이션 중 테인트 %s 용인하는 것이 없습니다", eul(TaintString(t)))}
		}
		p := NewPlacer(g.ds.Template, g.snap.Nodes)
		return CheckResult{Message: p.taintReason(t)}
	}
	msg := fmt.Sprintf("톨러레이션 %s 테인트 %s 용인합니다", iga(strings.Join(names, ", ")), eul(TaintString(t)))
	return CheckResult{Passed: true, Message: msg, Warning: g.tolerationWarnings(by)}
}

// neededTaints are the taints the task asks the template to tolerate: those
// of the spec's tolerates checks, or, when it has none, the current
// NoSchedule/NoExecute taints of the expected nodes that the DaemonSet
// controller's default tolerations do not cover.
func (g *gradeCtx) neededTaints() []corev1.Taint {
	var out []corev1.Taint
	for _, c := range g.spec.Checks {
		if c.Kind == KindTolerates && c.Taint != nil {
			out = append(out, *c.Taint)
		}
	}
	if len(out) > 0 {
		return out
	}
	defaults := daemonTolerations(g.ds.Template.HostNetwork)
	for _, name := range g.sortedSet(g.expected) {
		n, ok := g.current[name]
		if !ok {
			continue
		}
		for _, t := range n.Taints {
			if !scheduleTaint(&t) || systemTaint(t) || containsTaint(out, t) {
				continue
			}
			covered := false
			for _, d := range defaults {
				covered = covered || tolerates(d, t)
			}
			if !covered {
				out = append(out, t)
			}
		}
	}
	return out
}

// tolerationWarnings returns the breadth warnings (joined) for those of
// tols that tolerate a needed taint or have no key, each toleration warned
// about once per result.
func (g *gradeCtx) tolerationWarnings(tols []corev1.Toleration) string {
	needed := g.neededTaints()
	var out []string
	for _, tol := range tols {
		id := tol.String()
		if g.warned[id] {
			continue
		}
		relevant := tol.Key == ""
		for _, n := range needed {
			relevant = relevant || tolerates(tol, n)
		}
		if !relevant {
			continue
		}
		if w := breadthWarning(tol, needed, g.snap.Nodes); w != "" {
			g.warned[id] = true
			out = append(out, w)
		}
	}
	return strings.Join(out, " / ")
}

// quote appends the task's own words for a constraint check c enforces.
func quote(c Check, msg string) string {
	if c.Constraint == "" {
		return msg
	}
	return msg + " — 과제: “" + plainTask(c.Constraint) + "”"
}

// plainTask is task text (markdown) as a message quotes it: inline code
// spans lose their backticks ("`nodeSelector` 로" → "nodeSelector 로"),
// since messages are shown as plain text in the TUI and the CLI.
func plainTask(s string) string { return strings.ReplaceAll(s, "`", "") }

func (g *gradeCtx) checkNodeSelector(c Check) CheckResult {
	sel := g.ds.Template.NodeSelector
	want := c.Key + "=" + c.Value
	if got, ok := sel[c.Key]; ok {
		if got == c.Value {
			return CheckResult{Passed: true, Message: fmt.Sprintf("nodeSelector 에 %s 있습니다", iga(want))}
		}
		msg := fmt.Sprintf("nodeSelector 의 %s=%s: 값이 %s 합니다", c.Key, got, after(c.Value, "여야"))
		if strings.EqualFold(got, c.Value) {
			msg += " (레이블 값은 대소문자를 구분합니다)"
		}
		return CheckResult{Message: quote(c, msg)}
	}
	for _, k := range sortedKeys(sel) {
		if suggest(k, []string{c.Key}) != "" {
			return CheckResult{Message: quote(c, fmt.Sprintf("nodeSelector 의 key %s %s 의 오타가 아닌가요? 노드에는 %s 레이블이 있습니다", eun(k), c.Key, want))}
		}
	}
	if hasRequirementKey(g.ds.Template.Affinity, c.Key) {
		return CheckResult{Message: quote(c, fmt.Sprintf("노드 어피니티(node affinity)로도 같은 노드가 골라지지만, 이 연습은 nodeSelector %s 쓰는 것입니다", eul(want)))}
	}
	if len(sel) == 0 {
		return CheckResult{Message: quote(c, fmt.Sprintf("nodeSelector 가 없습니다: spec.template.spec.nodeSelector 에 %s 넣으세요", eul(want)))}
	}
	return CheckResult{Message: quote(c, fmt.Sprintf("nodeSelector %s 에 %s 없습니다", formatSelector(sel), iga(want)))}
}

func hasRequirementKey(a *corev1.Affinity, key string) bool {
	ns := requiredTerms(a)
	if ns == nil {
		return false
	}
	for _, t := range ns.NodeSelectorTerms {
		for _, r := range t.MatchExpressions {
			if r.Key == key {
				return true
			}
		}
	}
	return false
}

func (g *gradeCtx) checkNodeAffinity(c Check) CheckResult {
	want := corev1.NodeSelectorRequirement{Key: c.Key, Operator: corev1.NodeSelectorOperator(c.Operator), Values: c.Values}
	wantS := RequirementString(want)
	a := g.ds.Template.Affinity
	ns := requiredTerms(a)
	if ns == nil || len(ns.NodeSelectorTerms) == 0 {
		switch {
		case a != nil && a.NodeAffinity != nil && len(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution) > 0:
			return CheckResult{Message: quote(c, fmt.Sprintf("preferredDuringSchedulingIgnoredDuringExecution 은 선호일 뿐 강제하지 않습니다: requiredDuringSchedulingIgnoredDuringExecution 에 %s 쓰세요", eul(wantS)))}
		case g.ds.Template.NodeSelector[c.Key] != "":
			return CheckResult{Message: quote(c, fmt.Sprintf("nodeSelector 만으로는 통과하지 않습니다: 이 연습은 노드 어피니티(node affinity)의 requiredDuringSchedulingIgnoredDuringExecution 에 %s 쓰는 것입니다", eul(wantS)))}
		}
		return CheckResult{Message: quote(c, fmt.Sprintf("필수 노드 어피니티(requiredDuringSchedulingIgnoredDuringExecution)가 없습니다: %s 조건을 넣으세요", ro(wantS)))}
	}
	var missing []int
	var near []string
	for i, term := range ns.NodeSelectorTerms {
		found := false
		for _, r := range term.MatchExpressions {
			if r.Key == want.Key && r.Operator == want.Operator && sameSet(r.Values, want.Values) {
				found = true
				break
			}
			switch {
			case r.Key == want.Key:
				near = append(near, fmt.Sprintf("%s 있지만 기대한 조건은 %s 입니다", iga(RequirementString(r)), wantS))
			case suggest(r.Key, []string{want.Key}) != "":
				near = append(near, fmt.Sprintf("key %s %s 의 오타가 아닌가요?", eun(r.Key), want.Key))
			}
		}
		if !found {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		msg := fmt.Sprintf("필수 노드 어피니티(node affinity)에 %s 있습니다", iga(wantS))
		if len(ns.NodeSelectorTerms) > 1 {
			msg += fmt.Sprintf(" (nodeSelectorTerms %d개 모두)", len(ns.NodeSelectorTerms))
		}
		return CheckResult{Passed: true, Message: msg}
	}
	msg := fmt.Sprintf("필수 노드 어피니티(node affinity)에 %s 없습니다", iga(wantS))
	if len(ns.NodeSelectorTerms) > 1 {
		msg = fmt.Sprintf("nodeSelectorTerms 는 OR 로 묶입니다: %d번째 조건에 %s 없어 다른 노드도 골라집니다", missing[0]+1, iga(wantS))
	}
	if len(near) > 0 {
		msg += " — " + strings.Join(near, "; ")
	}
	return CheckResult{Message: quote(c, msg)}
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

func (g *gradeCtx) checkUpdateStrategy(c Check) CheckResult {
	s := g.ds.UpdateStrategy
	typ := string(s.Type)
	if typ == "" {
		typ = "RollingUpdate"
	}
	if typ != c.Strategy {
		msg := fmt.Sprintf("updateStrategy.type 이 %s 입니다: %s 합니다", typ, after(c.Strategy, "여야"))
		if c.Strategy == "OnDelete" {
			msg += " (OnDelete 에서는 파드를 직접 지울 때만 새 템플릿으로 바뀝니다)"
		}
		return CheckResult{Message: quote(c, msg)}
	}
	if c.Strategy != "RollingUpdate" || c.MaxUnavailable == nil {
		return CheckResult{Passed: true, Message: fmt.Sprintf("updateStrategy.type 이 %s 입니다", typ)}
	}
	total := len(g.expected)
	var mu, ms *intstr.IntOrString
	if s.RollingUpdate != nil {
		mu, ms = s.RollingUpdate.MaxUnavailable, s.RollingUpdate.MaxSurge
	}
	muVal := 1 // the API default
	if mu != nil {
		v, err := intstr.GetScaledValueFromIntOrPercent(mu, total, true)
		if err != nil {
			return CheckResult{Message: fmt.Sprintf("rollingUpdate.maxUnavailable %s 잘못되었습니다: %v", iga(mu.String()), err)}
		}
		muVal = v
	}
	want, _ := intstr.GetScaledValueFromIntOrPercent(c.MaxUnavailable, total, true)
	muS := "1 (기본값)"
	if mu != nil {
		muS = mu.String()
	}
	if muVal != want {
		return CheckResult{Message: quote(c, fmt.Sprintf("rollingUpdate.maxUnavailable 이 %s, 노드 %d개 기준 %d개입니다: %s 합니다", muS, total, muVal, after(strconv.Itoa(want), "여야")))}
	}
	res := CheckResult{Passed: true, Message: fmt.Sprintf("RollingUpdate, maxUnavailable %s: 한 번에 %d개 노드씩 교체합니다", muS, muVal)}
	// The task states maxUnavailable only: a percentage that comes to the
	// same number of nodes today, or a surge, still reaches the asked
	// rollout and is only warned about.
	var warns []string
	if mu != nil && mu.Type == intstr.String && c.MaxUnavailable.Type == intstr.Int {
		warns = append(warns, fmt.Sprintf("maxUnavailable %s 지금 노드 %d개에서 %d개지만, 비율이라 노드가 늘면 한 번에 내려가는 파드도 늘어납니다: 과제처럼 %s 적으면 노드 수와 상관없이 %s개씩입니다", eun(mu.String()), total, muVal, ro(c.MaxUnavailable.String()), c.MaxUnavailable.String()))
	}
	if ms != nil {
		if v, _ := intstr.GetScaledValueFromIntOrPercent(ms, total, true); v > 0 {
			warns = append(warns, fmt.Sprintf("rollingUpdate.maxSurge 가 %s 입니다: 노드마다 새 파드를 옛 파드 곁에 먼저 띄우므로, hostPort 나 hostNetwork 포트를 쓰는 데몬셋에서는 새 파드가 포트를 얻지 못해(didn't have free ports) 롤아웃이 멈출 수 있고, 잠시 같은 에이전트가 한 노드에 둘 돕니다", ms.String()))
		}
	}
	res.Warning = strings.Join(warns, " / ")
	return res
}

// containerImage returns the image of the named container.
func containerImage(cs []ContainerStatus, name string) (string, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c.Image, true
		}
	}
	return "", false
}

func templateImage(tpl PodTemplate, name string) (string, bool) {
	for _, c := range tpl.Containers {
		if c.Name == name {
			return c.Image, true
		}
	}
	return "", false
}

// normalImage is an image reference as the container runtime resolves it
// (github.com/distribution/reference ParseNormalizedNamed): a name without
// a registry is on docker.io, a one-part docker.io name is under library/,
// no tag or digest means :latest. "busybox:1.37.0" and
// "docker.io/library/busybox:1.37.0" are the same image.
func normalImage(img string) string {
	name, digest, hasDigest := strings.Cut(img, "@")
	tag := ""
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	first, rest, hasSlash := strings.Cut(name, "/")
	if !hasSlash || (!strings.ContainsAny(first, ".:") && first != "localhost") {
		name = "docker.io/" + name
	}
	if first == "index.docker.io" {
		name = "docker.io/" + rest
	}
	if r, ok := strings.CutPrefix(name, "docker.io/"); ok && !strings.Contains(r, "/") {
		name = "docker.io/library/" + r
	}
	switch {
	case hasDigest && tag != "":
		return name + ":" + tag + "@" + digest
	case hasDigest:
		return name + "@" + digest
	case tag == "":
		tag = "latest"
	}
	return name + ":" + tag
}

// sameImage reports whether two image references name the same image.
func sameImage(a, b string) bool { return a == b || normalImage(a) == normalImage(b) }

func (g *gradeCtx) checkImage(c Check) CheckResult {
	var res CheckResult
	target := g.expected
	if c.Nodes != nil {
		target = g.nodeSet(*c.Nodes)
	}
	tplImg, ok := templateImage(g.ds.Template, c.Container)
	if !ok {
		var names []string
		for _, ct := range g.ds.Template.Containers {
			names = append(names, ct.Name)
		}
		return CheckResult{Message: quote(c, fmt.Sprintf("파드 템플릿에 컨테이너 %s 없습니다 (있는 컨테이너: %s)", iga(c.Container), strings.Join(names, ", ")))}
	}
	var bad, rolled []string
	for _, name := range g.sortedSet(g.expected) {
		want := c.Image
		if !target[name] {
			if c.OtherImage == "" {
				continue
			}
			want = c.OtherImage
		}
		st := g.state(name)
		nr := NodeResult{Node: name, Expected: want}
		switch {
		case (st.pod == nil || st.actual == StateTerminating) && c.OtherImage == "":
			// "Every pod runs Image": a node without a pod is the
			// placement check's business, not this one's.
			continue
		case st.pod == nil || st.actual == StateTerminating:
			nr.Actual = StateAbsent
			nr.Reason = "파드가 없습니다"
		default:
			img, _ := containerImage(st.pod.Containers, c.Container)
			nr.Actual = img
			switch {
			case sameImage(img, want) && st.actual == StateRunning:
				nr.Passed = true
				nr.Reason = fmt.Sprintf("파드 %s 실행 중입니다", iga(st.pod.Name))
				if c.OtherImage != "" {
					// Which image each node runs is the point (the canary).
					nr.Reason = fmt.Sprintf("%s 실행 중입니다 (파드 %s)", eul(img), st.pod.Name)
				}
			case sameImage(img, want):
				nr.Reason = podProblem(*st.pod)
			case target[name] && c.OtherImage != "" && !sameImage(tplImg, c.Image):
				// The advice follows the template: deleting the pod now
				// brings the old image back (issue 14).
				nr.Reason = fmt.Sprintf("파드 %s 아직 이전 이미지이고 파드 템플릿도 아직 %s 입니다: 지금 파드를 지우면 같은 이미지로 다시 만들어집니다 — 먼저 템플릿의 이미지를 %s 바꿔 적용하세요", iga(st.pod.Name), tplImg, ro(c.Image))
			case target[name] && c.OtherImage != "":
				nr.Reason = fmt.Sprintf("파드 %s 아직 이전 이미지입니다: OnDelete 에서는 이 노드의 파드를 지워야 새 템플릿으로 다시 만들어집니다", iga(st.pod.Name))
			case !target[name] && sameImage(img, c.Image):
				nr.Reason = "이 노드의 파드도 새 이미지로 바뀌었습니다: 이 노드의 파드는 지우지 않고 그대로 두어야 합니다 (RollingUpdate 였거나 파드를 지웠습니다)"
				rolled = append(rolled, name)
			default:
				nr.Reason = fmt.Sprintf("이미지가 %s 입니다", img)
			}
		}
		if !nr.Passed {
			bad = append(bad, name)
		}
		res.Nodes = append(res.Nodes, nr)
	}
	if !sameImage(tplImg, c.Image) {
		res.Message = quote(c, fmt.Sprintf("파드 템플릿의 컨테이너 %s 이미지가 %s 입니다: %s 합니다", c.Container, tplImg, after(c.Image, "여야")))
		return res
	}
	if len(bad) > 0 {
		res.Message = quote(c, fmt.Sprintf("노드별 이미지가 기대와 다릅니다: %s", strings.Join(bad, ", ")))
		if len(rolled) > 0 {
			// How to get back to one updated node (issue 14: the grade
			// said why all pods rolled, not how to recover).
			res.Message += fmt.Sprintf(" — 되돌리는 법: 연습을 처음부터 하거나 (TUI 에서 r 두 번, 또는 dslab exercise reset %s), updateStrategy 가 OnDelete 인 채로 템플릿 이미지를 %s 되돌려 적용한 뒤 %s 의 파드를 지우세요. 그다음 새 이미지로 바꿔 %s 의 파드만 지웁니다",
				g.spec.ID, ro(c.OtherImage), strings.Join(rolled, ", "), strings.Join(g.sortedSet(target), ", "))
		}
		return res
	}
	res.Passed = true
	res.Message = fmt.Sprintf("%s 노드만 %s 실행합니다", strings.Join(g.sortedSet(target), ", "), eul(c.Image))
	if c.OtherImage == "" {
		res.Message = fmt.Sprintf("모든 파드가 %s 실행합니다", eul(c.Image))
	}
	return res
}

// newestRevision returns the DaemonSet's newest ControllerRevision.
func (d DaemonSet) newestRevision() (Revision, bool) {
	if len(d.Revisions) == 0 {
		return Revision{}, false
	}
	r := d.Revisions[0]
	for _, x := range d.Revisions[1:] {
		if x.Revision > r.Revision {
			r = x
		}
	}
	return r, true
}

func (g *gradeCtx) checkUpdated(c Check) CheckResult {
	var res CheckResult
	tplImg, _ := templateImage(g.ds.Template, c.Container)
	rev, hasRev := g.ds.newestRevision()
	var bad []string
	for _, name := range g.sortedSet(g.expected) {
		st := g.state(name)
		nr := NodeResult{Node: name, Expected: c.Image}
		switch {
		case st.pod == nil || st.actual == StateTerminating:
			nr.Actual = StateAbsent
			nr.Reason = "파드가 없습니다"
		default:
			img, _ := containerImage(st.pod.Containers, c.Container)
			nr.Actual = img
			switch {
			case !sameImage(img, c.Image):
				nr.Reason = fmt.Sprintf("파드 %s 아직 %s 입니다", iga(st.pod.Name), img)
			case hasRev && rev.Hash != "" && st.pod.RevisionHash != "" && st.pod.RevisionHash != rev.Hash:
				nr.Reason = fmt.Sprintf("파드 %s 최신 리비전(%s)이 아닙니다 (%s)", iga(st.pod.Name), rev.Hash, st.pod.RevisionHash)
			case st.actual != StateRunning:
				nr.Reason = podProblem(*st.pod)
			default:
				nr.Passed = true
				nr.Reason = fmt.Sprintf("파드 %s 새 이미지로 Ready 입니다", iga(st.pod.Name))
			}
		}
		if !nr.Passed {
			bad = append(bad, name)
		}
		res.Nodes = append(res.Nodes, nr)
	}
	switch {
	case !sameImage(tplImg, c.Image):
		res.Message = quote(c, fmt.Sprintf("파드 템플릿의 컨테이너 %s 이미지가 %s 입니다: %s 바꾸세요", c.Container, tplImg, ro(c.Image)))
	case g.ds.Status.ObservedGeneration < g.ds.Generation:
		res.Message = "데몬셋 컨트롤러가 아직 최신 변경을 반영하지 않았습니다 (status.observedGeneration < metadata.generation) — 잠시 뒤 다시 채점하세요"
	case len(bad) > 0:
		res.Message = fmt.Sprintf("아직 업데이트되지 않았거나 Ready 가 아닌 노드: %s (dslab kubectl rollout status ds/%s -n %s 진행을 보세요)", strings.Join(bad, ", "), g.ds.Name, ro(g.ds.Namespace))
	default:
		res.Passed = true
		res.Message = fmt.Sprintf("노드 %d개의 파드가 모두 %s Ready 입니다", len(g.expected), ro(c.Image))
	}
	return res
}

func (g *gradeCtx) checkHostNetwork(c Check) CheckResult {
	if g.ds.Template.HostNetwork {
		return CheckResult{Passed: true, Message: "hostNetwork: true — 노드의 네트워크를 그대로 씁니다"}
	}
	return CheckResult{Message: quote(c, "hostNetwork 가 설정되지 않았습니다: 노드 익스포터(node exporter)는 노드 자체의 네트워크 지표를 보려고 spec.template.spec.hostNetwork: true 로 실행합니다")}
}

func (g *gradeCtx) checkPort(c Check) CheckResult {
	var seen []string
	for _, ct := range g.ds.Template.Containers {
		for _, p := range ct.Ports {
			seen = append(seen, fmt.Sprintf("%s:%d", ct.Name, p.ContainerPort))
			if p.ContainerPort != c.Port {
				continue
			}
			if p.HostPort != 0 && p.HostPort != p.ContainerPort && g.ds.Template.HostNetwork {
				return CheckResult{Message: quote(c, fmt.Sprintf("hostNetwork 에서는 hostPort(%d)가 containerPort(%d)와 같아야 합니다", p.HostPort, p.ContainerPort))}
			}
			return CheckResult{Passed: true, Message: fmt.Sprintf("컨테이너 %s 포트 %s 열어 둡니다", iga(ct.Name), eul(fmt.Sprint(c.Port)))}
		}
	}
	if len(seen) == 0 {
		return CheckResult{Message: quote(c, fmt.Sprintf("컨테이너 포트가 없습니다: ports 에 containerPort: %d 넣으세요", c.Port))}
	}
	return CheckResult{Message: quote(c, fmt.Sprintf("containerPort %s 없습니다 (지금: %s)", iga(fmt.Sprint(c.Port)), strings.Join(seen, ", ")))}
}

var resourceNames = []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}

func (g *gradeCtx) checkResources(c Check) CheckResult {
	var problems []string
	req := corev1.ResourceList{}
	lim := corev1.ResourceList{}
	for _, ct := range g.ds.Template.Containers {
		for _, rn := range resourceNames {
			r, hasR := ct.Resources.Requests[rn]
			l, hasL := ct.Resources.Limits[rn]
			if !hasR && hasL {
				// The API server defaults requests to limits.
				r, hasR = l, true
			}
			if !hasR {
				problems = append(problems, fmt.Sprintf("컨테이너 %s 에 %s 없습니다", ct.Name, iga("requests."+string(rn))))
			} else {
				add(req, rn, r)
			}
			if !hasL {
				problems = append(problems, fmt.Sprintf("컨테이너 %s 에 %s 없습니다", ct.Name, iga("limits."+string(rn))))
			} else {
				add(lim, rn, l)
				if hasR && l.Cmp(r) < 0 {
					problems = append(problems, fmt.Sprintf("컨테이너 %s 의 limits.%s(%s)가 requests(%s)보다 작습니다", ct.Name, rn, l.String(), r.String()))
				}
			}
		}
	}
	for _, rn := range resourceNames {
		if max, ok := quantity(c.Budget.Requests, rn); ok {
			if got, ok := req[rn]; ok && got.Cmp(max) > 0 {
				problems = append(problems, fmt.Sprintf("파드당 requests.%s %s 예산 %s 넘습니다", rn, iga(got.String()), eul(max.String())))
			}
		}
		if max, ok := quantity(c.Budget.Limits, rn); ok {
			if got, ok := lim[rn]; ok && got.Cmp(max) > 0 {
				problems = append(problems, fmt.Sprintf("파드당 limits.%s %s 예산 %s 넘습니다", rn, iga(got.String()), eul(max.String())))
			}
		}
	}
	cost := g.cost(req)
	if len(problems) > 0 {
		msg := strings.Join(problems, "; ")
		if cost != "" {
			msg += " — " + cost
		}
		return CheckResult{Message: quote(c, msg)}
	}
	return CheckResult{Passed: true, Message: cost}
}

func add(l corev1.ResourceList, rn corev1.ResourceName, q resource.Quantity) {
	cur := l[rn]
	cur.Add(q)
	l[rn] = cur
}

// cost reports the cluster-wide requests: a DaemonSet costs its pod's
// requests once per node, and grows with every node added.
func (g *gradeCtx) cost(req corev1.ResourceList) string {
	n := len(g.expected)
	if n == 0 || len(req) == 0 {
		return ""
	}
	var parts, big []string
	for _, rn := range resourceNames {
		q, ok := req[rn]
		if !ok {
			continue
		}
		total := q.DeepCopy()
		hundred := q.DeepCopy()
		for i := 1; i < n; i++ {
			total.Add(q)
		}
		for i := 1; i < 100; i++ {
			hundred.Add(q)
		}
		parts = append(parts, fmt.Sprintf("%s %s × %d = %s", rn, q.String(), n, humanQuantity(rn, total)))
		big = append(big, fmt.Sprintf("%s %s", rn, humanQuantity(rn, hundred)))
	}
	return fmt.Sprintf("비용: 파드 1개의 requests 가 노드마다 붙으므로 클러스터 전체로는 %s 입니다 (노드가 100개면 %s)", strings.Join(parts, ", "), strings.Join(big, ", "))
}

// humanQuantity prints cpu in cores or millicores and memory in Mi/Gi.
func humanQuantity(rn corev1.ResourceName, q resource.Quantity) string {
	if rn == corev1.ResourceCPU {
		m := q.MilliValue()
		if m%1000 == 0 {
			return fmt.Sprintf("%d", m/1000)
		}
		if m >= 1000 {
			return fmt.Sprintf("%.1f", float64(m)/1000)
		}
		return fmt.Sprintf("%dm", m)
	}
	b := q.Value()
	const mi, gi = 1 << 20, 1 << 30
	switch {
	case b >= gi && b%gi == 0:
		return fmt.Sprintf("%dGi", b/gi)
	case b >= gi:
		return fmt.Sprintf("%.1fGi", float64(b)/gi)
	case b%mi == 0:
		return fmt.Sprintf("%dMi", b/mi)
	}
	return q.String()
}

func (g *gradeCtx) checkNodeLabel(c Check) CheckResult {
	name := expand(c.Node, g.cluster)
	n, ok := g.current[name]
	want := c.Key + "=" + c.Value
	nr := NodeResult{Node: name, Expected: want}
	if !ok {
		nr.Actual = StateNodeMissing
		nr.Reason = "노드가 없습니다"
		return CheckResult{Message: fmt.Sprintf("노드 %s 없습니다", iga(name)), Nodes: []NodeResult{nr}}
	}
	got, has := n.Labels[c.Key]
	if has {
		nr.Actual = c.Key + "=" + got
	}
	switch {
	case has && got == c.Value:
		nr.Passed = true
		nr.Reason = "레이블이 있습니다"
		return CheckResult{Passed: true, Message: fmt.Sprintf("노드 %s 에 레이블 %s 있습니다", name, iga(want)), Nodes: []NodeResult{nr}}
	case has:
		// kubectl label refuses to change an existing value without
		// --overwrite ("'hardware' already has a value (GPU), and
		// --overwrite is false"), so the fix says it.
		nr.Reason = fmt.Sprintf("값이 %s 입니다. %s 합니다 (레이블 값은 대소문자를 구분합니다)", got, after(c.Value, "여야"))
		return CheckResult{Message: fmt.Sprintf("노드 %s 의 레이블 %s 값이 %s 입니다 (%s 합니다): dslab kubectl label node %s %s --overwrite", name, c.Key, got, after(c.Value, "여야"), name, want), Nodes: []NodeResult{nr}}
	default:
		nr.Reason = "레이블이 없습니다"
		typo := ""
		for _, k := range sortedKeys(n.Labels) {
			if suggest(k, []string{c.Key}) != "" {
				nr.Actual = k + "=" + n.Labels[k]
				nr.Reason = fmt.Sprintf("레이블 key %s %s 의 오타가 아닌가요?", eun(k), c.Key)
				typo = k
			}
		}
		if typo != "" {
			// Issue 14: the message said only that the label was
			// missing; the near key and how to remove it, as ds-basics does.
			return CheckResult{Message: fmt.Sprintf("노드 %s 에 레이블 %s 없습니다: 붙인 레이블 key %s %s 의 오타가 아닌가요? %s 지우고 dslab kubectl label node %s %s 붙이세요",
				name, iga(want), eun(typo), c.Key, ro("dslab kubectl label node "+name+" "+typo+"-"), name, ro(want)), Nodes: []NodeResult{nr}}
		}
	}
	return CheckResult{Message: fmt.Sprintf("노드 %s 에 레이블 %s 없습니다: dslab kubectl label node %s %s", name, iga(want), name, want), Nodes: []NodeResult{nr}}
}

func (g *gradeCtx) checkCreatedAfterLabel(c Check) CheckResult {
	name := expand(c.Node, g.cluster)
	n, ok := g.current[name]
	if !ok {
		return CheckResult{Message: fmt.Sprintf("노드 %s 없습니다", iga(name))}
	}
	if _, has := n.Labels[c.Key]; !has {
		return CheckResult{Message: fmt.Sprintf("노드 %s 에 아직 %s 레이블이 없습니다", name, c.Key)}
	}
	labelAt, known := n.LabelTimes[c.Key]
	src := "managedFields"
	if !known && g.snap.Baseline != nil && g.baselineSource != "topology" {
		labelAt, known, src = g.snap.Baseline.Recorded, true, "기준선(baseline) 기록 시각 — 레이블은 그 뒤에 붙었습니다"
	}
	st := g.state(name)
	nr := NodeResult{Node: name, Expected: StateCreatedAfterLabel, Actual: st.actual}
	if st.pod == nil || st.actual == StateTerminating {
		nr.Reason = "파드가 없습니다"
		if fit := g.placer.Place(n); !fit.Fits {
			nr.Reason += ": " + strings.Join(fit.Reasons, "; ")
		}
		return CheckResult{Message: fmt.Sprintf("노드 %s 에 데몬셋 %s 의 파드가 없습니다", name, g.ds.Name), Nodes: []NodeResult{nr}}
	}
	p := st.pod
	if !known {
		nr.Reason = "레이블이 붙은 시각을 알 수 없습니다"
		return CheckResult{Message: fmt.Sprintf("파드 %s 생성 %s — 레이블 %s 붙은 시각을 알 수 없어(managedFields 없음, 기준선 없음) 순서를 확인할 수 없습니다", p.Name, g.fmtTime(p.Created), iga(c.Key)), Nodes: []NodeResult{nr}}
	}
	// creationTimestamp has one-second resolution.
	if p.Created.Before(labelAt.Truncate(time.Second)) {
		nr.Reason = fmt.Sprintf("파드가 레이블(%s)보다 먼저(%s) 만들어졌습니다", g.fmtTime(labelAt), g.fmtTime(p.Created))
		// Issue 14: an ordering trap names its way out.
		return CheckResult{Message: fmt.Sprintf("파드 %s 레이블 %s 붙기 전에 만들어졌습니다: 데몬셋이 레이블을 보고 만든 파드가 아닙니다. 처음부터 다시 하세요 (%s)", iga(p.Name), iga(c.Key), g.restartHint()), Nodes: []NodeResult{nr}}
	}
	if st.actual != StateRunning {
		nr.Reason = podProblem(*p)
		return CheckResult{Message: nr.Reason, Nodes: []NodeResult{nr}}
	}
	nr.Actual = StateCreatedAfterLabel
	nr.Passed = true
	nr.Reason = fmt.Sprintf("레이블 %s, 파드 생성 %s", g.fmtTime(labelAt), g.fmtTime(p.Created))
	return CheckResult{Passed: true, Message: fmt.Sprintf("%s 에 레이블 %s 붙은 시각 %s (%s), 파드 %s 생성 %s: 레이블을 붙이자 데몬셋 컨트롤러가 그 노드에 파드를 만들었습니다",
		n.Name, iga(c.Key), g.fmtTime(labelAt), src, p.Name, g.fmtTime(p.Created)), Nodes: []NodeResult{nr}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
