package tui

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestOneStandingEverySurface: records × surfaces (trainee trial, issue
// 14). Every surface that reads the progress — `dslab progress` text and
// JSON and 진행 현황 (lab.Summary's StateText/ScoreText), the chooser
// (Standing.Badge) — and the exercise header (live grade) say the same:
//   - a pass graded 9 before another exercise was started, or graded 9
//     against the set-up of that other exercise: "통과 · 10/10점", as dslab
//     grade says it from the record — never "통과 기록 · 지금 9/10";
//   - a pass whose DaemonSet was deleted since: "통과 기록 10/10점 ·
//     클러스터에 없음", as dslab grade says it (grader.RecordedPassBadge) —
//     never "✓ 통과 … 10/10".
func TestOneStandingEverySurface(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	passed := progress.ExerciseProgress{Passed: true, PassedAt: t0, Score: 10, MaxScore: 10, StartedAt: t0, Attempts: 2}
	nine := func(t *testing.T, id string) grader.Result {
		u := simulatedUpdate(t, id, func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
		r := *u.Result
		r.Score, r.Passed = 9, false
		return r
	}
	deleted := func(t *testing.T, id string) lab.Update {
		return simulatedUpdate(t, id, func(l *gradertest.Lab, ex exercises.Exercise) {
			l.Solve(ex)
			l.Delete(ex.Spec.Target.Namespace, ex.Spec.Target.Name)
		})
	}
	for _, tc := range []struct {
		name, id string
		// record makes the progress; live is the watcher's update the
		// exercise screen gets.
		record              func(t *testing.T, s *progress.Store)
		live                func(t *testing.T) lab.Update
		badge, state, score string
	}{
		{
			name: "graded 9, then exercise 13 started", id: "taints",
			record: func(t *testing.T, s *progress.Store) {
				lab.RecordGrade(s, nine(t, "taints"), t0.Add(time.Minute))
				lab.RecordStart(s, "noexecute-churn", t0.Add(2*time.Minute))
			},
			live: func(t *testing.T) lab.Update {
				// The watcher grades taints against noexecute-churn's set-up.
				u := simulatedUpdate(t, "taints", nil)
				u.Active, u.Started = "noexecute-churn", false
				r := nine(t, "taints")
				u.Result = &r
				return u
			},
			badge: "통과 · 10/10점", state: "✓ 통과", score: "10/10",
		},
		{
			name: "exercise 13 started, then graded 9", id: "taints",
			record: func(t *testing.T, s *progress.Store) {
				lab.RecordStart(s, "noexecute-churn", t0.Add(time.Minute))
				lab.RecordGrade(s, nine(t, "taints"), t0.Add(2*time.Minute))
			},
			live: func(t *testing.T) lab.Update {
				u := simulatedUpdate(t, "taints", nil)
				u.Active, u.Started = "noexecute-churn", false
				r := nine(t, "taints")
				u.Result = &r
				return u
			},
			badge: "통과 · 10/10점", state: "✓ 통과", score: "10/10",
		},
		{
			// A progress file written before the rule: the 9 kept.
			name: "stale last grade, exercise 13 started later", id: "taints",
			record: func(t *testing.T, s *progress.Store) {
				nine := 9
				s.UpdateExercise("taints", func(e *progress.ExerciseProgress) { e.LastScore = &nine })
				s.UpdateExercise("noexecute-churn", func(e *progress.ExerciseProgress) { e.StartedAt = t0.Add(time.Minute) })
			},
			live: func(t *testing.T) lab.Update {
				u := simulatedUpdate(t, "taints", nil)
				u.Active, u.Started = "noexecute-churn", false
				return u
			},
			badge: "통과 · 10/10점", state: "✓ 통과", score: "10/10",
		},
		{
			name: "DaemonSet deleted", id: "taints",
			record: func(t *testing.T, s *progress.Store) {
				lab.RecordGrade(s, *deleted(t, "taints").Result, t0.Add(time.Minute))
			},
			live:  func(t *testing.T) lab.Update { return deleted(t, "taints") },
			badge: grader.RecordedPassBadge(10, 10), state: "✓ 통과 기록", score: "10/10 · 클러스터에 없음",
		},
		{
			name: "rolling-update's DaemonSet gone", id: "rolling-update",
			record: func(t *testing.T, s *progress.Store) {
				lab.RecordGrade(s, *deleted(t, "rolling-update").Result, t0.Add(time.Minute))
			},
			live:  func(t *testing.T) lab.Update { return deleted(t, "rolling-update") },
			badge: grader.RecordedPassBadge(10, 10), state: "✓ 통과 기록", score: "10/10 · 클러스터에 없음",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
			store.UpdateExercise(tc.id, func(e *progress.ExerciseProgress) { *e = passed })
			tc.record(t, store)
			m := labCourseModelWith(t, store)

			// dslab progress, 진행 현황, the chooser.
			var row *lab.ExerciseStatus
			sum := lab.SummarizeWith(m.common.Course, m.common.Exercises(), store.Snapshot(), nil)
			for i := range sum.Exercises {
				if sum.Exercises[i].ID == tc.id {
					row = &sum.Exercises[i]
				}
			}
			if row == nil {
				t.Fatalf("%s not in the summary", tc.id)
			}
			if got := row.Standing().Badge(); got != tc.badge {
				t.Errorf("chooser: %q, want %q", got, tc.badge)
			}
			if got := row.Standing().StateText(); got != tc.state {
				t.Errorf("progress state: %q, want %q", got, tc.state)
			}
			if got := row.Standing().ScoreText(); got != tc.score {
				t.Errorf("progress score: %q, want %q", got, tc.score)
			}

			// The exercise header with the live grade.
			next, _ := m.openExercise(tc.id)
			next, _ = next.(Model).onLabUpdate(tc.live(t))
			if got := next.(Model).exercise.standing().Badge(); got != tc.badge {
				t.Errorf("exercise header: %q, want %q", got, tc.badge)
			}
		})
	}
}
