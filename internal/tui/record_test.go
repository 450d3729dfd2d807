package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// TestHeaderShowsRecordWhenLiveDiffers: an exercise passed earlier whose
// live grade is lower now (reset and re-started, or another exercise
// changed the cluster) says it in one wording on every surface (issue 14:
// the exercise screen said "통과 · 지금 4/10점 기록: ✓ 통과" while 진행
// 현황 said "✓ 통과"): the header "✓ 통과 기록 · 지금 N/10점", 진행 현황
// "✓ 통과 기록" with "지금 N/10", the chooser "통과 기록 · 지금 N/10점" —
// and the progress the TUI saved gives `dslab progress` and `dslab grade`
// the same standing (lab.Summarize, progress.Standing).
func TestHeaderShowsRecordWhenLiveDiffers(t *testing.T) {
	store := progress.New("")
	pass := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	if !pass.Result.Passed {
		t.Fatal("the reference solution does not pass")
	}
	lab.RecordGrade(store, *pass.Result, time.Now())
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	live := simulatedUpdate(t, "gpu-only", gpuOnlyMixed)
	if live.Result.Passed {
		t.Fatal("the mixed state passes")
	}
	now := strconv.Itoa(live.Result.Score) + "/" + strconv.Itoa(live.Result.MaxScore)
	badge := "통과 기록 · 지금 " + now + "점"
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: live})
	s := waitFor(t, tm, "the live grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	view := strings.ReplaceAll(s.view, "\u00a0", " ")
	if !strings.Contains(view, "✓ "+badge) || strings.Contains(view, "기록:") {
		t.Errorf("header: want %q alone:\n%s", "✓ "+badge, s.view)
	}
	tm.Send(keyRunes("o"))
	s = waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	row := ""
	for _, l := range strings.Split(s.view, "\n") {
		if strings.Contains(l, "GPU 노드에만") {
			row = l
		}
	}
	if !strings.Contains(row, "✓ 통과 기록") || !strings.Contains(row, "지금 "+now) {
		t.Errorf("진행 현황's row does not say the header's words (✓ 통과 기록, 지금 %s): %q\n%s", now, row, s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "back", func(s snapshot) bool { return s.state != stateSummary })
	tm.Send(openLessonMsg{index: lessonIndexOf(t, course, "node-selector")})
	waitFor(t, tm, "the lesson", func(s snapshot) bool { return s.state == stateReader })
	tm.Send(keyRunes("x"))
	s = waitFor(t, tm, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
	if !strings.Contains(flat(s.view), "gpu-only · "+badge) {
		t.Errorf("the chooser does not say %q:\n%s", badge, s.view)
	}
	// What dslab progress and dslab grade read from the saved progress.
	for _, e := range lab.Summarize(course, labCatalog(t).All(), store.Snapshot()).Exercises {
		if e.ID != "gpu-only" {
			continue
		}
		sd := e.Standing()
		if sd.Badge() != badge || sd.StateText() != "✓ 통과 기록" || sd.ScoreText() != "지금 "+now {
			t.Errorf("the progress's standing: %q, %q, %q; want %q, ✓ 통과 기록, 지금 %s", sd.Badge(), sd.StateText(), sd.ScoreText(), badge, now)
		}
	}
}

// lessonIndexOf is the index of lesson id in course.
func lessonIndexOf(t *testing.T, course []lessons.Lesson, id string) int {
	t.Helper()
	for i, l := range course {
		if l.ID == id {
			return i
		}
	}
	t.Fatalf("no lesson %s", id)
	return -1
}
