package grader

import "testing"

// TestRecordedPassBadge: a pass with nothing of the exercise in the
// cluster now says the pass is recorded and why nothing is graded, never
// "통과 · 10/10점" above checks listed as not graded (issue 14).
func TestRecordedPassBadge(t *testing.T) {
	r := Result{Status: StatusPassed, Score: 10, MaxScore: 10, NothingGraded: true}
	if got := r.Badge(); got != "통과 기록 10/10점 · 클러스터에 없음" {
		t.Errorf("Badge = %q", got)
	}
	r.NothingGraded = false
	r.Passed = true
	if got := r.Badge(); got != "통과 · 10/10점" {
		t.Errorf("a pass graded now: %q", got)
	}
}
