package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/progress"
)

// Quiz answers stay folded until v unfolds them; the help says which way v
// goes; another lesson starts folded again.
func TestReaderFoldsQuizAnswers(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.width == 100 })

	const answer, note = "정답: 세 개입니다.", "정답은 접어 두었습니다. v 키를 누르면 펼칩니다."
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // lesson 1
	s := waitFor(t, tm, "lesson 1", func(s snapshot) bool { return s.lesson == 0 && !s.loading })
	if strings.Contains(s.view, answer) || !strings.Contains(s.view, note) {
		t.Fatalf("lesson 1 does not fold its answer behind the note:\n%s", s.view)
	}
	if h := helpView(t, tm); !strings.Contains(h, "정답 보기") {
		t.Errorf("help does not offer v to show the answers:\n%s", h)
	}

	tm.Send(keyRunes("v"))
	s = waitFor(t, tm, "answers unfolded", func(s snapshot) bool { return !s.loading && strings.Contains(s.view, answer) })
	if strings.Contains(s.view, note) {
		t.Errorf("unfolded lesson still shows the note:\n%s", s.view)
	}
	if h := helpView(t, tm); !strings.Contains(h, "정답 접기") {
		t.Errorf("help does not offer v to fold the answers:\n%s", h)
	}

	tm.Send(keyRunes("v"))
	waitFor(t, tm, "answers folded again", func(s snapshot) bool {
		return !s.loading && !strings.Contains(s.view, answer) && strings.Contains(s.view, note)
	})

	tm.Send(keyRunes("v"))
	waitFor(t, tm, "answers unfolded", func(s snapshot) bool { return !s.loading && strings.Contains(s.view, answer) })
	tm.Send(keyRunes("n")) // lesson 2 opens folded
	s = waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
	if h := helpView(t, tm); !strings.Contains(h, "정답 보기") {
		t.Errorf("lesson 2 did not open with its answers folded:\n%s", h)
	}
	tm.Send(keyRunes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// helpView opens the help overlay, returns its view and closes it.
func helpView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	tm.Send(keyRunes("?"))
	s := waitFor(t, tm, "help", func(s snapshot) bool { return s.state == stateHelp })
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "help closed", func(s snapshot) bool { return s.state == stateReader })
	return s.view
}
