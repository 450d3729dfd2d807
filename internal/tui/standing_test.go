package tui

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// One state word and one score on the exercise header and the node map's
// last line (issue 14, state13; trainee trial): control-plane only
// opened (its seed DaemonSet graded 3/10, nothing applied) read "✗
// 3/10점" on the node map while the header said 시작함; gpu-only after a
// failed apply (nothing of it in the cluster) read "진행 중 · 10점 만점",
// no score, while dslab progress said 진행 중 6/10.
func TestStandingSameOnHeaderAndNodeMap(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		id     string
		p      progress.ExerciseProgress
		failed bool // a failed apply of the work file on screen
		want   string
		// wrong is what the surfaces said before.
		wrong []string
	}{
		{"control-plane", progress.ExerciseProgress{StartedAt: t0}, false, "시작함 · 10점 만점", []string{"3/10점"}},
		{"gpu-only", progress.ExerciseProgress{StartedAt: t0, Attempts: 1, Score: 6}, true, "진행 중 · 6/10점", []string{"진행 중 · 10점 만점"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
			store.UpdateExercise(tc.id, func(e *progress.ExerciseProgress) { *e = tc.p })
			u := simulatedUpdate(t, tc.id, nil)
			if tc.id == "control-plane" && (u.Result.Status == grader.StatusNotStarted || u.Result.Score == 0) {
				t.Fatalf("the seed is not graded with a score: %+v", u.Result)
			}
			tm := startProgram(t, labCourseModelWith(t, store), 100, 40)
			tm.Send(openExerciseMsg{id: tc.id})
			tm.Send(labUpdateMsg{u: u})
			waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			if tc.failed {
				// The failed apply counts one more attempt; the best score
				// (6) stays the score, as dslab progress shows it.
				tm.Send(appliedMsg{id: tc.id, err: errors.New("error: error parsing work/gpu-only.yaml"), attempted: true})
			}
			s := final(t, tm, "the header", func(s snapshot) bool { return strings.Contains(flat(s.view), tc.want) })
			for _, w := range tc.wrong {
				if strings.Contains(flat(s.view), w) {
					t.Errorf("header says %q:\n%s", w, s.view)
				}
			}
			if tc.id == "control-plane" {
				// The checks the seed already meets say so, not ✓ with
				// points as if earned.
				if !strings.Contains(flat(s.view), "준비된 상태에서 이미 맞음") || checkPassedRE.MatchString(s.view) {
					t.Errorf("checklist of a 시작함 exercise:\n%s", s.view)
				}
			}
			tm.Send(keyRunes("m"))
			s = final(t, tm, "the node map", func(s snapshot) bool { return s.state == stateNodeMap })
			last := lastLineWith(s.view, "채점은 변경이 있을 때마다")
			if !strings.Contains(flat(last), tc.want) {
				t.Errorf("node map says %q, want %q:\n%s", last, tc.want, s.view)
			}
			for _, w := range tc.wrong {
				if strings.Contains(flat(s.view), w) {
					t.Errorf("node map says %q:\n%s", w, s.view)
				}
			}
		})
	}
}

// checkPassedRE matches a checklist line with points earned ("  ✓ 노드를
// 바꾸지 않았다      2/2").
var checkPassedRE = regexp.MustCompile(`(?m)^.*✓ .*\s(\d+)/(\d+)\s*$`)

// lastLineWith is the line of view holding text, "" when none.
func lastLineWith(view, text string) string {
	out := ""
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, text) {
			out = l
		}
	}
	return out
}

// An apply kubectl found unchanged is not an attempt (TUI a, the apply on
// save; dslab kubectl apply counts nothing either): the count stays and
// the screen says 변경 없음; a failed apply on record is cleared, since
// the cluster holds the file.
func TestUnchangedApplyNotCounted(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) {
		e.Attempts = 2
		e.LastApply = &progress.ApplyRecord{At: time.Now().Add(-time.Minute), Failed: true, Summary: "적용에 실패했습니다"}
	})
	tm := startProgram(t, labCourseModelWith(t, store), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
	waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	res := lab.AutoApplied{Attempted: true, Result: lab.ApplyResult{Lines: []string{"daemonset.apps/gpu-monitor unchanged"}}}
	tm.Send(appliedFrom("gpu-only", res, false))
	s := final(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "변경 없음") })
	if !strings.Contains(flat(s.view), "시도로 세지 않습니다") {
		t.Errorf("the note does not say the apply is not an attempt:\n%s", s.view)
	}
	e := store.Exercise("gpu-only")
	if e.Attempts != 2 || e.LastApply == nil || e.LastApply.Failed {
		t.Errorf("after an unchanged apply: attempts %d (want 2), last apply %+v (want a success)", e.Attempts, e.LastApply)
	}
	// A changed apply still counts.
	res.Result.Lines = []string{"daemonset.apps/gpu-monitor configured"}
	tm.Send(appliedFrom("gpu-only", res, false))
	final(t, tm, "the result", func(s snapshot) bool { return strings.Contains(s.view, "configured") })
	if n := store.Exercise("gpu-only").Attempts; n != 3 {
		t.Errorf("after a configured apply: attempts %d, want 3", n)
	}
}
