package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestTimelineSkipsResendsInCaptureOrder is issue 12's instructor trial:
// s1's record repeated "02:20 ds-basics ✔ 통과" after the 02:21 gpu-only
// lines — an outbox item captured at 02:20 with the same result, received
// a minute later. A re-send of the same result is not a new line, and the
// record is in capture order (a late-received capture goes where it was
// taken). Nor does it list the class-wide 참가 닫기/열기.
func TestTimelineSkipsResendsInCaptureOrder(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	s1 := f.join("s1", "machine-s1")
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	send := func(key, ex string, snap json.RawMessage, captured time.Time) {
		t.Helper()
		body := mustJSON(api.SubmitRequest{IdempotencyKey: key, Exercise: ex, CreatedAt: captured, SentAt: time.Now(), Snapshot: snap})
		if code, b := f.do("POST", api.PathSubmissions, s1.Token, body); code != http.StatusCreated {
			t.Fatalf("submit %s: %d %s", key, code, b)
		}
	}
	// The same cluster state in another capture (what a re-send of a
	// queued capture is): a field the grade does not read differs.
	var other map[string]any
	json.Unmarshal(snapshot(t, "ds-basics", "solution"), &other)
	other["context"] = "dslab-again"

	send("key-s1-pass-00000001", "ds-basics", snapshot(t, "ds-basics", "solution"), base.Add(20*time.Second))
	send("key-s1-gpu-000000001", "gpu-only", snapshot(t, "gpu-only", "key-typo"), base.Add(80*time.Second))
	send("key-s1-pass-00000002", "ds-basics", mustJSON(other), base.Add(42*time.Second))
	send("key-s1-typo-00000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"), base.Add(50*time.Second))
	for _, kind := range []string{api.CommandCloseJoin, api.CommandOpenJoin, api.CommandBroadcast} {
		if code, b := f.command(f.instructor, api.CommandRequest{Kind: kind, Message: map[bool]string{true: "쉬는 시간"}[kind == api.CommandBroadcast]}); code != http.StatusCreated {
			t.Fatalf("%s: %d %s", kind, code, b)
		}
	}
	if n := f.count(); n != 4 {
		t.Fatalf("%d submissions stored, want 4 (the re-send is stored and counted)", n)
	}

	code, body := f.do("GET", api.PathTimeline+"s1", f.instructor, nil)
	if code != 200 {
		t.Fatalf("timeline: %d %s", code, body)
	}
	var tl api.Timeline
	if err := json.Unmarshal(body, &tl); err != nil {
		t.Fatal(err)
	}
	var got, cmds []string
	for _, e := range tl.Entries {
		if v := e.Submission; v != nil {
			got = append(got, v.Exercise+" "+v.Status+" "+v.ClientTime.Sub(base).String())
		}
		if c := e.Command; c != nil {
			cmds = append(cmds, c.Kind)
		}
	}
	// A student's record does not list the class's 참가 닫기/열기 (issue
	// 12); a broadcast reached the student and stays.
	if len(cmds) != 1 || cmds[0] != api.CommandBroadcast {
		t.Fatalf("timeline commands %q, want only the broadcast", cmds)
	}
	want := []string{"ds-basics passed 20s", "ds-basics failed 50s", "gpu-only failed 1m20s"}
	if len(got) != len(want) {
		t.Fatalf("timeline submissions %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("timeline submissions %q, want %q", got, want)
		}
	}
}
