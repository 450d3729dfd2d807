package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestRestartedPassBadge: a passed exercise prepared again with nothing
// applied says the pass is recorded and nothing is in the cluster, not
// "통과 · 10/10점" above a body saying the DaemonSet is not there
// (issue 14) — in the header and the node map.
func TestRestartedPassBadge(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			store, _, err := progress.Open(filepath.Join(t.TempDir(), "progress.json"))
			if err != nil {
				t.Fatal(err)
			}
			store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.Passed, e.Score = true, 10 })
			tm := startProgram(t, newLabFixtureModel(t, store), size.w, size.h)
			tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
			tm.Send(openExerciseMsg{id: "gpu-only"})
			s := waitFor(t, tm, "the header", func(s snapshot) bool {
				return s.state == stateExercise && strings.Contains(flat(s.view), "클러스터에 없음")
			})
			if !strings.Contains(flat(s.view), "통과 기록 10/10점 · 클러스터에 없음") || strings.Contains(s.view, "통과 · 10/10점") {
				t.Errorf("the header does not say the pass is recorded and the exercise restarted:\n%s", s.view)
			}
			tm.Send(keyRunes("m"))
			s = waitFor(t, tm, "the node map", func(s snapshot) bool { return s.state == stateNodeMap })
			if strings.Contains(s.view, "통과 · 10/10점") {
				t.Errorf("the node map says 통과 · 10/10점 for a restarted exercise:\n%s", s.view)
			}
		})
	}
}

// TestSecondRSaysWhatHappens: once the second r is taken, the bottom line
// says the exercise is being reset, not "r 을 한 번 더 누르면…" through
// the whole ~20 s restart (issue 14, noexecute-churn).
func TestSecondRSaysWhatHappens(t *testing.T) {
	m := labCourseModel(t)
	c := m.common
	c.Paths = paths.Under(t.TempDir())
	u := simulatedUpdate(t, "noexecute-churn", nil)
	u.Conn = &kube.Conn{Client: fake.NewClientset(), Context: "dslab"}
	c.Live.Update = u
	ex, err := c.Lab.Catalog.Get("noexecute-churn")
	if err != nil {
		t.Fatal(err)
	}
	em, _ := newExercise(c).open(ex)
	em, _ = em.update(keyRunes("r"))
	if !strings.Contains(em.msg, "r 을 한 번 더 누르면") {
		t.Fatalf("the first r: %q", em.msg)
	}
	em, cmd := em.update(keyRunes("r"))
	if cmd == nil || em.busy == "" {
		t.Fatalf("the second r started nothing (busy %q, msg %q)", em.busy, em.msg)
	}
	if strings.Contains(em.msg, "한 번 더") || !strings.Contains(em.msg, "처음 상태로 되돌리는 중입니다") {
		t.Errorf("after the second r the bottom line says %q", em.msg)
	}
}

// TestTUIExerciseAdvice: a grader message's CLI start/reset command is
// said the TUI's way on the exercise screen (r pressed twice), the rest
// kept (issue 14: advice of one surface shown on the other).
func TestTUIExerciseAdvice(t *testing.T) {
	for in, want := range map[string]string{
		"연습 시작 때 기록한 파드가 없어 같은 파드인지 확인할 수 없습니다 — dslab exercise reset bad-image-rollback 로 다시 시작하세요": "연습 시작 때 기록한 파드가 없어 같은 파드인지 확인할 수 없습니다 — r 을 두 번 눌러 다시 시작하세요",
		"기준선(baseline)이 없어 노드 변경을 확인할 수 없습니다: dslab exercise start new-node 로 연습을 시작하세요":             "기준선(baseline)이 없어 노드 변경을 확인할 수 없습니다: enter 를 눌러 연습을 시작하세요",
		"kubectl rollout status ds/x -n y 로 진행을 보세요": "kubectl rollout status ds/x -n y 로 진행을 보세요",
	} {
		if got := tuiExerciseAdvice(in); got != want {
			t.Errorf("tuiExerciseAdvice(%q) = %q, want %q", in, got, want)
		}
	}
}
