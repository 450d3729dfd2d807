package app

import (
	"context"
	"slices"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
)

// TestStatusCommandsKeepEveryMessage: a student back after an outage
// (instructor trial on ce98dbd) saw only the newest five commands, a run of
// freeze/unfreeze/regrade, and lost both broadcasts before it. Every
// broadcast, hint and reset stays; of the switches only those no later one
// supersedes (api.SupersededCommands). Seq 6 (a freeze) is no longer
// listed: freeze and unfreeze set one state, and the later unfreeze (seq
// 8) says it now — the lab's catch-up shows only that unfreeze too (issue
// 12: status listed the freeze and the unfreeze, the lab only the
// unfreeze).
func TestStatusCommandsKeepEveryMessage(t *testing.T) {
	var cmds []api.Command
	for i, k := range []string{api.CommandBroadcast, api.CommandBroadcast, api.CommandUnlockHint, api.CommandFreeze,
		api.CommandUnfreeze, api.CommandFreeze, api.CommandRegrade, api.CommandUnfreeze, api.CommandRegrade, api.CommandResetExercise} {
		cmds = append(cmds, api.Command{Seq: int64(i + 1), Kind: k})
	}
	var got []int64
	for _, x := range statusCommands(cmds) {
		got = append(got, x.Seq)
	}
	if want := []int64{1, 2, 3, 8, 9, 10}; !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
}

// TestStatusListsWhatTheLabTells: `class status` lists exactly the
// commands whose news the lab's catch-up shows (client.Applier: those not
// Superseded), for a freeze followed by an unfreeze, and every order of
// the switches: one rule, not two.
func TestStatusListsWhatTheLabTells(t *testing.T) {
	runs := [][]string{
		{api.CommandFreeze, api.CommandUnfreeze},
		{api.CommandUnfreeze, api.CommandFreeze, api.CommandBroadcast},
		{api.CommandRegrade, api.CommandFreeze, api.CommandRegrade, api.CommandUnlockHint, api.CommandUnfreeze},
		{api.CommandBroadcast, api.CommandResetExercise, api.CommandBroadcast},
	}
	for _, run := range runs {
		var cmds []api.Command
		for i, k := range run {
			cmds = append(cmds, api.Command{Seq: int64(i + 1), Kind: k})
		}
		var told []int64
		a := &client.Applier{
			Fetch:  func(context.Context, int64) ([]api.Command, error) { return cmds, nil },
			Cursor: client.CommandCursor{Path: t.TempDir() + "/cursor"},
			Actions: client.ActionsFunc(func(ctx context.Context, c api.Command) error {
				if !client.Superseded(ctx) {
					told = append(told, c.Seq)
				}
				return nil
			}),
		}
		if _, err := a.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		var listed []int64
		for _, x := range statusCommands(cmds) {
			listed = append(listed, x.Seq)
		}
		if !slices.Equal(listed, told) {
			t.Errorf("%v: class status lists %v, the lab tells %v", run, listed, told)
		}
	}
}
