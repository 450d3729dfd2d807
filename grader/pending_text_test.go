package grader

import (
	"strings"
	"testing"
)

// TestWriteTextPendingChecks: an exercise with nothing graded yet (시작 전,
// 시작함) lists its checks without a ✗ verdict and says their shared
// reason once (trainee trial: "✗ 노드의 레이블과 테인트를 바꾸지 않았다"
// right after exercise start).
func TestWriteTextPendingChecks(t *testing.T) {
	for _, status := range []string{StatusNotStarted, StatusStarted} {
		r := Result{Exercise: "ds-basics", MaxScore: 10, Status: status, Checks: []CheckResult{
			{ID: "nodes-unchanged", Title: "노드를 바꾸지 않았다", MaxPoints: 2, Message: "시작 전: 데몬셋이 아직 없습니다"},
			{ID: "pods-on-workers", Title: "워커마다 파드", MaxPoints: 8, Message: "시작 전: 데몬셋이 아직 없습니다"},
		}}
		var b strings.Builder
		if err := WriteText(&b, []Result{r}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Contains(out, "✗") || strings.Count(out, "데몬셋이 아직 없습니다") != 1 ||
			!strings.Contains(out, "· 노드를 바꾸지 않았다 (nodes-unchanged) [2점]") {
			t.Errorf("%s:\n%s", status, out)
		}
	}
}

// A 시작함 result whose prepared state already meets a check (the setup
// made the DaemonSet) lists it as already met, without ✓ or points, and
// its header says the state and the full marks as every screen does —
// not "0/10점 (시작함)" over ✓ lines as if earned (issue 14 state13).
func TestWriteTextStartedAlreadyMet(t *testing.T) {
	r := Result{Exercise: "gpu-only", MaxScore: 10, Score: 5, Status: StatusStarted, Checks: []CheckResult{
		{ID: "nodes-unchanged", Title: "노드를 바꾸지 않았다", MaxPoints: 5, Points: 5, Passed: true},
		{ID: "gpu-only", Title: "GPU 노드에만 파드", MaxPoints: 5, Message: "dslab-worker 에도 파드가 있습니다"},
	}}
	var b strings.Builder
	if err := WriteText(&b, []Result{r}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"연습 gpu-only: 시작함 · 10점 만점\n", "· 노드를 바꾸지 않았다 (nodes-unchanged) [5점] — " + AlreadyMet, "· GPU 노드에만 파드 (gpu-only) [5점]\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "✓") || strings.Contains(out, "✗") || strings.Contains(out, "5/10") {
		t.Errorf("a verdict or score under 시작함:\n%s", out)
	}
}

// One display of state and score (ScoreBadge) for every status.
func TestResultBadge(t *testing.T) {
	for _, tc := range []struct {
		r    Result
		want string
	}{
		{Result{Status: StatusPassed, Passed: true, Score: 10, MaxScore: 10}, "통과 · 10/10점"},
		{Result{Status: StatusPassed, Score: 4, MaxScore: 10}, "통과 기록 · 지금 4/10점"},
		{Result{Status: StatusInProgress, Score: 0, MaxScore: 10}, "진행 중 · 0/10점"},
		{Result{Status: StatusStarted, Score: 5, MaxScore: 10}, "시작함 · 10점 만점"},
		{Result{Status: StatusNotStarted, MaxScore: 10}, "시작 전 · 10점 만점"},
		{Result{Status: StatusFailed, Score: 3, MaxScore: 10}, "미통과 · 3/10점"},
	} {
		if got := tc.r.Badge(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}
