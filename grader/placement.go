package grader

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	schedcorev1 "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/klog/v2"
)

// Well-known keys.
const (
	LabelControlPlane = "node-role.kubernetes.io/control-plane"
	LabelMaster       = "node-role.kubernetes.io/master"
	TaintControlPlane = "node-role.kubernetes.io/control-plane"
	TaintMaster       = "node-role.kubernetes.io/master"
)

// daemonTolerations are the tolerations the DaemonSet controller adds to
// every daemon pod (k8s.io/kubernetes/pkg/controller/daemon/util
// AddOrUpdateDaemonPodTolerations); network-unavailable only with hostNetwork.
func daemonTolerations(hostNetwork bool) []corev1.Toleration {
	t := []corev1.Toleration{
		{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Key: corev1.TaintNodeDiskPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeMemoryPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodePIDPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	}
	if hostNetwork {
		t = append(t, corev1.Toleration{Key: corev1.TaintNodeNetworkUnavailable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule})
	}
	return t
}

// podTolerations is the template's tolerations plus the daemon defaults, as
// the controller merges them (k8s.io/component-helpers/scheduling/corev1
// AddOrUpdateTolerationInPodSpec: a default replaces a template toleration
// with the same key, operator, value and effect, and is appended
// otherwise).
func podTolerations(tpl PodTemplate) []corev1.Toleration {
	out := slices.Clone(tpl.Tolerations)
	for _, d := range daemonTolerations(tpl.HostNetwork) {
		replaced := false
		for i := range out {
			if out[i].MatchToleration(&d) {
				out[i] = d
				replaced = true
			}
		}
		if !replaced {
			out = append(out, d)
		}
	}
	return out
}

// Fit is whether a DaemonSet's pod belongs on a node, decided as the
// DaemonSet controller decides it (node name, required node affinity and
// nodeSelector, NoSchedule and NoExecute taints), with the reasons in Korean.
type Fit struct {
	Node string `json:"node"`
	// Fits is the controller's decision: a daemon pod should run there
	// (shouldRun of pkg/controller/daemon NodeShouldRunDaemonPod).
	Fits bool `json:"fits"`
	// ContinueRunning is the controller's shouldContinueRunning: a running
	// daemon pod may stay (selectors match, no untolerated NoExecute taint)
	// even where Fits is false because of a NoSchedule taint.
	ContinueRunning bool `json:"continueRunning"`
	// SelectorOK is whether nodeSelector, required node affinity and nodeName match.
	SelectorOK bool `json:"selectorOK"`
	// Untolerated are the node's NoSchedule/NoExecute taints no toleration tolerates.
	Untolerated []corev1.Taint `json:"untolerated,omitempty"`
	// Tolerated are the node's taints that a template toleration tolerates.
	Tolerated []TaintMatch `json:"tolerated,omitempty"`
	// Reasons explain (Korean) why the pod does not fit; empty when it fits.
	Reasons []string `json:"reasons,omitempty"`
	// Matches explain (Korean) what made the pod fit: the selector terms
	// that matched and the tolerations that tolerated taints.
	Matches []string `json:"matches,omitempty"`
}

// TaintMatch is a taint and the template toleration that tolerates it.
type TaintMatch struct {
	Taint      corev1.Taint      `json:"taint"`
	Toleration corev1.Toleration `json:"toleration"`
}

// Placer decides and explains placement of one pod template over many
// nodes; it parses the template's selectors once.
type Placer struct {
	tpl         PodTemplate
	tolerations []corev1.Toleration
	required    nodeaffinity.RequiredNodeAffinity
	vocab       vocabulary
	// keepTemplate is set when the exercise forbids editing the DaemonSet
	// (a templateUnchanged check): a label mismatch is then fixed on the
	// node, and the reason says so.
	keepTemplate bool
}

// vocabulary is what the cluster's nodes actually carry, for typo
// suggestions.
type vocabulary struct {
	labelKeys []string
	values    map[string][]string
	taintKeys []string
}

func newVocabulary(nodes []Node) vocabulary {
	v := vocabulary{values: map[string][]string{}}
	keys := map[string]bool{}
	taints := map[string]bool{}
	for _, n := range nodes {
		for k, val := range n.Labels {
			if !keys[k] {
				keys[k] = true
				v.labelKeys = append(v.labelKeys, k)
			}
			if !slices.Contains(v.values[k], val) {
				v.values[k] = append(v.values[k], val)
			}
		}
		for _, t := range n.Taints {
			if !taints[t.Key] {
				taints[t.Key] = true
				v.taintKeys = append(v.taintKeys, t.Key)
			}
		}
	}
	sort.Strings(v.labelKeys)
	sort.Strings(v.taintKeys)
	for k := range v.values {
		sort.Strings(v.values[k])
	}
	return v
}

// NewPlacer prepares placement decisions for tpl; nodes are the cluster's
// nodes, used to suggest corrections for misspelt label and taint keys.
func NewPlacer(tpl PodTemplate, nodes []Node) *Placer {
	return &Placer{
		tpl:         tpl,
		tolerations: podTolerations(tpl),
		required:    nodeaffinity.NewRequiredNodeAffinity(tpl.NodeSelector, tpl.Affinity),
		vocab:       newVocabulary(nodes),
	}
}

func toCoreNode(n Node) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: n.Labels},
		Spec:       corev1.NodeSpec{Taints: n.Taints, Unschedulable: n.Unschedulable},
	}
}

