package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
)

// TestNodeMapSaysItsAdviceIsFromBeforeAFailedApply: while the last apply
// failed, the panel's node map says its failing rows are about the object
// from before it (issue 14: the map still said "hardwre 의 오타가 아닌가요?"
// for a file already fixed); after the next success it does not.
func TestNodeMapSaysItsAdviceIsFromBeforeAFailedApply(t *testing.T) {
	typo := func(l *gradertest.Lab, ex exercises.Exercise) {
		l.Apply([]byte(strings.Replace(string(ex.Solution), "hardware: gpu", "hardwre: gpu", 1)))
	}
	tm := startProgram(t, newLabFixtureModel(t, nil), 100, 40)
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", typo)})
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(appliedMsg{id: "gpu-only", err: &lab.ApplyError{Summary: "검증 실패", Detail: "x"}, attempted: true})
	s := waitFor(t, tm, "the error", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })
	all := ansi.Strip(strings.Join(append(append([]string{}, s.panelScroll...), s.view), "\n"))
	if !strings.Contains(all, strings.TrimSpace(lab.MapBeforeFailedApplyLead)) {
		t.Errorf("the map does not say its rows are from before the failed apply:\n%s", all)
	}
	checkFrame(t, s)
}
