package grader

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// DefaultRecorderInterval is the heartbeat interval assumed when a
// recording does not say.
const DefaultRecorderInterval = 2 * time.Second

// MaxGap is the longest silence between two samples that still counts as
// the recorder running: a few heartbeats.
func (r Recording) MaxGap() time.Duration {
	iv := r.Interval
	if iv <= 0 {
		iv = DefaultRecorderInterval
	}
	return 3 * iv
}

// Covered reports whether the recorder was observing at t, given that t
// is known to one second (Kubernetes timestamps are truncated to seconds)
// and that the snapshot was captured at capturedAt.
func (r Recording) Covered(t, capturedAt time.Time) bool {
	s := r.Samples
	if len(s) == 0 {
		return false
	}
	gap := r.MaxGap()
	lo, hi := t, t.Add(time.Second)
	first, last := s[0].Time, s[len(s)-1].Time
	if hi.Before(first) {
		return false
	}
	if !lo.Before(last) {
		// After the last sample: only while the recorder still runs.
		return r.Running && capturedAt.Sub(last) <= gap && !lo.After(capturedAt)
	}
	// Find the samples around [lo, hi]: every gap overlapping it must be short.
	i := sort.Search(len(s), func(i int) bool { return s[i].Time.After(lo) })
	if i == 0 {
		return true // the change second overlaps the first sample
	}
	for j := i; j < len(s); j++ {
		if s[j].Time.Sub(s[j-1].Time) > gap {
			return false
		}
		if s[j].Time.After(hi) {
			break
		}
	}
	return true
}

type change struct {
	at   time.Time
	what string
}

// changes lists what changed the target after since: new revisions and
// new pods.
func (g *gradeCtx) changes(since time.Time, startRevision int64) []change {
	var out []change
	for _, r := range g.ds.Revisions {
		newer := r.Created.After(since)
		if startRevision > 0 {
			// Revision numbers are exact; creation times only to the second.
			newer = r.Revision > startRevision
		}
		if newer {
			what := fmt.Sprintf("새 리비전 %s", r.Name)
			if len(r.Images) > 0 {
				what += " (" + strings.Join(r.Images, ", ") + ")"
			}
			out = append(out, change{at: r.Created, what: what})
		}
	}
	for _, pods := range g.pods {
		for _, p := range pods {
			if p.Created.After(since) {
				out = append(out, change{at: p.Created, what: fmt.Sprintf("파드 %s 생성 (%s)", p.Name, p.Node)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].at.Equal(out[j].at) {
			return out[i].what < out[j].what
		}
		return out[i].at.Before(out[j].at)
	})
	return out
}

func (g *gradeCtx) checkRollout(c Check) CheckResult {
	rec := g.snap.Rollout
	limit, _ := intstr.GetScaledValueFromIntOrPercent(c.MaxUnavailable, len(g.expected), true)
	if rec == nil || len(rec.Samples) == 0 {
		return CheckResult{Message: fmt.Sprintf("롤아웃 기록기(recorder)의 기록이 없어 사용할 수 없는 파드 수를 확인할 수 없습니다: dslab exercise start %s 시작하면 기록기가 함께 시작됩니다", ro(g.spec.ID))}
	}
	since := rec.Started
	if g.snap.Baseline != nil && g.baselineSource != "topology" && !g.snap.Baseline.Recorded.IsZero() {
		since = g.snap.Baseline.Recorded
	}
	changes := g.changes(since, rec.StartRevision)
	var uncovered []string
	for _, ch := range changes {
		if !rec.Covered(ch.at, g.snap.CapturedAt) {
			uncovered = append(uncovered, g.fmtTime(ch.at)+" "+ch.what)
		}
	}
	if len(uncovered) > 0 {
		shown := uncovered
		if len(shown) > 3 {
			shown = append(shown[:3:3], fmt.Sprintf("외 %d건", len(uncovered)-3))
		}
		msg := "롤아웃 기록기(recorder)가 실행되지 않던 동안 변경이 있었습니다: " + strings.Join(shown, "; ")
		msg += " — 그동안 사용할 수 없던 파드 수는 알 수 없으므로 추측하지 않습니다"
		if rec.StopReason != "" && rec.Stopped != nil {
			msg += fmt.Sprintf(" (기록기는 %s 에 멈췄습니다: %s)", g.fmtTime(*rec.Stopped), rec.StopReason)
		}
		msg += fmt.Sprintf(". dslab exercise reset %s 다시 시작한 뒤 업데이트하세요", ro(g.spec.ID))
		return CheckResult{Message: msg}
	}
	var uid string
	var worst *Sample
	n := 0
	for i := range rec.Samples {
		s := &rec.Samples[i]
		if s.Time.Before(since) {
			continue
		}
		n++
		if s.Missing {
			return CheckResult{Message: fmt.Sprintf("%s 에 데몬셋이 없었습니다: 데몬셋을 지우고 다시 만들면 모든 노드의 파드가 한꺼번에 사라집니다 — 롤링 업데이트는 dslab kubectl apply 로 템플릿만 바꾸는 것입니다", g.fmtTime(s.Time))}
		}
		if uid != "" && s.UID != "" && s.UID != uid {
			return CheckResult{Message: fmt.Sprintf("%s 에 데몬셋이 새로 만들어졌습니다 (UID 가 바뀜): 지우고 다시 만드는 것은 롤링 업데이트가 아닙니다", g.fmtTime(s.Time))}
		}
		if s.UID != "" {
			uid = s.UID
		}
		if worst == nil || s.Unavailable > worst.Unavailable {
			worst = s
		}
	}
	rolled := false
	for _, ch := range changes {
		if strings.HasPrefix(ch.what, "새 리비전") {
			rolled = true
		}
	}
	if !rolled {
		return CheckResult{Message: "아직 롤아웃이 일어나지 않았습니다: 파드 템플릿(이미지)을 바꾸면 새 리비전이 만들어지고 롤아웃이 시작됩니다"}
	}
	if worst == nil {
		return CheckResult{Message: "기록기(recorder)의 관측이 없습니다"}
	}
	if int(worst.Unavailable) > limit {
		msg := fmt.Sprintf("%s 에 사용할 수 없는 파드가 %d개였습니다 (최대 %d개여야 합니다)", g.fmtTime(worst.Time), worst.Unavailable, limit)
		if len(worst.NotReady) > 0 {
			msg += ": " + strings.Join(worst.NotReady, ", ")
		}
		msg += " — maxUnavailable 을 먼저 1 로 바꾼 뒤 이미지를 바꾸세요"
		var nodes []NodeResult
		for _, nn := range worst.NotReady {
			nodes = append(nodes, NodeResult{Node: nn, Expected: StateRunning, Actual: StateNotReady, Reason: fmt.Sprintf("%s 에 이 노드도 동시에 사용할 수 없었습니다", g.fmtTime(worst.Time))})
		}
		return CheckResult{Message: msg, Nodes: nodes}
	}
	first, last := rec.Samples[0].Time, rec.Samples[len(rec.Samples)-1].Time
	return CheckResult{Passed: true, Message: fmt.Sprintf("롤아웃 동안 사용할 수 없는 파드는 최대 %d개였습니다 (관측 %d건, %s–%s)", worst.Unavailable, n, g.fmtTime(first), g.fmtTime(last))}
}
