package progress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Two handles on one file (a TUI that stays open and a CLI command that
// opens, records and saves) must not lose each other's progress.
func TestSaveMergesConcurrentHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	t0 := time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC)
	clock := func(d time.Duration) Option { return WithClock(func() time.Time { return t0.Add(d) }) }

	tuiStore, _, err := Open(path, clock(0))
	if err != nil {
		t.Fatal(err)
	}
	tuiStore.MarkRead("intro")
	tuiStore.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.Attempts = 2; e.HintsUsed = 1 })
	if err := tuiStore.Save(); err != nil {
		t.Fatal(err)
	}

	// The CLI records a pass and a second hint meanwhile.
	cli, _, err := Open(path, clock(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	passAt := t0.Add(time.Minute)
	cli.UpdateExercise("gpu-only", func(e *ExerciseProgress) {
		e.Passed, e.PassedAt, e.Score, e.MaxScore, e.LastGradedAt = true, passAt, 10, 10, passAt
		e.HintsUsed = 2
	})
	cli.UpdateExercise("control-plane", func(e *ExerciseProgress) { e.HintsUsed = 1 })
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}

	// The TUI, with its stale memory, records something else and saves.
	tuiStore.MarkRead("taints")
	tuiStore.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.Attempts++ })
	if err := tuiStore.Save(); err != nil {
		t.Fatal(err)
	}

	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	g := f.Exercises["gpu-only"]
	if !g.Passed || !g.PassedAt.Equal(passAt) || g.Score != 10 || g.HintsUsed != 2 || g.Attempts != 3 {
		t.Errorf("gpu-only on disk = %+v; want the CLI's pass and hint 2 and the TUI's 3 attempts", g)
	}
	if f.Exercises["control-plane"].HintsUsed != 1 {
		t.Errorf("control-plane hint recorded by the CLI was lost: %+v", f.Exercises)
	}
	if !f.Lessons["intro"].Read || !f.Lessons["taints"].Read {
		t.Errorf("lessons read lost: %+v", f.Lessons)
	}
	// The TUI's memory now shows what the CLI recorded.
	if e := tuiStore.Exercise("gpu-only"); !e.Passed || e.HintsUsed != 2 {
		t.Errorf("TUI store after save = %+v, want the CLI's pass", e)
	}

	// A save of the CLI handle's stale memory must not undo the TUI's lesson.
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	if f, _ := Read(path); !f.Lessons["taints"].Read || f.Exercises["gpu-only"].Attempts != 3 {
		t.Errorf("stale CLI save lost the TUI's progress: %+v", f)
	}
}

// Reload picks up what another process saved, without writing.
func TestReloadPicksUpOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	tuiStore, _, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := tuiStore.Reload(); changed || err != nil {
		t.Fatalf("Reload of a missing file = %v, %v", changed, err)
	}
	cli, _, _ := Open(path)
	cli.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.HintsUsed = 1 })
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	changed, err := tuiStore.Reload()
	if err != nil || !changed || tuiStore.Exercise("gpu-only").HintsUsed != 1 {
		t.Fatalf("Reload = %v, %v; exercise %+v", changed, err, tuiStore.Exercise("gpu-only"))
	}
	if changed, _ := tuiStore.Reload(); changed {
		t.Error("a second Reload of the same file reports a change")
	}
}

func TestMergeRules(t *testing.T) {
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	disk := emptyFile()
	mine := emptyFile()
	disk.Exercises["x"] = ExerciseProgress{Passed: true, PassedAt: t2, Score: 5, MaxScore: 10, HintsUnlocked: 2, HintUnlockSeq: 7, Attempts: 1, LastGradedAt: t2}
	mine.Exercises["x"] = ExerciseProgress{Passed: true, PassedAt: t1, Score: 8, MaxScore: 8, Attempts: 4, StartedAt: t1, LastGradedAt: t1}
	disk.Lessons["l"] = LessonProgress{Read: true, ReadAt: t2, Offset: 3, LastOpened: t2}
	mine.Lessons["l"] = LessonProgress{Read: true, ReadAt: t1, Offset: 9, LastOpened: t1}
	got := Merge(disk, mine)
	want := ExerciseProgress{Passed: true, PassedAt: t1, Score: 8, MaxScore: 10, HintsUnlocked: 2, HintUnlockSeq: 7, Attempts: 4, StartedAt: t1, LastGradedAt: t2}
	if got.Exercises["x"] != want {
		t.Errorf("exercise = %+v\nwant %+v", got.Exercises["x"], want)
	}
	if l := got.Lessons["l"]; !l.ReadAt.Equal(t1) || l.Offset != 3 || !l.LastOpened.Equal(t2) {
		t.Errorf("lesson = %+v; want first ReadAt and the newer position", l)
	}
	// Who started goes with the later start, either side.
	disk.Exercises["y"] = ExerciseProgress{StartedAt: t2, StartedBy: StartedByInstructor}
	mine.Exercises["y"] = ExerciseProgress{StartedAt: t1}
	disk.Exercises["z"] = ExerciseProgress{StartedAt: t1, StartedBy: StartedByInstructor}
	mine.Exercises["z"] = ExerciseProgress{StartedAt: t2}
	got = Merge(disk, mine)
	if y := got.Exercises["y"]; !y.StartedAt.Equal(t2) || y.StartedBy != StartedByInstructor {
		t.Errorf("y = %+v; want the instructor's later start", y)
	}
	if z := got.Exercises["z"]; !z.StartedAt.Equal(t2) || z.StartedBy != "" {
		t.Errorf("z = %+v; want the learner's later start", z)
	}
}

