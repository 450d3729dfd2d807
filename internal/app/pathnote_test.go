package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// The TUI says how to get `dslab` in another terminal only when `dslab` on
// PATH is not the running binary (after `make run` it is nowhere on PATH:
// "dslab: command not found", trainee trial on 32bac4b).
func TestDslabPathNote(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		return map[string]string{"HOME": dir, "XDG_DATA_HOME": filepath.Join(dir, "data")}[k]
	})
	exe := filepath.Join(dir, "bin", "dslab")
	other := filepath.Join(dir, "other", "dslab")
	link := filepath.Join(dir, "link", "dslab")
	wrapper := filepath.Join(lab.ShellDir(p), "bin", "dslab")
	for _, f := range []string{exe, other, wrapper} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755)
	}
	os.MkdirAll(filepath.Dir(link), 0o755)
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	found := func(path string) func(string) (string, error) {
		return func(string) (string, error) { return path, nil }
	}
	missing := func(string) (string, error) { return "", errors.New("not found") }

	if got := dslabPathNote(exe, p, missing); !strings.Contains(got, "make install") || !strings.Contains(got, "실습 셸 s") {
		t.Errorf("no dslab on PATH: %q", got)
	}
	if got := dslabPathNote(exe, p, found(other)); !strings.Contains(got, other) || !strings.Contains(got, "다른 바이너리") {
		t.Errorf("another dslab on PATH: %q", got)
	}
	for _, same := range []string{exe, link, wrapper} {
		if got := dslabPathNote(exe, p, found(same)); got != "" {
			t.Errorf("PATH's dslab %s runs this binary, yet: %q", same, got)
		}
	}
}
