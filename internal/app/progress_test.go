package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// runProgressCLI runs `dslab progress args…` with its progress.json in a
// temporary home; setup may write that file first.
func runProgressCLI(t *testing.T, setup func(p paths.Paths), args ...string) (code int, stdout, stderr string, p paths.Paths) {
	t.Helper()
	vars := map[string]string{"HOME": t.TempDir(), "COLUMNS": "100000"} // the table, unwrapped
	getenv := func(k string) string { return vars[k] }
	p = paths.FromEnv(getenv)
	if setup != nil {
		setup(p)
	}
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: getenv}
	code = Run(context.Background(), env, append([]string{"progress"}, args...))
	return code, out.String(), errb.String(), p
}

func sampleProgress(p paths.Paths) {
	s := progress.New(p.ProgressFile())
	defer s.Save()
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	s.MarkRead("what-is-daemonset")
	s.MarkRead("node-selector")
	s.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) {
		e.Passed, e.Score, e.MaxScore, e.HintsUsed, e.Attempts, e.PassedAt, e.LastGradedAt = true, 10, 10, 2, 1, at, at
	})
	s.UpdateExercise("taints", func(e *progress.ExerciseProgress) {
		e.Score, e.MaxScore, e.HintsUsed, e.Attempts, e.LastGradedAt = 4, 10, 1, 2, at
	})
}

func TestProgressJSON(t *testing.T) {
	code, out, errOut, _ := runProgressCLI(t, sampleProgress, "-o", "json")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var s lab.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	tt := s.Totals
	if tt.LessonsRead != 2 || tt.Lessons != 13 || tt.ExercisesPassed != 1 || tt.Exercises != exerciseCount(t) || tt.Score != 14 || tt.HintsUsed != 3 {
		t.Errorf("totals: %+v", tt)
	}
	for _, e := range s.Exercises {
		if e.ID == "gpu-only" && (!e.Passed || e.Score != 10 || e.HintsUsed != 2 || e.PassedAt.IsZero()) {
			t.Errorf("gpu-only: %+v", e)
		}
	}
	// The field names are the documented contract.
	for _, field := range []string{`"lessons"`, `"exercises"`, `"totals"`, `"hintsUsed"`, `"maxScore"`, `"passedAt"`, `"lessonsRead"`} {
		if !strings.Contains(out, field) {
			t.Errorf("JSON lacks %s", field)
		}
	}
}

func TestProgressText(t *testing.T) {
	code, out, errOut, p := runProgressCLI(t, sampleProgress)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(out, fmt.Sprintf("강의 2/13 읽음 · 연습 1/%d 통과 · 점수 14/", exerciseCount(t))) || !strings.Contains(out, p.ProgressFile()) {
		t.Errorf("output:\n%s", out)
	}
	// Exercise rows: the status column starts at the same cell whatever
	// the Hangul in the titles.
	col := -1
	for _, line := range strings.Split(out, "\n") {
		for _, mark := range []string{"✓ 통과", "진행 중"} {
			if i := strings.Index(line, mark); i >= 0 {
				c := ansi.StringWidth(line[:i])
				if col >= 0 && c != col {
					t.Errorf("status at cell %d, earlier %d: %q", c, col, line)
				}
				col = c
			}
		}
	}
	if col < 0 {
		t.Errorf("no status column:\n%s", out)
	}
}

func TestProgressEmptyAndErrors(t *testing.T) {
	code, out, _, _ := runProgressCLI(t, nil)
	if code != ExitOK || !strings.HasPrefix(out, fmt.Sprintf("강의 0/13 읽음 · 연습 0/%d 통과", exerciseCount(t))) {
		t.Errorf("no progress yet: exit %d\n%s", code, out)
	}
	if code, _, errOut, _ := runProgressCLI(t, nil, "-o", "yaml"); code != ExitUsage || !strings.Contains(errOut, "--output(-o) 플래그(flag)의 값") {
		t.Errorf("-o yaml: exit %d %q", code, errOut)
	}
	// A corrupt file is reported, and left where it is.
	corrupt := func(p paths.Paths) {
		os.MkdirAll(filepath.Dir(p.ProgressFile()), 0o700)
		os.WriteFile(p.ProgressFile(), []byte("{broken"), 0o600)
	}
	code, _, errOut, p := runProgressCLI(t, corrupt)
	if code != ExitFailure || !strings.Contains(errOut, "진행 상황 파일을 읽을 수 없습니다") {
		t.Errorf("corrupt file: exit %d %q", code, errOut)
	}
	if data, _ := os.ReadFile(p.ProgressFile()); string(data) != "{broken" {
		t.Error("the corrupt file was changed")
	}
}

// exerciseCount is the number of exercises in the catalog.
func exerciseCount(t *testing.T) int {
	t.Helper()
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	return len(c.All())
}
