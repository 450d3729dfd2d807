package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestStateCommandsRefusedWhenNoChange is the final instructor trial's
// `send freeze` sent twice (issue 12: #7 and #8 were both stored, the
// students were told twice and a late joiner saw "제출 마감 2개"): a
// freeze while frozen, an unfreeze while not frozen, a close-join while
// closed and an open-join while open are refused (409, a code per case, a
// Korean message naming the command that would change the state) and
// store no command; the changing ones are accepted.
func TestStateCommandsRefusedWhenNoChange(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a := f.join("s1", "machine-s1")
	steps := []struct {
		kind string
		code int
		err  string
		hint string
	}{
		{api.CommandUnfreeze, http.StatusConflict, "not-frozen", "send freeze"},
		{api.CommandFreeze, http.StatusCreated, "", ""},
		{api.CommandFreeze, http.StatusConflict, "already-frozen", "send unfreeze"},
		{api.CommandUnfreeze, http.StatusCreated, "", ""},
		{api.CommandUnfreeze, http.StatusConflict, "not-frozen", "send freeze"},
		{api.CommandOpenJoin, http.StatusConflict, "join-already-open", "send close-join"},
		{api.CommandCloseJoin, http.StatusCreated, "", ""},
		{api.CommandCloseJoin, http.StatusConflict, "join-already-closed", "send open-join"},
		{api.CommandOpenJoin, http.StatusCreated, "", ""},
	}
	for i, s := range steps {
		code, body := f.command(f.instructor, api.CommandRequest{Kind: s.kind})
		if code != s.code || !strings.Contains(string(body), s.err) || !strings.Contains(string(body), s.hint) {
			t.Fatalf("step %d %s: %d %s, want %d %q naming %q", i, s.kind, code, body, s.code, s.err, s.hint)
		}
	}
	var kinds []string
	for _, c := range f.studentCommands(a.Token, 0) {
		kinds = append(kinds, c.Kind)
	}
	if got := strings.Join(kinds, ","); got != "freeze,unfreeze" {
		t.Errorf("the student received %q, want one freeze and one unfreeze", got)
	}
}
