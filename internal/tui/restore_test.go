package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestRestartReopensExercise: quit with an exercise open, start again: the
// same exercise is shown (at every size).
func TestRestartReopensExercise(t *testing.T) {
	for _, size := range [][2]int{{60, 12}, {80, 24}, {160, 45}} {
		path := filepath.Join(t.TempDir(), "progress.json")
		store, _, err := progress.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tm := startProgram(t, newLabFixtureModel(t, store), size[0], size[1])
		tm.Send(openExerciseMsg{id: "gpu-only"})
		waitFor(t, tm, "gpu-only", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
		tm.Send(keyRunes("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

		reopened, _, err := progress.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tm2 := startProgram(t, newLabFixtureModel(t, reopened), size[0], size[1])
		s := final(t, tm2, "the exercise again", func(s snapshot) bool { return s.state == stateExercise })
		if s.exercise != "gpu-only" || !strings.Contains(s.view, "GPU") {
			t.Errorf("%dx%d: after a restart the TUI shows %q (state %d):\n%s", size[0], size[1], s.exercise, s.state, s.view)
		}
		checkFrame(t, s)

		// Leaving the exercise for the contents is recorded too: the
		// next start is on the contents.
		tm2.Send(tea.KeyMsg{Type: tea.KeyEsc})
		waitFor(t, tm2, "contents", func(s snapshot) bool { return s.state == stateContents })
		tm2.Send(keyRunes("q"))
		tm2.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		third, _, _ := progress.Open(path)
		if sc := third.Screen(); sc.Name != progress.ScreenContents {
			t.Errorf("%dx%d: screen after esc and quit = %+v, want the contents", size[0], size[1], sc)
		}
	}
}

// TestFollowsExerciseStartedElsewhere: while the TUI shows ds-basics, the
// CLI (dslab exercise start gpu-only, from the lab shell) starts another
// exercise: the TUI switches to it and says so in Korean.
func TestFollowsExerciseStartedElsewhere(t *testing.T) {
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
	// A key with nothing started elsewhere changes nothing.
	tm.Send(keyRunes("j"))
	if s := take(t, tm); s.exercise != "ds-basics" {
		t.Fatalf("switched to %s with nothing started elsewhere", s.exercise)
	}

	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordStart(cli, "gpu-only", time.Now())
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	// The next watcher update (the start changed the cluster) or key.
	tm.Send(labUpdateMsg{u: lab.Update{State: lab.StateDisconnected}})
	s := final(t, tm, "the exercise started elsewhere", func(s snapshot) bool { return s.exercise == "gpu-only" })
	if s.state != stateExercise {
		t.Errorf("state %d, want the exercise screen", s.state)
	}
	if !strings.Contains(strings.ReplaceAll(s.view, "\n", " "), "다른 곳에서 연습 gpu-only 를 시작했습니다") {
		t.Errorf("no Korean note about the exercise started elsewhere:\n%s", s.view)
	}
	checkFrame(t, s)
}

// TestHintVisibleAfterH: at 80x24 and 60x12, with a grade and the node map
// below the hints, every hint opened with h is on screen right away.
func TestHintVisibleAfterH(t *testing.T) {
	ex, err := labCatalog(t).Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{60, 12}, {80, 24}, {160, 45}} {
		tm := startProgram(t, newLabFixtureModel(t, nil), size[0], size[1])
		tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
		tm.Send(openExerciseMsg{id: "gpu-only"})
		settled(t, tm)
		for i, hint := range ex.Hints {
			tm.Send(keyRunes("h"))
			// A distinctive Korean word of the hint (its last one).
			words := strings.Fields(strings.NewReplacer("`", " ", ".", " ").Replace(hint))
			want := words[len(words)-1]
			s := final(t, tm, "the hint", func(s snapshot) bool { return strings.Contains(s.view, "힌트 "+string(rune('1'+i))) })
			if !strings.Contains(s.view, fmt.Sprintf("%d. ", i+1)) || !strings.Contains(s.view, want) {
				t.Errorf("%dx%d: hint %d (%q) is not on screen after h:\n%s", size[0], size[1], i+1, want, s.view)
			}
			checkFrame(t, s)
		}
	}
}
