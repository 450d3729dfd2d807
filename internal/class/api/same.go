package api

import (
	"bytes"
	"encoding/json"
)

// snapshotCaptureField is the top-level field of a grader.Snapshot that
// says when it was taken, not what the cluster was (grader.Snapshot.CapturedAt).
const snapshotCaptureField = "capturedAt"

// SameSnapshot reports whether two raw grader.Snapshot JSON documents
// describe the same cluster state: equal after dropping capturedAt (the
// capture time), whatever their key order and whitespace. hintsUsed stays
// in the comparison: a newly opened hint is news for the board. Issue 12:
// `dslab class submit --all` run six times against an unchanged cluster
// while the server was down queued and stored six copies, counted as six
// attempts. The client's outbox (client.Outbox.Enqueue) and the server's
// submission path (server.handleSubmit) both use it. Either document not
// being a JSON object is never the same.
func SameSnapshot(a, b json.RawMessage) bool {
	ca, ok := snapshotContent(a)
	if !ok {
		return false
	}
	cb, ok := snapshotContent(b)
	return ok && bytes.Equal(ca, cb)
}

// snapshotContent is raw without its capture time, re-encoded canonically
// (object keys sorted, numbers kept exact).
func snapshotContent(raw json.RawMessage) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	delete(m, snapshotCaptureField)
	b, err := json.Marshal(m)
	return b, err == nil
}
