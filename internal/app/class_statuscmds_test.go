package app

import (
	"slices"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestStatusCommandsKeepEveryMessage: a student back after an outage
// (instructor trial on ce98dbd) saw only the newest five commands, a run of
// freeze/unfreeze/regrade, and lost both broadcasts before it. Every
// broadcast, hint and reset stays; of the switches only the newest of each
// kind, in order.
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
	if want := []int64{1, 2, 3, 6, 8, 9, 10}; !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
}
