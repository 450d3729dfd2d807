package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	if string(reason) != "스냅숏이 올바르지 않습니다\n" {
		t.Fatalf("reason %q", reason)
	}
	// Server unreachable: the item stays.
	hs.Close()
	c.Outbox.Enqueue("d", snap, time.Now())
	if res, err := c.Drain(context.Background()); err == nil || res.Pending != 1 {
		t.Fatalf("unreachable: %+v %v", res, err)
	}
}
