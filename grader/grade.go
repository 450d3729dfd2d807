package grader

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Grade checks snap against spec. It never fails: what cannot be checked
// fails its check with a Korean message saying why.
//
// When the target DaemonSet does not exist and nothing looks like an
// attempt at it, the result is StatusNotStarted: score 0, every check 0
// points with a "시작 전" message. Otherwise it is StatusPassed when every
// check passed (warnings do not deduct) and StatusFailed when one failed.
func Grade(spec Spec, snap Snapshot) Result { return grade(spec, snap, false) }

// GradeAttempted is Grade for a snapshot known to follow an attempt at the
// exercise (the class server knows the student's earlier submissions under
// the same baseline): an absent target DaemonSet is then a failure with its
// reason (missingDS), never StatusNotStarted.
func GradeAttempted(spec Spec, snap Snapshot) Result { return grade(spec, snap, true) }

func grade(spec Spec, snap Snapshot, attempted bool) Result {
	g := newGradeCtx(spec, snap)
	// Titles and constraints name this cluster's nodes ("{cluster}-worker2").
	spec = spec.Localize(g.cluster)
	g.spec = spec
	res := Result{Exercise: spec.ID, Title: spec.Title, MaxScore: spec.MaxScore(), Notes: g.notes}
	if g.ds == nil && !attempted && !g.attempted() {
		return g.notStarted(res)
	}
	for _, c := range spec.Checks {
		cr := g.run(c)
		if g.ds == nil && cr.Passed && guardsOnly(c.Kind) {
			// Nothing was broken, but nothing asked was made either: no
			// points while the asked DaemonSet does not exist (issue 14:
			// ds-basics showed 2/10 with only a copy in another namespace).
			cr.Passed = false
			cr.Warning = ""
			cr.Message = fmt.Sprintf("데몬셋 %s 아직 없어 이 항목은 점수가 없습니다: 아무것도 바꾸지 않은 것만으로는 점수를 받지 않습니다 (%s)", iga(g.spec.Target.String()), strings.TrimSuffix(cr.Message, "."))
		}
		cr.ID, cr.Title, cr.MaxPoints = c.ID, c.Title, c.Points
		if cr.Passed {
			cr.Points = c.Points
			res.Score += c.Points
		}
		if cr.Nodes == nil {
			cr.Nodes = []NodeResult{}
		}
		res.Checks = append(res.Checks, cr)
	}
	g.placementWarnings(&res)
	res.RecheckAt = g.recheck
	res.Passed = res.Score == res.MaxScore
	res.Status = StatusFailed
	if res.Passed {
		res.Status = StatusPassed
	}
	return res
}

// guardsOnly reports whether a check of kind only verifies that nothing
// was broken (the nodes, the namespace's quota): such a check passes on an
// untouched cluster, so it earns points only beside the asked object.
func guardsOnly(kind string) bool {
	return kind == KindIntegrity || kind == KindQuota
}

// notStarted is the result when there is nothing to grade.
func (g *gradeCtx) notStarted(res Result) Result {
	msg := fmt.Sprintf("시작 전: 데몬셋 %s 아직 없어 채점할 것이 없습니다", iga(g.spec.Target.String()))
	res.Status, res.NothingGraded = StatusNotStarted, true
	res.Notes = nil
	for _, c := range g.spec.Checks {
		res.Checks = append(res.Checks, CheckResult{ID: c.ID, Title: c.Title, MaxPoints: c.Points, Message: msg, Nodes: []NodeResult{}})
	}
	return res
}

// attempted reports, when the target is absent, whether something looks
// like an attempt at it: a DaemonSet of the same name in another namespace
// or of a near name in the target namespace (graded as failed, with the
// reason, instead of not started).
func (g *gradeCtx) attempted() bool {
	t := g.spec.Target
	var names []string
	for _, d := range g.snap.DaemonSets {
		if d.Name == t.Name && d.Namespace != t.Namespace {
			return true
		}
		if d.Namespace == t.Namespace {
			names = append(names, d.Name)
		}
	}
	return suggest(t.Name, names) != ""
}

