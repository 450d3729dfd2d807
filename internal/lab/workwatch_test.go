package lab

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWorkWatcher: a plain write and an editor-style save (a new file
// renamed over the old one) are each reported once; other files are not.
func TestWorkWatcher(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "work")
	ww, err := WatchWorkDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ww.Close()
	path := filepath.Join(dir, "ds-basics.yaml")
	next := func(what string) string {
		t.Helper()
		select {
		case p := <-ww.Saves():
			return p
		case <-time.After(10 * time.Second):
			t.Fatalf("no save reported for %s", what)
			return ""
		}
	}
	if err := os.WriteFile(path, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := next("the write"); got != path {
		t.Errorf("saved %q, want %q", got, path)
	}
	os.WriteFile(filepath.Join(dir, ".ds-basics.yaml.swp"), []byte("x"), 0o644)
	tmp := filepath.Join(dir, "ds-basics.yaml~new")
	os.WriteFile(tmp, []byte("a: 2\n"), 0o644)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	if got := next("the rename"); got != path {
		t.Errorf("saved %q, want %q", got, path)
	}
	select {
	case p := <-ww.Saves():
		t.Errorf("one save reported twice or a non-yaml file reported: %q", p)
	case <-time.After(4 * saveQuiet):
	}
	ww.Close()
	if _, ok := <-ww.Saves(); ok {
		t.Error("Saves not closed by Close")
	}
}
