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