// gradeCtx is everything derived once from the spec and the snapshot.
type gradeCtx struct {
	spec     Spec
	snap     Snapshot
	cluster  string
	baseline []BaselineNode
	// baselineSource is Baseline.Source, or "" when the current nodes
	// stand in for a missing baseline.
	baselineSource string
	current        map[string]Node
	names          []string // union of baseline and current node names, sorted
	ds             *DaemonSet
	placer         *Placer
	pods           map[string][]Pod // the target's pods by node
	expected       map[string]bool
	notes          []string
	loc            *time.Location
	// warned are the tolerations already warned about (Toleration.String).
	warned map[string]bool
	// baselineIdx indexes baseline by node name (built on first use).
	baselineIdx map[string]int
	// recheck is the earliest time after the capture at which a check's
	// verdict may change by time alone (Result.RecheckAt); zero: never.
	recheck time.Time
}

// recheckAt records that a check's verdict may change at t without any
// change in the cluster; the earliest such time after the capture wins.
func (g *gradeCtx) recheckAt(t time.Time) {
	if !t.After(g.snap.CapturedAt) {
		return
	}
	if g.recheck.IsZero() || t.Before(g.recheck) {
		g.recheck = t
	}
}

func newGradeCtx(spec Spec, snap Snapshot) *gradeCtx {
	// A baseline recorded for another exercise says nothing about this
	// one's node changes, pods or start time (issue 14: gpu-only's recorded
	// attempt was regraded against the taints exercise's taints): it is not
	// compared, as if none were recorded, and a note says why.
	foreign := ""
	if b := snap.Baseline; b != nil && b.Exercise != "" && b.Exercise != spec.ID {
		foreign = b.Exercise
		snap.Baseline = nil
	}
	g := &gradeCtx{spec: spec, snap: snap, cluster: snap.Cluster, current: map[string]Node{}, pods: map[string][]Pod{}, warned: map[string]bool{}}
	g.loc = snap.CapturedAt.Location()
	if g.cluster == "" {
		g.cluster = InferCluster(snap.Nodes)
	}
	for _, n := range snap.Nodes {
		g.current[n.Name] = n
	}
	if snap.Baseline != nil && len(snap.Baseline.Nodes) > 0 {
		g.baseline = snap.Baseline.Nodes
		g.baselineSource = snap.Baseline.Source
		if snap.Baseline.Source == "topology" {
			g.notes = append(g.notes, "기록된 기준선(baseline)이 없어 랩 토폴로지와 연습 준비 내용으로 기준선을 만들었습니다")
		}
	} else {
		for _, n := range snap.Nodes {
			g.baseline = append(g.baseline, BaselineNode{Name: n.Name, Labels: n.Labels, Taints: n.Taints})
		}
		if foreign != "" {
			g.notes = append(g.notes, fmt.Sprintf("기준선(baseline)이 다른 연습 %s 의 것이라 이 연습의 노드 변경과 비교할 수 없습니다: 현재 노드 상태를 기준으로 채점합니다 — 이 연습은 dslab exercise start %s 시작하세요", foreign, ro(spec.ID)))
		} else {
			g.notes = append(g.notes, fmt.Sprintf("기준선(baseline)이 없어 현재 노드 상태를 기준으로 채점합니다: dslab exercise start %s 시작하면 노드 변경도 검사합니다", ro(spec.ID)))
		}
	}
	seen := map[string]bool{}
	for _, b := range g.baseline {
		if !seen[b.Name] {
			seen[b.Name] = true
			g.names = append(g.names, b.Name)
		}
	}
	for _, n := range snap.Nodes {
		if !seen[n.Name] {
			seen[n.Name] = true
			g.names = append(g.names, n.Name)
		}
	}
	sort.Strings(g.names)

	for i := range snap.DaemonSets {
		d := &snap.DaemonSets[i]
		if d.Namespace == spec.Target.Namespace && d.Name == spec.Target.Name {
			g.ds = d
			break
		}
	}
	if g.ds != nil {
		g.placer = NewPlacer(g.ds.Template, snap.Nodes)
		for _, c := range spec.Checks {
			if c.Kind == KindTemplateUnchanged {
				g.placer.keepTemplate = true
			}
		}
		for _, p := range snap.Pods {
			if p.OwnerUID == g.ds.UID && p.Node != "" {
				g.pods[p.Node] = append(g.pods[p.Node], p)
			}
		}
	}
	g.expected = g.nodeSet(spec.Expect)
	return g
}

// InferCluster guesses the lab cluster name from node names
// ("<name>-control-plane").
func InferCluster(nodes []Node) string {
	for _, n := range nodes {
		if name, ok := strings.CutSuffix(n.Name, "-control-plane"); ok && name != "" {
			return name
		}
	}
	return ""
}

