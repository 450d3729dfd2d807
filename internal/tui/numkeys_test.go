package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestTypeNumber(t *testing.T) {
	lessons := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	type step struct {
		typed string
		digit rune
		next  string
		row   int
		whole bool
	}
	cases := []struct {
		name    string
		numbers []int
		steps   []step
	}{
		{"1 then 3 is 13", lessons, []step{{"", '1', "1", 0, false}, {"1", '3', "", 12, true}}},
		{"a digit that continues nothing starts anew", lessons, []step{{"1", '5', "", 4, true}}},
		{"a single digit with no longer number is whole", lessons, []step{{"", '7', "", 6, true}}},
		{"no such number", []int{2, 4}, []step{{"", '7', "", -1, false}}},
		{"chooser numbers are the global ones", []int{2, 4}, []step{{"", '4', "", 1, true}}},
		{"a start of a longer number only", []int{12, 13}, []step{{"", '1', "1", 0, false}, {"1", '3', "", 1, true}}},
	}
	for _, tc := range cases {
		for _, s := range tc.steps {
			next, row, whole := typeNumber(s.typed, s.digit, tc.numbers)
			if next != s.next || row != s.row || whole != s.whole {
				t.Errorf("%s: typeNumber(%q, %q) = %q, %d, %v; want %q, %d, %v", tc.name, s.typed, s.digit, next, row, whole, s.next, s.row, s.whole)
			}
		}
	}
}

// TestDigitsSelectByNumber: in 목차 the digits of the # column select a
// lesson (1 then 3 is lesson 13, shown on the top line) and enter opens
// it; in 진행 현황 they select an exercise by its number, the note names
// the exercise enter opens and that it prepares the cluster (issue 14:
// digits were "쓰지 않는 키").
func TestDigitsSelectByNumber(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
			tm.Send(keyRunes("1"))
			s := waitFor(t, tm, "lesson 1 typed", func(s snapshot) bool { return strings.Contains(s.view, "번호 1 → 1.") })
			if strings.Contains(s.view, "쓰지 않는 키") {
				t.Errorf("a digit in the contents was answered as unused:\n%s", s.view)
			}
			tm.Send(keyRunes("3"))
			waitFor(t, tm, "lesson 13 typed", func(s snapshot) bool { return strings.Contains(s.view, "번호 13 → 13.") })
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			s = waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader })
			if s.lesson != 12 {
				t.Errorf("1, 3, enter opened lesson index %d, want 12 (lesson 13)", s.lesson)
			}
			escToContents(t, tm, "lesson 13 → esc")

			tm.Send(keyRunes("o"))
			waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
			tm.Send(keyRunes("1"))
			tm.Send(keyRunes("3"))
			s = waitFor(t, tm, "exercise 13 selected", func(s snapshot) bool {
				return strings.Contains(flat(s.view), "→ 연습 13 ")
			})
			if !strings.Contains(flat(s.view), "enter: 열기 (클러스터를 이 연습에 맞게 준비)") {
				t.Errorf("the note does not say enter prepares the cluster:\n%s", s.view)
			}
			if strings.Contains(s.view, "쓰지 않는 키") {
				t.Errorf("a digit in 진행 현황 was answered as unused:\n%s", s.view)
			}
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
			if s.exercise != "noexecute-churn" {
				t.Errorf("1, 3, enter in 진행 현황 opened %s, want noexecute-churn (exercise 13)", s.exercise)
			}
		})
	}
}

// TestReflowParagraphs: the task shown before its render arrives keeps the
// source's line breaks only between paragraphs, list items and code
// (issue 14: noexecute-churn's task in ragged lines).
func TestReflowParagraphs(t *testing.T) {
	md := "첫 줄\n둘째 줄 `x`\n\n- 항목 하나\n  이어짐\n- 항목 둘\n\n```\na: 1\nb: 2\n```\n끝"
	want := []string{"첫 줄 둘째 줄 `x`", "", "- 항목 하나 이어짐", "- 항목 둘", "", "```", "a: 1", "b: 2", "```", "끝"}
	got := reflowParagraphs(md)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reflowParagraphs =\n%q\nwant\n%q", got, want)
	}
}

// TestChooserCursorInView: lesson 13's five exercises take two rows each;
// at 60x12 the chooser keeps the highlighted one in view, and its course
// number opens it.
func TestChooserCursorInView(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 60, 12)
	tm.Send(openLessonMsg{index: 12})
	waitFor(t, tm, "lesson 13", func(s snapshot) bool { return s.state == stateReader && s.lesson == 12 })
	tm.Send(keyRunes("x"))
	waitFor(t, tm, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
	for range 4 {
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	}
	s := waitFor(t, tm, "the last exercise highlighted", func(s snapshot) bool { return strings.Contains(s.view, "▸ 16.") })
	if !strings.Contains(s.view, "selector-change · 시작 전") {
		t.Errorf("the highlighted exercise's id and state are not in view:\n%s", s.view)
	}
	checkFrame(t, s)
	tm.Send(keyRunes("14"))
	s = waitFor(t, tm, "exercise 14", func(s snapshot) bool { return s.state == stateExercise })
	if s.exercise != "surge-hostport" {
		t.Errorf("14 opened %s, want surge-hostport", s.exercise)
	}
}
