package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestTimelineClientTime (issue 12, instructor trial on 63d375f): GET
// /api/v1/instructor/timeline/{id} said "clientTime": "0001-01-01T00:00:00Z"
// for every submission while the export had the real times. Each
// submission's clientTime on the timeline is the export's, and it is when
// the lab captured the snapshot (one that waited in the outbox arrives
// later).
func TestTimelineClientTime(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	j := f.join("2026001", "machine-2026001")
	captured := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Millisecond)
	body := mustJSON(api.SubmitRequest{IdempotencyKey: "queued-submission-0001", Exercise: "ds-basics", CreatedAt: captured, SentAt: time.Now(), Snapshot: snapshot(t, "ds-basics", "solution")})
	if code, b := f.do("POST", api.PathSubmissions, j.Token, body); code != 201 {
		t.Fatalf("submit: %d %s", code, b)
	}
	code, b := f.do("GET", api.PathTimeline+"2026001", f.instructor, nil)
	if code != 200 {
		t.Fatalf("timeline: %d %s", code, b)
	}
	var tl api.Timeline
	if err := json.Unmarshal(b, &tl); err != nil {
		t.Fatal(err)
	}
	exp := f.export()
	if len(exp.Submissions) != 1 || exp.Submissions[0].ClientTime.IsZero() {
		t.Fatalf("export submissions: %+v", exp.Submissions)
	}
	want := exp.Submissions[0].ClientTime
	n := 0
	for _, e := range tl.Entries {
		if e.Submission == nil {
			continue
		}
		n++
		if got := e.Submission.ClientTime; !got.Equal(want) {
			t.Errorf("timeline clientTime %s, export %s (captured %s)", got, want, captured)
		}
	}
	if n != 1 {
		t.Fatalf("timeline has %d submissions: %s", n, b)
	}
	if want.Sub(captured).Abs() > time.Second {
		t.Errorf("clientTime %s is not the capture time %s", want, captured)
	}
}
