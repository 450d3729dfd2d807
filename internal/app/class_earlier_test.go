package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestEarlierBroadcastsLine: broadcasts from before the join are counted
// with the newest one's server time, never listed as new; other earlier
// commands say nothing.
func TestEarlierBroadcastsLine(t *testing.T) {
	if got := earlierBroadcastsLine([]api.Command{{Kind: api.CommandFreeze}}); got != "" {
		t.Fatalf("no broadcast: %q", got)
	}
	at := time.Date(2026, 11, 29, 15, 10, 0, 0, time.Local)
	got := earlierBroadcastsLine([]api.Command{
		{Kind: api.CommandBroadcast, Message: "첫 공지", Time: at.Add(-time.Hour)},
		{Kind: api.CommandResetExercise},
		{Kind: api.CommandBroadcast, Message: "10분 뒤에 쉽니다", Time: at},
	})
	for _, want := range []string{"참가하기 전에 온 강사 공지 2개", "11-29 15:10", "10분 뒤에 쉽니다", "새 공지로 보여 주지 않습니다"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "첫 공지") {
		t.Errorf("older earlier broadcast listed: %q", got)
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
	if !strings.Contains(out, "참가하기 전에 온 강사 공지 1개") {
		t.Fatalf("no earlier-broadcast line:\n%s", out)
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
