package server_test

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/assets"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// outsideParens is msg without its parenthesised parts.
func outsideParens(msg string) string {
	return regexp.MustCompile(`\([^()]*\)`).ReplaceAllString(msg, "")
}

// cliWords finds a command line or flag in a message.
var cliWords = regexp.MustCompile(`dslab class|--[a-z]`)

// TestRefusalsPointToWhereTheyCameFrom (issue 12, instructor trial: the
// board's 409 note said "풀려면 dslab class send unfreeze" beside the 마감
// 풀기 button): every refusal whose advice is a step to take — the four
// state commands that would change nothing, an empty broadcast, a reset
// without a student — names on the board the button (or field) that does
// it, a CLI command at most in parentheses, and in the CLI the command or
// flag. Every button named is one the board page has.
func TestRefusalsPointToWhereTheyCameFrom(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	f.join("s1", "machine-s1")
	page, err := fs.ReadFile(assets.Board(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{server.ButtonFreeze, server.ButtonUnfreeze, server.ButtonCloseJoin, server.ButtonOpenJoin} {
		if !strings.Contains(string(page), ">"+b+"</button>") {
			t.Errorf("the board has no button %q", b)
		}
	}
	type refusal struct {
		req       api.CommandRequest
		setup     string // a state command sent first ("" none)
		code      string
		boardWant string // what the board's advice names
		cliWant   string
	}
	cases := []refusal{
		{api.CommandRequest{Kind: api.CommandUnfreeze}, "", "not-frozen", "‘" + server.ButtonFreeze + "’ 단추", "dslab class send freeze"},
		{api.CommandRequest{Kind: api.CommandFreeze}, api.CommandFreeze, "already-frozen", "‘" + server.ButtonUnfreeze + "’ 단추", "dslab class send unfreeze"},
		{api.CommandRequest{Kind: api.CommandOpenJoin}, "", "join-already-open", "‘" + server.ButtonCloseJoin + "’ 단추", "dslab class send close-join"},
		{api.CommandRequest{Kind: api.CommandCloseJoin}, api.CommandCloseJoin, "join-already-closed", "‘" + server.ButtonOpenJoin + "’ 단추", "dslab class send open-join"},
		{api.CommandRequest{Kind: api.CommandBroadcast, Message: "   "}, "", "bad-message", "‘공지’ 칸", "--message"},
		{api.CommandRequest{Kind: api.CommandResetExercise, Exercise: "ds-basics"}, "", "need-student", "‘학생’ 목록", "--student"},
	}
	state := map[string]string{api.CommandFreeze: api.CommandUnfreeze, api.CommandCloseJoin: api.CommandOpenJoin}
	for _, c := range cases {
		if c.setup != "" {
			if code, body := f.command(f.instructor, api.CommandRequest{Kind: c.setup}); code != http.StatusCreated {
				t.Fatalf("%s: %d %s", c.setup, code, body)
			}
		}
		var board, cli api.Error
		code, body := f.boardCommand(c.req)
		if code/100 != 4 || json.Unmarshal(body, &board) != nil || board.Code != c.code {
			t.Fatalf("%s from the board: %d %s, want code %s", c.req.Kind, code, body, c.code)
		}
		code, body = f.command(f.instructor, c.req)
		if code/100 != 4 || json.Unmarshal(body, &cli) != nil || cli.Code != c.code {
			t.Fatalf("%s from the CLI: %d %s, want code %s", c.req.Kind, code, body, c.code)
		}
		if !strings.Contains(board.Error, c.boardWant) {
			t.Errorf("%s on the board: %q does not name %q", c.req.Kind, board.Error, c.boardWant)
		}
		if w := cliWords.FindString(outsideParens(board.Error)); w != "" {
			t.Errorf("%s on the board: %q names %q outside parentheses", c.req.Kind, board.Error, w)
		}
		if !strings.Contains(cli.Error, c.cliWant) || strings.Contains(cli.Error, "단추") {
			t.Errorf("%s in the CLI: %q, want %q and no button", c.req.Kind, cli.Error, c.cliWant)
		}
		if undo := state[c.setup]; undo != "" {
			if code, body := f.command(f.instructor, api.CommandRequest{Kind: undo}); code != http.StatusCreated {
				t.Fatalf("%s: %d %s", undo, code, body)
			}
		}
	}
}
