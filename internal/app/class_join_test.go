package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassJoinPrintedLine: the join command the projector shows
// (api.JoinCommand: host:port without http://, --id) is what a student
// types and it joins; the old form (a full URL, --student-id) still does
// (issue 12: the printed line was 90 cells and wrapped at 80).
func TestClassJoinPrintedLine(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "참가 줄 수업", nil)
	line := strings.Replace(api.JoinCommand(s.hs.URL, s.code), "이름 --id 학번", "김하늘 --id 2026011", 1)
	args := strings.Fields(line)
	if args[0] != "dslab" || strings.Contains(args[3], "://") {
		t.Fatalf("printed join command %q", line)
	}
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, args[1:]...); code != 0 {
		t.Fatalf("%s: exit %d\n%s%s", line, code, out, errs)
	}
	creds, err := client.LoadCredentials(student.ConfigDir)
	if err != nil || creds == nil || creds.Server != s.hs.URL || creds.RosterID != "2026011" || creds.Name != "김하늘" {
		t.Fatalf("credentials after the printed line: %+v %v", creds, err)
	}

	old := paths.Under(filepath.Join(dir, "old"))
	if code, out, errs := runClassCLI(t, old, "class", "join", s.hs.URL, "--code", s.code, "--name", "박구름", "--student-id", "2026012"); code != 0 {
		t.Fatalf("old flags: exit %d\n%s%s", code, out, errs)
	}
	if creds, _ := client.LoadCredentials(old.ConfigDir); creds == nil || creds.RosterID != "2026012" || creds.Server != s.hs.URL {
		t.Fatalf("credentials after the old flags: %+v", creds)
	}

	if code, _, errs := runClassCLI(t, paths.Under(filepath.Join(dir, "bad")), "class", "join", "ftp://x", "--code", s.code, "--name", "이름"); code != ExitUsage || !strings.Contains(errs, `"ftp://x"`) {
		t.Fatalf("a bad address: exit %d\n%s", code, errs)
	}
}
