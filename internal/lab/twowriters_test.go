package lab

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/progress"
)

// Issue 14 (instructor trial): hints opened with `dslab exercise show
// --hint` in a terminal while the TUI ran were reported as 0 by the TUI's
// store (class board, pass and attempt records), and an attempt counted by
// the TUI on its stale copy lost the CLI's. Two writers of one progress
// file: the TUI's long-lived store (with its watcher) and CLI commands
// that open, record and save in between. Nothing either recorded is lost,
// and what the TUI reports is what the file says.
func TestTwoWritersLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tui, _, err := progress.Open(path, progress.WithClock(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	// The TUI opened the exercise (a save of its own).
	RecordStart(tui, "gpu-only", t0)
	if err := tui.Save(); err != nil {
		t.Fatal(err)
	}

	cli := func(fn func(*progress.Store)) {
		t.Helper()
		s, _, err := progress.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		fn(s)
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
	}
	// `dslab exercise show gpu-only --hint 1..3` in a terminal.
	for n := 1; n <= 3; n++ {
		cli(func(s *progress.Store) {
			if r := RecordOpenedHint(s, "gpu-only", n); r != HintRecorded {
				t.Fatalf("CLI hint %d: %v, want recorded", n, r)
			}
		})
	}

	// The watcher grades a failing attempt: the record says 3 hints.
	res := grader.Result{Exercise: "gpu-only", Score: 4, MaxScore: 10}
	if a := NewAttempt(tui, res, grader.Snapshot{}, t0); a.HintsUsed != 3 {
		t.Errorf("attempt record from the TUI's store: hints %d, want the 3 the CLI recorded", a.HintsUsed)
	}
	if n := tui.Exercise("gpu-only").HintsUsed; n != 3 {
		t.Errorf("TUI store hints = %d, want 3 (what the class board is sent)", n)
	}

	// Applies counted alternately by the TUI and by another process.
	RecordApply(tui, "gpu-only")
	if err := tui.Save(); err != nil {
		t.Fatal(err)
	}
	cli(func(s *progress.Store) { RecordApply(s, "gpu-only") })
	RecordApply(tui, "gpu-only")
	if err := tui.Save(); err != nil {
		t.Fatal(err)
	}

	// The pass: its record keeps the 3 hints, and a later hint in the
	// TUI is one after the pass.
	pass := grader.Result{Exercise: "gpu-only", Score: 10, MaxScore: 10, Passed: true}
	RecordGrade(tui, pass, t0.Add(time.Minute))
	if ev := PassEvidence(tui, pass, grader.Snapshot{}, t0.Add(time.Minute)); ev.HintsUsed != 3 || ev.Attempts != 3 {
		t.Errorf("pass evidence = hints %d attempts %d, want 3 and 3", ev.HintsUsed, ev.Attempts)
	}
	if err := tui.Save(); err != nil {
		t.Fatal(err)
	}
	f, err := progress.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if e := f.Exercises["gpu-only"]; !e.Passed || e.HintsUsed != 3 || e.Attempts != 3 {
		t.Errorf("progress file = passed %v hints %d attempts %d, want passed, 3 hints, 3 attempts", e.Passed, e.HintsUsed, e.Attempts)
	}
}
