package app

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// shellWords is how many words sh splits line into.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	out, err := exec.Command("sh", "-c", "for a in "+line+`; do printf '%s\n' "$a"; done`).Output()
	if err != nil {
		t.Fatalf("sh %q: %v", line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// TestReplacedComputerAdviceCanBePasted is issue 12's instructor trial:
// after an approved rejoin on another computer, `class status` on the old
// one suggested `--name 남궁알렉산드라크리스티나 바실리예브나` unquoted (two
// arguments when pasted) and did not say that the instructor must approve
// again first (the one-time approval went to the other computer).
func TestReplacedComputerAdviceCanBePasted(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "재참가 수업", nil)
	const name = "남궁알렉산드라크리스티나 바실리예브나"
	old := paths.Under(filepath.Join(dir, "old"))
	fresh := paths.Under(filepath.Join(dir, "new"))
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	if code, out, errs := runClassCLI(t, old, "class", "join", s.hs.URL, "--code", s.code, "--name", name, "--student-id", "2026002"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	if code, out, errs := runClassCLI(t, teacher, "class", "approve", "2026002", "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
		t.Fatalf("approve: %d %s %s", code, out, errs)
	}
	if code, out, errs := runClassCLI(t, fresh, "class", "join", s.hs.URL, "--code", s.code, "--name", name, "--student-id", "2026002"); code != 0 {
		t.Fatalf("rejoin: %d %s %s", code, out, errs)
	}
	_, out, errs := runClassCLI(t, old, "class", "status")
	text := out + errs
	if !strings.Contains(text, "dslab class approve 2026002 를 실행해야") {
		t.Fatalf("no word of the instructor's approval:\n%s", text)
	}
	m := regexp.MustCompile(`(dslab class join .*?) 로 다시 참가하세요`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no join command:\n%s", text)
	}
	words := shellWords(t, m[1])
	want := []string{"dslab", "class", "join", s.hs.URL, "--code", "참가코드", "--name", name, "--student-id", "2026002"}
	if strings.Join(words, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("pasted, %q is %q, want %q", m[1], words, want)
	}
}