func scheduleTaint(t *corev1.Taint) bool {
	return t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute
}

// Place decides whether a daemon pod belongs on n and explains why.
func (p *Placer) Place(n Node) Fit {
	f := Fit{Node: n.Name}
	cn := toCoreNode(n)
	nameOK := p.tpl.NodeName == "" || p.tpl.NodeName == n.Name
	affOK, err := p.required.Match(cn)
	f.SelectorOK = nameOK && affOK && err == nil

	logger := klog.Background()
	for i := range n.Taints {
		t := n.Taints[i]
		if !scheduleTaint(&t) {
			continue
		}
		if !schedcorev1.TolerationsTolerateTaint(logger, p.tolerations, &t, false) {
			f.Untolerated = append(f.Untolerated, t)
			continue
		}
		for _, tol := range p.tpl.Tolerations {
			if tol.ToleratesTaint(logger, &t, false) {
				f.Tolerated = append(f.Tolerated, TaintMatch{Taint: t, Toleration: tol})
				break
			}
		}
	}
	f.Fits = f.SelectorOK && len(f.Untolerated) == 0
	f.ContinueRunning = f.SelectorOK
	for _, t := range f.Untolerated {
		if t.Effect == corev1.TaintEffectNoExecute {
			f.ContinueRunning = false
		}
	}

	if !nameOK {
		f.Reasons = append(f.Reasons, fmt.Sprintf("파드 템플릿의 nodeName 에 다른 노드 %s 지정되어 있습니다", iga(p.tpl.NodeName)))
	}
	if err != nil {
		f.Reasons = append(f.Reasons, fmt.Sprintf("노드 어피니티(node affinity) 식이 잘못되었습니다: %v", err))
	}
	if !affOK && err == nil {
		f.Reasons = append(f.Reasons, p.selectorReasons(n, cn)...)
	}
	for _, t := range f.Untolerated {
		f.Reasons = append(f.Reasons, p.taintReason(t))
	}
	if f.SelectorOK {
		f.Matches = append(f.Matches, p.selectorMatches(n)...)
	}
	for _, m := range f.Tolerated {
		f.Matches = append(f.Matches, fmt.Sprintf("톨러레이션 %s 테인트 %s 용인합니다", iga(TolerationString(m.Toleration)), eul(TaintString(m.Taint))))
	}
	return f
}

// selectorMatches says why the selectors let the pod onto n.
func (p *Placer) selectorMatches(n Node) []string {
	var out []string
	if len(p.tpl.NodeSelector) > 0 {
		out = append(out, fmt.Sprintf("nodeSelector %s 노드 레이블과 일치합니다", iga(formatSelector(p.tpl.NodeSelector))))
	}
	if req := requiredTerms(p.tpl.Affinity); req != nil {
		out = append(out, "노드 어피니티(node affinity) 조건을 만족합니다")
	}
	if len(p.tpl.NodeSelector) == 0 && requiredTerms(p.tpl.Affinity) == nil {
		if a := p.tpl.Affinity; a != nil && a.NodeAffinity != nil && len(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution) > 0 {
			out = append(out, "nodeSelector 와 필수 노드 어피니티(requiredDuringSchedulingIgnoredDuringExecution)가 없어 모든 노드가 대상입니다 (preferredDuringSchedulingIgnoredDuringExecution 은 선호일 뿐 데몬셋이 파드를 둘 노드를 줄이지 않습니다)")
		} else {
			out = append(out, "nodeSelector 와 노드 어피니티(node affinity)가 없어 모든 노드가 대상입니다")
		}
	}
	return out
}

