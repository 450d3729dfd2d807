package progress

import (
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
)

// One state and one score (issue 14): 시작함 has no score whatever a grade
// of the set-up state stored; 진행 중 shows the current score; 통과 the pass.
func TestStandingOf(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)
	zero, three, four, nine, ten := 0, 3, 4, 9, 10
	for _, tc := range []struct {
		name     string
		e        ExerciseProgress
		prepared bool
		current  *int
		badge    string
		score    string
	}{
		{"never opened", ExerciseProgress{}, false, nil, "시작 전 · 10점 만점", "-"},
		{"opened, broken set-up graded 3", ExerciseProgress{StartedAt: t0, Score: 3, LastGradedAt: t0}, true, &three, "시작함 · 10점 만점", "-"},
		{"attempted, live 9", ExerciseProgress{StartedAt: t0, Attempts: 2, Score: 9}, true, &nine, "진행 중 · 9/10점", "9/10"},
		{"attempted, best kept", ExerciseProgress{Attempts: 1, Score: 7}, false, nil, "진행 중 · 7/10점", "7/10"},
		// The pass stays earned; the cluster's score now beside it, as
		// the TUI header and dslab grade say it (issue 14 state13).
		{"passed, restarted, live 3", ExerciseProgress{Passed: true, Score: 10, Attempts: 1}, true, &three, "통과 기록 · 지금 3/10점", "지금 3/10"},
		// The last grade's score in the progress says the same without a
		// live grade (진행 현황, dslab progress; issue 14).
		{"passed, restarted, last grade 4", ExerciseProgress{Passed: true, Score: 10, Attempts: 2, LastScore: &four}, true, nil, "통과 기록 · 지금 4/10점", "지금 4/10"},
		{"passed, last grade passed", ExerciseProgress{Passed: true, Score: 10, Attempts: 2, LastScore: &ten}, true, nil, "통과 · 10/10점", "10/10"},
		{"passed, no live grade", ExerciseProgress{Passed: true, Score: 10, Attempts: 1}, true, nil, "통과 · 10/10점", "10/10"},
		{"passed, live higher", ExerciseProgress{Passed: true, Score: 9, Attempts: 1}, true, &ten, "통과 · 10/10점", "10/10"},
		// 진행 중 always has a score: a failed apply left nothing of the
		// exercise in the cluster (no current score), so the best one, as
		// dslab progress says (the TUI header showed "진행 중 · 10점 만점").
		{"attempted, nothing in the cluster now", ExerciseProgress{StartedAt: t0, Attempts: 1, Score: 7}, true, nil, "진행 중 · 7/10점", "7/10"},
		{"attempted, live 0", ExerciseProgress{StartedAt: t0, Attempts: 1, Score: 7}, true, &zero, "진행 중 · 0/10점", "0/10"},
	} {
		s := StandingOf(tc.e, tc.prepared, false, tc.current, 10)
		if s.Badge() != tc.badge || s.ScoreText() != tc.score {
			t.Errorf("%s: %q %q, want %q %q", tc.name, s.Badge(), s.ScoreText(), tc.badge, tc.score)
		}
	}
}

// The state words are grader's (one vocabulary for dslab grade and every
// other screen): the state values are grader's Status values.
func TestStateWordsAreGraders(t *testing.T) {
	for st, status := range map[ExerciseState]string{StateNotStarted: grader.StatusNotStarted, StateStarted: grader.StatusStarted, StateInProgress: grader.StatusInProgress, StatePassed: grader.StatusPassed} {
		if string(st) != status || st.Korean() != (grader.Result{Status: status}).Mark() {
			t.Errorf("%s: %q %q, grader %q %q", st, st, st.Korean(), status, (grader.Result{Status: status}).Mark())
		}
	}
}
