package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
)

func TestDue(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := sent{status: "failed", score: 3, at: t0}
	cases := []struct {
		name string
		ok   bool
		o    Offer
		want time.Time
	}{
		{"first", false, Offer{Status: "failed", Score: 3}, time.Time{}},
		{"score changed", true, Offer{Status: "failed", Score: 5}, t0.Add(3 * time.Second)},
		{"status changed", true, Offer{Status: "not-started", Score: 3}, t0.Add(3 * time.Second)},
		{"passed: at once", true, Offer{Status: "passed", Score: 3}, time.Time{}},
		{"unchanged", true, Offer{Status: "failed", Score: 3}, t0.Add(time.Minute)},
	}
	for _, c := range cases {
		if got := due(l, c.ok, c.o, 3*time.Second, time.Minute); !got.Equal(c.want) {
			t.Errorf("%s: due %v, want %v", c.name, got, c.want)
		}
	}
}

// fakeServer records submissions; while down it answers 503.
type fakeServer struct {
	mu   sync.Mutex
	got  []api.SubmitRequest
	down atomic.Bool
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.down.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var req api.SubmitRequest
	json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	f.got = append(f.got, req)
	n := len(f.got)
	f.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(api.SubmitResponse{ID: int64(n), Exercise: req.Exercise})
}

func (f *fakeServer) submissions() []api.SubmitRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]api.SubmitRequest(nil), f.got...)
}

