package app

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
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

// A pass on the current cluster wins over the pass kept from an earlier
// cluster: after `cluster down`/`up` and passing again, `grade --all`
// grades the live state and no longer says "이전 클러스터의 기록"
// (issue 14); a live state that does not pass keeps the earlier pass.
func TestLivePassWinsOverEarlierClusterPass(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("control-plane")
	t0 := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	passing := attemptFixture(t, "control-plane", "solution")
	failing := attemptFixture(t, "control-plane", "seed-master-only")
	b := kube.Bundle{
		Passes:  map[string]kube.Evidence{"control-plane": {Exercise: "control-plane", PassedAt: t0, Snapshot: passing, Source: kube.SourceLocal}},
		Current: &kube.Current{Exercise: "control-plane", Started: t0.Add(time.Hour)},
		Live:    &passing,
	}
	o := gradeBundle([]exercises.Exercise{ex}, b)[0]
	notes := strings.Join(outcomeResult(ex, o).Notes, " ")
	if o.Status != statusPassed || o.local || strings.Contains(notes, "이전 클러스터") {
		t.Errorf("live pass: status %s local %v notes %q, want the live pass", o.Status, o.local, notes)
	}
	b.Live = &failing
	o = gradeBundle([]exercises.Exercise{ex}, b)[0]
	notes = strings.Join(outcomeResult(ex, o).Notes, " ")
	if o.Status != statusPassed || !strings.Contains(notes, "이전 클러스터의 기록") {
		t.Errorf("failing live state: status %s notes %q, want the earlier pass kept", o.Status, notes)
	}
}

// `dslab grade <current>` below the pass mark names the pass the progress
// keeps, as the TUI's "기록: ✓ 통과 10/10" does (issue 14).
func TestEarlierPassNote(t *testing.T) {
	at := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	p := progress.ExerciseProgress{Passed: true, PassedAt: at, Score: 10, MaxScore: 10}
	got := earlierPassNote(grader.Result{Score: 4, MaxScore: 10}, p)
	if !strings.HasPrefix(got, "이전 통과 기록 10/10 (") {
		t.Errorf("note %q", got)
	}
	if n := earlierPassNote(grader.Result{Passed: true, Score: 10, MaxScore: 10}, p); n != "" {
		t.Errorf("a passing grade got %q", n)
	}
	if n := earlierPassNote(grader.Result{Score: 4, MaxScore: 10}, progress.ExerciseProgress{Score: 4}); n != "" {
		t.Errorf("no pass, got %q", n)
	}
}

// The suggestion after a pass never names an exercise already passed: the
// first one not passed after the one just passed in course order (the
// exercise the TUI's n opens), else that all are passed (issue 14: after
// quota-limits the CLI named ssd-affinity, the first unpassed from the
// start, while the TUI named the exercise after quota-limits).
func TestNextExerciseLine(t *testing.T) {
	c, _ := exercises.Load()
	all := c.All()
	passed := map[string]bool{all[0].ID: true, all[2].ID: true}
	got := nextExerciseLine(all, false, all[0].ID, func(id string) bool { return passed[id] })
	if !strings.HasPrefix(got, "다음 연습: "+all[1].ID+" ") {
		t.Errorf("next %q, want %s", got, all[1].ID)
	}
	passed[all[1].ID] = true
	if got := nextExerciseLine(all, false, all[1].ID, func(id string) bool { return passed[id] }); !strings.HasPrefix(got, "다음 연습: "+all[3].ID+" ") {
		t.Errorf("next %q, want %s (skipping the passed %s)", got, all[3].ID, all[2].ID)
	}
	// After a later exercise passed, not the first unpassed from the start.
	passed = map[string]bool{all[5].ID: true}
	if got := nextExerciseLine(all, false, all[5].ID, func(id string) bool { return passed[id] }); !strings.HasPrefix(got, "다음 연습: "+all[6].ID+" ") {
		t.Errorf("next after %s: %q, want %s", all[5].ID, got, all[6].ID)
	}
	if got := nextExerciseLine(all[:3], true, all[0].ID, func(string) bool { return true }); got != "수업의 연습을 모두 통과했습니다 (dslab progress 로 기록을 봅니다)" {
		t.Errorf("every exercise of a class passed: %q", got)
	}
	if got := nextExerciseLine(all, false, all[0].ID, func(string) bool { return true }); got != "모든 연습을 통과했습니다 (dslab progress 로 기록을 봅니다)" {
		t.Errorf("all passed: %q", got)
	}
}
