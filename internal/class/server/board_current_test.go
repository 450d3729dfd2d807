package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestBoardCurrentOnlyClassExercises (issue 12): a not-started submission
// never becomes the student's current exercise, and after a restart with
// another --exercises the removed exercise is neither current nor stuck:
// the newest class exercise with a real attempt is.
func TestBoardCurrentOnlyClassExercises(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	if _, _, err := server.Setup(ctx, st, "보드 수업", []string{"ds-basics", "taints"}, dir+"/"+server.InstructorTokenFile); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now()}
	f := boardFixture(t, st, dir, server.BoardConfig{StuckAfter: 5 * time.Minute}, func(c *server.Config) { c.Now = clk.now })
	a := f.join("s1", "machine-s1")
	f.submit(a.Token, "key-cur-00000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	clk.add(time.Minute)
	// A snapshot without the taints exercise's DaemonSet: not started.
	if _, r, body := f.submit(a.Token, "key-cur-00000000002", "taints", snapshot(t, "ds-basics", "solution")); r.Status != api.StatusNotStarted {
		t.Fatalf("taints with ds-basics' snapshot: %s %s", r.Status, body)
	}
	if cur := f.board().Students[0].Current; cur != "ds-basics" {
		t.Fatalf("current after a not-started submission = %q, want ds-basics", cur)
	}
	clk.add(time.Minute)
	if _, r, body := f.submit(a.Token, "key-cur-00000000003", "taints", snapshot(t, "taints", "wrong-value")); r.Status != api.StatusFailed {
		t.Fatalf("taints wrong-value: %s %s", r.Status, body)
	}
	if cur := f.board().Students[0].Current; cur != "taints" {
		t.Fatalf("current after a failing taints = %q", cur)
	}
	f.stop()

	// Restart with --exercises ds-basics: taints leaves the class.
	c, err := st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := server.ChangeClass(ctx, st, c, nil, []string{"ds-basics"}); err != nil {
		t.Fatal(err)
	}
	clk.add(10 * time.Minute)
	g := boardFixture(t, st, dir, server.BoardConfig{StuckAfter: 5 * time.Minute}, func(c *server.Config) { c.Now = clk.now })
	s := g.board().Students[0]
	if s.Current != "ds-basics" || !s.Stuck {
		t.Fatalf("after the restart: current %q stuck %v, want ds-basics and stuck (its failing attempt is 12 minutes old)", s.Current, s.Stuck)
	}
}

// TestTimelineNotStartedIsOneLine (issue 12): opening or resetting an
// exercise sends a not-started submission; the board's timeline showed ✘
// on all of its checks. It is stored, but the timeline gives it without
// its checks (the board shows api.NotStartedNote), a real attempt with them.
func TestTimelineNotStartedIsOneLine(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a := f.join("s1", "machine-s1")
	if _, r, body := f.submit(a.Token, "key-ns-000000000001", "taints", snapshot(t, "ds-basics", "solution")); r.Status != api.StatusNotStarted {
		t.Fatalf("taints with ds-basics' snapshot: %s %s", r.Status, body)
	}
	f.submit(a.Token, "key-ns-000000000002", "taints", snapshot(t, "taints", "wrong-value"))
	code, body := f.do("GET", api.PathTimeline+"s1", f.instructor, nil)
	if code != 200 {
		t.Fatalf("timeline: %d %s", code, body)
	}
	var tl api.Timeline
	if err := json.Unmarshal(body, &tl); err != nil {
		t.Fatal(err)
	}
	var subs []api.TimelineEntry
	for _, e := range tl.Entries {
		if e.Submission != nil {
			subs = append(subs, e)
		}
	}
	if len(subs) != 2 || subs[0].Submission.Status != api.StatusNotStarted || subs[0].Result != nil {
		t.Fatalf("the not-started submission is not stored, or keeps its checks: %s", body)
	}
	if subs[1].Result == nil || len(subs[1].Result.Checks) == 0 {
		t.Fatalf("the failed attempt lost its checks: %s", body)
	}
}

// TestBoardCellCarriesCaptureTime (issue 12): after an outage the student's
// status showed the capture time, the board and watch the receive time.
// The cell carries the capture time of its last change (the board shows
// it, the receive time in the tooltip) and the submitted event says it.
func TestBoardCellCarriesCaptureTime(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a := f.join("s1", "machine-s1")
	f.submit(a.Token, "key-cap-00000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	subs, err := st.Submissions(ctx, 0, false)
	if err != nil || len(subs) != 1 || subs[0].ClientTime.IsZero() {
		t.Fatalf("stored submission without a capture time: %+v %v", subs, err)
	}
	c := f.board().Students[0].Cells["ds-basics"]
	if !c.LastChangeCaptured.Equal(subs[0].ClientTime) || !c.LastChange.Equal(subs[0].ReceivedAt) {
		t.Fatalf("cell times %v (captured) %v, want %v and %v", c.LastChangeCaptured, c.LastChange, subs[0].ClientTime, subs[0].ReceivedAt)
	}
	evs, err := st.Events(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Kind == "submitted" {
			var d struct{ CapturedAt time.Time }
			if json.Unmarshal(e.Data, &d) != nil || !d.CapturedAt.Equal(subs[0].ClientTime) {
				t.Fatalf("submitted event %s lacks capturedAt %v", e.Data, subs[0].ClientTime)
			}
		}
	}
}