func (f *fakeServer) count(ex string) int {
	n := 0
	for _, s := range f.submissions() {
		if s.Exercise == ex {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSettleDue: an unsettled failing offer waits quiet after it came; a
// settled one and a pass do not wait.
func TestSettleDue(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		o    Offer
		want time.Time
	}{
		{"settled", Offer{Status: "failed", Score: 4}, time.Time{}},
		{"unsettled failure", Offer{Status: "failed", Score: 4, Unsettled: true}, t0.Add(5 * time.Second)},
		{"unsettled not started", Offer{Status: "not-started", Unsettled: true}, t0.Add(5 * time.Second)},
		{"unsettled pass", Offer{Status: "passed", Score: 10, Unsettled: true}, time.Time{}},
	}
	for _, c := range cases {
		if got := settleDue(c.o, t0, 5*time.Second); !got.Equal(c.want) {
			t.Errorf("%s: due %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAutoSubmitterWaitsForSettled: grades of a rollout under way
// (4/10, 8/10) are not sent; the settled one is, once; a pass after it is
// sent at once although MinGap has not passed; an unsettled grade with no
// newer one is sent after Quiet (issue 12: one edit made two submissions).
func TestAutoSubmitterWaitsForSettled(t *testing.T) {
	fs := &fakeServer{}
	hs := httptest.NewServer(fs)
	defer hs.Close()
	c := New(Credentials{Server: hs.URL, Token: "tok"}, t.TempDir())
	a := NewAutoSubmitter(AutoConfig{Client: c, MinGap: time.Hour, Quiet: time.Hour, Heartbeat: time.Hour, Retry: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	mid := func(ex string, score int, ctxName string) Offer {
		o := offer(ex, "failed", score)
		o.Unsettled, o.Snapshot.Context = true, ctxName
		return o
	}
	a.Offer(mid("ds-basics", 4, "mid-4"))
	a.Offer(offer("taints", "failed", 2))
	waitFor(t, "the other exercise", func() bool { return fs.count("taints") == 1 })
	a.Offer(mid("ds-basics", 8, "mid-8"))
	a.Offer(offer("node-selector", "failed", 3))
	waitFor(t, "a third exercise", func() bool { return fs.count("node-selector") == 1 })
	if n := fs.count("ds-basics"); n != 0 {
		t.Fatalf("%d grades of a rollout under way were sent", n)
	}
	settled := offer("ds-basics", "failed", 8)
	settled.Snapshot.Context = "settled-8"
	a.Offer(settled)
	waitFor(t, "the settled grade", func() bool { return fs.count("ds-basics") == 1 })
	passed := offer("ds-basics", "passed", 10)
	passed.Snapshot.Context = "passed"
	a.Offer(passed)
	waitFor(t, "the pass, without MinGap", func() bool { return fs.count("ds-basics") == 2 })
	var got []string
	for _, s := range fs.submissions() {
		if s.Exercise == "ds-basics" {
			var snap grader.Snapshot
			json.Unmarshal(s.Snapshot, &snap)
			got = append(got, snap.Context)
		}
	}
	if len(got) != 2 || got[0] != "settled-8" || got[1] != "passed" {
		t.Fatalf("sent %q, want the settled grade and the pass", got)
	}

	// Quiet: an unsettled grade that nothing replaces is sent.
	b := NewAutoSubmitter(AutoConfig{Client: c, MinGap: time.Hour, Quiet: 30 * time.Millisecond, Heartbeat: time.Hour, Retry: 20 * time.Millisecond})
	bctx, bcancel := context.WithCancel(context.Background())
	bdone := make(chan struct{})
	go func() { b.Run(bctx); close(bdone) }()
	defer func() { bcancel(); <-bdone }()
	b.Offer(mid("image-update", 6, "stuck"))
	waitFor(t, "the quiet period", func() bool { return fs.count("image-update") == 1 })
}

func offer(ex, status string, score int) Offer {
	return Offer{Exercise: ex, Status: status, Score: score,
		Snapshot: grader.Snapshot{Version: 1, CapturedAt: time.Now(), Context: "kind-dslab", Nodes: []grader.Node{{Name: "dslab-worker"}}}}
}

func TestAutoSubmitterThrottlesAndRetries(t *testing.T) {
	fs := &fakeServer{}
	hs := httptest.NewServer(fs)
	defer hs.Close()
	c := New(Credentials{Server: hs.URL, Token: "tok"}, t.TempDir())
	a := NewAutoSubmitter(AutoConfig{Client: c, MinGap: 20 * time.Millisecond, Heartbeat: time.Hour, Retry: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var identified atomic.Int32
	identify := func(context.Context) (string, error) { identified.Add(1); return "kube-system-uid-1", nil }
	o := offer("ds-basics", "failed", 0)
	o.Identify = identify
	a.Offer(o)
	waitFor(t, "the first grade", func() bool { return fs.count("ds-basics") == 1 })

	// The same status and score again: not before the heartbeat. Another
	// exercise's offer after it shows that it was considered.
	o = offer("ds-basics", "failed", 0)
	o.Identify = identify
	a.Offer(o)
	a.Offer(offer("taints", "failed", 2))
	waitFor(t, "the other exercise", func() bool { return fs.count("taints") == 1 })
	if n := fs.count("ds-basics"); n != 1 {
		t.Fatalf("an unchanged grade was sent again before the heartbeat: %d submissions", n)
	}

	// A change is sent; the server is down meanwhile: it waits in the
	// outbox and drains when the server is back.
	fs.down.Store(true)
	o = offer("ds-basics", "passed", 10)
	o.Identify = identify
	a.Offer(o)
	waitFor(t, "the outbox to hold the change", func() bool { p, _ := c.Outbox.Pending(); return len(p) == 1 })
	fs.down.Store(false)
	waitFor(t, "the retry", func() bool { return fs.count("ds-basics") == 2 })
	waitFor(t, "the outbox to drain", func() bool { p, _ := c.Outbox.Pending(); return len(p) == 0 })

	subs := fs.submissions()
	var last grader.Snapshot
	for _, s := range subs {
		if s.Exercise == "ds-basics" {
			json.Unmarshal(s.Snapshot, &last)
		}
	}
	if last.ClusterUID != "kube-system-uid-1" {
		t.Fatalf("cluster identity not filled in: %q", last.ClusterUID)
	}
	if n := identified.Load(); n != 1 {
		t.Fatalf("cluster identity looked up %d times, want once per context", n)
	}
}

// TestAutoSubmitterStopsWhenRemoved: a server answering 410 removed (the
// instructor took the student off the roster) stops the auto-submitter
// after one call of OnRemoved with the server's Korean message; the
// offer stays in the outbox (not rejected).
func TestAutoSubmitterStopsWhenRemoved(t *testing.T) {
	var calls atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusGone)
		json.NewEncoder(w).Encode(api.Error{Error: "강사가 학번 x 학생을 수업 명단에서 뺐습니다", Code: api.CodeRemoved})
	}))
	defer hs.Close()
	c := New(Credentials{Server: hs.URL, Token: "tok"}, t.TempDir())
	var removed []error
	a := NewAutoSubmitter(AutoConfig{Client: c, MinGap: time.Millisecond, Heartbeat: time.Hour, Retry: time.Millisecond,
		OnRemoved: func(err error) { removed = append(removed, err) }})
	done := make(chan struct{})
	go func() { a.Run(context.Background()); close(done) }()
	a.Offer(offer("ds-basics", "failed", 0))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the auto-submitter went on after the server said the student was removed")
	}
	if len(removed) != 1 || !IsRemoved(removed[0]) || removed[0].Error() != "강사가 학번 x 학생을 수업 명단에서 뺐습니다 (HTTP 410 removed)" {
		t.Fatalf("OnRemoved got %v", removed)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d calls to the server, want 1", n)
	}
	if p, _ := c.Outbox.Pending(); len(p) != 1 {
		t.Fatalf("outbox: %d pending, want the offer kept", len(p))
	}
	if r, _ := c.Outbox.Rejected(); len(r) != 0 {
		t.Fatalf("rejected: %v", r)
	}
}
