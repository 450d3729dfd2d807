package tui

import (
	"regexp"
	"strings"
	"testing"
)

// TestSummaryOpensOnTheExerciseLeft: o from exercise 6 (and from its
// full-screen node map) opens 진행 현황 with the cursor (▸) on exercise 6,
// not on exercise 1 (trainee trial, issue 14), so enter goes back to it.
func TestSummaryOpensOnTheExerciseLeft(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 100, 30)
	tm.Send(openExerciseMsg{id: "control-plane"})
	waitFor(t, tm, "exercise 6", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "control-plane" })
	tm.Send(keyRunes("o"))
	s := waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	if !regexp.MustCompile(`▸\s+6\s+컨트롤 플레인`).MatchString(s.view) || !strings.Contains(s.view, "enter: 연습 6 열기") {
		t.Fatalf("the cursor is not on exercise 6:\n%s", s.view)
	}
}
