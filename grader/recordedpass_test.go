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

// TestAbsentTargetNote: a DaemonSet missing from the cluster is said as
// it is now; "아직" (never made, as it reads) only where nothing was
// applied — a recorded pass or an attempt says it is not there now
// (issue 14: "데몬셋 … 가 아직 없습니다" under a recorded pass).
func TestAbsentTargetNote(t *testing.T) {
	const ds = "kube-system/fluentd-elasticsearch"
	for _, tc := range []struct {
		pass, attempted bool
		want            string
	}{
		{true, false, "통과 기록은 남아 있지만 지금 클러스터에는 데몬셋 kube-system/fluentd-elasticsearch 가 없습니다"},
		{true, true, "통과 기록은 남아 있지만 지금 클러스터에는 데몬셋 kube-system/fluentd-elasticsearch 가 없습니다"},
		{false, true, "데몬셋 kube-system/fluentd-elasticsearch 가 지금 클러스터에 없습니다"},
		{false, false, "데몬셋 kube-system/fluentd-elasticsearch 가 아직 없습니다"},
	} {
		if got := AbsentTargetNote(ds, tc.pass, tc.attempted); got != tc.want {
			t.Errorf("AbsentTargetNote(pass %v, attempted %v) = %q, want %q", tc.pass, tc.attempted, got, tc.want)
		}
	}
}