// nodeSet evaluates a NodeSet over the baseline.
func (g *gradeCtx) nodeSet(ns NodeSet) map[string]bool {
	out := map[string]bool{}
	for _, b := range g.baseline {
		if ok, _ := ns.member(b, g.cluster); ok {
			out[b.Name] = true
		}
	}
	// Include may name a node that is not in the baseline (it then fails
	// as missing).
	for _, x := range ns.Include {
		out[expand(x, g.cluster)] = true
	}
	return out
}

func (g *gradeCtx) baselineNode(name string) (BaselineNode, bool) {
	if g.baselineIdx == nil {
		g.baselineIdx = make(map[string]int, len(g.baseline))
		for i := len(g.baseline) - 1; i >= 0; i-- {
			g.baselineIdx[g.baseline[i].Name] = i
		}
	}
	i, ok := g.baselineIdx[name]
	if !ok {
		return BaselineNode{}, false
	}
	return g.baseline[i], true
}

func (g *gradeCtx) sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (g *gradeCtx) fmtTime(t time.Time) string {
	if g.loc != nil {
		t = t.In(g.loc)
	}
	return t.Format("15:04:05")
}

func (g *gradeCtx) run(c Check) CheckResult {
	if c.Kind != KindIntegrity && c.Kind != KindNodeLabel && c.Kind != KindExists && c.Kind != KindQuota && g.ds == nil {
		return CheckResult{Message: g.missingDS()}
	}
	switch c.Kind {
	case KindExists:
		return g.checkExists()
	case KindPlacement:
		return g.checkPlacement(c)
	case KindTolerates:
		return g.checkTolerates(c)
	case KindNodeSelector:
		return g.checkNodeSelector(c)
	case KindNodeAffinity:
		return g.checkNodeAffinity(c)
	case KindUpdateStrategy:
		return g.checkUpdateStrategy(c)
	case KindImage:
		return g.checkImage(c)
	case KindUpdated:
		return g.checkUpdated(c)
	case KindRollout:
		return g.checkRollout(c)
	case KindHostNetwork:
		return g.checkHostNetwork(c)
	case KindPort:
		return g.checkPort(c)
	case KindResources:
		return g.checkResources(c)
	case KindNodeLabel:
		return g.checkNodeLabel(c)
	case KindCreatedAfterLabel:
		return g.checkCreatedAfterLabel(c)
	case KindIntegrity:
		return g.checkIntegrity(c)
	case KindSamePods:
		return g.checkSamePods(c)
	case KindLabels:
		return g.checkLabels(c)
	case KindTemplateUnchanged:
		return g.checkTemplateUnchanged(c)
	}
	if r, ok := g.runPitfalls(c); ok {
		return r
	}
	return CheckResult{Message: fmt.Sprintf("알 수 없는 검사 종류(kind) %s 입니다", c.Kind)}
}

func (g *gradeCtx) missingDS() string {
	t := g.spec.Target
	for _, d := range g.snap.DaemonSets {
		if d.Name == t.Name && d.Namespace != t.Namespace {
			return fmt.Sprintf("데몬셋 %s 없습니다: 같은 이름의 데몬셋이 네임스페이스 %s 에 있습니다 — metadata.namespace 를 %s 하세요", iga(t.String()), d.Namespace, ro(t.Namespace))
		}
	}
	var names []string
	for _, d := range g.snap.DaemonSets {
		if d.Namespace == t.Namespace {
			names = append(names, d.Name)
		}
	}
	if s := suggest(t.Name, names); s != "" {
		return fmt.Sprintf("데몬셋 %s 없습니다: 네임스페이스 %s 에 %s 데몬셋이 있습니다 — 이름이 %s 합니다", iga(t.String()), t.Namespace, s, after(t.Name, "여야"))
	}
	return fmt.Sprintf("데몬셋 %s 없습니다: 매니페스트를 dslab kubectl apply -f 로 적용했는지 확인하세요", iga(t.String()))
}

func (g *gradeCtx) checkExists() CheckResult {
	if g.ds == nil {
		return CheckResult{Message: g.missingDS()}
	}
	if g.ds.Deleting {
		return CheckResult{Message: fmt.Sprintf("데몬셋 %s 삭제되는 중입니다", iga(g.spec.Target.String()))}
	}
	return CheckResult{Passed: true, Message: fmt.Sprintf("데몬셋 %s 있습니다", iga(g.spec.Target.String()))}
}

