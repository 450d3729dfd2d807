package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// boardAt reads the board as a browser that opened it on host (the Host
// header; the connection still goes to the test server).
func boardAt(t *testing.T, f *boardFix, host string) api.Board {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+api.PathBoard, nil)
	req.Host = host
	req.Header.Set("Authorization", "Bearer "+f.instructor)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b api.Board
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&b) != nil {
		t.Fatalf("board at %s: %d", host, resp.StatusCode)
	}
	return b
}

// TestBoardStudentLinesNeverLoopback (issue 12, instructor trial: a board
// opened from `dslab class board` on 127.0.0.1 and put on the projector
// told students `curl … http://127.0.0.1:7070/install.sh`): the board's
// install and join lines are the server's advertised LAN addresses (all
// of them, in order) whatever address the board was opened on, never a
// loopback one; without advertised addresses, the address the board was
// opened on when it is not loopback; with neither, no line and a Korean
// note saying why.
func TestBoardStudentLinesNeverLoopback(t *testing.T) {
	lan := []string{"http://192.0.2.10:7070", "http://198.51.100.7:7070"}
	for _, tc := range []struct {
		name    string
		urls    []string
		host    string
		want    []string
		hasNote bool
	}{
		{"advertised, opened on loopback", append(lan, "http://127.0.0.1:7070"), "127.0.0.1:7070", lan, false},
		{"advertised, opened on localhost", append(lan, "http://127.0.0.1:7070"), "localhost:7070", lan, false},
		{"advertised, opened on a LAN address", append(lan, "http://127.0.0.1:7070"), "198.51.100.7:7070", lan, false},
		{"advertised loopback only, opened on loopback", []string{"http://127.0.0.1:7070"}, "127.0.0.1:7070", nil, true},
		{"nothing advertised, opened on a LAN address", nil, "192.0.2.99:7070", []string{"http://192.0.2.99:7070"}, false},
		{"nothing advertised, opened on IPv6 loopback", nil, "[::1]:7070", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st := openSQLite(t, dir)
			t.Cleanup(func() { st.Close() })
			f := boardFixture(t, st, dir, server.BoardConfig{StudentURLs: tc.urls})
			b := boardAt(t, f, tc.host)
			var got []string
			for _, j := range b.Join {
				got = append(got, j.URL)
				if j.Install != server.InstallLine(j.URL, f.code) || j.Command != api.JoinCommand(j.URL, f.code) {
					t.Errorf("lines of %s: %q / %q", j.URL, j.Install, j.Command)
				}
				for _, l := range []string{j.Install, j.Command} {
					if strings.Contains(l, "127.0.0.1") || strings.Contains(l, "localhost") || strings.Contains(l, "::1") {
						t.Errorf("a students' line names loopback: %q", l)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("board lines for %v, want %v", got, tc.want)
			}
			if (b.JoinNote != "") != tc.hasNote {
				t.Errorf("note %q, want one: %v", b.JoinNote, tc.hasNote)
			}
			if tc.hasNote && !strings.Contains(b.JoinNote, "LAN") {
				t.Errorf("the note does not say what is missing: %q", b.JoinNote)
			}
		})
	}
}

// TestBoardCookiePerPort (issue 12, instructor trial: opening a second
// class's board on the same host, another port, replaced the first one's
// login, since browsers keep one cookie per host): the board cookie's name
// carries the server's port, and a server reads only its own.
func TestBoardCookiePerPort(t *testing.T) {
	if a, b := server.BoardCookieName("127.0.0.1:7070"), server.BoardCookieName("127.0.0.1:7071"); a == b {
		t.Fatalf("two ports, one cookie name %q", a)
	}
	if got := server.BoardCookieName("classroom.example"); got != server.BoardCookieName("classroom.example:80") {
		t.Errorf("no port is port 80: %q", got)
	}
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	host := strings.TrimPrefix(f.srv.URL, "http://")
	req, _ := http.NewRequest("POST", f.srv.URL+api.PathBoardSession, nil)
	req.Header.Set("Authorization", "Bearer "+f.instructor)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var names []string
	var value string
	for _, c := range resp.Cookies() {
		names = append(names, c.Name)
		value = c.Value
	}
	if len(names) != 1 || names[0] != server.BoardCookieName(host) {
		t.Fatalf("session cookies %v, want %s", names, server.BoardCookieName(host))
	}
	read := func(name string) int {
		req, _ := http.NewRequest("GET", f.srv.URL+api.PathBoard, nil)
		req.AddCookie(&http.Cookie{Name: name, Value: value})
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := read(server.BoardCookieName(host)); code != http.StatusOK {
		t.Errorf("own cookie: %d", code)
	}
	if code := read(server.BoardCookieName("127.0.0.1:1")); code != http.StatusUnauthorized {
		t.Errorf("another port's cookie was taken: %d", code)
	}
}

// TestBoardRefusalsNameNoAPIField (issue 12, instructor trial: a board
// action answered with the API's field name "(rosterId)"): every refusal
// of a misaddressed command names the board's own fields on the board and
// the CLI's flags elsewhere, never a JSON field name.
func TestBoardRefusalsNameNoAPIField(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	f.join("s1", "machine-s1")
	for _, req := range []api.CommandRequest{
		{Kind: api.CommandResetExercise, Exercise: "ds-basics"},
		{Kind: api.CommandRemoveStudent},
		{Kind: api.CommandRemoveStudent, RosterID: "s1", Exercise: "ds-basics"},
		{Kind: api.CommandFreeze, RosterID: "s1"},
		{Kind: api.CommandRegrade, Exercise: "ds-basics"},
	} {
		for _, board := range []bool{true, false} {
			var code int
			var body []byte
			if board {
				code, body = f.boardCommand(req)
			} else {
				code, body = f.command(f.instructor, req)
			}
			var e api.Error
			json.Unmarshal(body, &e)
			if code != http.StatusBadRequest || e.Error == "" {
				t.Errorf("%+v (board %v): %d %s", req, board, code, body)
				continue
			}
			for _, field := range []string{"rosterId", "와 exercise", ", exercise 없이"} {
				if strings.Contains(e.Error, field) {
					t.Errorf("%+v (board %v) names the API field: %q", req, board, e.Error)
				}
			}
			if board && !strings.Contains(e.Error, "‘학생’") && !strings.Contains(e.Error, "학생과 연습") {
				t.Errorf("%+v on the board does not name the board's field: %q", req, e.Error)
			}
		}
	}
}
