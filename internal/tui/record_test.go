package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// TestHeaderShowsRecordWhenLiveDiffers: an exercise passed earlier whose
// live grade is lower now (another exercise changed the cluster) shows
// both: the live score and "기록: ✓ 통과 N/N", the progress screen's words.
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
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: live})
	s := waitFor(t, tm, "the live grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	view := strings.ReplaceAll(s.view, "\u00a0", " ")
	want := []string{"기록: ✓ 통과 " + strconv.Itoa(pass.Result.Score) + "/" + strconv.Itoa(pass.Result.MaxScore), "지금 " + strconv.Itoa(live.Result.Score) + "/" + strconv.Itoa(live.Result.MaxScore) + "점"}
	for _, w := range want {
		if !strings.Contains(view, w) {
			t.Errorf("header lacks %q:\n%s", w, s.view)
		}
	}
	tm.Send(keyRunes("o"))
	s = waitFor(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
	if !strings.Contains(s.view, "✓ 통과") || !strings.Contains(s.view, strconv.Itoa(pass.Result.Score)+"/"+strconv.Itoa(pass.Result.MaxScore)) {
		t.Errorf("the progress screen does not say the record the header quotes:\n%s", s.view)
	}
}
