package tui

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/lessons"
)

// x on a lesson without an exercise names the nearest lesson that has
// one, its exercise, and the keys that get there (issue 14: "이 강의에는
// 연습이 없습니다" alone).
func TestNoExerciseNoticeNamesTheNextLessonWithOne(t *testing.T) {
	c := &Common{Course: []lessons.Lesson{
		{ID: "intro", Title: "데몬셋이란", Order: 1},
		{ID: "uses", Title: "쓰임새", Order: 2},
		{ID: "yaml", Title: "첫 데몬셋", Order: 3, Exercises: []string{"ds-basics"}},
		{ID: "cost", Title: "비용", Order: 10},
	}}
	for _, tc := range []struct {
		lesson int
		scr    state
		want   []string
	}{
		{1, stateReader, []string{"3번 「첫 데몬셋」(연습 ds-basics)", "n 으로 그 강의로 가서 x"}},
		{0, stateReader, []string{"3번 「첫 데몬셋」", "esc 로 목차에 가서 3 을 누른 뒤 x"}},
		{0, stateContents, []string{"3번 「첫 데몬셋」", "3 을 눌러 고른 뒤 x"}},
		{3, stateContents, []string{"3번 「첫 데몬셋」"}}, // none after it: the nearest before
	} {
		got := noExerciseNotice(c, tc.lesson, tc.scr)
		for _, w := range append(tc.want, "이 강의에는 연습이 없습니다") {
			if !strings.Contains(got, w) {
				t.Errorf("lesson %d, screen %d: %q lacks %q", tc.lesson, tc.scr, got, w)
			}
		}
	}
	c.Course[2].Exercises = nil
	if got := noExerciseNotice(c, 0, stateContents); got != "이 강의에는 연습이 없습니다" {
		t.Errorf("no lesson has an exercise: %q", got)
	}
}
