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
	// revision is true for a new (or reused) revision: a rollout.
	revision bool
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
			at := r.Created
			if startRevision > 0 && r.Created.Before(since) {
				// A rollback reuses the ControllerRevision of a template
				// seen before: a new number, the old creation time
				// (pkg/controller/daemon/update.go). The change is the
				// template update the recorder saw as a new generation.
				what = fmt.Sprintf("리비전 %s 재사용", r.Name)
				if seen, ok := g.generationChange(since); ok {
					at = seen
				}
			}
			if len(r.Images) > 0 {
				what += " (" + strings.Join(r.Images, ", ") + ")"
			}
			out = append(out, change{at: at, what: what, revision: true})
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

// generationChange is when the recorder first saw a template update it
// could not have missed: the earliest sample after since whose generation
// differs from the sample before it with a gap past MaxGap (the recorder
// was off, so the update's moment is unknown), or else the latest
// generation change. ok is false when the samples show no generation
// change after since.
func (g *gradeCtx) generationChange(since time.Time) (at time.Time, ok bool) {
	rec := g.snap.Rollout
	s := rec.Samples
	for i := 1; i < len(s); i++ {
		if s[i].Time.Before(since) || s[i].Generation == s[i-1].Generation || s[i].Generation == 0 || s[i-1].Generation == 0 {
			continue
		}
		if s[i].Time.Sub(s[i-1].Time) > rec.MaxGap() {
			// Seen only after a silence: report the last observed moment
			// before it, which Covered rejects.
			return s[i-1].Time.Add(time.Second), true
		}
		at, ok = s[i].Time, true
	}
	return at, ok
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
		msg += fmt.Sprintf(". 처음부터 다시 한 뒤 (%s) 기록기가 도는 동안 업데이트하세요", g.restartHint())
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
		if ch.revision {
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
		// Issue 14: the advice stayed after the learner had fixed both and
		// never named the way out — a past rollout cannot be undone.
		if g.strategyWithin(limit) {
			msg += fmt.Sprintf(" — 지금 전략은 maxUnavailable %d 이하로 맞지만, 이미 지나간 롤아웃의 기록은 바뀌지 않습니다", limit)
		} else {
			msg += fmt.Sprintf(" — 이미지를 바꿀 때 maxUnavailable 이 %d 보다 컸습니다", limit)
		}
		msg += fmt.Sprintf(". 처음부터 다시 하세요 (%s): 그다음 maxUnavailable 을 %s 먼저(또는 이미지와 함께) 바꾸고 이미지를 바꿉니다", g.restartHint(), ro(fmt.Sprint(limit)))
		var nodes []NodeResult
		for _, nn := range worst.NotReady {
			nodes = append(nodes, NodeResult{Node: nn, Expected: StateRunning, Actual: StateNotReady, Reason: fmt.Sprintf("%s 에 이 노드도 동시에 사용할 수 없었습니다", g.fmtTime(worst.Time))})
		}
		return CheckResult{Message: msg, Nodes: nodes}
	}
	first, last := rec.Samples[0].Time, rec.Samples[len(rec.Samples)-1].Time
	return CheckResult{Passed: true, Message: fmt.Sprintf("롤아웃 동안 사용할 수 없는 파드는 최대 %d개였습니다 (관측 %d건, %s–%s)", worst.Unavailable, n, g.fmtTime(first), g.fmtTime(last))}
}

// strategyWithin reports whether the target's update strategy now keeps at
// most limit pods unavailable.
func (g *gradeCtx) strategyWithin(limit int) bool {
	st := g.ds.UpdateStrategy
	if st.Type != "" && st.Type != "RollingUpdate" {
		return false
	}
	mu := intstr.FromInt32(1)
	if st.RollingUpdate != nil && st.RollingUpdate.MaxUnavailable != nil {
		mu = *st.RollingUpdate.MaxUnavailable
	}
	v, err := intstr.GetScaledValueFromIntOrPercent(&mu, len(g.expected), true)
	return err == nil && v <= limit
}

// restartHint names the ways to start an exercise over: a past rollout or
// restarted pod cannot be undone.
func (g *gradeCtx) restartHint() string {
	return fmt.Sprintf("TUI 에서 r 두 번, 또는 dslab exercise reset %s", g.spec.ID)
}
