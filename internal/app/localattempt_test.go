package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// A learner who applies with kubectl from a shell the lab does not watch
// and grades with `dslab grade` has no attempt in progress.json, but a
// local attempt record: every screen says 진행 중, not 시작함 (the
// class-of-three course test: `dslab grade gpu-only` after a typo must
// still be graded from its attempt record once another exercise is
// started). An attempt older than the exercise's (re)start does not count.
func TestLocalAttemptCountsAsAttempt(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "COLUMNS": "100000"}
	p := paths.FromEnv(func(k string) string { return vars[k] })
	t0 := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)
	store := progress.New(p.ProgressFile())
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.StartedAt = t0 })
	store.UpdateExercise("taints", func(e *progress.ExerciseProgress) { e.StartedAt = t0 })
	// troubleshoot opened only: an older dslab's grade of the set-up state
	// left a record that counts no attempt (trainee trial, issue 14): it
	// stays 시작함 with no score, in the text and the JSON alike.
	store.UpdateExercise("troubleshoot", func(e *progress.ExerciseProgress) { e.StartedAt, e.Score, e.LastGradedAt = t0, 3, t0 })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	local := kube.LocalRecords{Dir: kube.RecordsDir(p)}
	if err := local.SaveAttempt(kube.Attempt{Exercise: "gpu-only", GradedAt: t0.Add(time.Minute), Attempts: 1, Score: 5, MaxScore: 10}); err != nil {
		t.Fatal(err)
	}
	if err := local.SaveAttempt(kube.Attempt{Exercise: "troubleshoot", GradedAt: t0.Add(time.Minute), Score: 3, MaxScore: 10}); err != nil {
		t.Fatal(err)
	}
	if err := local.SaveAttempt(kube.Attempt{Exercise: "taints", GradedAt: t0.Add(-time.Hour), Score: 2, MaxScore: 10}); err != nil {
		t.Fatal(err)
	}
	env := Env{Paths: p}
	if got := withLocalAttempt(env, "gpu-only", progress.ExerciseProgress{StartedAt: t0}).Attempts; got != 1 {
		t.Errorf("gpu-only with a local attempt since its start: attempts %d, want 1", got)
	}
	if got := withLocalAttempt(env, "taints", progress.ExerciseProgress{StartedAt: t0}).Attempts; got != 0 {
		t.Errorf("taints with a local attempt before its start: attempts %d, want 0", got)
	}
	if got := withLocalAttempt(env, "troubleshoot", progress.ExerciseProgress{StartedAt: t0}).Attempts; got != 0 {
		t.Errorf("troubleshoot with a record of its set-up state: attempts %d, want 0", got)
	}
	_, jsonOut, _ := runCLIEnv(t, vars, "progress", "-o", "json")
	if !strings.Contains(jsonOut, `"state": "in-progress"`) {
		t.Errorf("dslab progress -o json does not say gpu-only is in progress as the text does:\n%s", jsonOut)
	}
	_, out, _ := runCLIEnv(t, vars, "progress")
	if !strings.Contains(out, " gpu-only ") || !strings.Contains(out, " taints ") {
		t.Fatalf("dslab progress names neither exercise:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, " gpu-only ") && !strings.Contains(l, "진행 중"):
			t.Errorf("dslab progress: gpu-only is not 진행 중: %q", l)
		case strings.Contains(l, " taints ") && !strings.Contains(l, "시작함"):
			t.Errorf("dslab progress: taints is not 시작함: %q", l)
		case strings.Contains(l, " troubleshoot ") && (!strings.Contains(l, "시작함") || strings.Contains(l, "/10")):
			t.Errorf("dslab progress: troubleshoot is not 시작함 without a score: %q", l)
		}
	}
}
