package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// clock is a settable server clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (f *fixture) command(token string, req api.CommandRequest) (int, []byte) {
	f.t.Helper()
	return f.do("POST", api.PathInstructorCommands, token, mustJSON(req))
}

// boardCommand posts req as the web board does (the instructor token and
// the board's header): refusals advise the board's buttons.
func (f *fixture) boardCommand(req api.CommandRequest) (int, []byte) {
	f.t.Helper()
	r, err := http.NewRequest("POST", f.srv.URL+api.PathInstructorCommands, bytes.NewReader(mustJSON(req)))
	if err != nil {
		f.t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer "+f.instructor)
	r.Header.Set("X-Dslab-Board", "1")
	resp, err := f.srv.Client().Do(r)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (f *fixture) studentCommands(token string, after int64) []api.Command {
	f.t.Helper()
	code, body := f.do("GET", api.PathCommands+"?after="+itoa(after), token, nil)
	if code != http.StatusOK {
		f.t.Fatalf("commands: %d %s", code, body)
	}
	var r api.CommandsResponse
	if err := json.Unmarshal(body, &r); err != nil {
		f.t.Fatal(err)
	}
	return r.Commands
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func kinds(cs []api.Command) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Kind)
	}
	return out
}

func (f *fixture) board() api.Board {
	f.t.Helper()
	code, body := f.do("GET", api.PathBoard, f.instructor, nil)
	if code != http.StatusOK {
		f.t.Fatalf("board: %d %s", code, body)
	}
	var b api.Board
	if err := json.Unmarshal(body, &b); err != nil {
		f.t.Fatal(err)
	}
	return b
}

