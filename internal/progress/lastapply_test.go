package progress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The last apply from the lab survives a save and a reopen, and is absent
// from the file when none was recorded (an additive, omitted field).
func TestLastApplyRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s := New(path)
	s.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.Attempts = 1 })
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "lastApply") {
		t.Fatalf("lastApply written without an apply:\n%s", data)
	}
	rec := &ApplyRecord{At: at, Failed: true, Summary: "YAML 형식 오류라 적용하지 못했습니다", Detail: "yaml: line 9: mapping values are not allowed in this context"}
	s.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.LastApply = rec })
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	o, _, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got := o.Exercise("gpu-only").LastApply
	if got == nil || *got != *rec {
		t.Fatalf("reopened: %+v, want %+v", got, rec)
	}
}

// A successful apply recorded later (by the TUI) clears a failure another
// process saved before, and an older record never replaces a newer one.
func TestLastApplyMergeNewerWins(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	fail := &ApplyRecord{At: t0, Failed: true, Summary: "거부", Detail: "is invalid"}
	ok := &ApplyRecord{At: t0.Add(time.Minute)}
	disk := emptyFile()
	disk.Exercises["x"] = ExerciseProgress{LastApply: fail}
	mine := emptyFile()
	mine.Exercises["x"] = ExerciseProgress{LastApply: ok}
	if got := Merge(disk, mine).Exercises["x"].LastApply; got != ok {
		t.Errorf("newer success on my side: %+v", got)
	}
	if got := Merge(mine, disk).Exercises["x"].LastApply; got != ok {
		t.Errorf("newer success on disk: %+v", got)
	}
	mine.Exercises["x"] = ExerciseProgress{}
	if got := Merge(disk, mine).Exercises["x"].LastApply; got != fail {
		t.Errorf("only the disk has a record: %+v", got)
	}
}
