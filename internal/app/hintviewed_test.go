package app

import (
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// Issue 14 (seen by tui10): `dslab exercise show <id> --hint N` after a pass
// saved the progress only when the counted hints grew, so a hint opened
// there after the pass never reached hintsViewed (the TUI shows the opened
// hints again from it after a restart). It is recorded as viewed, not as
// used: hints after a pass do not count.
func TestExerciseShowHintAfterPassRecordsViewed(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir(), "COLUMNS": "200"}
	p := paths.FromEnv(func(k string) string { return vars[k] })
	store := progress.New(p.ProgressFile())
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) {
		e.Passed, e.PassedAt, e.HintsUsed, e.HintsViewed = true, time.Now(), 1, 1
	})
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLIEnv(t, vars, "exercise", "show", "gpu-only", "--hint", "3"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := progress.Read(p.ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	e := got.Exercises["gpu-only"]
	if e.HintsViewed != 3 {
		t.Errorf("hintsViewed %d after opening hint 3 after the pass, want 3", e.HintsViewed)
	}
	if e.HintsUsed != 1 || !e.Passed {
		t.Errorf("the pass's record changed: hintsUsed %d passed %v, want 1 true", e.HintsUsed, e.Passed)
	}
	// Opening a lower hint again changes nothing and keeps the highest.
	if code, _, errs := runCLIEnv(t, vars, "exercise", "show", "gpu-only", "--hint", "2"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got, _ := progress.Read(p.ProgressFile()); got.Exercises["gpu-only"].HintsViewed != 3 {
		t.Errorf("hintsViewed %d after hint 2, want 3 kept", got.Exercises["gpu-only"].HintsViewed)
	}
}