func TestInstructorCommandsReachStudents(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	s1, s2 := f.join("s1", "machine-s1"), f.join("s2", "machine-s2")

	if code, _ := f.command(s1.Token, api.CommandRequest{Kind: api.CommandBroadcast, Message: "x"}); code != http.StatusForbidden {
		t.Fatalf("a student sent a command: %d", code)
	}
	for _, bad := range []api.CommandRequest{
		{Kind: api.CommandBroadcast},
		{Kind: api.CommandBroadcast, Message: strings.Repeat("가", 501)},
		{Kind: api.CommandResetExercise, Exercise: "ds-basics"},
		{Kind: api.CommandUnlockHint, Exercise: "no-such-exercise"},
		{Kind: api.CommandFreeze, RosterID: "s1"},
		{Kind: "reboot"},
	} {
		code, body := f.command(f.instructor, bad)
		var e api.Error
		if json.Unmarshal(body, &e); code/100 != 4 || e.Error == "" {
			t.Fatalf("%+v accepted: %d %s", bad, code, body)
		}
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "nobody", Exercise: "ds-basics"}); code != http.StatusNotFound {
		t.Fatalf("reset for an unknown student: %d %s", code, body)
	}

	mustCmd := func(req api.CommandRequest) api.Command {
		t.Helper()
		code, body := f.command(f.instructor, req)
		if code != http.StatusCreated {
			t.Fatalf("%+v: %d %s", req, code, body)
		}
		var c api.Command
		json.Unmarshal(body, &c)
		return c
	}
	b := mustCmd(api.CommandRequest{Kind: api.CommandBroadcast, Message: "10분 뒤에 쉽니다"})
	mustCmd(api.CommandRequest{Kind: api.CommandUnlockHint, RosterID: "s1", Exercise: "ds-basics"})
	mustCmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "s2", Exercise: "taints", Message: "처음부터 다시 해 봅시다"})

	got1, got2 := f.studentCommands(s1.Token, 0), f.studentCommands(s2.Token, 0)
	if !slices.Equal(kinds(got1), []string{"broadcast", "unlock-hint"}) || !slices.Equal(kinds(got2), []string{"broadcast", "reset-exercise"}) {
		t.Fatalf("s1 got %v, s2 got %v", kinds(got1), kinds(got2))
	}
	if got1[0].Message != "10분 뒤에 쉽니다" || got1[0].Seq != b.Seq || got2[1].Exercise != "taints" || got2[1].RosterID != "s2" {
		t.Fatalf("commands %+v %+v", got1, got2)
	}
	// s2 was offline after its first fetch: on reconnect it asks after the
	// last seq it applied and gets exactly what it missed.
	last := got2[len(got2)-1].Seq
	mustCmd(api.CommandRequest{Kind: api.CommandBroadcast, Message: "다시 모입니다"})
	missed := f.studentCommands(s2.Token, last)
	if len(missed) != 1 || missed[0].Message != "다시 모입니다" {
		t.Fatalf("missed commands %+v", missed)
	}

	// Freeze: later submissions are stored, graded and flagged late.
	mustCmd(api.CommandRequest{Kind: api.CommandFreeze})
	code, r, body := f.submit(s1.Token, "key-late-0000000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if code != http.StatusCreated || !slices.Contains(r.Flags, server.FlagLate) || r.Status != api.StatusPassed {
		t.Fatalf("frozen submission: %d %s", code, body)
	}
	if bd := f.board(); !bd.Frozen {
		t.Fatal("board does not show the freeze")
	}
	mustCmd(api.CommandRequest{Kind: api.CommandUnfreeze})
	_, r, _ = f.submit(s1.Token, "key-late-0000000002", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if slices.Contains(r.Flags, server.FlagLate) {
		t.Fatalf("after unfreeze: flags %v", r.Flags)
	}
	rg := mustCmd(api.CommandRequest{Kind: api.CommandRegrade})
	if rg.Message != "바뀐 결과 없음 · 제출 2개" {
		t.Fatalf("regrade command message %q", rg.Message)
	}
	// Students read the message: plain Korean, the grader version only in
	// the answer's JSON (issue 12: "(dslab d334985 (snapshot v1))").
	if strings.Contains(rg.Message, "(") || strings.Contains(rg.Message, "test") || rg.GraderVersion != "test" {
		t.Fatalf("regrade command message %q, grader version %q", rg.Message, rg.GraderVersion)
	}
	if sc := f.studentCommands(s1.Token, 0); len(sc) == 0 || sc[len(sc)-1].Kind != api.CommandRegrade || sc[len(sc)-1].Message != rg.Message || sc[len(sc)-1].GraderVersion != "" {
		t.Fatalf("the student's regrade command: %+v", sc)
	}
	code, body = f.do("GET", api.PathInstructorCommands, f.instructor, nil)
	var all api.CommandsResponse
	json.Unmarshal(body, &all)
	if code != http.StatusOK || !slices.Equal(kinds(all.Commands), []string{"broadcast", "unlock-hint", "reset-exercise", "broadcast", "freeze", "unfreeze", "regrade"}) {
		t.Fatalf("instructor's command list: %d %v", code, kinds(all.Commands))
	}
	// The timeline shows the student's submissions with per-node feedback
	// and the commands addressed to the student.
	code, body = f.do("GET", api.PathTimeline+"s1", f.instructor, nil)
	var tl api.Timeline
	json.Unmarshal(body, &tl)
	var subs, cmds int
	for _, e := range tl.Entries {
		if e.Submission != nil {
			subs++
			if e.Result == nil {
				t.Fatalf("timeline entry without its result: %+v", e)
			}
			nodes := 0
			for _, c := range e.Result.Checks {
				nodes += len(c.Nodes)
			}
			if nodes == 0 {
				t.Fatalf("timeline entry without per-node feedback: %+v", e)
			}
		}
		if e.Command != nil {
			cmds++
		}
	}
	if code != http.StatusOK || subs != 2 || cmds != 6 { // not s2's reset
		t.Fatalf("timeline: %d, %d submissions, %d commands", code, subs, cmds)
	}
}

