package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestTypedDigitsEndOnLeaving: the digits typed on a numbered list are
// forgotten when the screen is left — 목차 (a lesson and back, the help
// and back), 진행 현황 (esc and o again) — so that coming back shows no
// stale "번호 13 → …" (trainee trial, issue 14).
func TestTypedDigitsEndOnLeaving(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
			tm.Send(keyRunes("1"))
			waitFor(t, tm, "1 typed", func(s snapshot) bool { return strings.Contains(s.view, "번호 1 ") })
			tm.Send(keyRunes("?"))
			waitFor(t, tm, "the help", func(s snapshot) bool { return s.state == stateHelp })
			tm.Send(keyRunes("?"))
			s := waitFor(t, tm, "the contents again", func(s snapshot) bool { return s.state == stateContents })
			if strings.Contains(s.view, "번호 1") {
				t.Errorf("the typed digit is still shown after the help:\n%s", s.view)
			}
			tm.Send(keyRunes("1"))
			tm.Send(keyRunes("3"))
			waitFor(t, tm, "13 typed", func(s snapshot) bool { return strings.Contains(s.view, "번호 13 ") })
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader })
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
			s = waitFor(t, tm, "the contents again", func(s snapshot) bool { return s.state == stateContents })
			if strings.Contains(s.view, "번호 13") {
				t.Errorf("the typed number is still shown after a lesson and esc:\n%s", s.view)
			}
			// A digit now starts a new number, not 13 then 1.
			tm.Send(keyRunes("2"))
			waitFor(t, tm, "2 typed", func(s snapshot) bool { return strings.Contains(s.view, "번호 2 → 2") })

			tm.Send(keyRunes("o"))
			waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
			tm.Send(keyRunes("1"))
			waitFor(t, tm, "1 typed", func(s snapshot) bool { return strings.Contains(flat(s.view), "번호 1 → 연습") })
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
			waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
			tm.Send(keyRunes("o"))
			s = waitFor(t, tm, "진행 현황 again", func(s snapshot) bool { return s.state == stateSummary })
			if strings.Contains(flat(s.view), "번호 1 →") {
				t.Errorf("the typed digit is still shown on 진행 현황 opened again:\n%s", s.view)
			}
		})
	}
}

// TestChooserFirstDigitShown: the chooser of a lesson whose exercises are
// 12–16 answers the first digit at once, in view at 60x12 too: "번호 1…
// (enter 또는 다음 숫자)" (trainee trial, issue 14: nothing changed).
func TestChooserFirstDigitShown(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			tm.Send(openLessonMsg{index: 12})
			waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader && s.lesson == 12 })
			tm.Send(keyRunes("x"))
			waitFor(t, tm, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
			for range 4 {
				tm.Send(tea.KeyMsg{Type: tea.KeyDown})
			}
			waitFor(t, tm, "the last exercise highlighted", func(s snapshot) bool { return strings.Contains(s.view, "▸ 16.") })
			tm.Send(keyRunes("1"))
			s := waitFor(t, tm, "the first digit answered", func(s snapshot) bool {
				return strings.Contains(s.view, "번호 1… (enter 또는 다음 숫자)")
			})
			checkFrame(t, s)
			tm.Send(keyRunes("4"))
			s = waitFor(t, tm, "exercise 14", func(s snapshot) bool { return s.state == stateExercise })
			if s.exercise != "surge-hostport" {
				t.Errorf("1, 4 opened %s, want surge-hostport", s.exercise)
			}
		})
	}
}
