package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/progress"
)

// TestPanelMessageExpires: an informational message in the exercise
// panel ("힌트 1/3 열림 …", "마지막 연습입니다") goes after the notice
// time with no key pressed, as the status bar's notices do (trainee
// trial, issue 14: panel messages stayed until the next action); the key
// help it stood for comes back.
func TestPanelMessageExpires(t *testing.T) {
	tm := startProgram(t, shortNoticeModel(t, progress.New(""), 300*time.Millisecond), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	tm.Send(keyRunes("h"))
	const said = "1/3 열림"
	waitFor(t, tm, "the hint message", func(s snapshot) bool { return strings.Contains(flat(s.view), said) })
	s := waitFor(t, tm, "the message to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), said) })
	if !strings.Contains(flat(s.view), "e: 매니페스트 편집") {
		t.Errorf("the key help did not come back:\n%s", s.view)
	}
	// A message said after another lives its own time: the first one's
	// expiry does not take it.
	tm.Send(keyRunes("h"))
	waitFor(t, tm, "the second hint", func(s snapshot) bool { return strings.Contains(flat(s.view), "2/3 열림") })
	waitFor(t, tm, "the second to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), "2/3 열림") })
}
