package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestCloseAndOpenJoin: after `send close-join` a new student is refused
// in Korean (403 join-closed) while a student on the roster may still
// rejoin from the same machine; students never receive the command;
// `send open-join` lets new students in again; the board state says
// joinClosed in between. Issue 12 (joining stayed open forever).
func TestCloseAndOpenJoin(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a := f.join("s1", "machine-s1")
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandCloseJoin, RosterID: "s1"}); code != http.StatusBadRequest {
		t.Fatalf("close-join for one student accepted: %d %s", code, body)
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandCloseJoin}); code != http.StatusCreated {
		t.Fatalf("close-join: %d %s", code, body)
	}
	if b := f.board(); !b.JoinClosed || b.JoinClosedAt.IsZero() {
		t.Errorf("board after close-join: joinClosed %v at %v", b.JoinClosed, b.JoinClosedAt)
	}
	code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "늦은 학생", StudentID: "s2", MachineID: "machine-s2"}))
	if code != http.StatusForbidden || !strings.Contains(string(body), "join-closed") || !strings.Contains(string(body), "참가를 닫았습니다") {
		t.Fatalf("join while closed: %d %s", code, body)
	}
	// The student is told to ask; the instructor's way is the board's
	// button, not a CLI command (issue 12).
	var refusal api.Error
	if json.Unmarshal(body, &refusal) != nil || !strings.Contains(refusal.Error, "강사에게 참가를 열어 달라고 하세요") ||
		!strings.Contains(refusal.Error, "‘"+server.ButtonOpenJoin+"’ 단추") || strings.Contains(refusal.Error, "dslab class send") {
		t.Errorf("the join-closed refusal reads %q", refusal.Error)
	}
	if r := f.join("s1", "machine-s1"); !r.Rejoined {
		t.Fatalf("a student on the roster could not rejoin while closed: %+v", r)
	}
	a = f.join("s1", "machine-s1")
	for _, c := range f.studentCommands(a.Token, 0) {
		if c.Kind == api.CommandCloseJoin || c.Kind == api.CommandOpenJoin {
			t.Fatalf("a student received %s", c.Kind)
		}
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandOpenJoin}); code != http.StatusCreated {
		t.Fatalf("open-join: %d %s", code, body)
	}
	if b := f.board(); b.JoinClosed || !b.JoinClosedAt.IsZero() {
		t.Errorf("board after open-join: joinClosed %v at %v", b.JoinClosed, b.JoinClosedAt)
	}
	f.join("s2", "machine-s2")
}
