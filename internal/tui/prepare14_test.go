package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

var enterKey = tea.KeyMsg{Type: tea.KeyEnter}

// TestOpenStartedExerciseOffersOnePrepareKey: a started exercise opened
// while the cluster is prepared for another one offers one key, enter,
// that prepares the cluster again and keeps the work file — its banner
// and footer say so, enter is taken (not "쓰지 않는 키"), and 진행 현황's
// note says what opening it will really do (issue 14: "이어서 하기"
// opened a screen whose only way on was r r, 처음부터).
func TestOpenStartedExerciseOffersOnePrepareKey(t *testing.T) {
	store := progress.New("")
	store.UpdateExercise("gpu-only", func(p *progress.ExerciseProgress) { p.StartedAt = time.Unix(1000, 0) })
	m := labCourseModelWith(t, store)
	u := simulatedUpdate(t, "gpu-only", nil)
	u.Active = "ds-basics"
	tm := startProgram(t, m, 100, 30)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: u})
	s := final(t, tm, "the banner", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	view := flat(s.view)
	if !strings.Contains(view, "작업 파일은 그대로 두고 클러스터만 이 연습에 맞게 준비합니다") || strings.Contains(view, "r 을 두 번 눌러") {
		t.Errorf("the banner does not offer enter (work file kept):\n%s", s.view)
	}
	if !strings.Contains(s.view, "enter 준비") {
		t.Errorf("the footer does not name enter:\n%s", s.view)
	}
	tm.Send(keyRunes("o"))
	waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	tm.Send(keyRunes("2"))
	s = final(t, tm, "진행 현황 on gpu-only", func(s snapshot) bool { return strings.Contains(s.view, "연습 2") })
	if v := flat(s.view); !strings.Contains(v, "지금 클러스터는 연습 ds-basics 용 — 연 뒤 enter 로 다시 준비, 작업 파일은 그대로") || strings.Contains(v, "이어서 하기") {
		t.Errorf("진행 현황's note does not say what opening will do:\n%s", s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "the exercise again", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(enterKey)
	s = final(t, tm, "enter answered", func(s snapshot) bool { return s.state == stateExercise })
	if strings.Contains(s.view, "쓰지 않는 키") {
		t.Errorf("enter was refused on the exercise screen:\n%s", s.view)
	}
}

// TestEnterPreparesWithoutReset: enter prepares (a start, not the reset of
// r r that deletes the DaemonSet) and says the work file is kept; r's
// confirmation says what r r does to the work file.
func TestEnterPreparesWithoutReset(t *testing.T) {
	m := labCourseModel(t)
	c := m.common
	c.Paths = paths.Under(t.TempDir())
	u := simulatedUpdate(t, "gpu-only", nil)
	u.Active = "ds-basics"
	u.Conn = &kube.Conn{Client: fake.NewClientset(), Context: "dslab"}
	c.Live.Update = u
	ex, err := c.Lab.Catalog.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	em, _ := newExercise(c).open(ex)
	rm, _ := em.update(keyRunes("r"))
	if !strings.Contains(rm.msg, "작업 파일은 지우지 않고 그대로 둡니다") {
		t.Errorf("r's confirmation does not say what happens to the work file: %q", rm.msg)
	}
	em, cmd := em.update(enterKey)
	if cmd == nil || em.busy != "연습을 준비하는 중" {
		t.Fatalf("enter did not prepare (busy %q, msg %q)", em.busy, em.msg)
	}
	if !strings.Contains(em.msg, "작업 파일은 그대로 두고") {
		t.Errorf("enter's line does not say the work file is kept: %q", em.msg)
	}
}
