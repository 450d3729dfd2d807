package grader

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
)

// The three taint effects, in the order warnings name them.
var taintEffects = []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute}

// tolerationScope is the set of taints one toleration tolerates, read from
// its fields with the semantics of k8s.io/api core/v1
// Toleration.ToleratesTaint (comparison operators Lt/Gt disabled, as in a
// default cluster): an empty effect matches every effect, an empty key
// matches every key, Exists ignores the value, an empty operator is Equal,
// any other operator tolerates nothing. The property test checks covers
// against ToleratesTaint, so warnings rendered from a scope are true.
type tolerationScope struct {
	none       bool // tolerates nothing (Lt/Gt disabled, unknown operator)
	anyEffect  bool
	effect     corev1.TaintEffect
	anyKey     bool
	key        string
	anyValue   bool
	value      string
	seconds    *int64 // tolerationSeconds (NoExecute: evicted after that long)
	toleration corev1.Toleration
}

func scopeOf(t corev1.Toleration) tolerationScope {
	s := tolerationScope{anyEffect: t.Effect == "", effect: t.Effect, anyKey: t.Key == "", key: t.Key, value: t.Value, seconds: t.TolerationSeconds, toleration: t}
	switch t.Operator {
	case "", corev1.TolerationOpEqual:
	case corev1.TolerationOpExists:
		s.anyValue = true
	default:
		s.none = true
	}
	return s
}

// covers reports whether the scope contains taint.
func (s tolerationScope) covers(t corev1.Taint) bool {
	switch {
	case s.none:
		return false
	case !s.anyEffect && s.effect != t.Effect:
		return false
	case !s.anyKey && s.key != t.Key:
		return false
	case !s.anyValue && s.value != t.Value:
		return false
	}
	return true
}

// coversEffect reports whether the scope contains some taint of effect e.
func (s tolerationScope) coversEffect(e corev1.TaintEffect) bool {
	return !s.none && (s.anyEffect || s.effect == e)
}

// tolerates is Kubernetes' own ToleratesTaint (comparison operators off,
// as the DaemonSet controller evaluates them in a default cluster).
func tolerates(t corev1.Toleration, taint corev1.Taint) bool {
	return t.ToleratesTaint(klog.Background(), &taint, false)
}

// effectRisk says in Korean what tolerating more taints of effect e means
// for a DaemonSet's pods.
func effectRisk(e corev1.TaintEffect, seconds *int64) string {
	switch e {
	case corev1.TaintEffectNoSchedule:
		return "다른 용도로 비워 둔(전용) 노드에도 파드가 놓입니다"
	case corev1.TaintEffectNoExecute:
		if seconds != nil {
			return fmt.Sprintf("노드를 비우려고(점검·장애) NoExecute 테인트를 붙여도 파드가 새로 놓이고 %d초 동안 쫓겨나지 않습니다", *seconds)
		}
		return "노드를 비우려고(점검·장애) NoExecute 테인트를 붙여도 파드가 쫓겨나지 않고 새로 놓이기까지 합니다"
	case corev1.TaintEffectPreferNoSchedule:
		return "데몬셋 파드의 배치에는 영향이 없습니다"
	}
	return ""
}

// extraFor describes (Korean) the taints of effect e the scope tolerates
// beyond the needed taints; "" when none. For a needed taint without a
// value, Exists on its key counts as exact (the idiom kubernetes.io uses
// for such taints).
func (s tolerationScope) extraFor(e corev1.TaintEffect, needed []corev1.Taint) string {
	if !s.coversEffect(e) {
		return ""
	}
	switch {
	case s.anyKey && s.anyValue:
		return fmt.Sprintf("key·value 와 상관없이 모든 %s 테인트", e)
	case s.anyKey:
		return fmt.Sprintf("value 가 %q 인 모든 key 의 %s 테인트", s.value, e)
	case s.anyValue:
		here, valued := false, false
		for _, n := range needed {
			if n.Key == s.key && n.Effect == e {
				here = true
				valued = valued || n.Value != ""
			}
		}
		if !here || valued {
			return fmt.Sprintf("value 와 상관없이 key %s 의 모든 %s 테인트", s.key, e)
		}
	default:
		exact := corev1.Taint{Key: s.key, Value: s.value, Effect: e}
		for _, n := range needed {
			if sameTaint(n, exact) {
				return ""
			}
		}
		return TaintString(exact) + " 테인트"
	}
	return ""
}

// breadthWarning returns a Korean warning when tol also tolerates taints
// beyond needed (the taints the task asks to tolerate; none for a
// toleration nothing asked for): which ones, effect by effect, with the
// risk, the cluster's current taints it also tolerates, and the effects it
// does not tolerate. "" when tol is no broader than needed.
func breadthWarning(tol corev1.Toleration, needed []corev1.Taint, nodes []Node) string {
	s := scopeOf(tol)
	var parts, not []string
	for _, e := range taintEffects {
		if x := s.extraFor(e, needed); x != "" {
			parts = append(parts, fmt.Sprintf("%s도 용인합니다 — %s", x, effectRisk(e, s.seconds)))
		} else if !s.coversEffect(e) {
			not = append(not, string(e))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	msg := fmt.Sprintf("톨러레이션 %s 필요보다 넓습니다: %s", eun(TolerationString(tol)), strings.Join(parts, "; "))
	var present []string
	for _, n := range nodes {
		for _, t := range n.Taints {
			if systemTaint(t) || !s.covers(t) || containsTaint(needed, t) {
				continue
			}
			present = append(present, n.Name+" 의 "+TaintString(t))
		}
	}
	if len(present) > 0 {
		msg += fmt.Sprintf(". 지금 이 클러스터에서는 %s 도 용인합니다", strings.Join(present, ", "))
	}
	if len(not) > 0 {
		msg += fmt.Sprintf(". %s 테인트는 용인하지 않습니다", strings.Join(not, ", "))
	}
	return msg
}

func sameTaint(a, b corev1.Taint) bool {
	return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect
}

func containsTaint(ts []corev1.Taint, t corev1.Taint) bool {
	for _, x := range ts {
		if sameTaint(x, t) {
			return true
		}
	}
	return false
}
