package client_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestCommandsAfterReconnect: a student whose lab applied the first
// command and then went offline gets exactly the later ones, in order.
func TestCommandsAfterReconnect(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after the server's stop (cleanups run last first)
	class := classtest.Serve(t, st, dir, "명령 수업")
	hs := class.HTTP
	j, err := client.Join(ctx, hs.Client(), hs.URL, api.JoinRequest{Code: class.JoinCode, Name: "김학생", StudentID: "c1", MachineID: "machine-c1"})
	if err != nil {
		t.Fatal(err)
	}
	c := client.New(client.Credentials{Server: hs.URL, Token: j.Token, RosterID: "c1"}, dir)
	x, _ := st.StudentByRosterID(ctx, "c1")
	add := func(cmd store.Command) {
		if _, err := st.AddCommand(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	add(store.Command{Kind: store.CommandBroadcast, Message: "시작합니다"})
	cur := client.CommandCursor{Path: client.CommandCursorFile(dir)}
	after, err := cur.Load()
	if err != nil || after != 0 {
		t.Fatalf("fresh cursor %d %v", after, err)
	}
	got, err := c.Commands(ctx, after)
	if err != nil || len(got) != 1 || got[0].Message != "시작합니다" {
		t.Fatalf("first fetch %+v %v", got, err)
	}
	if err := cur.Save(got[0].Seq); err != nil {
		t.Fatal(err)
	}
	// Offline: two commands for everyone and one for c1 arrive meanwhile,
	// and one for another student.
	add(store.Command{Kind: store.CommandUnlockHint, Exercise: "ds-basics"})
	add(store.Command{Kind: store.CommandResetExercise, StudentID: x.ID, Exercise: "taints"})
	add(store.Command{Kind: store.CommandResetExercise, StudentID: x.ID + 1000, Exercise: "taints"})
	add(store.Command{Kind: store.CommandBroadcast, Message: "쉬는 시간"})
	after, _ = cur.Load()
	got, err = c.Commands(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, g := range got {
		ks = append(ks, g.Kind)
	}
	if len(got) != 3 || ks[0] != "unlock-hint" || ks[1] != "reset-exercise" || got[1].RosterID != "c1" || got[2].Message != "쉬는 시간" {
		t.Fatalf("after reconnect: %+v", got)
	}
}
