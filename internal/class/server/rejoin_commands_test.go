package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestOneShotCommandsNotReappliedOnNewMachine is issue 12's trial finding:
// a reset-exercise applied on the student's first machine ran again on the
// machine the student moved to (commands-applied is per machine). The join
// response carries the command cursor: the new machine moves past the
// earlier one-shot commands, gets the state-like ones (hints, broadcasts)
// and applies one-shot commands sent after it joined. Of the earlier
// commands only the opened hint applies; the broadcast is history
// (TestNewJoinerGetsOldBroadcastsAsEarlier).
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
	// The hint opened before the move is applied again (silently) and listed
	// with the earlier commands; the reset and the broadcast only listed.
	if !slices.Equal(got, []string{"unlock-hint"}) || len(res.Earlier) != 3 || res.Earlier[0].Kind != api.CommandResetExercise ||
		res.Earlier[1].Kind != api.CommandUnlockHint || res.Earlier[2].Kind != api.CommandBroadcast {
		t.Fatalf("new machine applied %v, earlier %+v (the reset was applied on the first machine)", got, res.Earlier)
	}
	// A reset sent after the move is for the new machine.
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026001", Exercise: "ds-basics"})
	if got, _ := apply(moved, newDir); !slices.Equal(got, []string{"reset-exercise"}) {
		t.Fatalf("reset after the move: applied %v", got)
	}
}

// TestNewJoinerGetsOldBroadcastsAsEarlier is issue 12's instructor trial
// finding: a student who joined today got yesterday's broadcasts (and the
// freeze note) as new alerts. A join after those commands gets the opened
// hints applied, everything else as Earlier with the server's time of each,
// never another student's reset; a broadcast after the join is news.
func TestNewJoinerGetsOldBroadcastsAsEarlier(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	yesterday := time.Date(2026, 11, 29, 15, 10, 0, 0, time.UTC)
	clock := yesterday
	f := boardFixture(t, st, dir, server.BoardConfig{}, func(c *server.Config) { c.Now = func() time.Time { return clock } })
	ctx := context.Background()
	cmd := func(req api.CommandRequest) {
		t.Helper()
		if code, body := f.command(f.instructor, req); code != http.StatusCreated {
			t.Fatalf("%+v: %d %s", req, code, body)
		}
	}
	f.join("2026001", "machine-one")
	cmd(api.CommandRequest{Kind: api.CommandBroadcast, Message: "10분 뒤에 쉽니다"})
	cmd(api.CommandRequest{Kind: api.CommandUnlockHint, Exercise: "ds-basics"})
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026001", Exercise: "ds-basics"})
	cmd(api.CommandRequest{Kind: api.CommandFreeze})
	cmd(api.CommandRequest{Kind: api.CommandUnfreeze})

	clock = yesterday.Add(18 * time.Hour)
	late := f.join("2026002", "machine-two")
	if late.CommandCursor != 5 {
		t.Fatalf("join cursor %d, want the newest command 5", late.CommandCursor)
	}
	data := t.TempDir()
	c := client.New(client.Credentials{Server: f.srv.URL, Token: late.Token, CommandCursor: late.CommandCursor}, data)
	var applied []api.Command
	rec := client.ActionsFunc(func(_ context.Context, c api.Command) error {
		applied = append(applied, c)
		return nil
	})
	res, err := client.NewApplier(c, data, rec).Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || applied[0].Kind != api.CommandUnlockHint {
		t.Fatalf("a student who joined after the commands had applied %+v; want only the opened hint", applied)
	}
	var earlier []string
	for _, e := range res.Earlier {
		earlier = append(earlier, e.Kind)
		if !e.Time.Equal(yesterday) {
			t.Errorf("earlier %s carries time %v, want the server's %v", e.Kind, e.Time, yesterday)
		}
		if e.Kind == api.CommandResetExercise {
			t.Errorf("another student's reset reached 2026002: %+v", e)
		}
	}
	// the opened hint is applied silently and listed as earlier too
	if !slices.Equal(earlier, []string{"broadcast", "unlock-hint", "freeze", "unfreeze"}) {
		t.Fatalf("earlier %v", earlier)
	}

	// After the join a broadcast is news; a reset for another student never arrives.
	cmd(api.CommandRequest{Kind: api.CommandBroadcast, Message: "다시 시작합니다"})
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026001", Exercise: "ds-basics"})
	applied = nil
	res, err = client.NewApplier(c, data, rec).Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || applied[0].Kind != api.CommandBroadcast || applied[0].Message != "다시 시작합니다" || !applied[0].Time.Equal(clock) || len(res.Earlier) != 0 {
		t.Fatalf("after the join: applied %+v, earlier %+v", applied, res.Earlier)
	}
}
