package tui

import (
	"strings"
	"testing"
)

// TestExerciseFooterOrder: at 80×24 the exercise footer keeps what a
// learner needs on this screen — e, a, h, s, r (issue 14: it ended with "…"
// hiding a 다시 적용, r 처음부터, tab 강의) — and esc, ? and q; the cut
// says where the rest is ("… ? 전체").
func TestExerciseFooterOrder(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	s := settled(t, tm)
	s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	lines := strings.Split(s.view, "\n")
	footer := lines[len(lines)-1]
	last := -1
	for _, want := range []string{"e 편집·적용", "a 다시 적용", "h 힌트", "s 셸", "r 처음부터", "… ? 전체", "esc 뒤로", "q 종료"} {
		i := strings.Index(footer, want)
		if i < 0 {
			t.Errorf("footer lacks %q: %q", want, footer)
			continue
		}
		if i < last {
			t.Errorf("footer has %q out of order: %q", want, footer)
		}
		last = i
	}
	checkFrame(t, s)
}
