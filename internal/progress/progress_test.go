package progress

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var fixedNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func clock() time.Time { return fixedNow }

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "dslab", "progress.json")
	s, notice, err := Open(path, WithClock(clock))
	if err != nil || notice != "" {
		t.Fatalf("Open missing file: notice=%q err=%v", notice, err)
	}
	if s.MarkRead("what-is-daemonset") != true {
		t.Error("first MarkRead must report a change")
	}
	if s.MarkRead("what-is-daemonset") != false {
		t.Error("second MarkRead must not report a change")
	}
	s.SetPosition("use-cases", 42, 100, 0.5)
	s.Opened("use-cases")
	s.UpdateExercise("ds-basics", func(e *ExerciseProgress) {
		e.Passed, e.Score, e.MaxScore, e.HintsUsed, e.Attempts = true, 8, 10, 2, 3
	})
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatalf("saved file is not JSON: %v", err)
	}
	if generic["version"] != float64(Version) {
		t.Errorf("version = %v, want %d", generic["version"], Version)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 2 || entries[0].Name() != "progress.json" || entries[1].Name() != "progress.json.lock" {
		t.Errorf("directory holds %v, want only progress.json and its lock file (temp files left behind?)", entries)
	}

	s2, notice, err := Open(path)
	if err != nil || notice != "" {
		t.Fatalf("reopen: notice=%q err=%v", notice, err)
	}
	if got := s2.Lesson("what-is-daemonset"); !got.Read || !got.ReadAt.Equal(fixedNow) {
		t.Errorf("lesson = %+v", got)
	}
	if got := s2.Lesson("use-cases"); got.Read || got.Offset != 42 || got.Width != 100 || got.Percent != 0.5 || !got.LastOpened.Equal(fixedNow) {
		t.Errorf("lesson = %+v", got)
	}
	if got := s2.Exercise("ds-basics"); !got.Passed || got.Score != 8 || got.MaxScore != 10 || got.HintsUsed != 2 || got.Attempts != 3 {
		t.Errorf("exercise = %+v", got)
	}
	if got := s2.Lesson("unknown"); got != (LessonProgress{}) {
		t.Errorf("unknown lesson = %+v", got)
	}
}

func TestCorruptFileIsMovedAside(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":    "{not json",
		"truncated":  `{"version":1,"lessons":{"a":{"read":tr`,
		"no version": `{"lessons":{}}`,
		"wrong type": `{"version":1,"lessons":[]}`,
		"newer":      `{"version":99,"lessons":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "progress.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, notice, err := Open(path, WithClock(clock))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			aside := path + ".corrupt-20260304T050607Z"
			if !strings.Contains(notice, aside) || !strings.Contains(notice, "진행 상황") {
				t.Errorf("notice %q should be Korean and name %s", notice, aside)
			}
			if name == "newer" && !strings.Contains(notice, "새로운 dslab") {
				t.Errorf("notice %q should say the file is from a newer dslab", notice)
			}
			kept, err := os.ReadFile(aside)
			if err != nil || string(kept) != content {
				t.Fatalf("moved-aside file: %q, %v", kept, err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("corrupt file still at %s: %v", path, err)
			}
			// The store is usable and saving writes a fresh, valid file.
			s.MarkRead("a")
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			s2, notice, err := Open(path)
			if err != nil || notice != "" || !s2.Lesson("a").Read {
				t.Fatalf("reopen: notice=%q err=%v read=%v", notice, err, s2.Lesson("a").Read)
			}
		})
	}
}

func TestCorruptTwiceInOneSecondKeepsBoth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	for i := range 2 {
		if err := os.WriteFile(path, []byte("broken"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, notice, err := Open(path, WithClock(clock)); err != nil || notice == "" {
			t.Fatalf("round %d: notice=%q err=%v", i, notice, err)
		}
	}
	for _, name := range []string{".corrupt-20260304T050607Z", ".corrupt-20260304T050607Z-2"} {
		if _, err := os.Stat(path + name); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
}

func TestUnreadableFileIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := os.Mkdir(path, 0o755); err != nil { // a directory cannot be read as a file
		t.Fatal(err)
	}
	if _, _, err := Open(path); err == nil {
		t.Fatal("expected an error")
	}
}

func TestSaveToUnwritableDirFails(t *testing.T) {
	dir := t.TempDir()
	// A regular file where the config directory should be: MkdirAll fails
	// even for root, unlike a chmod-based test.
	blocker := filepath.Join(dir, "config")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(filepath.Join(blocker, "dslab", "progress.json"))
	s.MarkRead("a")
	err := s.Save()
	if err == nil {
		t.Fatal("expected Save to fail")
	}
	if !strings.Contains(err.Error(), "progress.json") {
		t.Errorf("error %q should name the file", err)
	}
}

func TestSaveToReadOnlyDirFails(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if err := New(filepath.Join(dir, "progress.json")).Save(); err == nil {
		t.Fatal("expected Save to fail")
	}
}

func TestMemoryOnlyStore(t *testing.T) {
	s := New("")
	s.MarkRead("a")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if !s.Lesson("a").Read {
		t.Fatal("memory-only store lost its state")
	}
}

func TestConcurrentSaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	s := New(path)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.SetPosition("a", i, 80, 0)
			if err := s.Save(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s2, _, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Lesson("a") != s.Lesson("a") {
		t.Errorf("file %+v != memory %+v", s2.Lesson("a"), s.Lesson("a"))
	}
}

func TestOutOfRangeValuesAreClamped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	content := `{"version":1,"lessons":{"a":{"offset":-5,"percent":7}}}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Open(path)
	if err != nil || notice != "" {
		t.Fatalf("notice=%q err=%v", notice, err)
	}
	if got := s.Lesson("a"); got.Offset != 0 || got.Percent != 1 {
		t.Errorf("lesson = %+v, want offset 0 and percent 1", got)
	}
	if s.Snapshot().Exercises == nil {
		t.Error("exercises map must not be nil")
	}
}

// TestUnchangedSaveDoesNotWrite: a Save of the state the store last saved
// leaves the disk alone (the TUI's background saves can run after its final
// save on quit; they must not write into a directory being removed). Every
// write renames a new file over progress.json, so the file's identity tells.
func TestUnchangedSaveDoesNotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	s := New(path, WithClock(clock))
	s.MarkRead("a")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	first, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if again, err := os.Stat(path); err != nil || !os.SameFile(first, again) {
		t.Errorf("an unchanged save replaced progress.json (%v)", err)
	}
	s.MarkRead("b")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if changed, err := os.Stat(path); err != nil || os.SameFile(first, changed) {
		t.Errorf("a changed state was not written (%v)", err)
	}
	if s2, _, err := Open(path); err != nil || !s2.Lesson("b").Read {
		t.Errorf("reopened: b not read (%v)", err)
	}
}
