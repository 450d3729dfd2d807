package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestDaemonSetGoneAfterApplies: the learner applied (the DaemonSet was
// created), then deleted it by hand (kubectl delete in the shell, as a
// failed apply's advice says): the panel says the DaemonSet is not in the
// cluster and the exercise is 진행 중, not 시작 전, and blames no failed
// apply (trial, issue 14: "시작 전: 마지막 적용이 실패해서 아직 클러스터에
// 없는 데몬셋" after five applies).
func TestDaemonSetGoneAfterApplies(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	lab.RecordStart(store, "ds-basics", time.Now().Add(-time.Hour))
	tm := startProgram(t, newLabFixtureModel(t, store), 100, 45) // the grade in view
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
	flat := func(s snapshot) string { return strings.Join(strings.Fields(s.view), " ") }
	s := waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	// Started on the cluster, nothing applied yet: 시작함, the word of
	// 진행 현황 (progress.StateOf), in the badge and the note alike — not
	// 시작 전 (trainee trial on 2233c94).
	if !strings.Contains(flat(s), "시작함 · 10점 만점") || !strings.Contains(flat(s), "시작함: 아직 클러스터에 없는") || strings.Contains(flat(s), "시작 전") {
		t.Fatalf("before any apply the started exercise is not 시작함:\n%s", s.view)
	}
	tm.Send(appliedMsg{id: "ds-basics", summary: "daemonset.apps/fluentd-elasticsearch created", attempted: true})
	// The DaemonSet was deleted by hand: the next grade does not see it.
	u := simulatedUpdate(t, "ds-basics", nil)
	u.Seq = 2
	tm.Send(labUpdateMsg{u: u})
	s = waitFor(t, tm, "the grade after the deletion", func(s snapshot) bool { return s.seq == 2 && strings.Contains(flat(s), "진행 중") })
	if strings.Contains(flat(s), "시작 전") || strings.Contains(flat(s), "실패") {
		t.Errorf("after an apply and a deletion the panel says 시작 전 or blames a failed apply:\n%s", s.view)
	}
	if !strings.Contains(flat(s), "지금 클러스터에 없습니다") {
		t.Errorf("the panel does not say the DaemonSet is not in the cluster:\n%s", s.view)
	}
	checkFrame(t, s)
}

// TestNotPreparedSaysNotStarted: an exercise neither started on the
// cluster nor in the progress file is 시작 전, as in 진행 현황.
func TestNotPreparedSaysNotStarted(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	tm := startProgram(t, newLabFixtureModel(t, store), 100, 45)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	u := simulatedUpdate(t, "ds-basics", nil)
	u.Started, u.Active = false, ""
	tm.Send(labUpdateMsg{u: u})
	s := waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	if flat := strings.Join(strings.Fields(s.view), " "); !strings.Contains(flat, "시작 전 · 10점 만점") || strings.Contains(flat, "시작함") {
		t.Errorf("the exercise never started is not 시작 전:\n%s", s.view)
	}
}
