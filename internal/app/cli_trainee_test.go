package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// A passed exercise is listed as 통과 with its time, not 시작함 (issue 14).
func TestExercisesListShowsPassed(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir()}
	getenv := func(k string) string { return vars[k] }
	p := paths.FromEnv(getenv)
	passedAt := time.Date(2026, 3, 4, 5, 6, 0, 0, time.Local)
	store := progress.New(p.ProgressFile())
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) {
		e.Passed, e.PassedAt, e.StartedAt = true, passedAt, passedAt.Add(-time.Hour)
	})
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	// The exercise was started too: its baseline is on disk.
	if err := kube.SaveBaseline(kube.BaselineFile(kube.ExerciseDir(p, kube.StateName(""), "gpu-only")), grader.Baseline{Recorded: passedAt.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: getenv}
	if code := Run(context.Background(), env, []string{"exercises"}); code != ExitOK {
		t.Fatalf("exit %d %s", code, errb.String())
	}
	var row string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, " gpu-only ") {
			row = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(row), "통과 03-04 05:06") {
		t.Errorf("gpu-only row: %q", row)
	}
	if strings.Contains(out.String(), "시작함") {
		t.Errorf("list:\n%s", out.String())
	}
}