func requiredTerms(a *corev1.Affinity) *corev1.NodeSelector {
	if a == nil || a.NodeAffinity == nil {
		return nil
	}
	return a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
}

// selectorReasons explains which nodeSelector entry or affinity requirement
// n does not satisfy, evaluating each one separately with Kubernetes'
// own matcher.
func (p *Placer) selectorReasons(n Node, cn *corev1.Node) []string {
	var out []string
	keys := make([]string, 0, len(p.tpl.NodeSelector))
	for k := range p.tpl.NodeSelector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := p.tpl.NodeSelector[k]
		got, has := n.Labels[k]
		switch {
		case !has:
			msg := fmt.Sprintf("nodeSelector %s=%s: 노드에 %s 레이블이 없습니다", k, want, k)
			if s := suggest(k, p.vocab.labelKeys); s != "" {
				msg += fmt.Sprintf(" (%s 의 오타가 아닌가요?)", s)
			}
			out = append(out, msg)
		case got != want:
			// The node's value differs from the selector's; which side is
			// wrong depends on the task, so the reason names the node's
			// value as the one that differs (issue 14: "값 GPU 의 오타가
			// 아닌가요?" read as if the selector were the typo).
			msg := fmt.Sprintf("nodeSelector %s=%s: 노드의 레이블 값이 다릅니다 (노드: %s=%s)", k, want, k, got)
			switch {
			case strings.EqualFold(got, want):
				msg += fmt.Sprintf(". 레이블 값은 대소문자를 구분하므로 %s %s 다른 값입니다", iga(got), wa(want))
			case suggest(want, []string{got}) != "":
				msg += fmt.Sprintf(". 노드의 값 %s nodeSelector 의 값 %s 중 한쪽의 오타가 아닌가요?", wa(got), want)
			}
			if p.keepTemplate {
				msg += fmt.Sprintf(". 데몬셋은 고치지 않는 연습이므로 노드의 레이블을 고치세요: dslab kubectl label node %s %s=%s --overwrite", n.Name, k, want)
			}
			out = append(out, msg)
		}
	}
	ns := requiredTerms(p.tpl.Affinity)
	if ns == nil {
		return out
	}
	if ok, _ := nodeaffinity.NewLazyErrorNodeSelector(ns).Match(cn); ok {
		return out
	}
	var termMsgs []string
	for i, term := range ns.NodeSelectorTerms {
		if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
			termMsgs = append(termMsgs, fmt.Sprintf("nodeSelectorTerms[%d] 가 비어 있어 어떤 노드와도 일치하지 않습니다", i))
			continue
		}
		var failed []string
		for _, r := range term.MatchExpressions {
			if !requirementMatches(cn, r, false) {
				failed = append(failed, p.requirementReason(n, r))
			}
		}
		for _, r := range term.MatchFields {
			if !requirementMatches(cn, r, true) {
				failed = append(failed, fmt.Sprintf("matchFields %s: 노드 이름은 %s 입니다", RequirementString(r), n.Name))
			}
		}
		if len(failed) > 0 {
			termMsgs = append(termMsgs, strings.Join(failed, "; "))
		}
	}
	switch len(termMsgs) {
	case 0:
	case 1:
		out = append(out, "노드 어피니티(node affinity) "+termMsgs[0])
	default:
		for i, m := range termMsgs {
			termMsgs[i] = fmt.Sprintf("조건 %d: %s", i+1, m)
		}
		out = append(out, "노드 어피니티(node affinity)의 어느 nodeSelectorTerm 도 만족하지 않습니다 — "+strings.Join(termMsgs, " / "))
	}
	return out
}

