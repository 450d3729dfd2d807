package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
)

// TestApplyUnchangedSaysAlreadyApplied: a after the apply on save already
// applied the file gets kubectl's "unchanged" for every object: the
// screen says in Korean 변경 없음 (the cluster has the same content) and
// that it is not counted as an attempt, as a note, not a success that reads as if nothing
// happened and not an error (issue 14). A change still reads as applied.
func TestApplyUnchangedSaysAlreadyApplied(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
			waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			res := lab.AutoApplied{Attempted: true, Recorded: true, Result: lab.ApplyResult{Lines: []string{"daemonset.apps/gpu-monitor unchanged"}}}
			tm.Send(appliedFrom("gpu-only", res, false))
			s := final(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "변경 없음") })
			checkFrame(t, s)
			whole(t, size.h, "the note", s.view, "변경 없음 — 작업 파일이 클러스터의 내용과 같아 시도로 세지 않습니다 (kubectl: daemonset.apps/gpu-monitor unchanged).")

			res.Result.Lines = []string{"daemonset.apps/gpu-monitor configured"}
			tm.Send(appliedFrom("gpu-only", res, false))
			s = final(t, tm, "the result", func(s snapshot) bool { return strings.Contains(s.view, "configured") })
			if strings.Contains(flat(s.view), "변경 없음") {
				t.Errorf("a configured apply reads as already applied:\n%s", s.view)
			}
		})
	}
}

func TestApplyResultUnchanged(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  bool
	}{
		{nil, false},
		{[]string{"daemonset.apps/a unchanged"}, true},
		{[]string{"daemonset.apps/a unchanged (네임스페이스 default)", "namespace/x unchanged"}, true},
		{[]string{"daemonset.apps/a configured", "namespace/x unchanged"}, false},
		{[]string{"daemonset.apps/a created"}, false},
	} {
		if got := (lab.ApplyResult{Lines: c.lines}).Unchanged(); got != c.want {
			t.Errorf("Unchanged(%q) = %v, want %v", c.lines, got, c.want)
		}
	}
}