// nodeState summarises the target's pods on one node.
type nodeState struct {
	actual string
	pod    *Pod // the Ready pod, or the most relevant other one
}

func (g *gradeCtx) state(node string) nodeState {
	pods := g.pods[node]
	var live, term []Pod
	for _, p := range pods {
		if p.Terminating() {
			term = append(term, p)
		} else {
			live = append(live, p)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i].Created.After(live[j].Created) })
	for i := range live {
		if live[i].Ready {
			return nodeState{actual: StateRunning, pod: &live[i]}
		}
	}
	if len(live) > 0 {
		return nodeState{actual: StateNotReady, pod: &live[0]}
	}
	if len(term) > 0 {
		return nodeState{actual: StateTerminating, pod: &term[0]}
	}
	return nodeState{actual: StateAbsent}
}

// podProblem explains (Korean) why a pod is not Ready.
func podProblem(p Pod) string {
	for _, c := range p.Containers {
		switch c.Reason {
		case "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull":
			return fmt.Sprintf("파드 %s 의 컨테이너 %s 이미지 %s 가져올 수 없습니다 (%s)", p.Name, iga(c.Name), eul(c.Image), c.Reason)
		case "CrashLoopBackOff":
			return fmt.Sprintf("파드 %s 의 컨테이너 %s 계속 비정상 종료됩니다 (CrashLoopBackOff, 재시작 %d회)", p.Name, iga(c.Name), c.RestartCount)
		case "":
		default:
			// Korean first, the kubelet's words after, whole.
			return withServerWords(fmt.Sprintf("파드 %s 의 컨테이너 %s %s", p.Name, iga(c.Name), containerCause(c.Reason)), "", c.Reason, c.Message)
		}
	}
	if p.Unschedulable != "" {
		return fmt.Sprintf("파드 %s 스케줄되지 못했습니다 %s", iga(p.Name), serverWords("", "", p.Unschedulable))
	}
	switch p.Phase {
	case "Failed":
		msg := fmt.Sprintf("파드 %s 실패(Failed)했습니다", iga(p.Name))
		if cause := podFailedCause(p.Reason); cause != "" {
			msg += ": " + cause
		}
		return withServerWords(msg, "", p.Reason, p.Message)
	case "Pending", "":
		return fmt.Sprintf("파드 %s 아직 Pending 상태입니다", iga(p.Name))
	}
	for _, c := range p.Containers {
		if !c.Ready {
			return fmt.Sprintf("파드 %s 의 컨테이너 %s 아직 Ready 가 아닙니다 (준비성 프로브(readiness probe)를 확인하세요)", p.Name, iga(c.Name))
		}
	}
	return fmt.Sprintf("파드 %s 아직 Ready 가 아닙니다", iga(p.Name))
}

// dsWarnings explains the latest warning event of the target DaemonSet:
// its Korean cause, then the event's reason and message ("" without one).
func (g *gradeCtx) dsWarnings() string {
	var latest *Event
	for i := range g.snap.Events {
		e := &g.snap.Events[i]
		if e.Kind == "DaemonSet" && e.Namespace == g.ds.Namespace && e.Name == g.ds.Name && e.Type == "Warning" {
			if latest == nil || e.Last.After(latest.Last) {
				latest = e
			}
		}
	}
	if latest == nil {
		return ""
	}
	// The Korean cause first, the controller's words after, whole.
	return withServerWords(dsEventCause(latest.Reason, latest.Message), "데몬셋 이벤트", latest.Reason, latest.Message)
}

