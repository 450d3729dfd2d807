package lab

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// TestReasonAtTellsTheAgeNow: the node row of a pod graded at its
// creation states its age as of now — the grader's own words, so that a
// change of them fails here — and leaves texts without an age alone.
func TestReasonAtTellsTheAgeNow(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("noexecute-churn")
	if err != nil {
		t.Fatal(err)
	}
	l := gradertest.NewLab("dslab")
	l.StartExercise(ex)
	l.Solve(ex)
	for _, tick := range []time.Duration{0, 5 * time.Second} {
		l.Tick(tick)
		snap := l.Snapshot()
		m := BuildNodeMap(ex, snap, grader.Grade(ex.Spec, snap))
		var aged []NodeRow
		for _, r := range m.Rows {
			if !r.Since.IsZero() {
				aged = append(aged, r)
			} else if r.ReasonAt(snap.CapturedAt.Add(time.Hour)) != r.Reason {
				t.Errorf("%s: a reason without an age changed with time: %q", r.Name, r.Reason)
			}
		}
		if len(aged) == 0 {
			t.Fatalf("no row states the pod's age: %+v", m.Rows)
		}
		for _, r := range aged {
			now := snap.CapturedAt.Add(12 * time.Second)
			got := r.ReasonAt(now)
			age := int(snap.CapturedAt.Sub(r.Since).Seconds())
			if !strings.Contains(r.Reason, fmt.Sprintf("만들어진 지 %d초", age)) {
				t.Fatalf("%s: the grade's words changed: %q (age %d s)", r.Name, r.Reason, age)
			}
			want := fmt.Sprintf("만들어진 지 %d초", age+12)
			if !strings.Contains(got, want) {
				t.Errorf("%s 12 s after the grade: %q, want %q in it (grade: %q)", r.Name, got, want, r.Reason)
			}
			if r.ReasonAt(snap.CapturedAt) != r.Reason || r.ReasonAt(time.Time{}) != r.Reason {
				t.Errorf("%s: the reason changed at the capture time", r.Name)
			}
		}
	}
}
