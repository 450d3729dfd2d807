package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// withoutDaemonSets is fixture ex/name with its DaemonSets and pods
// removed (a `kubectl delete` of the DaemonSet), captured at capturedAt;
// a non-zero baseline time sets the baseline's (a new start or reset).
func withoutDaemonSets(t *testing.T, ex, name string, capturedAt, baseline time.Time, attempts *int) json.RawMessage {
	t.Helper()
	var snap grader.Snapshot
	if err := json.Unmarshal(snapshot(t, ex, name), &snap); err != nil {
		t.Fatal(err)
	}
	snap.DaemonSets, snap.Pods, snap.CapturedAt, snap.Attempts = nil, nil, capturedAt, attempts
	if !baseline.IsZero() {
		snap.Baseline.Recorded = baseline
	}
	return mustJSON(snap)
}

// TestMisplacedOrDeletedDaemonSetIsAFailure is issue 12's instructor trial:
// a DaemonSet applied in namespace default was stored "not started" (the
// board's "○ 시작 전 (연습을 열었음 / 초기화함)") while the student's
// `dslab grade` explained it, and a `kubectl delete` after an attempt gave
// the same quiet line. The stored status follows the grader (a copy in
// another namespace is a failure with its reason) and a DaemonSet absent
// after an attempt under the same baseline is a failure; only an open or a
// reset (a new baseline, nothing attempted since) stays not started —
// also after a re-grade of the class.
func TestMisplacedOrDeletedDaemonSetIsAFailure(t *testing.T) {
	f := newFixture(t)
	kim := f.join("20260001", "machine-kim")
	lee := f.join("20260002", "machine-lee")
	n := func(v int) *int { return &v }
	var base grader.Snapshot
	json.Unmarshal(snapshot(t, "ds-basics", "solution"), &base)
	t0 := base.CapturedAt

	code, r, body := f.submit(kim.Token, "key-kim-misplaced-01", "ds-basics", snapshot(t, "ds-basics", "wrong-namespace"))
	if code != 201 || r.Status != api.StatusFailed {
		t.Fatalf("DaemonSet in default: %d %s, want %s", code, body, api.StatusFailed)
	}
	if ff := r.Result.FirstFailure(); !strings.Contains(ff, "네임스페이스 default") {
		t.Fatalf("first failure %q does not name the namespace", ff)
	}
	// She deletes it (kubectl delete): nothing of it left, same baseline.
	code, r, body = f.submit(kim.Token, "key-kim-misplaced-02", "ds-basics", withoutDaemonSets(t, "ds-basics", "solution", t0.Add(time.Minute), time.Time{}, nil))
	if code != 201 || r.Status != api.StatusFailed {
		t.Fatalf("deleted after an attempt: %d %s, want %s", code, body, api.StatusFailed)
	}
	if ff := r.Result.FirstFailure(); !strings.Contains(ff, "없습니다") || strings.HasPrefix(ff, "시작 전") {
		t.Fatalf("first failure after the delete %q", ff)
	}
	// A reset (new baseline) is the quiet not-started line again.
	code, r, body = f.submit(kim.Token, "key-kim-misplaced-03", "ds-basics", withoutDaemonSets(t, "ds-basics", "solution", t0.Add(2*time.Minute), t0.Add(110*time.Second), n(3)))
	if code != 201 || r.Status != api.StatusNotStarted {
		t.Fatalf("after a reset: %d %s, want %s", code, body, api.StatusNotStarted)
	}

	// 이: opens the exercise (not started), then applies something the
	// lab counts that left no DaemonSet, then nothing changes: the open
	// is not started, the later capture with more applies is a failure.
	code, r, body = f.submit(lee.Token, "key-lee-misplaced-01", "ds-basics", withoutDaemonSets(t, "ds-basics", "solution", t0.Add(time.Minute), time.Time{}, n(1)))
	if code != 201 || r.Status != api.StatusNotStarted {
		t.Fatalf("opened: %d %s, want %s", code, body, api.StatusNotStarted)
	}
	code, r, body = f.submit(lee.Token, "key-lee-misplaced-02", "ds-basics", withoutDaemonSets(t, "ds-basics", "solution", t0.Add(2*time.Minute), time.Time{}, n(2)))
	if code != 201 || r.Status != api.StatusFailed {
		t.Fatalf("an apply since the open: %d %s, want %s", code, body, api.StatusFailed)
	}

	want := map[string]string{}
	subs, err := f.st.Submissions(context.Background(), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		want[s.IdempotencyKey] = s.Status
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Regrade(context.Background(), f.st, cat, "test-next"); err != nil {
		t.Fatal(err)
	}
	subs, err = f.st.Submissions(context.Background(), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.Status != want[s.IdempotencyKey] {
			t.Errorf("%s after a re-grade: %s, want %s", s.IdempotencyKey, s.Status, want[s.IdempotencyKey])
		}
	}
}