// requirementMatches evaluates one requirement on its own with the
// component-helpers matcher, so operator semantics are Kubernetes' own.
func requirementMatches(cn *corev1.Node, r corev1.NodeSelectorRequirement, field bool) bool {
	term := corev1.NodeSelectorTerm{}
	if field {
		term.MatchFields = []corev1.NodeSelectorRequirement{r}
	} else {
		term.MatchExpressions = []corev1.NodeSelectorRequirement{r}
	}
	ok, _ := nodeaffinity.NewLazyErrorNodeSelector(&corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{term}}).Match(cn)
	return ok
}

func (p *Placer) requirementReason(n Node, r corev1.NodeSelectorRequirement) string {
	got, has := n.Labels[r.Key]
	req := RequirementString(r)
	var msg string
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		if !has {
			msg = fmt.Sprintf("%s: 노드에 %s 레이블이 없습니다", req, r.Key)
		} else {
			msg = fmt.Sprintf("%s: 노드의 값 %s 목록에 없습니다", req, iga(r.Key+"="+got))
		}
	case corev1.NodeSelectorOpNotIn:
		msg = fmt.Sprintf("%s: 노드의 값 %s 제외 목록에 있습니다", req, iga(r.Key+"="+got))
	case corev1.NodeSelectorOpExists:
		msg = fmt.Sprintf("%s: 노드에 %s 레이블이 없습니다", req, r.Key)
	case corev1.NodeSelectorOpDoesNotExist:
		msg = fmt.Sprintf("%s: 노드에 %s=%s 레이블이 있습니다", req, r.Key, got)
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		switch {
		case !has:
			msg = fmt.Sprintf("%s: 노드에 %s 레이블이 없습니다", req, r.Key)
		case len(r.Values) != 1:
			msg = fmt.Sprintf("%s: Gt/Lt 에는 정수 값이 정확히 하나 있어야 합니다", req)
		default:
			msg = fmt.Sprintf("%s: 노드의 값 %s 조건을 만족하지 않습니다 (정수 비교)", req, iga(r.Key+"="+got))
		}
	default:
		msg = fmt.Sprintf("%s: 알 수 없는 연산자(operator) %s 입니다 (In, NotIn, Exists, DoesNotExist, Gt, Lt 중 하나)", req, r.Operator)
	}
	if !has && r.Operator != corev1.NodeSelectorOpDoesNotExist && r.Operator != corev1.NodeSelectorOpNotIn {
		if s := suggest(r.Key, p.vocab.labelKeys); s != "" {
			msg += fmt.Sprintf(" (%s 의 오타가 아닌가요?)", s)
		}
	} else if has && r.Operator == corev1.NodeSelectorOpIn {
		for _, v := range r.Values {
			if s := suggest(v, []string{got}); s != "" {
				msg += fmt.Sprintf(" (값 %s %s 의 오타가 아닌가요?)", eun(v), s)
				break
			}
		}
	}
	return msg
}

