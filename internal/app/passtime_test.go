package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
)

// Trainee trial (issue 14): after passing an exercise again, grade --all
// said "통과 기록(<first pass>)의 스냅숏을 다시 채점했습니다" while the
// record's snapshot is the last pass's (the cluster's record is replaced on
// every pass; its PassedAt stays the first pass, the time dslab progress
// gives). The note names each time for what it is; a record whose
// snapshot is the first pass's keeps one time.
func TestRegradedPassNamesItsSnapshotsTime(t *testing.T) {
	exs := catalog(t)
	ex := outcomeExercise(t, exs, "control-plane")
	snap := fixtureSnapshot(t, "control-plane", "seed-master-only")
	first := time.Date(2026, 12, 1, 1, 10, 0, 0, time.UTC)
	const layout = "2006-01-02 15:04"
	for _, tc := range []struct {
		name     string
		captured time.Time
		want     string
		never    string
	}{
		{"passed again later", first.Add(20 * time.Minute),
			"마지막 통과 기록(" + first.Add(20*time.Minute).Local().Format(layout) + ")의 스냅숏을 다시 채점했습니다 (처음 통과 " + first.Local().Format(layout) + ")",
			"통과 기록(" + first.Local().Format(layout) + ")의 스냅숏"},
		{"snapshot of the first pass", first.Add(5 * time.Second),
			"통과 기록(" + first.Local().Format(layout) + ")의 스냅숏을 다시 채점했습니다", "마지막"},
		{"older record without a capture time", time.Time{},
			"통과 기록(" + first.Local().Format(layout) + ")의 스냅숏을 다시 채점했습니다", "마지막"},
	} {
		s := snap
		s.CapturedAt = tc.captured
		b := kube.Bundle{Passes: map[string]kube.Evidence{ex.ID: {Exercise: ex.ID, PassedAt: first, Snapshot: s}}}
		o := outcomeOf(t, gradeBundle(exs, b), ex.ID)
		notes := strings.Join(outcomeResult(ex, o).Notes, "\n")
		if !strings.Contains(notes, tc.want) {
			t.Errorf("%s: notes lack %q:\n%s", tc.name, tc.want, notes)
		}
		if strings.Contains(notes, tc.never) {
			t.Errorf("%s: notes say %q:\n%s", tc.name, tc.never, notes)
		}
	}
}
