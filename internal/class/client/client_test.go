package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
)

func TestCredentialsFileMode(t *testing.T) {
	dir := t.TempDir()
	if c, err := client.LoadCredentials(dir); c != nil || err != nil {
		t.Fatalf("no credentials yet: %v %v", c, err)
	}
	if err := client.SaveCredentials(dir, client.Credentials{Server: "http://x", Token: "dss_t", RosterID: "1"}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(client.CredentialsFile(dir))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials mode %v %v", fi.Mode(), err)
	}
	c, err := client.LoadCredentials(dir)
	if err != nil || c.Token != "dss_t" {
		t.Fatalf("load: %+v %v", c, err)
	}
	m1, _ := client.MachineID(dir)
	m2, _ := client.MachineID(dir)
	if m1 == "" || m1 != m2 {
		t.Fatalf("machine id not stable: %q %q", m1, m2)
	}
	if err := client.RemoveCredentials(dir); err != nil {
		t.Fatal(err)
	}
	if c, _ := client.LoadCredentials(dir); c != nil {
		t.Fatal("credentials survived leave")
	}
}

// TestOutboxKeepsUntilAcked: items wait while the server is down or busy,
// drain in order when it answers, and a refused item is moved aside.
func TestOutboxKeepsUntilAcked(t *testing.T) {
	var mode string
	var got []api.SubmitRequest
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req api.SubmitRequest
		json.NewDecoder(r.Body).Decode(&req)
		switch {
		case mode == "busy":
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(api.Error{Error: "바쁨", Code: "busy"})
		case req.Exercise == "bad":
			w.WriteHeader(http.StatusUnprocessableEntity)
			json.NewEncoder(w).Encode(api.Error{Error: "스냅숏이 올바르지 않습니다", Code: "bad-snapshot"})
		default:
			if r.Header.Get("Authorization") != "Bearer tok" || req.SentAt.IsZero() {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			got = append(got, req)
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(api.SubmitResponse{ID: int64(len(got)), Exercise: req.Exercise})
		}
	}))
	defer hs.Close()
	c := client.New(client.Credentials{Server: hs.URL, Token: "tok"}, t.TempDir())
	snap := json.RawMessage(`{"version":1}`)
	for _, ex := range []string{"a", "bad", "c"} {
		if _, err := c.Outbox.Enqueue(ex, snap, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	mode = "busy"
	res, err := c.Drain(context.Background())
	if err == nil || res.Pending != 3 || len(got) != 0 {
		t.Fatalf("busy server: %+v %v", res, err)
	}
	mode = ""
	res, err = c.Drain(context.Background())
	if err != nil || len(res.Acked) != 2 || len(res.Rejected) != 1 || res.Pending != 0 {
		t.Fatalf("drain: %+v %v", res, err)
	}
	if got[0].Exercise != "a" || got[1].Exercise != "c" || got[0].IdempotencyKey == got[1].IdempotencyKey {
		t.Fatalf("order/keys: %+v", got)
	}
	if p, _ := c.Outbox.Pending(); len(p) != 0 {
		t.Fatalf("%d still pending", len(p))
	}
	rej, _ := c.Outbox.Rejected()
	if len(rej) != 1 {
		t.Fatalf("rejected: %v", rej)
	}
	reason, _ := os.ReadFile(filepath.Join(c.Outbox.Dir, "rejected", rej[0]+".reason.txt"))
	if string(reason) != "스냅숏이 올바르지 않습니다 (HTTP 422 bad-snapshot)\n" {
		t.Fatalf("reason %q", reason)
	}
	// Server unreachable: the item stays.
	hs.Close()
	c.Outbox.Enqueue("d", snap, time.Now())
	if res, err := c.Drain(context.Background()); err == nil || res.Pending != 1 {
		t.Fatalf("unreachable: %+v %v", res, err)
	}
}

// TestOutboxKeepsOneOfTheSameSnapshot: submitting an unchanged cluster
// again while the first submission still waits adds nothing (issue 12:
// six `class submit --all` runs with the server down queued 15 copies);
// the earlier item, with its capture time and key, is the one kept. A
// changed snapshot is queued, and a change back is queued again.
func TestOutboxKeepsOneOfTheSameSnapshot(t *testing.T) {
	box := client.Outbox{Dir: t.TempDir()}
	t0 := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	snapAt := func(at time.Time, label string) json.RawMessage {
		return json.RawMessage(`{"version":1,"capturedAt":"` + at.Format(time.RFC3339) + `","nodes":[{"name":"dslab-worker","labels":{"hardware":"` + label + `"},"ready":true}]}`)
	}
	first, err := box.Enqueue("ds-basics", snapAt(t0, "gpu"), t0)
	if err != nil || first.Waiting {
		t.Fatalf("first: %+v %v", first, err)
	}
	for i := 1; i <= 5; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		again, err := box.Enqueue("ds-basics", snapAt(at, "gpu"), at)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Waiting || again.IdempotencyKey != first.IdempotencyKey || !again.CreatedAt.Equal(t0) {
			t.Fatalf("run %d: got %+v, want the waiting first item (key %s, captured %v)", i, again, first.IdempotencyKey, t0)
		}
	}
	// Another exercise with the same snapshot is its own submission.
	if other, err := box.Enqueue("node-selector", snapAt(t0, "gpu"), t0); err != nil || other.Waiting {
		t.Fatalf("other exercise: %+v %v", other, err)
	}
	// A change is queued; changing back is a change too (A, B, A).
	for _, label := range []string{"ssd", "gpu"} {
		if it, err := box.Enqueue("ds-basics", snapAt(t0.Add(time.Hour), label), t0.Add(time.Hour)); err != nil || it.Waiting {
			t.Fatalf("changed to %s: %+v %v", label, it, err)
		}
	}
	items, err := box.Pending()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		var s struct {
			Nodes []struct{ Labels map[string]string }
		}
		json.Unmarshal(it.Snapshot, &s)
		got = append(got, it.Exercise+"="+s.Nodes[0].Labels["hardware"])
	}
	want := []string{"ds-basics=gpu", "node-selector=gpu", "ds-basics=ssd", "ds-basics=gpu"}
	if !slices.Equal(got, want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	// Once the waiting item is sent (gone from the outbox), the same
	// snapshot is queued again: the server decides whether it is new.
	for _, it := range items {
		os.Remove(it.File)
	}
	if it, err := box.Enqueue("ds-basics", snapAt(t0, "gpu"), t0); err != nil || it.Waiting {
		t.Fatalf("after sending: %+v %v", it, err)
	}
}
