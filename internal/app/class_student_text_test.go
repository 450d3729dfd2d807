package app

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
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
// after a rejoin on another computer, `class status` on the old one
// suggested `--name 남궁알렉산드라크리스티나 바실리예브나` unquoted (two
// arguments when pasted), and its advice always said the instructor must
// approve again, even on a server with --allow-rejoin. The advice now
// follows the server's setting (api.Error.Rejoin), and the join command it
// gives, pasted, joins again: at once with --allow-rejoin, after `class
// approve` without it.
func TestReplacedComputerAdviceCanBePasted(t *testing.T) {
	for _, allow := range []bool{false, true} {
		t.Run(map[bool]string{false: "approval", true: "allow-rejoin"}[allow], func(t *testing.T) {
			dir := t.TempDir()
			s := serveTestClassWith(t, filepath.Join(dir, "serverdata"), "재참가 수업", nil, server.Config{AllowRejoin: allow})
			const name = "남궁알렉산드라크리스티나 바실리예브나"
			old := paths.Under(filepath.Join(dir, "old"))
			fresh := paths.Under(filepath.Join(dir, "new"))
			teacher := paths.Under(filepath.Join(dir, "teacher"))
			approve := func() {
				t.Helper()
				if code, out, errs := runClassCLI(t, teacher, "class", "approve", "2026002", "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
					t.Fatalf("approve: %d %s %s", code, out, errs)
				}
			}
			if code, out, errs := runClassCLI(t, old, "class", "join", s.hs.URL, "--code", s.code, "--name", name, "--student-id", "2026002"); code != 0 {
				t.Fatalf("join: %d %s %s", code, out, errs)
			}
			if !allow {
				approve()
			}
			if code, out, errs := runClassCLI(t, fresh, "class", "join", s.hs.URL, "--code", s.code, "--name", name, "--student-id", "2026002"); code != 0 {
				t.Fatalf("rejoin: %d %s %s", code, out, errs)
			}
			_, out, errs := runClassCLI(t, old, "class", "status")
			text := out + errs
			asksApproval := strings.Contains(text, "dslab class approve 2026002 를 실행해야")
			if asksApproval == allow {
				t.Fatalf("--allow-rejoin %v, the advice asks for the instructor's approval: %v\n%s", allow, asksApproval, text)
			}
			if allow && !strings.Contains(text, "승인 없이 다시 참가할 수 있게 열려 있으니") {
				t.Fatalf("no word that the server lets the rejoin in:\n%s", text)
			}
			// Why the token was refused follows the setting too (issue 12,
			// class19 item 9: "…다시 참가했거나 강사가 승인했습니다" under
			// --allow-rejoin, where nobody approves anything).
			if reason := strings.Contains(text, "승인"+"을 받아 다른 컴퓨터에서 다시 참가했습니다"); reason == allow || strings.Contains(text, "강사가 승인했습니다") {
				t.Fatalf("--allow-rejoin %v, the reason names an approval: %v\n%s", allow, reason, text)
			}
			// The command stands on lines of its own (pastedJoinCommand).
			cmd, _ := pastedJoinCommand(text)
			if cmd == "" || !strings.Contains(text, "다시 참가하세요") {
				t.Fatalf("no join command:\n%s", text)
			}
			m := []string{"", cmd}
			words := shellWords(t, m[1])
			want := []string{"dslab", "class", "join", api.JoinAddress(s.hs.URL), "--code", "참가코드", "--name", name, "--id", "2026002"}
			if strings.Join(words, "\x00") != strings.Join(want, "\x00") {
				t.Fatalf("pasted, %q is %q, want %q", m[1], words, want)
			}
			// Pasted with the real code, the command does what the advice
			// said.
			words[5] = s.code
			if !allow {
				if code, out, errs := runClassCLI(t, old, words[1:]...); code == 0 {
					t.Fatalf("without --allow-rejoin the join before the approval went in:\n%s%s", out, errs)
				}
				approve()
			}
			if code, out, errs := runClassCLI(t, old, words[1:]...); code != 0 || !strings.Contains(out, "다시 참가합니다") {
				t.Fatalf("the advised join: exit %d\n%s%s", code, out, errs)
			}
		})
	}
}
