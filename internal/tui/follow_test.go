package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// cliStart records in the progress file at path a start of id as `dslab
// exercise start`/`reset` does from another terminal (in another process:
// its own store).
func cliStart(t *testing.T, path, id string) {
	t.Helper()
	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordStart(cli, id, time.Now())
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
}

// quitProgram quits with q and waits for the program to end, so that no
// save is still writing in the test's directory when it is removed.
func quitProgram(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	tm.Send(keyRunes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// TestFollowsStartWithoutInput: `dslab exercise start gpu-only` in
// another terminal records the start last, after the cluster changed; the
// TUI follows it with no key and no watcher update (trial, issue 14: the
// old exercise stayed on screen 10–25 s until a key was pressed).
func TestFollowsStartWithoutInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordStart(store, "ds-basics", time.Now().Add(-time.Hour))
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newLabFixtureModel(t, store), 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })

	cliStart(t, path, "gpu-only")
	// No message is sent: only the probe's snapshots, which the model
	// never sees.
	s := waitFor(t, tm, "the exercise started elsewhere", func(s snapshot) bool { return s.exercise == "gpu-only" })
	if s.state != stateExercise {
		t.Errorf("state %d, want the exercise screen", s.state)
	}
	s = final(t, tm, "the note", func(s snapshot) bool { return true })
	if !strings.Contains(strings.ReplaceAll(s.view, "\n", " "), "다른 곳에서 연습 gpu-only 를 시작했습니다") {
		t.Errorf("no Korean note about the exercise started elsewhere:\n%s", s.view)
	}
	quitProgram(t, tm)
}

// TestResetElsewhereClearsApplyStatus: `dslab exercise reset gpu-only` in
// another terminal while the TUI shows gpu-only after an apply: the
// status line no longer reports that apply, and r names no DaemonSet the
// reset removed (trial, issue 14: "daemonset.apps/gpu-monitor created"
// stayed, and r offered to delete dslab/gpu-monitor).
func TestResetElsewhereClearsApplyStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordStart(store, "gpu-only", time.Now().Add(-time.Hour))
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newLabFixtureModel(t, store), 80, 24)
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(appliedMsg{id: "gpu-only", summary: "daemonset.apps/gpu-monitor created", attempted: true})
	flat := func(s snapshot) string { return strings.ReplaceAll(s.view, "\n", " ") }
	waitFor(t, tm, "the apply's status", func(s snapshot) bool { return strings.Contains(flat(s), "daemonset.apps/gpu-monitor created") })

	cliStart(t, path, "gpu-only")
	// The reset removed the DaemonSet: the watcher's next grade.
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
	s := waitFor(t, tm, "the note about the reset", func(s snapshot) bool {
		return strings.Contains(flat(s), "다른 곳에서 연습 gpu-only 를 처음 상태로 준비했습니다")
	})
	if strings.Contains(flat(s), "gpu-monitor created") {
		t.Errorf("the apply made before the reset is still reported:\n%s", s.view)
	}
	tm.Send(keyRunes("r"))
	s = waitFor(t, tm, "r's confirmation", func(s snapshot) bool { return strings.Contains(flat(s), "r 을 한 번 더 누르면") })
	if strings.Contains(flat(s), "지우고") || !strings.Contains(flat(s), "r 을 한 번 더 누르면 연습을 처음 상태로 되돌립니다") {
		t.Errorf("r's confirmation names what the cluster no longer has:\n%s", s.view)
	}
	checkFrame(t, s)
	quitProgram(t, tm)
}

// TestEscAfterFollowedExercise: esc from an exercise the TUI followed
// (started in another terminal) leads to 진행 현황 with the cursor on it,
// as if the learner had opened it there (o, enter), then to 목차 — not to
// the screen the replaced exercise was opened from (trial, issue 14: esc
// after following two exercises of lesson 13 landed on lesson 5's
// exercise chooser).
func TestEscAfterFollowedExercise(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newLabFixtureModel(t, store), 80, 24)
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.width == 80 })
	tm.Send(keyRunes("n")) // lesson 1
	waitFor(t, tm, "lesson 1", func(s snapshot) bool { return s.state == stateReader && s.lesson == 0 })
	tm.Send(openExerciseMsg{id: "ds-basics"}) // as x does
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })

	cliStart(t, path, "taints")
	waitFor(t, tm, "taints followed", func(s snapshot) bool { return s.exercise == "taints" })
	tm.Send(keyRunes("j")) // a key in between changes nothing
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	s := waitFor(t, tm, "the screen after esc", func(s snapshot) bool { return s.state != stateExercise })
	if s.state != stateSummary {
		t.Fatalf("esc from the followed exercise: state %d, want 진행 현황 (%d):\n%s", s.state, stateSummary, s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s = waitFor(t, tm, "the exercise under the cursor", func(s snapshot) bool { return s.state == stateExercise })
	if s.exercise != "taints" {
		t.Fatalf("enter on 진행 현황 after esc opened %s, want the followed taints (the cursor on it)", s.exercise)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	s = waitFor(t, tm, "목차", func(s snapshot) bool { return s.state == stateContents })
	checkFrame(t, s)
	quitProgram(t, tm)
}
