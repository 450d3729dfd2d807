package app

import (
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// A grade that finds no target DaemonSet says what is true now, one
// wording with the TUI (grader.AbsentTargetNote): under a recorded pass
// "통과 기록은 남아 있지만 지금 클러스터에는 …", after an attempt "지금
// 클러스터에 없습니다" — never "아직 없습니다", which reads as never made
// (issue 14, dslab grade X under a recorded pass) — by dslab grade X
// (standingResult over the live grade) and grade --all (gradeBundle, then
// stateResult) alike.
func TestAbsentTargetSaysNowNotYet(t *testing.T) {
	exs := catalog(t)
	ex := outcomeExercise(t, exs, "control-plane")
	live := fixtureSnapshot(t, "control-plane", "seed-master-only")
	live.DaemonSets = nil
	const ds = "데몬셋 kube-system/fluentd-elasticsearch 가 "
	passedP := progress.ExerciseProgress{Passed: true, Score: 10, MaxScore: 10, Attempts: 2}
	triedP := progress.ExerciseProgress{Attempts: 2, Score: 3, MaxScore: 10}
	for _, tc := range []struct {
		name string
		p    progress.ExerciseProgress
		want string
	}{
		{"recorded pass", passedP, "통과 기록은 남아 있지만 지금 클러스터에는 " + ds + "없습니다"},
		{"attempted", triedP, ds + "지금 클러스터에 없습니다"},
	} {
		sd := progress.StandingOf(tc.p, true, false, nil, ex.Spec.MaxScore())
		// dslab grade X: the live grade of the started exercise.
		single := standingResult(ex, grader.Grade(ex.Spec, live), sd)
		// grade --all: the bundle's live grade, then the learner's state.
		b := kube.Bundle{Current: &kube.Current{Exercise: ex.ID, Started: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}, Live: &live}
		out := outcomeOf(t, gradeBundle(exs, b), ex.ID)
		all := stateResult(ex, tc.p, true, out, outcomeResult(ex, out))
		for surface, r := range map[string]grader.Result{"grade X": single, "grade --all": all} {
			if len(r.Checks) == 0 {
				t.Fatalf("%s, %s: no checks: %+v", tc.name, surface, r)
			}
			for _, c := range r.Checks {
				if c.Message != tc.want {
					t.Errorf("%s, %s: check %s says %q, want %q", tc.name, surface, c.ID, c.Message, tc.want)
				}
			}
		}
	}
}
