package tui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestPreparationShowsStepAndSeconds: while an exercise is being prepared
// its step and the seconds since the start are shown — in the exercise's
// banner, and in the status bar of the other screens the learner goes to
// meanwhile (issue 14: noexecute-churn's 20 s preparation showed nothing
// there) — and the seconds move on.
func TestPreparationShowsStepAndSeconds(t *testing.T) {
	const step = "노드 dslab-worker2 에 테인트 maintenance=true:NoExecute"
	for _, size := range screenSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
			var clock atomic.Int64
			clock.Store(t0.UnixNano())
			m := labCourseModel(t)
			m.common.Lab.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
			next, _ := m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			next, _ = next.(Model).openExercise("noexecute-churn")
			m = next.(Model)
			m.exercise.busy, m.exercise.busyLine, m.exercise.busySince = "연습을 준비하는 중", step, t0
			m.common.Live.OpNow = t0
			tm := startProgram(t, m, size.w, size.h)
			clock.Store(t0.Add(12 * time.Second).UnixNano())
			tm.Send(opTickMsg{})
			s := waitFor(t, tm, "the banner's seconds", func(s snapshot) bool { return strings.Contains(flat(s.view), "준비하는 중… 12초") })
			// Each noun with its name on one line (wrapText: introducesName).
			if !strings.Contains(s.view, "노드 dslab-worker2 에") || !strings.Contains(s.view, "테인트 maintenance=true:NoExecute") {
				t.Errorf("the banner lacks the step:\n%s", s.view)
			}
			for _, k := range []string{"c", "o"} {
				tm.Send(keyRunes(k))
				s = waitFor(t, tm, "another screen", func(s snapshot) bool { return s.state == stateCluster && k == "c" || s.state == stateSummary })
				if !strings.Contains(flat(s.view), "연습 13: 연습을 준비하는 중… 12초") {
					t.Errorf("screen %s does not show the preparation:\n%s", k, s.view)
				}
			}
			clock.Store(t0.Add(13 * time.Second).UnixNano())
			s = waitWithin(t, tm, 5*time.Second, "the seconds to move", func(s snapshot) bool { return strings.Contains(flat(s.view), "준비하는 중… 13초") })
			checkFrame(t, s)
		})
	}
}
