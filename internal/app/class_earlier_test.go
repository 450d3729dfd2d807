package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestEarlierCommandsLine: every kind of command from before the join is
// counted and named (issue 12: only broadcasts were; hints were opened and
// resets passed without a word), the broadcasts with the newest one's
// server time, hints and resets with their exercises; none is listed as
// new.
func TestEarlierCommandsLine(t *testing.T) {
	if got := earlierCommandsLine(nil); got != "" {
		t.Fatalf("nothing earlier: %q", got)
	}
	at := time.Date(2026, 11, 29, 15, 10, 0, 0, time.Local)
	got := earlierCommandsLine([]api.Command{
		{Kind: api.CommandBroadcast, Message: "첫 공지", Time: at.Add(-time.Hour)},
		{Kind: api.CommandUnlockHint, Exercise: "taints"},
		{Kind: api.CommandResetExercise, Exercise: "gpu-only"},
		{Kind: api.CommandBroadcast, Message: "10분 뒤에 쉽니다", Time: at},
		{Kind: api.CommandUnlockHint, Exercise: "taints"},
		{Kind: api.CommandFreeze},
	})
	for _, want := range []string{
		"참가하기 전에 온 강사 동작 6개는 새 알림으로 보여 주지 않습니다: ",
		"공지 2개 (가장 최근 11-29 15:10: 10분 뒤에 쉽니다)",
		"힌트 열기 2개 (taints: 힌트는 열어 두었습니다)",
		api.CommandText(api.CommandResetExercise) + " 1개 (gpu-only: 이 컴퓨터에서는 하지 않았습니다)",
		api.CommandText(api.CommandFreeze) + " 1개",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "첫 공지") {
		t.Errorf("older earlier broadcast listed: %q", got)
	}
	if strings.Index(got, "공지 2개") > strings.Index(got, "힌트 열기") {
		t.Errorf("kinds not in the order they came: %q", got)
	}
}

// TestClassStatusOldBroadcastIsEarlier (issue 12 item 1): a broadcast sent
// before the student joined is not applied as a new alert by `class
// status`; it is counted as earlier and listed with its date and
// "(참가 전)", while one sent after the join is news.
func TestClassStatusOldBroadcastIsEarlier(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "공지 수업", nil)
	send := func(msg string) {
		t.Helper()
		if code, out, errs := runClassCLI(t, paths.Under(filepath.Join(dir, "teacher")), "class", "send", "broadcast", "--message", msg, "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
			t.Fatalf("send: %d %s %s", code, out, errs)
		}
	}
	send("어제의 공지")
	// Other kinds before the join are counted too (issue 12).
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	for _, args := range [][]string{{"unlock-hint", "--exercise", "ds-basics"}, {"freeze"}, {"unfreeze"}} {
		if code, out, errs := runClassCLI(t, teacher, append(append([]string{"class", "send"}, args...), "--server", s.hs.URL, "--token-file", s.tokenFile)...); code != 0 {
			t.Fatalf("send %v: %d %s %s", args, code, out, errs)
		}
	}
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "늦게", "--student-id", "2026050"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	send("오늘의 공지")
	code, out, errs := runClassCLI(t, student, "class", "status")
	if code != 0 {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	if strings.Contains(out, "강사 공지: 어제의 공지") || !strings.Contains(out, "강사 공지: 오늘의 공지") {
		t.Fatalf("alerts in status:\n%s", out)
	}
	for _, want := range []string{"참가하기 전에 온 강사 동작 4개는", "공지 1개 (가장 최근", "힌트 열기 1개 (ds-basics: 힌트는 열어 두었습니다)",
		api.CommandText(api.CommandFreeze) + " 1개", api.CommandText(api.CommandUnfreeze) + " 1개"} {
		if !strings.Contains(out, want) {
			t.Errorf("the earlier line lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "공지: 어제의 공지") && !strings.Contains(line, "(참가 전)") && !strings.Contains(line, "참가하기 전에") {
			t.Fatalf("the old broadcast listed as recent: %q\n%s", line, out)
		}
		if strings.Contains(line, "공지: 오늘의 공지") && strings.Contains(line, "(참가 전)") {
			t.Fatalf("the new broadcast marked earlier: %q", line)
		}
	}
}
