package kube

import (
	"testing"
	"time"
)

// The local records keep the best pass (higher score, then earlier) and
// the newest failing grade, and Load marks what it read as local.
func TestLocalRecordsKeepBestPassAndNewestAttempt(t *testing.T) {
	l := LocalRecords{Dir: t.TempDir()}
	t0 := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.SavePass(Evidence{Exercise: "gpu-only", PassedAt: t0.Add(time.Hour), Score: 8, MaxScore: 10}))
	must(l.SavePass(Evidence{Exercise: "gpu-only", PassedAt: t0.Add(2 * time.Hour), Score: 10, MaxScore: 10}))
	must(l.SavePass(Evidence{Exercise: "gpu-only", PassedAt: t0, Score: 10, MaxScore: 10}))
	must(l.SavePass(Evidence{Exercise: "gpu-only", PassedAt: t0.Add(3 * time.Hour), Score: 10, MaxScore: 10}))
	must(l.SaveAttempt(Attempt{Exercise: "gpu-only", GradedAt: t0.Add(time.Minute), Score: 3}))
	must(l.SaveAttempt(Attempt{Exercise: "gpu-only", GradedAt: t0, Score: 5}))
	must(l.Keep(map[string]Evidence{"taints": {Exercise: "taints", PassedAt: t0, Score: 10}},
		map[string]Attempt{"taints": {Exercise: "taints", GradedAt: t0, Score: 2}}))
	passes, attempts, err := l.Load()
	must(err)
	if p := passes["gpu-only"]; p.Score != 10 || !p.PassedAt.Equal(t0) || p.Source != SourceLocal {
		t.Errorf("gpu-only pass: %+v, want score 10 at %v from %q", p, t0, SourceLocal)
	}
	if a := attempts["gpu-only"]; a.Score != 3 || a.Source != SourceLocal {
		t.Errorf("gpu-only attempt: %+v, want the newer (score 3)", a)
	}
	if len(passes) != 2 || passes["taints"].Score != 10 || attempts["taints"].Score != 2 {
		t.Errorf("kept cluster records: %+v %+v", passes, attempts)
	}
	// A zero store keeps and loads nothing.
	var zero LocalRecords
	must(zero.SavePass(Evidence{Exercise: "x"}))
	if p, a, err := zero.Load(); err != nil || len(p)+len(a) != 0 {
		t.Errorf("zero store: %v %v %v", p, a, err)
	}
}
