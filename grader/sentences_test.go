package grader

import "testing"

// Placement reasons are separate sentences, not one comma-joined run-on
// (issue 14: "… 대상입니다, 톨러레이션 …").
func TestSentencesJoin(t *testing.T) {
	got := sentences([]string{"모든 노드가 대상입니다", "톨러레이션 (Exists) 가 테인트 a=b:NoSchedule 를 용인합니다"})
	if want := "모든 노드가 대상입니다. 톨러레이션 (Exists) 가 테인트 a=b:NoSchedule 를 용인합니다"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
