package tui

import (
	"context"
	"os"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/lessons"
)

// TestOpeningWritesTheWorkFile: opening gpu-only writes its work file
// (the starter, marked as dslab's so that it is never applied), so that
// `cat gpu-only.yaml` in the shell opened before e finds the file the
// header names (issue 14: No such file or directory); a file of the
// learner's is kept.
func TestOpeningWritesTheWorkFile(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, nil)
	opts.Paths = paths.Paths{DataDir: t.TempDir()}
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	path := lab.WorkFile(opts.Paths, "gpu-only")
	mine := lab.WorkFile(opts.Paths, "ds-basics")
	if err := os.MkdirAll(lab.WorkDir(opts.Paths), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("# the learner's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the work file of gpu-only", func(s snapshot) bool {
		_, err := os.Stat(path)
		return s.exercise == "gpu-only" && err == nil
	})
	ex, err := labCatalog(t).Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != string(lab.StarterFor(ex, path)) {
		t.Errorf("work file is not the starter (%v):\n%s", err, data)
	}
	if !lab.UntouchedStarter(path, lab.StampFile(path)) {
		t.Error("the starter written on open is not marked as dslab's (it would be applied)")
	}
	if data, _ := os.ReadFile(mine); string(data) != "# the learner's\n" {
		t.Errorf("the learner's ds-basics file was replaced:\n%s", data)
	}
}
