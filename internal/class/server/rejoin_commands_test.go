package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestOneShotCommandsNotReappliedOnNewMachine is issue 12's trial finding:
// a reset-exercise applied on the student's first machine ran again on the
// machine the student moved to (commands-applied is per machine). The join
// response carries the command cursor: the new machine moves past the
// earlier one-shot commands, gets the state-like ones (hints, broadcasts)
// and applies one-shot commands sent after it joined.
func TestOneShotCommandsNotReappliedOnNewMachine(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	ctx := context.Background()
	cmd := func(req api.CommandRequest) {
		t.Helper()
		if code, body := f.command(f.instructor, req); code != http.StatusCreated {
			t.Fatalf("%+v: %d %s", req, code, body)
		}
	}
	first := f.join("2026001", "machine-one")
	if first.CommandCursor != 0 {
		t.Fatalf("cursor of a join before any command: %d", first.CommandCursor)
	}
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026001", Exercise: "ds-basics"})
	cmd(api.CommandRequest{Kind: api.CommandUnlockHint, RosterID: "2026001", Exercise: "ds-basics"})
	cmd(api.CommandRequest{Kind: api.CommandBroadcast, Message: "10분 뒤에 쉽니다"})

	apply := func(j api.JoinResponse, dataDir string) (applied []string, res client.ApplyResult) {
		t.Helper()
		c := client.New(client.Credentials{Server: f.srv.URL, Token: j.Token, CommandCursor: j.CommandCursor}, dataDir)
		rec := client.ActionsFunc(func(_ context.Context, c api.Command) error {
			applied = append(applied, c.Kind)
			return nil
		})
		res, err := client.NewApplier(c, dataDir, rec).Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return applied, res
	}
	if got, _ := apply(first, t.TempDir()); !slices.Equal(got, []string{"reset-exercise", "unlock-hint", "broadcast"}) {
		t.Fatalf("first machine applied %v", got)
	}

	if code, body := f.do("POST", api.PathApprove, f.instructor, mustJSON(api.ApproveRequest{RosterID: "2026001"})); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	moved := f.join("2026001", "machine-two")
	if !moved.Rejoined || moved.CommandCursor != 3 {
		t.Fatalf("rejoin from another machine: %+v", moved)
	}
	newDir := t.TempDir()
	got, res := apply(moved, newDir)
	if !slices.Equal(got, []string{"unlock-hint", "broadcast"}) || len(res.Earlier) != 1 || res.Earlier[0].Kind != api.CommandResetExercise {
		t.Fatalf("new machine applied %v, earlier %+v (the reset was applied on the first machine)", got, res.Earlier)
	}
	// A reset sent after the move is for the new machine.
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026001", Exercise: "ds-basics"})
	if got, _ := apply(moved, newDir); !slices.Equal(got, []string{"reset-exercise"}) {
		t.Fatalf("reset after the move: applied %v", got)
	}
}
