package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/progress"
)

// `dslab grade <current>` on the learner's own lab says the exercise's
// one state and score (progress.StandingOf through standingResult, as
// gradeLive calls it), in the words the TUI header and dslab progress use
// (issue 14 state13): an attempt that does not pass is 진행 중 with its
// score, not 미통과; only opened is 시작함 with the full marks and no
// score; a pass kept while the cluster scores less is "통과 기록 · 지금 3/10점";
// nothing of the exercise in the cluster keeps the recorded score and
// lists the checks without a verdict.
func TestCurrentGradeSaysStanding(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("control-plane")
	t0 := time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)
	failing := grader.Grade(ex.Spec, attemptFixture(t, "control-plane", "seed-master-only"))
	empty := grader.Result{Exercise: ex.ID, MaxScore: ex.Spec.MaxScore(), Status: grader.StatusNotStarted, NothingGraded: true,
		Checks: []grader.CheckResult{{ID: "a", MaxPoints: 10, Message: "시작 전: 데몬셋 kube-system/kube-proxy-lite 가 아직 없어 채점할 것이 없습니다"}}}
	for _, tc := range []struct {
		name    string
		p       progress.ExerciseProgress
		r       grader.Result
		badge   string
		pending bool
	}{
		{"attempted, failing", progress.ExerciseProgress{StartedAt: t0, Attempts: 1, Score: 3}, failing, "진행 중 · 3/10점", false},
		{"only opened (seed graded)", progress.ExerciseProgress{StartedAt: t0}, failing, "시작함 · 10점 만점", true},
		{"passed before, failing now", progress.ExerciseProgress{StartedAt: t0, Attempts: 2, Passed: true, Score: 10}, failing, "통과 기록 · 지금 3/10점", false},
		{"attempted, nothing in the cluster", progress.ExerciseProgress{StartedAt: t0, Attempts: 2, Score: 7}, empty, "진행 중 · 7/10점", true},
		// issue 14: not "통과 · 10/10점" above checks not graded.
		{"passed before, restarted, nothing yet", progress.ExerciseProgress{StartedAt: t0, Attempts: 2, Passed: true, Score: 10}, empty, "통과 기록 10/10점 · 클러스터에 없음", true},
	} {
		r := standingResult(ex, tc.r, progress.StandingOf(tc.p, true, false, tc.r.Current(), ex.Spec.MaxScore()))
		sd := progress.StandingOf(tc.p, true, false, tc.r.Current(), ex.Spec.MaxScore())
		sd.Absent = tc.r.NothingGraded // as the TUI sets it from its live grade
		if r.Badge() != tc.badge || sd.Badge() != tc.badge || r.Mark() != sd.State.Korean() || r.Pending() != tc.pending {
			t.Errorf("%s: grade %q (%s, pending %v), TUI/progress %q; want %q pending %v", tc.name, r.Badge(), r.Mark(), r.Pending(), sd.Badge(), tc.badge, tc.pending)
		}
		if r.Passed != tc.r.Passed {
			t.Errorf("%s: passed %v, want the grade's own %v (exit code)", tc.name, r.Passed, tc.r.Passed)
		}
		var b strings.Builder
		if err := grader.WriteText(&b, []grader.Result{r}); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); strings.Contains(out, "미통과") || (tc.pending && strings.ContainsAny(out, "✓✗")) {
			t.Errorf("%s:\n%s", tc.name, out)
		}
	}
}

// `dslab kubectl apply` that leaves the target's spec as it was says it is
// not counted, as the TUI's a says for an unchanged apply.
func TestUnchangedApplyNote(t *testing.T) {
	ds := dsState{exists: true, uid: "u1", gen: 3}
	if n := unchangedApplyNote("apply", "dslab/gpu-monitor", ds, ds); !strings.Contains(n, "변경 없음") || !strings.Contains(n, "시도로 세지 않습니다") {
		t.Errorf("unchanged apply: %q", n)
	}
	changed := ds
	changed.gen = 4
	for _, tc := range []struct {
		verb          string
		before, after dsState
	}{
		{"apply", ds, changed},
		{"apply", dsState{}, ds},
		{"apply", dsState{}, dsState{}},
		{"patch", ds, ds},
	} {
		if n := unchangedApplyNote(tc.verb, "dslab/gpu-monitor", tc.before, tc.after); n != "" {
			t.Errorf("%s %+v → %+v: %q, want no note", tc.verb, tc.before, tc.after, n)
		}
	}
}
