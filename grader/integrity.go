package grader

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// systemTaint reports taints the node lifecycle controller manages by
// itself (not-ready, unreachable, pressure, unschedulable…); they are not
// the learner's changes.
func systemTaint(t corev1.Taint) bool {
	return strings.HasPrefix(t.Key, "node.kubernetes.io/") || strings.HasPrefix(t.Key, "node.cloudprovider.kubernetes.io/")
}

// nodeDiff is one label or taint difference between baseline and now.
type nodeDiff struct {
	node     string
	kind     string // "label", "taint", "node"
	key      string
	before   string // "" when absent
	after    string
	taint    corev1.Taint
	added    bool
	removed  bool
	allowed  bool
	describe string
	// undo is the command that takes the change back ("" when none).
	undo string
}

func (g *gradeCtx) diffs() []nodeDiff {
	var out []nodeDiff
	for _, name := range g.names {
		b, inB := g.baselineNode(name)
		cur, inC := g.current[name]
		switch {
		case inB && !inC:
			out = append(out, nodeDiff{node: name, kind: "node", removed: true, before: "present", after: "absent",
				describe: "노드가 기준선(baseline) 이후 클러스터에서 사라졌습니다"})
			continue
		case !inB && inC:
			out = append(out, nodeDiff{node: name, kind: "node", added: true, before: "absent", after: "present",
				describe: "기준선(baseline) 이후 새로 추가된 노드입니다"})
			continue
		}
		keys := map[string]bool{}
		for k := range b.Labels {
			keys[k] = true
		}
		for k := range cur.Labels {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			bv, hb := b.Labels[k]
			cv, hc := cur.Labels[k]
			d := nodeDiff{node: name, kind: "label", key: k}
			switch {
			case hb && hc && bv == cv:
				continue
			case hb && hc:
				d.before, d.after = k+"="+bv, k+"="+cv
				d.describe = fmt.Sprintf("레이블 %s 값이 %s 에서 %s 바뀌었습니다", k, bv, ro(cv))
				d.undo = fmt.Sprintf("dslab kubectl label node %s %s=%s --overwrite", name, k, bv)
			case hb:
				d.removed, d.before, d.after = true, k+"="+bv, "(없음)"
				d.describe = fmt.Sprintf("레이블 %s 지워졌습니다", iga(k+"="+bv))
				d.undo = fmt.Sprintf("dslab kubectl label node %s %s=%s", name, k, bv)
			default:
				d.added, d.before, d.after = true, "(없음)", k+"="+cv
				d.describe = fmt.Sprintf("레이블 %s 추가되었습니다", iga(k+"="+cv))
				d.undo = fmt.Sprintf("dslab kubectl label node %s %s-", name, k)
			}
			out = append(out, d)
		}
		for _, t := range b.Taints {
			if systemTaint(t) || hasTaint(cur.Taints, t) {
				continue
			}
			d := nodeDiff{node: name, kind: "taint", key: t.Key, taint: t, removed: true, before: TaintString(t), after: "(없음)"}
			d.describe = fmt.Sprintf("테인트 %s 지워졌습니다", iga(TaintString(t)))
			if t.Key != TaintControlPlane {
				d.undo = fmt.Sprintf("dslab kubectl taint node %s %s", name, TaintString(t))
			} else {
				d.describe += ": 컨트롤 플레인의 테인트를 지우는 것은 해답이 아닙니다 — 테인트는 그대로 두고 파드에 톨러레이션을 추가하세요 (dslab kubectl taint nodes " + name + " " + ro(TaintString(t)) + " 되돌릴 수 있습니다)"
			}
			out = append(out, d)
		}
		for _, t := range cur.Taints {
			if systemTaint(t) || hasTaint(b.Taints, t) {
				continue
			}
			d := nodeDiff{node: name, kind: "taint", key: t.Key, taint: t, added: true, before: "(없음)", after: TaintString(t)}
			d.describe = fmt.Sprintf("테인트 %s 추가되었습니다", iga(TaintString(t)))
			d.undo = fmt.Sprintf("dslab kubectl taint node %s %s-", name, TaintString(t))
			out = append(out, d)
		}
	}
	for i := range out {
		out[i].allowed = g.allowed(out[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].node < out[j].node })
	return out
}

