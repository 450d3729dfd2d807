package progress

import (
	"testing"
	"time"
)

// One state and one score (issue 14): 시작함 has no score whatever a grade
// of the set-up state stored; 진행 중 shows the current score; 통과 the pass.
func TestStandingOf(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)
	three, nine := 3, 9
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
		{"passed, restarted", ExerciseProgress{Passed: true, Score: 10, Attempts: 1}, true, &three, "통과 · 10/10점", "10/10"},
	} {
		s := StandingOf(tc.e, tc.prepared, false, tc.current, 10)
		if s.Badge() != tc.badge || s.ScoreText() != tc.score {
			t.Errorf("%s: %q %q, want %q %q", tc.name, s.Badge(), s.ScoreText(), tc.badge, tc.score)
		}
	}
}