func (g *gradeCtx) checkPlacement(c Check) CheckResult {
	ns := g.spec.Expect
	set := g.expected
	if c.Nodes != nil {
		ns = *c.Nodes
		set = g.nodeSet(ns)
	}
	var res CheckResult
	var bad []string
	for _, name := range g.unionNames(set) {
		exp := set[name]
		node, exists := g.current[name]
		st := g.state(name)
		nr := NodeResult{Node: name, Actual: st.actual, Expected: StateAbsent}
		if exp {
			nr.Expected = StateRunning
		}
		wantRunning := exp && c.Mode != ModeExcludes
		wantAbsent := !exp && c.Mode != ModeCovers
		switch {
		case !exists && exp:
			nr.Actual = StateNodeMissing
			nr.Reason = "노드가 클러스터에 없습니다 (기준선(baseline)에는 있었습니다)"
		case !exists:
			continue
		case wantRunning && st.actual == StateRunning:
			if fit := g.placer.Place(node); !fit.Fits {
				// A pod counts only where the controller's shouldRun
				// holds now (pkg/controller/daemon NodeShouldRunDaemonPod).
				nr.Actual = StateMisscheduled
				nr.Reason = g.misscheduled(node, *st.pod, fit)
				break
			}
			nr.Passed = true
			nr.Reason = fmt.Sprintf("Ready 파드 %s 실행 중입니다", iga(st.pod.Name))
		case wantRunning && g.spec.FindCause && st.actual == StateAbsent && !g.placer.Place(node).Fits:
			// The cause is the learner's to find (Spec.FindCause).
			nr.Reason = "파드가 있어야 할 노드인데 데몬셋이 파드를 만들지 않습니다 — 왜인지는 노드의 레이블·테인트와 데몬셋의 파드 템플릿을 비교해 찾으세요"
		case wantRunning:
			nr.Reason = g.whyNotRunning(node, st)
		case wantAbsent && (st.actual == StateAbsent || st.actual == StateTerminating):
			nr.Passed = true
			fit := g.placer.Place(node)
			if fit.Fits || g.spec.FindCause {
				nr.Reason = "파드가 없습니다"
			} else {
				nr.Reason = "파드가 없습니다: " + strings.Join(fit.Reasons, "; ")
			}
		case wantAbsent:
			nr.Reason = g.whyPresent(node, ns)
		default:
			// Not constrained by this mode.
			continue
		}
		if !nr.Passed {
			bad = append(bad, name)
		}
		res.Nodes = append(res.Nodes, nr)
	}
	desc := ns.Description
	if desc == "" {
		desc = strings.Join(g.sortedSet(set), ", ")
	}
	actual := g.runningNodes()
	if len(bad) == 0 {
		res.Passed = true
		switch c.Mode {
		case ModeExcludes:
			res.Message = fmt.Sprintf("%s 밖에는 파드가 없습니다", desc)
		default:
			var in []string
			for _, n := range actual {
				if set[n] {
					in = append(in, n)
				}
			}
			res.Message = fmt.Sprintf("기대한 노드(%s) 모두에서 Ready 파드가 실행 중입니다: %s", desc, strings.Join(in, ", "))
		}
		return res
	}
	want := g.sortedSet(set)
	res.Message = fmt.Sprintf("기대: %s [%s] / 실제 Ready 파드: [%s] — 문제 노드: %s", desc, strings.Join(want, ", "), strings.Join(actual, ", "), strings.Join(bad, ", "))
	return res
}

// placementWarnings attaches the breadth warnings of the template's
// tolerations to the first passed check about where pods run (placement,
// image, updated) when the spec has no tolerates check to carry them.
func (g *gradeCtx) placementWarnings(res *Result) {
	if g.ds == nil || g.hasTolerationChecks() {
		return
	}
	for i := range res.Checks {
		c := &res.Checks[i]
		kind := g.spec.Checks[i].Kind
		if !c.Passed || (kind != KindPlacement && kind != KindImage && kind != KindUpdated) {
			continue
		}
		if w := g.tolerationWarnings(g.ds.Template.Tolerations); w != "" {
			c.Warning = strings.TrimPrefix(c.Warning+" / "+w, " / ")
		}
		return
	}
}

func (g *gradeCtx) hasTolerationChecks() bool {
	for _, c := range g.spec.Checks {
		if c.Kind == KindTolerates {
			return true
		}
	}
	return false
}

