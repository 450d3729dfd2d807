package tui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// TestPodAgesAdvance: noexecute-churn graded right after its pod was made
// states the pod's age; with no new grade, the node map and the checklist
// tell the pod's age as the clock moves on (issue 14: it stayed "0초" until the next grade).
func TestPodAgesAdvance(t *testing.T) {
	u := simulatedUpdate(t, "noexecute-churn", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	age := -1
	for _, r := range u.Map.Rows {
		if !r.Since.IsZero() {
			age = int(u.Snapshot.CapturedAt.Sub(r.Since).Seconds())
		}
	}
	if age < 0 {
		t.Fatalf("no row states the pod's age: %+v", u.Map.Rows)
	}
	then, later := fmt.Sprintf("만들어진 지 %d초", age), fmt.Sprintf("만들어진 지 %d초", age+17)
	var clock atomic.Int64
	clock.Store(u.Snapshot.CapturedAt.UnixNano())
	m := labCourseModel(t)
	m.common.Lab.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	tm := startProgram(t, m, 120, 40)
	tm.Send(openExerciseMsg{id: "noexecute-churn"})
	tm.Send(labUpdateMsg{u: u})
	s := waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	if !strings.Contains(flat(strings.Join(s.panelScroll, "\n")), then) {
		t.Fatalf("the grade does not state the pod's age %q:\n%s", then, strings.Join(s.panelScroll, "\n"))
	}
	clock.Store(u.Snapshot.CapturedAt.Add(17 * time.Second).UnixNano())
	s = waitFor(t, tm, "the age in the checklist", func(s snapshot) bool {
		return strings.Contains(flat(strings.Join(s.panelScroll, "\n")), later)
	})
	if strings.Contains(flat(strings.Join(s.panelScroll, "\n")), then) {
		t.Errorf("an age stayed %q:\n%s", then, strings.Join(s.panelScroll, "\n"))
	}
	tm.Send(keyRunes("m"))
	s = waitFor(t, tm, "the map", func(s snapshot) bool { return s.state == stateNodeMap })
	if !strings.Contains(flat(s.view), later) || strings.Contains(flat(s.view), then) {
		t.Errorf("the node map does not tell the age at 17 s:\n%s", s.view)
	}
}
