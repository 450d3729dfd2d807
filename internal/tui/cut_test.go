package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func sizedLabModel(t *testing.T, w, h int, id string) Model {
	t.Helper()
	var tm tea.Model = labCourseModel(t)
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: w, Height: h})
	tm, _ = tm.(Model).openExercise(id)
	return tm.(Model)
}

// TestSetupWaitReasonWrapped: what the exercise setup waits for is wrapped
// whole in the banner, never cut with "…" (80×24 and the 160×45 pane).
func TestSetupWaitReasonWrapped(t *testing.T) {
	reason := "기다리는 중: 파드 이벤트 TaintManagerEviction 이 dslab-worker2 에서 두 번 기록될 때까지 (테인트 maintenance=true:NoExecute)"
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 45}, {60, 12}} {
		m := sizedLabModel(t, size.w, size.h, "noexecute-churn")
		m.exercise.busy, m.exercise.busyLine = "연습을 준비하는 중", reason
		width := m.exercise.panelWidth()
		lines := m.exercise.banner(width)
		text := ansi.Strip(strings.Join(lines, "\n"))
		if strings.Contains(text, "…") && !strings.HasPrefix(text, "연습을 준비하는 중…") || !strings.Contains(flat(text), flat(reason)) {
			t.Errorf("%dx%d: the wait reason is cut:\n%s", size.w, size.h, text)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > width {
				t.Errorf("%dx%d: line wider than the panel (%d): %q", size.w, size.h, width, l)
			}
		}
	}
}

// TestNodeMapHeaderNotCut: the full-screen node map's header at 60×12
// drops chrome or the subtitle instead of cutting the title with "…".
func TestNodeMapHeaderNotCut(t *testing.T) {
	for _, w := range []int{60, 80, 160} {
		m := sizedLabModel(t, w, 12, "ds-basics")
		m.state = stateNodeMap
		h := ansi.Strip(m.headerView())
		if strings.Contains(h, "…") || ansi.StringWidth(h) > w {
			t.Errorf("%d wide: header cut: %q", w, h)
		}
		if !strings.Contains(h, "연습 1. 첫 데몬셋") {
			t.Errorf("%d wide: header lacks the exercise: %q", w, h)
		}
	}
}

// TestChooserDigitOutOfRange: a digit with no exercise of the lesson says
// so and names the numbers that work (the course numbers shown, 7 and 8).
func TestChooserDigitOutOfRange(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(openLessonMsg{index: 8}) // 업데이트 전략: rolling-update, on-delete
	waitFor(t, tm, "the lesson", func(s snapshot) bool { return s.state == stateReader && s.lesson == 8 })
	tm.Send(keyRunes("x"))
	waitFor(t, tm, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
	tm.Send(keyRunes("2"))
	s := waitFor(t, tm, "the note", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "2번 연습은 이 강의에 없습니다")
	})
	if !strings.Contains(flat(s.view), "7, 8번") {
		t.Errorf("the note does not name the number keys:\n%s", s.view)
	}
}
