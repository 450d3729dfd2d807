package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// joinCommandRE finds a printed `dslab class join` command and what
// follows it on its line, up to a closing backtick.
var joinCommandRE = regexp.MustCompile("dslab class join([^`\n]*)")

// TestPrintedJoinCommandsUseID (issue 12): every join command dslab
// prints or the docs quote — in the Go sources (not tests) and in
// README.md and docs/*.md — names the 학번 with --id (the flag the
// projector's line uses; --student-id is only its older name), and none
// shows a made-up code that looks real (123456): the placeholder is
// 참가코드. Go comments are not printed and are skipped; a mention without options ("dslab class join 으로") is not a
// command and is skipped.
func TestPrintedJoinCommandsUseID(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules", "conformance", "bin", "dist":
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) || strings.HasSuffix(name, ".md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasSuffix(f, ".go") && strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue // a Go comment is not printed
			}
			for _, m := range joinCommandRE.FindAllStringSubmatch(line, -1) {
				rest := m[1]
				if !strings.Contains(rest, "--") {
					continue // a mention, not a command
				}
				checked++
				if strings.Contains(rest, "--student-id") || !strings.Contains(rest, "--id") {
					t.Errorf("%s:%d: a join command without --id: %s", f, i+1, strings.TrimSpace(m[0]))
				}
				if strings.Contains(rest, "--code 123456") {
					t.Errorf("%s:%d: a join command with a real-looking code (use 참가코드): %s", f, i+1, strings.TrimSpace(m[0]))
				}
			}
		}
	}
	if checked < 5 {
		t.Fatalf("only %d join commands found: the scan is broken", checked)
	}
	// What a never-joined machine prints.
	p := paths.Under(t.TempDir())
	for _, args := range [][]string{{"class", "status"}, {"class", "submit"}} {
		code, _, errs := runClassCLI(t, p, args...)
		if code != ExitUsage || !strings.Contains(errs, "아직 수업에 참가하지 않았습니다") || !strings.Contains(errs, "\n  dslab class join 강사주소:7070 --code 참가코드 --name 이름 --id 학번\n") {
			t.Errorf("%v before join: %d %s", args, code, errs)
		}
	}
}
