package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassSendUsageAndState is the final instructor trial (issue 12):
// `send broadcast` without --message went to the server and exited 1
// (HTTP 400), and `send freeze` was accepted twice. A KIND without a flag
// it needs, or an unknown KIND, is a usage error (exit 2) checked before
// any server is asked (here: a server address nothing listens on, which
// would be exit 3); a freeze while frozen and an unfreeze while not
// frozen are refused (exit 1) with the server's Korean note first.
func TestClassSendUsageAndState(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "보내기 수업", nil)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	run := func(server string, args ...string) (int, string) {
		t.Helper()
		code, out, errs := runClassCLI(t, teacher, append(append([]string{"class", "send"}, args...), "--server", server, "--token-file", s.tokenFile)...)
		return code, out + errs
	}
	for _, args := range [][]string{
		{"broadcast"},
		{"broadcast", "--message", "  "},
		{"unlock-hint"},
		{"reset-exercise", "--exercise", "ds-basics"},
		{"freeze", "--student", "2026001"},
		{"frezee"},
	} {
		if code, out := run("http://127.0.0.1:1", args...); code != ExitUsage || strings.Contains(out, "연결할 수 없습니다") {
			t.Errorf("send %v: exit %d, want %d (usage, no server asked)\n%s", args, code, ExitUsage, out)
		}
	}
	if code, out := run(s.hs.URL, "broadcast"); code != ExitUsage || !strings.Contains(out, "--message") {
		t.Errorf("broadcast without --message: exit %d\n%s", code, out)
	}
	for i, c := range []struct {
		kind string
		code int
		want string
	}{
		{"unfreeze", ExitFailure, "제출 마감 중이 아닙니다"},
		{"freeze", ExitOK, "보냈습니다"},
		{"freeze", ExitFailure, "이미 제출 마감 중입니다"},
		{"unfreeze", ExitOK, "보냈습니다"},
	} {
		code, out := run(s.hs.URL, c.kind)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("step %d send %s: exit %d, want %d and %q\n%s", i, c.kind, code, c.code, c.want, out)
		}
		if c.code != ExitOK && strings.HasPrefix(strings.TrimPrefix(out, "오류: "), "수업 서버가 거절했습니다 (HTTP") {
			t.Errorf("step %d: the HTTP answer comes before the Korean note:\n%s", i, out)
		}
	}
}
