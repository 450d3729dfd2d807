package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/kube"
)

// On a new cluster, the pass kept from the earlier one wins over the new
// cluster's failing attempt record (issue 14: gpu-only passed again and
// was listed as "마지막 시도 기록(… 통과하지 못한 채점)"), and the note
// says the record is the earlier cluster's; of two attempts the newer
// wins whichever side holds it.
func TestLocalRecordsWinOverNewClusterAttempt(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("control-plane")
	t0 := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	failing := attemptFixture(t, "control-plane", "seed-master-only")
	passing := attemptFixture(t, "control-plane", "solution")
	passes := map[string]kube.Evidence{}
	attempts := map[string]kube.Attempt{"control-plane": {Exercise: "control-plane", GradedAt: t0.Add(time.Hour), Snapshot: failing}}
	mergeLocalRecords(passes, attempts,
		map[string]kube.Evidence{"control-plane": {Exercise: "control-plane", PassedAt: t0, Snapshot: passing, Source: kube.SourceLocal}},
		map[string]kube.Attempt{"control-plane": {Exercise: "control-plane", GradedAt: t0, Snapshot: failing, Source: kube.SourceLocal}})
	if attempts["control-plane"].Source == kube.SourceLocal {
		t.Errorf("the older local attempt replaced the cluster's newer one")
	}
	o := gradeBundle([]exercises.Exercise{ex}, kube.Bundle{Passes: passes, Attempts: attempts})[0]
	if o.Status != statusPassed {
		t.Fatalf("status %s, want passed: %+v", o.Status, o)
	}
	notes := strings.Join(outcomeResult(ex, o).Notes, " ")
	if !strings.Contains(notes, "이전 클러스터의 기록") || strings.Contains(notes, "통과하지 못한") {
		t.Errorf("notes: %q", notes)
	}
	mergeLocalRecords(passes, attempts, nil, map[string]kube.Attempt{"control-plane": {Exercise: "control-plane", GradedAt: t0.Add(2 * time.Hour), Source: kube.SourceLocal}})
	if attempts["control-plane"].Source != kube.SourceLocal {
		t.Errorf("a newer local attempt did not win")
	}
}
