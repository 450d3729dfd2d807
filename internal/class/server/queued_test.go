package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestQueuedSubmissionKeepsCaptureTime is issue 12's instructor trial
// finding: a submission queued in the outbox while the server was down got
// clientTime = the time it was finally sent. It keeps the time the lab
// captured it (the outbox stores it); clock-skew still compares the
// client's clock at the send with the server's, so a late send is not
// "skewed" while a wrong clock is.
func TestQueuedSubmissionKeepsCaptureTime(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	captured := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	serverNow := captured.Add(10 * time.Minute) // the server came back 10 minutes later
	f := boardFixture(t, st, dir, server.BoardConfig{}, func(c *server.Config) { c.Now = func() time.Time { return serverNow } })
	send := func(roster string, clientNow time.Time) {
		t.Helper()
		j := f.join(roster, "machine-"+roster)
		c := client.New(client.Credentials{Server: f.srv.URL, Token: j.Token}, t.TempDir())
		c.Now = func() time.Time { return clientNow }
		if _, err := c.Outbox.Enqueue("ds-basics", snapshot(t, "ds-basics", "solution"), captured); err != nil {
			t.Fatal(err)
		}
		if res, err := c.Drain(context.Background()); err != nil || len(res.Acked) != 1 {
			t.Fatalf("drain: %+v %v", res, err)
		}
	}
	send("2026001", serverNow)                     // a right clock, sent 10 minutes after capture
	send("2026002", serverNow.Add(-5*time.Minute)) // a clock 5 minutes behind

	exp := f.export()
	if len(exp.Submissions) != 2 {
		t.Fatalf("%d submissions", len(exp.Submissions))
	}
	for _, s := range exp.Submissions {
		if !s.ClientTime.Equal(captured) {
			t.Errorf("%s: clientTime %v, want the capture time %v (not the send time)", s.RosterID, s.ClientTime, captured)
		}
		if !s.ReceivedAt.Equal(serverNow) {
			t.Errorf("%s: receivedAt %v", s.RosterID, s.ReceivedAt)
		}
		skewed := slices.Contains(s.Flags, server.FlagClockSkew)
		if want := s.RosterID == "2026002"; skewed != want {
			t.Errorf("%s: clock-skew %v, want %v (flags %v)", s.RosterID, skewed, want, s.Flags)
		}
	}
}