func hasTaint(ts []corev1.Taint, t corev1.Taint) bool {
	for _, x := range ts {
		if x.Key == t.Key && x.Value == t.Value && x.Effect == t.Effect {
			return true
		}
	}
	return false
}

// allowed reports whether the exercise asked for this change.
func (g *gradeCtx) allowed(d nodeDiff) bool {
	for _, c := range g.spec.Changes {
		if expand(c.Node, g.cluster) != d.node || c.Kind != d.kind || c.Key != d.key {
			continue
		}
		switch d.kind {
		case "label":
			if c.Remove && d.removed {
				return true
			}
			if !c.Remove && !d.removed && d.after == c.Key+"="+c.Value {
				return true
			}
		case "taint":
			if c.Remove == d.removed && d.taint.Value == c.Value && d.taint.Effect == c.Effect {
				return true
			}
		}
	}
	return false
}

// forbidden reports whether the task text forbids diff d (c.Forbid on
// c.Nodes).
func (g *gradeCtx) forbidden(c Check, d nodeDiff) bool {
	if c.Nodes != nil && !g.nodeSet(*c.Nodes)[d.node] {
		return false
	}
	for _, f := range c.Forbid {
		switch {
		case f == ForbidLabels && d.kind == "label":
			return true
		case f == ForbidTaints && d.kind == "taint":
			return true
		case f == ForbidTaintRemoval && d.kind == "taint" && d.removed:
			return true
		}
	}
	return false
}

// checkIntegrity compares the nodes with the baseline. A change the
// exercise asks for passes; one the task text forbids fails, quoting the
// task; any other change passes with a warning.
func (g *gradeCtx) checkIntegrity(c Check) CheckResult {
	if g.baselineSource == "" && (g.snap.Baseline == nil || len(g.snap.Baseline.Nodes) == 0) {
		return CheckResult{Message: fmt.Sprintf("기준선(baseline)이 없어 노드 변경을 확인할 수 없습니다: dslab exercise start %s 연습을 시작하세요", ro(g.spec.ID))}
	}
	var res CheckResult
	var bad, other []string
	for _, d := range g.diffs() {
		nr := NodeResult{Node: d.node, Expected: d.before, Actual: d.after, Passed: true, Reason: d.describe}
		switch {
		case d.allowed:
			nr.Reason += " (연습에서 요구한 변경)"
		case g.forbidden(c, d):
			nr.Passed = false
			bad = append(bad, d.node+": "+d.describe+d.undoText())
		default:
			nr.Reason += " (과제가 금지하지 않은 변경)"
			// Issue 14: the warning gave no command to take it back.
			other = append(other, d.node+": "+d.describe+d.undoText())
		}
		res.Nodes = append(res.Nodes, nr)
	}
	if len(bad) > 0 {
		res.Message = quote(c, "기준선(baseline) 이후 과제가 금지한 노드 변경이 있습니다 — "+strings.Join(bad, "; "))
		return res
	}
	res.Passed = true
	res.Message = "노드의 레이블과 테인트가 기준선(baseline) 그대로입니다"
	if len(res.Nodes) > 0 {
		res.Message = "과제가 금지한 노드 변경은 없습니다"
	}
	if len(other) > 0 {
		res.Warning = "기준선(baseline) 이후 연습이 요구하지 않은 노드 변경이 있습니다. 과제가 금지하지는 않았지만 다른 워크로드의 배치가 바뀔 수 있으니 되돌려 두세요 — " + strings.Join(other, "; ")
	}
	return res
}

// undoText is " (되돌리기: <command>)", or "" when there is no command.
func (d nodeDiff) undoText() string {
	if d.undo == "" {
		return ""
	}
	return " (되돌리기: " + d.undo + ")"
}
