package server_test

import (
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestLatePassIsNotStuck is issue 12's trial finding: during a freeze a
// student whose only pass came late showed as ⚑ 막힘. A late pass does not
// count for the score but is progress: not stuck, on the server's board
// and when a client recomputes stuck on its timer.
func TestLatePassIsNotStuck(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Now()}
	f := boardFixture(t, st, dir, server.BoardConfig{StuckAfter: 5 * time.Minute}, func(c *server.Config) { c.Now = clk.now })
	a, b := f.join("s1", "machine-s1"), f.join("s2", "machine-s2")
	f.submit(a.Token, "key-late-0000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	f.submit(b.Token, "key-late-0000000002", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandFreeze}); code != 201 {
		t.Fatalf("freeze: %d %s", code, body)
	}
	clk.add(3 * time.Minute)
	f.submit(a.Token, "key-late-0000000003", "ds-basics", snapshot(t, "ds-basics", "solution")) // late pass
	clk.add(4 * time.Minute)
	bd := f.board()
	s1, s2 := bd.Students[0], bd.Students[1]
	if s1.RosterID != "s1" {
		s1, s2 = s2, s1
	}
	cell := s1.Cells["ds-basics"]
	if cell.Status == api.StatusPassed || cell.Now == nil || !cell.Now.Late || cell.Now.Status != api.StatusPassed {
		t.Fatalf("late pass cell: %+v now %+v", cell, cell.Now)
	}
	if s1.Stuck {
		t.Fatalf("a student whose pass came late is stuck: %+v", s1)
	}
	if !s2.Stuck {
		t.Fatalf("the student without progress is not stuck after 7 of 5 minutes: %+v", s2)
	}
	bd.RecomputeStuck(bd.Now.Add(time.Hour))
	for _, s := range bd.Students {
		if s.RosterID == "s1" && s.Stuck {
			t.Fatalf("client-side recompute made the late pass stuck: %+v", s)
		}
	}
}