// misscheduled explains a Ready pod on a node where its DaemonSet should
// not run now, and how it got there: an older template, a taint removed and
// put back (NoSchedule evicts no running pod), or labels changed since.
func (g *gradeCtx) misscheduled(node Node, p Pod, fit Fit) string {
	msg := fmt.Sprintf("파드 %s Ready 이지만 데몬셋이 지금은 이 노드에서 실행되면 안 되는 파드(misscheduled, status.numberMisscheduled 에 세어짐)라 배치로 인정하지 않습니다: %s", iga(p.Name), strings.Join(fit.Reasons, "; "))
	if rev, ok := g.ds.newestRevision(); ok && rev.Hash != "" && p.RevisionHash != "" && p.RevisionHash != rev.Hash {
		return msg + fmt.Sprintf(" — 예전 파드 템플릿(리비전 해시 %s)으로 만들어진 파드가 남은 것입니다", p.RevisionHash)
	}
	if !fit.SelectorOK {
		return msg + " — 노드 레이블이 바뀌기 전에 만들어진 파드로, 데몬셋 컨트롤러가 곧 지웁니다"
	}
	b, inBaseline := g.baselineNode(node.Name)
	for _, t := range fit.Untolerated {
		if t.Effect != corev1.TaintEffectNoSchedule {
			continue
		}
		if inBaseline && hasTaint(b.Taints, t) && g.snap.Baseline != nil && p.Created.After(g.snap.Baseline.Recorded) {
			return msg + fmt.Sprintf(" — 파드는 %s 에 만들어졌는데 테인트 %s 시작 시점(기준선)에도 있었습니다: 테인트를 지웠다가 파드가 놓인 뒤 다시 붙인 것으로 보입니다. NoSchedule 테인트는 이미 실행 중인 파드를 쫓아내지 않아 파드가 남았을 뿐, 이 템플릿으로는 이 노드에 파드가 만들어지지 않습니다", g.fmtTime(p.Created), eun(TaintString(t)))
		}
		return msg + fmt.Sprintf(" — 테인트 %s 파드가 만들어진 뒤에 붙었습니다: NoSchedule 테인트는 이미 실행 중인 파드를 쫓아내지 않습니다", iga(TaintString(t)))
	}
	return msg
}

// unionNames is every known node plus expected nodes that no longer exist.
func (g *gradeCtx) unionNames(set map[string]bool) []string {
	names := append([]string(nil), g.names...)
	for n := range set {
		found := false
		for _, x := range names {
			if x == n {
				found = true
				break
			}
		}
		if !found {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func (g *gradeCtx) runningNodes() []string {
	var out []string
	for _, n := range g.names {
		if g.state(n).actual == StateRunning {
			out = append(out, n)
		}
	}
	return out
}

// whyNotRunning explains an expected node without a Ready pod.
func (g *gradeCtx) whyNotRunning(node Node, st nodeState) string {
	switch st.actual {
	case StateNotReady:
		return podProblem(*st.pod)
	case StateTerminating:
		return fmt.Sprintf("파드 %s 종료되는 중이고 새 파드가 아직 없습니다", iga(st.pod.Name))
	}
	fit := g.placer.Place(node)
	if !fit.Fits {
		return strings.Join(fit.Reasons, "; ")
	}
	msg := "파드 템플릿으로는 이 노드에 파드가 있어야 하는데 아직 없습니다"
	switch {
	case !node.Ready:
		msg += ": 노드가 Ready 상태가 아닙니다"
	case g.dsWarnings() != "":
		msg += ": " + g.dsWarnings()
	default:
		msg += " (데몬셋 컨트롤러가 아직 만들지 않았을 수 있습니다 — 잠시 뒤 다시 채점하세요)"
	}
	return msg
}

// whyPresent explains a pod on a node that must have none: why the node is
// outside the expected set, and what in the template let the pod in.
func (g *gradeCtx) whyPresent(node Node, ns NodeSet) string {
	why := "이 연습에서 파드가 없어야 하는 노드입니다"
	if b, ok := g.baselineNode(node.Name); ok {
		if _, r := ns.member(b, g.cluster); r != "" {
			why = r
		}
	}
	fit := g.placer.Place(node)
	if !fit.Fits {
		return why + " — 지금 파드 템플릿으로는 배치되지 않지만 예전 파드가 남아 있습니다 (" + strings.Join(fit.Reasons, "; ") + ")"
	}
	// Each reason is its own sentence (issue 14: reasons joined with ","
	// read as one run-on sentence).
	return why + " — 그런데 " + sentences(fit.Matches)
}

// sentences joins Korean clauses as separate sentences: each ends with
// "." unless it already ends with sentence punctuation, and the last one's
// full stop is left to the caller's layout (none added).
func sentences(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i < len(parts)-1 && !strings.HasSuffix(p, ".") && !strings.HasSuffix(p, "?") {
			p += "."
		}
		out[i] = p
	}
	return strings.Join(out, " ")
}
