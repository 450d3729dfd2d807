package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// withCapturedAt is snap with capturedAt set to at: the same cluster
// state captured at another time.
func withCapturedAt(t *testing.T, snap json.RawMessage, at time.Time) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(snap, &m); err != nil {
		t.Fatal(err)
	}
	m["capturedAt"] = at.UTC().Format(time.RFC3339Nano)
	return mustJSON(m)
}

// TestSameCaptureStoredOnce (issue 12: a student's capture sent twice — an
// outbox flush after an outage and a new submit of the same content — was
// stored twice and counted as two attempts). Two kinds:
//   - the same capture (same bytes) sent again under a new key after
//     another submission: answered 200 Duplicate with the first one, not
//     stored;
//   - the same content sent at once by several processes under their own
//     keys and capture times: one is stored, the others are answered with
//     it (each student's submissions are serialized from the check to the
//     store).
func TestSameCaptureStoredOnce(t *testing.T) {
	f := newFixture(t)
	a := f.join("s1", "machine-s1")
	x := withCapturedAt(t, snapshot(t, "ds-basics", "image-typo"), time.Now().Add(-time.Minute))
	y := snapshot(t, "ds-basics", "solution")

	code, first, body := f.submit(a.Token, "key-capture-0000001", "ds-basics", x)
	if code != http.StatusCreated {
		t.Fatalf("first: %d %s", code, body)
	}
	if code, _, body := f.submit(a.Token, "key-capture-0000002", "ds-basics", y); code != http.StatusCreated {
		t.Fatalf("second (other content): %d %s", code, body)
	}
	code, again, body := f.submit(a.Token, "key-capture-0000003", "ds-basics", x)
	if code != http.StatusOK || !again.Duplicate || again.ID != first.ID || again.Score != first.Score {
		t.Fatalf("the first capture again under a new key: %d %s, want 200 duplicate of %d", code, body, first.ID)
	}
	if n := f.count(); n != 2 {
		t.Fatalf("%d submissions stored, want 2", n)
	}

	// Several at once with the same content (each its own capture time
	// and key): one new submission.
	b := f.join("s2", "machine-s2")
	z := snapshot(t, "ds-basics", "image-typo")
	const n = 12
	start := time.Now()
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		body := submitBody(fmt.Sprintf("key-concurrent-%06d", i), "ds-basics", withCapturedAt(t, z, start.Add(time.Duration(i)*time.Millisecond)), start)
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", f.srv.URL+api.PathSubmissions, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+b.Token)
			resp, err := f.srv.Client().Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	created := 0
	for i, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("submission %d: status %d", i, c)
		}
	}
	if created != 1 || f.count() != 3 {
		t.Fatalf("%d of %d concurrent same-content submissions created, %d stored in all; want 1 and 3", created, n, f.count())
	}
}
