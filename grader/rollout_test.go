package grader

import (
	"testing"
	"time"
)

func TestRecordingCovered(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	rec := Recording{Interval: 2 * time.Second, Running: true}
	for _, s := range []float64{0.5, 2.5, 4.5, 6.5 /* gap */, 30.5, 32.5} {
		rec.Samples = append(rec.Samples, Sample{Time: at(s)})
	}
	captured := at(34)
	cases := []struct {
		t    float64
		want bool
	}{
		{-5, false}, // before the recorder started
		{0, true},   // the change second overlaps the first sample
		{3, true},
		{5, true},
		{6, false},  // [6 s, 7 s) reaches into the gap: not known
		{10, false}, // inside the 24 s gap
		{29, false},
		{31, true},
		{33, true},  // after the last sample, recorder running, recent
		{40, false}, // after the capture
	}
	for _, c := range cases {
		if got := rec.Covered(at(c.t), captured); got != c.want {
			t.Errorf("Covered(+%vs) = %v, want %v", c.t, got, c.want)
		}
	}
	rec.Running = false
	if rec.Covered(at(33), captured) {
		t.Error("after the last sample of a stopped recorder must not be covered")
	}
	if (Recording{}).Covered(at(1), captured) {
		t.Error("an empty recording covers nothing")
	}
}
