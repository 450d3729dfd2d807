package lab

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

func TestClassActionsWithoutCluster(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.All()[0]
	if len(ex.Hints) < 2 {
		t.Fatalf("%s has %d hints", ex.ID, len(ex.Hints))
	}
	path := filepath.Join(t.TempDir(), "progress.json")
	store := progress.New(path)
	var notes []string
	a := &ClassActions{Catalog: cat, Progress: store, Notify: func(s string) { notes = append(notes, s) },
		Conn: func(context.Context) (*kube.Conn, error) { return nil, errors.New("connection refused") }}
	ctx := context.Background()

	if err := a.Apply(ctx, api.Command{Seq: 1, Kind: api.CommandBroadcast, Message: "10분 뒤 쉽니다"}); err != nil || notes[len(notes)-1] != "강사 공지: 10분 뒤 쉽니다" {
		t.Fatalf("broadcast: %v %q", err, notes)
	}

	// The learner revealed hint 1 itself: the instructor's unlock opens 2,
	// once, saved, without counting as the learner's hint.
	RecordHint(store, ex.ID, 1)
	unlock := api.Command{Seq: 2, Kind: api.CommandUnlockHint, Exercise: ex.ID}
	if err := a.Apply(ctx, unlock); err != nil {
		t.Fatal(err)
	}
	if err := a.Apply(ctx, unlock); err != nil { // applied again after a crash
		t.Fatal(err)
	}
	e := store.Exercise(ex.ID)
	if e.HintsUnlocked != 2 || e.HintsUsed != 1 || HintsOpen(store, ex.ID, len(ex.Hints)) != 2 {
		t.Fatalf("after unlock: %+v", e)
	}
	saved, _, err := progress.Open(path)
	if err != nil || saved.Exercise(ex.ID).HintsUnlocked != 2 {
		t.Fatalf("unlock not saved: %+v %v", saved.Exercise(ex.ID), err)
	}
	if !strings.Contains(notes[len(notes)-1], "힌트 2/") {
		t.Fatalf("unlock note: %q", notes[len(notes)-1])
	}
	for seq := int64(3); seq < 10; seq++ {
		a.Apply(ctx, api.Command{Seq: seq, Kind: api.CommandUnlockHint, Exercise: ex.ID})
	}
	if n := store.Exercise(ex.ID).HintsUnlocked; n != len(ex.Hints) {
		t.Fatalf("unlocked %d of %d hints", n, len(ex.Hints))
	}

	// No cluster: the reset waits (client.ErrWaiting: later commands are
	// not held back), its error says so in Korean with the instructor's
	// reason and nothing else (no "connection refused" tail), and nothing
	// claims it is being reset now.
	before := len(notes)
	err = a.Apply(ctx, api.Command{Seq: 10, Kind: api.CommandResetExercise, Exercise: ex.ID, Message: "처음부터 다시 해 봅시다"})
	if err == nil || errors.Is(err, client.ErrSkip) || !errors.Is(err, client.ErrWaiting) || !errors.Is(err, ErrNoCluster) ||
		err.Error() != "강사가 요청한 연습 "+ex.ID+" 초기화: 클러스터가 켜지면 초기화합니다 (dslab cluster up) — 강사: 처음부터 다시 해 봅시다" || len(notes) != before {
		t.Fatalf("reset without cluster: %v %q", err, notes[before:])
	}

	if err := a.Apply(ctx, api.Command{Seq: 11, Kind: api.CommandUnlockHint, Exercise: "no-such"}); !errors.Is(err, client.ErrSkip) {
		t.Fatalf("unknown exercise: %v", err)
	}
}

// TestResetDoneNoteSaysTheWorkFileStays: an instructor's reset is the
// lab's reset (the cluster only; Starter.Start never touches the work
// file), so the line after it says so, with the work file's path, when
// there is one (issue 12: "처음 상태로 되돌렸습니다" while the learner's
// edited file stayed as it was).
func TestResetDoneNoteSaysTheWorkFileStays(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.All()[0]
	p := paths.Under(t.TempDir())
	if got, want := ResetDoneNote(p, ex), "연습 "+ex.ID+" 의 클러스터를 처음 상태로 되돌렸습니다"; got != want {
		t.Fatalf("no work file: %q, want %q", got, want)
	}
	work, _, err := EnsureWorkFile(p, ex)
	if err != nil {
		t.Fatal(err)
	}
	got := ResetDoneNote(p, ex)
	for _, want := range []string{"클러스터를 처음 상태로 되돌렸습니다", "작업 파일은 그대로입니다 (" + work + ";"} {
		if !strings.Contains(got, want) {
			t.Errorf("with a work file: %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, ex.ID+" 를 처음 상태로") || strings.Contains(got, ex.ID+" 을 처음 상태로") {
		t.Errorf("says the exercise itself was reset: %q", got)
	}
}

// TestHintOpenedOneWording is the instructor trial on f9ad301: the lab
// applying an unlock-hint said "…힌트 1/3 을 열었습니다." and the news of one
// another process applied said "…힌트를 열었습니다: 강사가 연 힌트 1/3".
// Both now read the same line.
func TestHintOpenedOneWording(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.All()[0]
	var notes []string
	a := &ClassActions{Catalog: cat, Progress: progress.New(filepath.Join(t.TempDir(), "progress.json")), Notify: func(s string) { notes = append(notes, s) }}
	c := api.Command{Seq: 1, Kind: api.CommandUnlockHint, Exercise: ex.ID}
	ctx := context.Background()
	if err := a.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	a.Tell(ctx, c)
	want := fmt.Sprintf("강사가 연습 %s 의 힌트를 열었습니다: 힌트 1/%d", ex.ID, len(ex.Hints))
	if len(notes) != 2 || notes[0] != want || notes[1] != want {
		t.Errorf("applied and told: %q, want both %q", notes, want)
	}
}

// TestClassActionsTellFreezeState: every freeze and unfreeze, applied
// here or told after another process applied it, reaches Frozen in order
// (the lab's pass line says 마감 후 by it; the instructor trial on
// f9ad301).
func TestClassActionsTellFreezeState(t *testing.T) {
	var states []bool
	a := &ClassActions{Frozen: func(f bool) { states = append(states, f) }}
	ctx := context.Background()
	a.Apply(ctx, api.Command{Seq: 1, Kind: api.CommandFreeze})
	a.Tell(ctx, api.Command{Seq: 2, Kind: api.CommandUnfreeze})
	a.Apply(ctx, api.Command{Seq: 3, Kind: api.CommandBroadcast, Message: "x"})
	a.Tell(ctx, api.Command{Seq: 4, Kind: api.CommandFreeze})
	if fmt.Sprint(states) != "[true false true]" {
		t.Errorf("freeze states %v, want [true false true]", states)
	}
}
