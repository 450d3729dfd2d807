package progress

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	f, err := Read(path)
	if err != nil || len(f.Lessons) != 0 || f.Exercises == nil {
		t.Fatalf("missing file: %+v %v", f, err)
	}
	s := New(path)
	s.MarkRead("intro")
	s.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.Passed, e.Score = true, 10 })
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	f, err = Read(path)
	if err != nil || !f.Lessons["intro"].Read || f.Exercises["gpu-only"].Score != 10 {
		t.Fatalf("saved file: %+v %v", f, err)
	}
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err == nil {
		t.Fatal("a corrupt file reads without error")
	}
	// Read leaves the corrupt file where it is.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // progress.json and the lock file of the earlier Save
		t.Fatalf("Read changed the directory: %v", entries)
	}
}
