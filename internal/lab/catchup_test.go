package lab

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestClassCatchUpSummarisesState: a student offline through freeze →
// broadcast → unfreeze → hint → freeze → regrade → regrade → unfreeze
// gets, on reconnect, every broadcast and hint whole and the state now
// once (the last unfreeze, the last regrade), never the whole history and
// never the server's version string (issue 12: "(dslab d334985 (snapshot
// v1))" in a student's line). A freeze left in place is said as the state
// now; each command is applied (the cursor passes them all).
func TestClassCatchUpSummarisesState(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.All()[0]
	version := " (dslab d334985 (snapshot v1))"
	offline := []api.Command{
		{Seq: 1, Kind: api.CommandFreeze},
		{Seq: 2, Kind: api.CommandBroadcast, Message: "10분 뒤 쉽니다"},
		{Seq: 3, Kind: api.CommandUnfreeze},
		{Seq: 4, Kind: api.CommandUnlockHint, Exercise: ex.ID},
		{Seq: 5, Kind: api.CommandFreeze},
		{Seq: 6, Kind: api.CommandRegrade, Message: "제출 4개를 다시 채점했고 0개의 결과가 바뀌었습니다" + version},
		{Seq: 7, Kind: api.CommandRegrade, Message: "제출 4개를 다시 채점했고 1개의 결과가 바뀌었습니다" + version},
		{Seq: 8, Kind: api.CommandBroadcast, Message: "다시 시작합니다"},
		{Seq: 9, Kind: api.CommandUnfreeze},
	}
	run := func(t *testing.T, cmds []api.Command) ([]string, client.ApplyResult) {
		t.Helper()
		dir := t.TempDir()
		var notes []string
		acts := &ClassActions{Catalog: cat, Progress: progress.New(filepath.Join(dir, "progress.json")), Notify: func(s string) { notes = append(notes, s) }}
		ap := &client.Applier{Cursor: client.CommandCursor{Path: filepath.Join(dir, "cursor")}, Actions: acts,
			Fetch: func(context.Context, int64) ([]api.Command, error) { return cmds, nil }}
		res, err := ap.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return notes, res
	}
	notes, res := run(t, offline)
	hint := -1
	for i, n := range notes {
		if strings.Contains(n, "힌트") {
			hint = i
		}
		if strings.Contains(n, "dslab ") || strings.Contains(n, "snapshot v") {
			t.Errorf("a version string in a student's line: %q", n)
		}
	}
	want := []string{"강사 공지: 10분 뒤 쉽니다", "강사가 모든 제출을 다시 채점했습니다.",
		"강사 공지: 다시 시작합니다", "강사가 제출 마감을 풀었습니다."}
	if hint != 1 || len(notes) != 5 || !slices.Equal(slices.Delete(slices.Clone(notes), hint, hint+1), want) {
		t.Fatalf("catch-up lines:\n%s\nwant the two broadcasts, the hint (second), the last regrade and the state now", strings.Join(notes, "\n"))
	}
	if len(res.Applied) != len(offline) {
		t.Fatalf("%d of %d commands applied", len(res.Applied), len(offline))
	}

	// Still frozen at the end: said once, as the state now.
	notes, _ = run(t, offline[:5])
	frozen := 0
	for _, n := range notes {
		if strings.Contains(n, "마감") {
			frozen++
			if !strings.Contains(n, "강사가 제출을 마감했습니다") {
				t.Errorf("state line %q, want the freeze", n)
			}
		}
	}
	if frozen != 1 {
		t.Fatalf("%d freeze/unfreeze lines, want 1:\n%s", frozen, strings.Join(notes, "\n"))
	}
}
