package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassStatusRefusedTokenExits1 (issue 12): when the server refuses
// this computer's student token (the 학번 joined again from another
// computer on an approval), `class status` says so and exits 1 — the code
// the instructor's commands use for refused credentials (class_exit.go) —
// in text and in JSON, not 0.
func TestClassStatusRefusedTokenExits1(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "토큰 수업", nil)
	first, second := paths.Under(filepath.Join(dir, "first")), paths.Under(filepath.Join(dir, "second"))
	join := func(p paths.Paths) {
		t.Helper()
		if code, out, errs := runClassCLI(t, p, "class", "join", s.hs.URL, "--code", s.code, "--name", "학생", "--student-id", "2026003"); code != 0 {
			t.Fatalf("join: %d %s %s", code, out, errs)
		}
	}
	join(first)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	if code, out, errs := runClassCLI(t, teacher, "class", "approve", "2026003", "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
		t.Fatalf("approve: %d %s %s", code, out, errs)
	}
	join(second) // takes the 학번 over: first's token is refused now

	code, out, errs := runClassCLI(t, first, "class", "status")
	if code != ExitFailure || !strings.Contains(out+errs, "학생 토큰을 받지 않습니다") {
		t.Fatalf("status with a refused token: %d %q %q", code, out, errs)
	}
	code, out, errs = runClassCLI(t, first, "class", "status", "-o", "json")
	if code != ExitFailure || !strings.Contains(out, `"connected": false`) {
		t.Fatalf("status -o json with a refused token: %d %q %q", code, out, errs)
	}
	if code, out, errs := runClassCLI(t, second, "class", "status"); code != 0 {
		t.Fatalf("status of the computer that took over: %d %q %q", code, out, errs)
	}
}
