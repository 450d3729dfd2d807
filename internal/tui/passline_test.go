package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// TestPassStaysVisibleAfterApply: after a pass, a's status ("변경 없음 —
// 시도로 세지 않습니다") is shown with the pass line, not instead of it (issue 14),
// at every size.
func TestPassStaysVisibleAfterApply(t *testing.T) {
	solved := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	for _, size := range screenSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: solved})
			waitFor(t, tm, "the pass", func(s snapshot) bool { return s.passed && strings.Contains(s.view, "통과했습니다!") })
			tm.Send(appliedMsg{id: "gpu-only", unchanged: true, summary: "daemonset.apps/gpu-monitor unchanged", attempted: true})
			s := waitFor(t, tm, "a's status", func(s snapshot) bool { return strings.Contains(flat(s.view), "변경 없음") })
			if !strings.Contains(s.view, "통과!") && !strings.Contains(s.view, "통과했습니다!") {
				t.Errorf("the pass line is gone after a:\n%s", s.view)
			}
			checkFrame(t, s)
		})
	}
}

// TestSameApplyErrorSaysAgain: a on a file whose apply failed, failing the
// same way, changes the status line visibly (issue 14: it stayed identical
// and a looked silent).
func TestSameApplyErrorSaysAgain(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 100, 30)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(appliedMsg{id: "ds-basics", err: longApplyError(), attempted: true})
	waitFor(t, tm, "the failure", func(s snapshot) bool { return strings.Contains(flat(s.view), "적용에 실패했습니다 —") })
	tm.Send(appliedMsg{id: "ds-basics", err: longApplyError(), attempted: true})
	waitFor(t, tm, "the same failure again", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다시 적용했지만 같은 오류입니다")
	})
}
