package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestRemoveStudent is issue 12's instructor trial finding "no way to
// remove a student" (a wrong join, a test account): remove-student takes
// the student off the board and the export, its token is answered 410
// removed in Korean on every student route (its client keeps the outbox
// and stops), the other students are untouched, and the roster id joins
// again as a new student only while joining is open.
func TestRemoveStudent(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	keep := f.join("2026001", "machine-keep")
	wrong := f.join("2026099", "machine-wrong")
	for _, j := range []api.JoinResponse{keep, wrong} {
		if code, _, body := f.submit(j.Token, "key-"+j.RosterID+"-000000001", "ds-basics", snapshot(t, "ds-basics", "solution")); code != http.StatusCreated {
			t.Fatalf("submit %s: %d %s", j.RosterID, code, body)
		}
	}
	if b := f.board(); len(b.Students) != 2 {
		t.Fatalf("board before: %d students", len(b.Students))
	}

	for _, bad := range []api.CommandRequest{
		{Kind: api.CommandRemoveStudent},
		{Kind: api.CommandRemoveStudent, RosterID: "2026099", Exercise: "ds-basics"},
	} {
		if code, body := f.command(f.instructor, bad); code != http.StatusBadRequest {
			t.Fatalf("%+v: %d %s", bad, code, body)
		}
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: "nobody"}); code != http.StatusNotFound {
		t.Fatalf("unknown student: %d %s", code, body)
	}
	if code, body := f.command(keep.Token, api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: "2026099"}); code != http.StatusForbidden {
		t.Fatalf("a student removing another: %d %s", code, body)
	}
	code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: "2026099"})
	if code != http.StatusCreated {
		t.Fatalf("remove: %d %s", code, body)
	}
	var c api.Command
	json.Unmarshal(body, &c)
	if c.Kind != api.CommandRemoveStudent || c.RosterID != "2026099" || !strings.Contains(c.Message, "2026099") {
		t.Fatalf("remove answer %+v", c)
	}
	// Every line of the command names the student already: the message
	// does not repeat the name (issue 12: "6 박지훈 — 2026003 (박지훈)").
	if strings.Contains(c.Message, "학생 2026099") || strings.Contains(c.Message, "(") {
		t.Fatalf("remove message %q repeats the name", c.Message)
	}

	b := f.board()
	if len(b.Students) != 1 || b.Students[0].RosterID != "2026001" {
		t.Fatalf("board after the remove lists %+v", b.Students)
	}
	if b.Exercises[0].Attempted != 1 {
		t.Fatalf("per-exercise view still counts the removed student: %+v", b.Exercises[0])
	}
	exp := f.export()
	if len(exp.Students) != 1 || len(exp.Submissions) != 1 || exp.Submissions[0].RosterID != "2026001" {
		t.Fatalf("export after the remove: students %+v submissions %d", exp.Students, len(exp.Submissions))
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: "2026099"}); code != http.StatusNotFound {
		t.Fatalf("second remove: %d %s", code, body)
	}

	// The removed student's token: 410 removed with a Korean message on
	// every student route; the other student goes on.
	for _, route := range []struct{ method, path string }{{"GET", api.PathMe}, {"GET", api.PathCommands}, {"POST", api.PathSubmissions}} {
		var in []byte
		if route.method == "POST" {
			in = submitBody("key-2026099-000000002", "ds-basics", snapshot(t, "ds-basics", "solution"), time.Now())
		}
		code, body := f.do(route.method, route.path, wrong.Token, in)
		var e api.Error
		json.Unmarshal(body, &e)
		if code != http.StatusGone || e.Code != api.CodeRemoved || !strings.Contains(e.Error, "수업 명단에서 뺐습니다") || !strings.Contains(e.Error, "2026099") {
			t.Fatalf("%s %s with the removed token: %d %s", route.method, route.path, code, body)
		}
	}
	if code, _ := f.do("GET", api.PathMe, keep.Token, nil); code != http.StatusOK {
		t.Fatalf("kept student's /me: %d", code)
	}

	// The removed student's client: the queued submission stays in the
	// outbox (not rejected), the error is IsRemoved.
	cl := client.New(client.Credentials{Server: f.srv.URL, Token: wrong.Token}, t.TempDir())
	if _, err := cl.Outbox.Enqueue("ds-basics", snapshot(t, "ds-basics", "solution"), time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := cl.Drain(context.Background())
	if !client.IsRemoved(err) || res.Pending != 1 || len(res.Rejected) != 0 {
		t.Fatalf("drain of a removed student: %+v %v", res, err)
	}
	if rej, _ := cl.Outbox.Rejected(); len(rej) != 0 {
		t.Fatalf("outbox item moved to rejected: %v", rej)
	}

	// Rejoin: refused while joining is closed, a new student when open.
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandCloseJoin}); code != http.StatusCreated {
		t.Fatalf("close-join: %d %s", code, body)
	}
	code, body = f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "학생 2026099", StudentID: "2026099", MachineID: "machine-wrong"}))
	if code != http.StatusForbidden || !strings.Contains(string(body), "join-closed") {
		t.Fatalf("rejoin while closed: %d %s", code, body)
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandOpenJoin}); code != http.StatusCreated {
		t.Fatalf("open-join: %d %s", code, body)
	}
	again := f.join("2026099", "machine-right")
	if again.Rejoined {
		t.Fatalf("rejoin after the remove took over the removed row: %+v", again)
	}
	b = f.board()
	if len(b.Students) != 2 || b.Students[1].RosterID != "2026099" || len(b.Students[1].Cells) != 0 {
		t.Fatalf("board after the rejoin: %+v", b.Students)
	}
	if code, _ := f.do("GET", api.PathMe, wrong.Token, nil); code != http.StatusGone {
		t.Fatalf("the removed token after the rejoin: %d", code)
	}
}