// Reload reads and parses the file only when it changed since this store
// last read or wrote it (stat first: inode, modification time, size).
func TestReloadSkipsUnchangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	reads := 0
	tuiStore, _, err := Open(path, WithReadHook(func() { reads++ }))
	if err != nil {
		t.Fatal(err)
	}
	tuiStore.MarkRead("intro")
	if err := tuiStore.Save(); err != nil {
		t.Fatal(err)
	}
	reads = 0
	for range 5 {
		if changed, err := tuiStore.Reload(); changed || err != nil {
			t.Fatalf("Reload of the store's own save = %v, %v", changed, err)
		}
	}
	if reads != 0 {
		t.Errorf("Reload read the unchanged file %d times, want 0", reads)
	}

	cli, _, _ := Open(path)
	cli.UpdateExercise("gpu-only", func(e *ExerciseProgress) { e.Attempts = 2 })
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	changed, err := tuiStore.Reload()
	if err != nil || !changed || tuiStore.Exercise("gpu-only").Attempts != 2 {
		t.Fatalf("Reload after another process saved = %v, %v; exercise %+v", changed, err, tuiStore.Exercise("gpu-only"))
	}
	if reads != 1 {
		t.Errorf("Reload after a change read the file %d times, want 1", reads)
	}
	for range 3 {
		if changed, _ := tuiStore.Reload(); changed {
			t.Error("Reload of a file already read reports a change")
		}
	}
	if reads != 1 {
		t.Errorf("Reloads of a file already read read it again: %d reads, want 1", reads)
	}

	// A change of the same size written in place (no rename) is seen too:
	// the modification time differs.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"attempts": 2`, `"attempts": 7`, 1))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if changed, err := tuiStore.Reload(); !changed || err != nil || tuiStore.Exercise("gpu-only").Attempts != 7 {
		t.Fatalf("Reload after an in-place edit = %v, %v; exercise %+v", changed, err, tuiStore.Exercise("gpu-only"))
	}
	if reads != 2 {
		t.Errorf("reads = %d, want 2", reads)
	}
}

// The TUI screen last shown survives a save and merges by time.
func TestScreenRoundTripAndMerge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, _, _ := Open(path, WithClock(func() time.Time { return t1 }))
	if !s.SetScreen(ScreenProgress{Name: ScreenExercise, Exercise: "gpu-only"}) {
		t.Error("first SetScreen reports no change")
	}
	if s.SetScreen(ScreenProgress{Name: ScreenExercise, Exercise: "gpu-only"}) {
		t.Error("SetScreen of the same screen reports a change")
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	again, _, _ := Open(path)
	if got := again.Screen(); got.Name != ScreenExercise || got.Exercise != "gpu-only" || !got.At.Equal(t1) {
		t.Errorf("screen after reopening = %+v", got)
	}
	disk, mine := emptyFile(), emptyFile()
	disk.Screen = ScreenProgress{Name: ScreenExercise, Exercise: "ds-basics", At: t1.Add(time.Minute)}
	mine.Screen = ScreenProgress{Name: ScreenLesson, Lesson: "taints", At: t1}
	if got := Merge(disk, mine).Screen; got.Exercise != "ds-basics" {
		t.Errorf("merge kept the older screen: %+v", got)
	}
	if got := Merge(mine, disk).Screen; got.Exercise != "ds-basics" {
		t.Errorf("merge (swapped) kept the older screen: %+v", got)
	}
}
