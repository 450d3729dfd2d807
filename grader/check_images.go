package grader

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// checkSamePods: every pod recorded at the baseline (Baseline.Pods, the
// healthy pods of a stalled rollout) is still the target's pod on its node
// — same UID, not terminating — and Ready. A pod replaced by another one
// (deleted, restarted by `rollout restart`, or the DaemonSet deleted and
// recreated) fails the check with the task's constraint; this is what the
// upstream e2e "should rollback without unnecessary restarts" checks.
func (g *gradeCtx) checkSamePods(c Check) CheckResult {
	var res CheckResult
	b := g.snap.Baseline
	if b == nil || len(b.Pods) == 0 {
		res.Message = fmt.Sprintf("연습 시작 때 기록한 파드가 없어 같은 파드인지 확인할 수 없습니다 — dslab exercise reset %s 다시 시작하세요", ro(g.spec.ID))
		return res
	}
	pods := append([]BaselinePod(nil), b.Pods...)
	sort.Slice(pods, func(i, j int) bool { return pods[i].Node < pods[j].Node })
	var replaced, notReady []string
	for _, want := range pods {
		nr := NodeResult{Node: want.Node, Expected: want.UID}
		var same, other *Pod
		for i, p := range g.pods[want.Node] {
			switch {
			case p.UID == want.UID && !p.Terminating():
				same = &g.pods[want.Node][i]
			case !p.Terminating():
				other = &g.pods[want.Node][i]
			}
		}
		switch {
		case same == nil && other != nil:
			nr.Actual = other.UID
			nr.Reason = fmt.Sprintf("연습 시작 때의 파드 %s 없어지고 새 파드 %s 생겼습니다 (다시 시작됨)", iga(want.Name), iga(other.Name))
			replaced = append(replaced, want.Node)
		case same == nil:
			nr.Actual = StateAbsent
			nr.Reason = fmt.Sprintf("연습 시작 때의 파드 %s 없습니다", iga(want.Name))
			replaced = append(replaced, want.Node)
		case !same.Ready:
			nr.Actual = StateNotReady
			nr.Reason = fmt.Sprintf("파드 %s 그대로지만 Ready 가 아닙니다: %s", eun(same.Name), podProblem(*same))
			notReady = append(notReady, want.Node)
		default:
			nr.Actual = same.UID
			nr.Passed = true
			nr.Reason = fmt.Sprintf("연습 시작 때와 같은 파드 %s Ready 입니다", iga(same.Name))
		}
		res.Nodes = append(res.Nodes, nr)
	}
	quote := fmt.Sprintf(" — 과제: “%s”", plainTask(c.Constraint))
	if len(replaced) > 0 {
		// Issue 14: a restarted pod cannot be un-restarted; name the way out.
		quote = fmt.Sprintf(". 다시 시작된 파드는 되돌릴 수 없으니 처음부터 다시 하세요 (%s)%s", g.restartHint(), quote)
	}
	switch {
	case len(replaced) > 0 && !g.ds.Created.Before(b.Recorded.Truncate(time.Second)):
		res.Message = fmt.Sprintf("데몬셋을 지우고 다시 만들어서 건강하던 파드 %d개까지 모두 다시 시작되었습니다 (데몬셋 생성 %s, 연습 시작 %s)%s",
			len(replaced), g.fmtTime(g.ds.Created), g.fmtTime(b.Recorded), quote)
	case len(replaced) > 0:
		res.Message = fmt.Sprintf("건강하던 파드가 다시 만들어졌습니다 (노드: %s): 파드를 지우거나 rollout restart 를 하면 멀쩡한 파드까지 다시 시작됩니다%s",
			strings.Join(replaced, ", "), quote)
	case len(notReady) > 0:
		res.Message = fmt.Sprintf("건강하던 파드가 Ready 가 아닙니다 (노드: %s)", strings.Join(notReady, ", "))
	default:
		res.Passed = true
		res.Message = fmt.Sprintf("건강하던 파드 %d개가 연습 시작 때와 같은 파드(UID)로 Ready 입니다 — 다시 시작되지 않았습니다", len(pods))
	}
	return res
}