func TestBoardGridStuckAndCommonFailure(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Now()}
	f := boardFixture(t, st, dir, server.BoardConfig{StuckAfter: 5 * time.Minute}, func(c *server.Config) { c.Now = clk.now })
	a, b, c := f.join("s1", "machine-s1"), f.join("s2", "machine-s2"), f.join("s3", "machine-s3")
	f.submit(a.Token, "key-grid-0000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	f.submit(b.Token, "key-grid-0000000002", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	f.submit(c.Token, "key-grid-0000000003", "ds-basics", snapshot(t, "ds-basics", "solution"))
	bd := f.board()
	if len(bd.Students) != 3 || bd.StuckMins != 5 {
		t.Fatalf("board %+v", bd)
	}
	var ex api.BoardExercise
	for _, e := range bd.Exercises {
		if e.ID == "ds-basics" {
			ex = e
		}
	}
	if ex.Passed != 1 || ex.Attempted != 3 || ex.CommonFailure == nil || ex.CommonFailure.Students != 2 || ex.CommonFailure.Reason == "" {
		t.Fatalf("per-exercise view %+v %+v", ex, ex.CommonFailure)
	}
	cell := bd.Students[0].Cells["ds-basics"]
	if cell.Status != api.StatusFailed || cell.Submissions != 1 || bd.Students[0].Stuck {
		t.Fatalf("s1 right after a failing submission: %+v stuck=%v", cell, bd.Students[0].Stuck)
	}
	// The board carries what a client needs to turn stuck on by itself
	// (board.js and class watch on a timer) without another event.
	if bd.Students[0].ProgressAt.IsZero() || !bd.Students[2].ProgressAt.IsZero() {
		t.Fatalf("progressAt: failing %v, passed %v", bd.Students[0].ProgressAt, bd.Students[2].ProgressAt)
	}
	later := bd
	later.Students = slices.Clone(bd.Students)
	later.RecomputeStuck(bd.Now.Add(4 * time.Minute))
	if later.Students[0].Stuck {
		t.Fatalf("stuck after 4 of 5 minutes: %+v", later.Students[0])
	}
	later.RecomputeStuck(bd.Now.Add(6 * time.Minute))
	if !later.Students[0].Stuck || !later.Students[1].Stuck || later.Students[2].Stuck || !later.Students[0].StuckSince.Equal(later.Students[0].ProgressAt) {
		t.Fatalf("client-side stuck after 6 min: %+v", later.Students)
	}
	clk.add(6 * time.Minute)
	f.submit(a.Token, "key-grid-0000000004", "ds-basics", snapshot(t, "ds-basics", "image-typo")) // no progress
	bd = f.board()
	if !bd.Students[0].Stuck || !bd.Students[1].Stuck || bd.Students[2].Stuck {
		t.Fatalf("stuck flags after 6 min: %v %v %v", bd.Students[0].Stuck, bd.Students[1].Stuck, bd.Students[2].Stuck)
	}
	// The same snapshot again is not stored (server.sameAsPrevious): still 1회.
	if cell := bd.Students[0].Cells["ds-basics"]; cell.Submissions != 1 || !cell.LastChange.Equal(bd.Students[0].StuckSince) {
		t.Fatalf("an unchanged resubmission moved the last change: %+v since %v", cell, bd.Students[0].StuckSince)
	}
	f.submit(a.Token, "key-grid-0000000005", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if bd = f.board(); bd.Students[0].Stuck || bd.Students[0].Cells["ds-basics"].Status != api.StatusPassed {
		t.Fatalf("s1 passed and is still stuck: %+v", bd.Students[0])
	}
	if got := server.Initials("김민수"); got != "김○○" {
		t.Fatalf("Initials(김민수) = %q", got)
	}
	for name, want := range map[string]string{
		"남" + strings.Repeat("가나다라마바사아자차", 2): "남○○", // issue 12: 남○○○○○○○○○○○○○○○○○○○○
		"이산":                             "이○",
		"Anna Maria Luisa de Vega Ortiz": "A.M.L.",
	} {
		if got := server.Initials(name); got != want {
			t.Errorf("Initials(%q) = %q, want %q", name, got, want)
		}
	}
	if got := server.Initials("Jane Doe"); got != "J.D." {
		t.Fatalf("Initials(Jane Doe) = %q", got)
	}
}

func TestBoardCookieSession(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	if code, _ := f.do("POST", api.PathBoardSession, "dsi_wrong", nil); code != http.StatusUnauthorized {
		t.Fatalf("session with a wrong token: %d", code)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+api.PathBoardSession, nil)
	req.Header.Set("Authorization", "Bearer "+f.instructor)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == server.BoardCookieName(strings.TrimPrefix(f.srv.URL, "http://")) {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.Secure || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("board cookie %+v", cookie)
	}
	send := func(method, path string, hdr bool, body string) int {
		req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
		req.AddCookie(cookie)
		if hdr {
			req.Header.Set("X-Dslab-Board", "1")
		}
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("GET", api.PathBoard, false, ""); code != http.StatusOK {
		t.Fatalf("board with the cookie: %d", code)
	}
	msg := `{"kind":"broadcast","message":"안녕하세요"}`
	if code := send("POST", api.PathInstructorCommands, false, msg); code != http.StatusForbidden {
		t.Fatalf("cookie write without X-Dslab-Board: %d", code)
	}
	if code := send("POST", api.PathInstructorCommands, true, msg); code != http.StatusCreated {
		t.Fatalf("cookie write with X-Dslab-Board: %d", code)
	}
	// The export and regrade routes of part 1 still take only the bearer token.
	if code := send("GET", api.PathExport, true, ""); code != http.StatusUnauthorized {
		t.Fatalf("export with the board cookie: %d", code)
	}
	code, body := f.do("GET", api.PathBoardPage, "", nil)
	if code != http.StatusOK || !strings.Contains(string(body), "board.js") {
		t.Fatalf("board page: %d", code)
	}
}

func TestDownloadsAndInstallScript(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	bin := filepath.Join(dir, "running-dslab")
	os.WriteFile(bin, []byte("#!/bin/sh\necho 'dslab test binary'\n"), 0o755)
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(dist, 0o755)
	os.WriteFile(filepath.Join(dist, "dslab-darwin-arm64"), []byte("mac build"), 0o755)
	os.WriteFile(filepath.Join(dist, "notes.txt"), []byte("not a build"), 0o644)
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: bin, DistDir: dist})
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	self, _ := os.ReadFile(bin)
	code, body := f.do("GET", api.PathSums, "", nil)
	sums := string(body)
	if code != http.StatusOK || !strings.Contains(sums, sum([]byte("mac build"))+"  dslab-darwin-arm64\n") ||
		!strings.Contains(sums, sum(self)+"  dslab-linux-") || strings.Contains(sums, "notes.txt") {
		t.Fatalf("SHA256SUMS: %d\n%s", code, sums)
	}
	if code, body := f.do("GET", api.PathDownload+"dslab-darwin-arm64", "", nil); code != http.StatusOK || string(body) != "mac build" {
		t.Fatalf("download: %d %q", code, body)
	}
	if code, _ := f.do("GET", api.PathDownload+"notes.txt", "", nil); code != http.StatusNotFound {
		t.Fatalf("a non-build file was served: %d", code)
	}
	// The index gives the install line with this class's join code.
	if code, body := f.do("GET", api.PathDownload, "", nil); code != http.StatusOK || !strings.Contains(string(body), "install.sh | sh -s -- "+f.code+" 이름 학번\n") {
		t.Fatalf("download index: %d %s", code, body)
	}
	// A client that accepts gzip gets the build compressed; the checksum
	// header is the decompressed file's.
	req, _ := http.NewRequest("GET", f.srv.URL+api.PathDownload+"dslab-darwin-arm64", nil)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the client then does not decompress
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip download: %v, Content-Encoding %q", err, resp.Header.Get("Content-Encoding"))
	}
	plain, err := io.ReadAll(zr)
	resp.Body.Close()
	if err != nil || string(plain) != "mac build" || resp.Header.Get("X-Checksum-Sha256") != sum(plain) {
		t.Fatalf("gzip download decompresses to %q (%v), sum header %q", plain, err, resp.Header.Get("X-Checksum-Sha256"))
	}

	// The install line, against this server on loopback, in a clean HOME.
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the install line needs it")
	}
	home := t.TempDir()
	cmd := exec.Command("sh", "-c", server.InstallLine(f.srv.URL, ""))
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install line: %v\n%s", err, out)
	}
	installed, err := os.ReadFile(filepath.Join(home, ".local", "bin", "dslab"))
	if err != nil || sum(installed) != sum(self) {
		t.Fatalf("installed binary differs (%v)\n%s", err, out)
	}
	run, err := exec.Command(filepath.Join(home, ".local", "bin", "dslab")).Output()
	if err != nil || string(run) != "dslab test binary\n" {
		t.Fatalf("installed binary runs: %v %q", err, run)
	}
}