// taintReason explains why no toleration tolerates t, pointing at near
// misses: the retired master key, a wrong effect or value, a misspelt key.
func (p *Placer) taintReason(t corev1.Taint) string {
	msg := fmt.Sprintf("테인트 %s 용인하는 톨러레이션이 없습니다", eul(TaintString(t)))
	var hints []string
	for _, tol := range p.tpl.Tolerations {
		switch {
		case tol.Key == TaintMaster && t.Key == TaintControlPlane:
			hints = append(hints, fmt.Sprintf("톨러레이션 %s 예전 테인트 이름입니다: 쿠버네티스 1.24 부터 컨트롤 플레인 노드에는 %s:NoSchedule 테인트가 붙고 master 테인트는 1.25 에서 없어졌으므로, key 를 %s 바꾸세요",
				eun(TolerationString(tol)), TaintControlPlane, ro(TaintControlPlane)))
		case tol.Key == t.Key && tol.Effect != "" && tol.Effect != t.Effect:
			hints = append(hints, fmt.Sprintf("톨러레이션 %s 의 effect 는 %s 인데 테인트의 effect 는 %s 입니다", TolerationString(tol), tol.Effect, t.Effect))
		case tol.Key == t.Key && (tol.Operator == "" || tol.Operator == corev1.TolerationOpEqual) && tol.Value != t.Value:
			hints = append(hints, fmt.Sprintf("톨러레이션 %s 의 value %s 테인트의 value %s 다릅니다 (operator: Exists 를 쓰면 value 와 상관없이 용인합니다)", TolerationString(tol), iga(fmt.Sprintf("%q", tol.Value)), wa(fmt.Sprintf("%q", t.Value))))
		case tol.Key != "" && tol.Key != t.Key && (strings.HasSuffix(t.Key, "/"+tol.Key) || strings.HasSuffix(tol.Key, "/"+t.Key)):
			// Issue 14: key control-plane for the taint
			// node-role.kubernetes.io/control-plane got no comparison.
			prefix, _, _ := strings.Cut(t.Key, "/")
			if !strings.Contains(t.Key, "/") {
				prefix, _, _ = strings.Cut(tol.Key, "/")
			}
			hints = append(hints, fmt.Sprintf("톨러레이션 key %s 테인트의 key %s 다릅니다: key 는 접두사(%s/)까지 글자 그대로 같아야 하므로 key 를 %s 쓰세요", eun(tol.Key), wa(t.Key), prefix, ro(t.Key)))
		case tol.Key != "" && tol.Key != t.Key && suggest(tol.Key, []string{t.Key}) != "":
			hints = append(hints, fmt.Sprintf("톨러레이션 key %s %s 의 오타가 아닌가요?", eun(tol.Key), t.Key))
		case (tol.Operator == corev1.TolerationOpLt || tol.Operator == corev1.TolerationOpGt) && tol.Key == t.Key:
			hints = append(hints, fmt.Sprintf("톨러레이션 %s 의 Lt/Gt 연산자(operator)는 알파 기능(TaintTolerationComparisonOperators)이라 기본 클러스터에서는 동작하지 않습니다", TolerationString(tol)))
		}
	}
	if len(hints) == 0 {
		// Name the keys side by side: the learner compares them.
		var keys []string
		for _, tol := range p.tpl.Tolerations {
			if tol.Key != "" && tol.Key != t.Key && !slices.Contains(keys, tol.Key) {
				keys = append(keys, tol.Key)
			}
		}
		if len(keys) > 0 {
			hints = append(hints, fmt.Sprintf("테인트의 key 는 %s 인데 톨러레이션의 key 는 %s 입니다", t.Key, strings.Join(keys, ", ")))
		}
	}
	if len(hints) > 0 {
		msg += ": " + strings.Join(hints, "; ")
	}
	return msg
}

// TaintString formats a taint as kubectl does: key[=value]:Effect.
func TaintString(t corev1.Taint) string {
	if t.Value == "" {
		return t.Key + ":" + string(t.Effect)
	}
	return t.Key + "=" + t.Value + ":" + string(t.Effect)
}

// TolerationString formats a toleration compactly, e.g.
// "node-role.kubernetes.io/master:NoSchedule (Exists)".
func TolerationString(t corev1.Toleration) string {
	key := t.Key
	if key == "" {
		key = "(모든 key)"
	}
	s := key
	op := t.Operator
	if op == "" {
		op = corev1.TolerationOpEqual
	}
	if op == corev1.TolerationOpEqual {
		if t.Value != "" {
			s += "=" + t.Value
		}
	} else if op != corev1.TolerationOpExists {
		s += " " + string(op) + " " + t.Value
	}
	if t.Effect != "" {
		s += ":" + string(t.Effect)
	} else {
		s += ":(모든 effect)"
	}
	if op == corev1.TolerationOpExists {
		s += " (Exists)"
	}
	return s
}

// RequirementString formats a node selector requirement, e.g. "disktype In [ssd]".
func RequirementString(r corev1.NodeSelectorRequirement) string {
	switch r.Operator {
	case corev1.NodeSelectorOpExists, corev1.NodeSelectorOpDoesNotExist:
		return r.Key + " " + string(r.Operator)
	}
	return fmt.Sprintf("%s %s [%s]", r.Key, r.Operator, strings.Join(r.Values, ", "))
}

func formatSelector(sel map[string]string) string {
	keys := make([]string, 0, len(sel))
	for k := range sel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + sel[k]
	}
	return strings.Join(parts, ",")
}
