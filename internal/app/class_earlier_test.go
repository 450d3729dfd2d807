package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
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
