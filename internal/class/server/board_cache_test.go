package server

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestBoardIncrementalEqualsFullRebuild drives a class through random
// joins, submissions (some sharing a DaemonSet UID, so copy flags change
// earlier submissions), instructor commands and regrades, and after each
// step compares the cached, incrementally updated board with a board read
// from the tables from scratch.
func TestBoardIncrementalEqualsFullRebuild(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { boardRandomWalk(t, seed, 300) })
	}
}

func boardRandomWalk(t *testing.T, seed uint64, steps int) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, _, err := Setup(ctx, st, "보드 수업", nil, filepath.Join(dir, InstructorTokenFile)); err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s, err := New(ctx, Config{Store: st, Catalog: cat, GraderVersion: "test", Now: func() time.Time { return now },
		BoardConfig: BoardConfig{StuckAfter: 5 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)

	rng := rand.New(rand.NewPCG(seed, 12))
	exs := []string{"ds-basics", "taints", "gpu-only"}
	var students []store.Student
	var subIDs []int64
	join := func() {
		x, err := st.CreateStudent(ctx, store.Student{RosterID: fmt.Sprintf("s%03d", len(students)), Name: fmt.Sprintf("학생 %d", len(students)),
			TokenHash: fmt.Sprintf("hash-%d", len(students)), Joined: now})
		if err != nil {
			t.Fatal(err)
		}
		students = append(students, x)
	}
	join()
	checks := []string{"pods-on-nodes", "tolerations", "selector"}
	steps0 := 0
	for step := range steps {
		now = now.Add(time.Duration(rng.IntN(90)) * time.Second)
		var what string
		switch r := rng.IntN(100); {
		case r < 8:
			what = "join"
			join()
		case r < 75:
			x := students[rng.IntN(len(students))]
			ex := exs[rng.IntN(len(exs))]
			score := rng.IntN(4)
			status := api.StatusFailed
			switch {
			case score == 3:
				status = api.StatusPassed
			case rng.IntN(5) == 0:
				status, score = api.StatusNotStarted, 0
			}
			res := grader.Result{Exercise: ex, Status: status, Score: score, MaxScore: 3, Passed: status == api.StatusPassed}
			if status == api.StatusFailed {
				c := checks[rng.IntN(len(checks))]
				res.Checks = []grader.CheckResult{{ID: c, Title: c + " 검사", Message: fmt.Sprint("이유 ", rng.IntN(3))}}
			}
			snap := map[string]any{"version": 1}
			if rng.IntN(3) > 0 {
				snap["hintsUsed"] = rng.IntN(4)
			}
			dsUID := fmt.Sprintf("uid-%d-%s-%d", x.ID, ex, step)
			if rng.IntN(15) == 0 { // a copied DaemonSet: flags an earlier submission too
				dsUID = "shared-uid"
			}
			raw, _ := json.Marshal(snap)
			rb, _ := json.Marshal(res)
			sub, _, err := st.AddSubmission(ctx, store.Submission{StudentID: x.ID, IdempotencyKey: fmt.Sprint("k", step), Exercise: ex,
				Snapshot: raw, SnapshotSHA256: fmt.Sprint("sha", step), Result: rb, Score: score, MaxScore: 3, Status: status,
				GraderVersion: "test", ReceivedAt: now, ClientTime: now, CreatedAt: now, DaemonSetUID: dsUID})
			if err != nil {
				t.Fatal(err)
			}
			subIDs = append(subIDs, sub.ID)
			what = "submit " + ex + " " + status
		case r < 93:
			kinds := []string{store.CommandBroadcast, store.CommandUnlockHint, store.CommandUnlockHint, store.CommandFreeze, store.CommandUnfreeze}
			c := store.Command{Time: now, Kind: kinds[rng.IntN(len(kinds))], Exercise: exs[rng.IntN(len(exs))], Message: "공지"}
			if rng.IntN(2) == 0 {
				c.StudentID = students[rng.IntN(len(students))].ID
			}
			if _, err := st.AddCommand(ctx, c); err != nil {
				t.Fatal(err)
			}
			what = "command " + c.Kind
		case r < 97 && len(subIDs) > 0:
			id := subIDs[rng.IntN(len(subIDs))]
			status := []string{api.StatusPassed, api.StatusFailed}[rng.IntN(2)]
			res, _ := json.Marshal(grader.Result{Status: status, Checks: []grader.CheckResult{{ID: "regraded", Message: "다시 채점"}}})
			if err := st.UpdateResult(ctx, id, res, rng.IntN(4), 3, status, "test-2"); err != nil {
				t.Fatal(err)
			}
			what = "regrade"
		default:
			x := students[rng.IntN(len(students))]
			if _, err := st.ApproveRejoin(ctx, x.RosterID); err != nil {
				t.Fatal(err)
			}
			what = "approve"
		}
		if rng.IntN(3) > 0 && step != steps-1 {
			continue
		}
		steps0++
		got, err := s.BuildBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.buildBoardFull(ctx)
		if err != nil {
			t.Fatal(err)
		}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Fatalf("step %d (%s): incremental board differs from a full rebuild\nincremental: %s\nfull:        %s", step, what, gj, wj)
		}
	}
	if s.board.cache.fullLoads >= steps0 {
		t.Errorf("%d full loads in %d refreshes: the board was never updated incrementally", s.board.cache.fullLoads, steps0)
	}
	t.Logf("%d refreshes, %d full loads", steps0, s.board.cache.fullLoads)
}

// TestBoardIncrementalReadsOnlyNewEvents checks that submissions and
// commands after the first build do not make the board read the tables in
// full again, and that the student's own hints and the unlocks are told
// apart.
func TestBoardIncrementalReadsOnlyNewEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, _, err := Setup(ctx, st, "보드 수업", nil, filepath.Join(dir, InstructorTokenFile)); err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Config{Store: st, Catalog: cat, GraderVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	x, err := st.CreateStudent(ctx, store.Student{RosterID: "s1", Name: "김민수", TokenHash: "h1", Joined: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BuildBoard(ctx); err != nil {
		t.Fatal(err)
	}
	for i, hints := range []int{0, 2} {
		raw, _ := json.Marshal(map[string]any{"version": 1, "hintsUsed": hints})
		if _, _, err := st.AddSubmission(ctx, store.Submission{StudentID: x.ID, IdempotencyKey: fmt.Sprint("k", i), Exercise: "taints",
			Snapshot: raw, SnapshotSHA256: fmt.Sprint("sha", i), Result: []byte(`{}`), Score: 1, MaxScore: 3, Status: api.StatusFailed,
			ReceivedAt: time.Now(), DaemonSetUID: fmt.Sprint("u", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddCommand(ctx, store.Command{Kind: store.CommandUnlockHint, Exercise: "taints"}); err != nil {
		t.Fatal(err)
	}
	b, err := s.BuildBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.board.cache.fullLoads; n != 1 {
		t.Errorf("full loads = %d, want 1 (only the first build)", n)
	}
	c := b.Students[0].Cells["taints"]
	if c.Submissions != 2 || c.HintsUsed == nil || *c.HintsUsed != 2 || c.Hints != 1 {
		t.Errorf("cell = %+v (hintsUsed %v), want 2 submissions, the student's 2 hints, 1 unlock", c, c.HintsUsed)
	}
}
