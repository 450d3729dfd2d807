package app

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestInstructorExitCodes is issue 12's instructor trial finding: approve
// and send answered the same failure (server down, bad token, unknown
// student) with different exit codes. Every instructor command now maps
// them alike (class_exit.go): 0 done, 1 refused or not found, 2 usage, 3
// server unreachable; with the server down `class board` no longer exits
// 0 with a dead link.
func TestInstructorExitCodes(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "종료 코드 수업", nil)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "학생", "--student-id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	badToken := filepath.Join(dir, "bad-token")
	os.WriteFile(badToken, []byte("dsi_not-the-token\n"), 0o600)
	noToken := filepath.Join(dir, "absent-token")

	commands := map[string][]string{
		"approve":  {"class", "approve", "2026001"},
		"send":     {"class", "send", "broadcast", "--message", "공지"},
		"remove":   {"class", "remove", "2026001", "--yes"},
		"regrade":  {"class", "regrade", "--all"},
		"export":   {"class", "export", "-o", "json"},
		"board":    {"class", "board"},
		"send-one": {"class", "send", "unlock-hint", "--exercise", "ds-basics", "--student", "2026001"},
		"watch":    {"class", "watch"},
	}
	unknown := map[string][]string{
		"approve":  {"class", "approve", "nobody"},
		"remove":   {"class", "remove", "nobody", "--yes"},
		"send-one": {"class", "send", "unlock-hint", "--exercise", "ds-basics", "--student", "nobody"},
	}
	run := func(args []string, server, token string) (int, string) {
		t.Helper()
		code, out, errs := runClassCLI(t, teacher, append(append([]string{}, args...), "--server", server, "--token-file", token)...)
		return code, out + errs
	}
	for _, name := range []string{"approve", "send", "send-one", "regrade", "export", "board", "remove", "watch"} {
		args := commands[name]
		t.Run(name, func(t *testing.T) {
			// One Korean rendering of the network error, no Go request line
			// (issue 12: `Get "http://…": dial tcp …: connection refused`).
			if code, out := run(args, down, s.tokenFile); code != ExitUnreachable || !strings.Contains(out, "연결할 수 없습니다") || strings.Contains(out, "dial tcp") {
				t.Errorf("server down: exit %d, want %d\n%s", code, ExitUnreachable, out)
			}
			// The token file named, not the server's browser advice (issue 12).
			if code, out := run(args, s.hs.URL, badToken); code != ExitFailure || !strings.Contains(out, "거절했습니다") || !strings.Contains(out, badToken) || strings.Contains(out, "보드 주소") {
				t.Errorf("wrong token: exit %d, want %d\n%s", code, ExitFailure, out)
			}
			// A Korean cause and what to do, not "open …: no such file or
			// directory" (issue 12).
			if code, out := run(args, s.hs.URL, noToken); code != ExitUsage || !strings.Contains(out, "강사 토큰 파일이 없습니다: "+noToken) || strings.Contains(out, "no such file") {
				t.Errorf("no token file: exit %d, want %d\n%s", code, ExitUsage, out)
			}
			if u, ok := unknown[name]; ok {
				if code, out := run(u, s.hs.URL, s.tokenFile); code != ExitFailure || !strings.Contains(out, "nobody") {
					t.Errorf("unknown student: exit %d, want %d\n%s", code, ExitFailure, out)
				}
			}
			if name == "watch" {
				// No terminal here: watch stops before its screen with
				// the usage error, after the server took the token (run
				// from a terminal, watch would open its screen on it).
				if tty, err := os.Open("/dev/tty"); err == nil {
					tty.Close()
					return
				}
				if code, out := run(args, s.hs.URL, s.tokenFile); code != ExitUsage || !strings.Contains(out, "터미널(TTY)") {
					t.Errorf("no terminal: exit %d, want %d\n%s", code, ExitUsage, out)
				}
				return
			}
			if code, out := run(args, s.hs.URL, s.tokenFile); code != ExitOK {
				t.Errorf("ok: exit %d\n%s", code, out)
			}
		})
	}
	// Usage: a missing argument is 2 for every command that takes one.
	for _, args := range [][]string{{"class", "approve"}, {"class", "remove"}, {"class", "send"}} {
		if code, out := run(args, s.hs.URL, s.tokenFile); code != ExitUsage {
			t.Errorf("%v without its argument: exit %d, want %d\n%s", args, code, ExitUsage, out)
		}
	}
}
