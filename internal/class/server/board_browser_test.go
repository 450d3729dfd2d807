package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// chromium returns Debian's chromium or skips t saying why (`make
// test-deps` installs it when run as root).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (chromium, chromium-browser): `apt-get install -y chromium`, or run `make test` as root")
	return ""
}

// browser starts headless Chromium exe (chromium) with a window of w×h
// CSS pixels and its profile under dir, and returns its context: a
// deadline of 2 minutes only so that a hung browser ends the test; the
// browser stops when t ends.
func browser(t *testing.T, exe, dir string, w, h int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(w, h),
		chromedp.UserDataDir(filepath.Join(dir, "chromium")))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// browserClass is the start every board browser test shares: it skips t
// under -short or without Chromium, serves a class on a fresh SQLite store
// in a temporary dir (boardFixture with bc and opts) and returns the
// fixture, the store (closed with the test), Chromium's path and the dir
// (for browser's profile and screenshots).
func browserClass(t *testing.T, bc server.BoardConfig, opts ...func(*server.Config)) (f *boardFix, st store.Store, exe, dir string) {
	t.Helper()
	return browserClassOf(t, nil, bc, opts...)
}

// browserClassOf is browserClass of a class of the exercises exs (nil:
// the whole catalog).
func browserClassOf(t *testing.T, exs []string, bc server.BoardConfig, opts ...func(*server.Config)) (f *boardFix, st store.Store, exe, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	exe = chromium(t)
	dir = t.TempDir()
	st = openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	if exs != nil {
		if _, _, err := server.Setup(context.Background(), st, "보드 수업", exs, filepath.Join(dir, server.InstructorTokenFile)); err != nil {
			t.Fatal(err)
		}
	}
	return boardFixture(t, st, dir, bc, opts...), st, exe, dir
}

// joinRoom joins n students named as a real room (projectorNames, many
// alike) with 학번 2026001… and returns their tokens in that order.
func joinRoom(t *testing.T, f *boardFix, n int) []string {
	t.Helper()
	var tokens []string
	for i := range n {
		id := fmt.Sprintf("2026%03d", i+1)
		code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: projectorNames[i%len(projectorNames)], StudentID: id, MachineID: "machine-" + id}))
		var r api.JoinResponse
		if (code != 201 && code != 200) || json.Unmarshal(body, &r) != nil {
			t.Fatalf("join %s: %d %s", id, code, body)
		}
		tokens = append(tokens, r.Token)
	}
	return tokens
}

// evalJS evaluates js in the page of ctx and returns its string value;
// a failure ends t.
func evalJS(t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, opts...))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitJS polls the JavaScript condition js until it holds (no timed
// assertion: the browser's deadline only ends a hung test).
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	for ctx.Err() == nil {
		if evalJS(t, ctx, `String(!!(`+js+`))`) == "true" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s (%s)", what, js)
}

// TestIntegrationBoardInBrowser opens the web board in headless Chromium
// through the one-time #token= link, submits through the API and sees the
// grid cell change, reads the per-exercise view's common failure, drives
// the board by keyboard and checks that projector mode hides the names. It
// saves a screenshot (path in the log).
func TestIntegrationBoardInBrowser(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	s1, s2 := f.join("s1", "machine-s1"), f.join("s2", "machine-s2")
	f.submit(s1.Token, "key-browser-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))

	ctx := browser(t, exe, dir, 1280, 720)

	cellSel := func(roster, status string) string {
		return `#grid tr[data-roster="` + roster + `"] td[data-exercise="ds-basics"][data-status="` + status + `"]`
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(cellSel("s1", "failed"))),
	); err != nil {
		t.Fatalf("board with s1's failing cell: %v", err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(url, "token") {
		t.Fatalf("the token stayed in the address bar: %s", url)
	}

	// A submission through the API reaches the open board (pushed).
	if code, r, body := f.submit(s2.Token, "key-browser-000002", "ds-basics", snapshot(t, "ds-basics", "solution")); code != 201 || r.Status != api.StatusPassed {
		t.Fatalf("s2's solution: %d %s", code, body)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(cellSel("s2", "passed")))); err != nil {
		t.Fatalf("s2's cell did not turn passed: %v", err)
	}
	cellText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(cellSel("s2", "passed"))))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cellText, "✔ 통과") {
		t.Fatalf("passed cell reads %q: pass must be shown by icon and text", cellText)
	}

	// The per-exercise view names the server's most common failure.
	var board api.Board
	if code, body := f.do("GET", api.PathBoard, f.instructor, nil); code != 200 || json.Unmarshal(body, &board) != nil {
		t.Fatalf("board: %d", code)
	}
	var want string
	for _, x := range board.Exercises {
		if x.ID == "ds-basics" && x.CommonFailure != nil {
			want = x.CommonFailure.Reason
		}
	}
	reason, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#exercises tr[data-exercise="ds-basics"] .common-reason`)))
	if err != nil {
		t.Fatal(err)
	}
	if want == "" || strings.TrimSpace(reason) != want {
		t.Fatalf("per-exercise view reason %q, want %q", reason, want)
	}

	// Keyboard: g focuses the grid, arrows move, Enter opens the timeline.
	if err := chromedp.Do(ctx,
		chromedp.KeyEvent("g"), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#timeline-sec li`)),
	); err != nil {
		t.Fatalf("timeline by keyboard: %v", err)
	}

	// Projector mode: large type, names shown as initials.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("p")); err != nil {
		t.Fatal(err)
	}
	projector, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.classList.contains("projector")`))
	if err != nil {
		t.Fatal(err)
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#grid .who")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !projector || len(names) != 2 {
		t.Fatalf("projector mode %v, names %q", projector, names)
	}
	// Both are 학○○: told apart by their board number (api.BoardLabels), no id.
	for i, n := range names {
		if want := strconv.Itoa(i+1) + " " + server.Initials("학생 s1"); strings.Contains(n, "s1") || strings.Contains(n, "s2") || n != want {
			t.Fatalf("projector mode shows %q, want initials %q", n, want)
		}
	}
	// Projector mode accuses nobody: s1's late submission (its flag shows in
	// the normal view) shows no flag there; and the grid fits 1280 px.
	mustCmd := func(req api.CommandRequest) {
		if code, body := f.command(f.instructor, req); code != 201 && code != 200 {
			t.Fatalf("command %s: %d %s", req.Kind, code, body)
		}
	}
	mustCmd(api.CommandRequest{Kind: api.CommandFreeze})
	f.submit(s1.Token, "key-browser-000003", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#grid tr[data-roster="s1"] .flag`))); err != nil {
		t.Fatalf("late flag not on the board: %v", err)
	}
	visibleFlags, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#grid .flag")].filter(e => e.offsetParent !== null).length`))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.ceil(Math.max(document.getElementById("grid").getBoundingClientRect().right, document.documentElement.scrollWidth))`))
	if err != nil {
		t.Fatal(err)
	}
	if visibleFlags != 0 || width > 1280 {
		t.Fatalf("projector mode: %d visible flags (want 0), grid right edge %d px (want ≤ 1280)", visibleFlags, width)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(os.TempDir(), "dslab-board-screenshot.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
}

// TestIntegrationBoardNamesLayoutLogin (issue 12, an instructor trial):
//   - opened without a token the board asks for one in Korean with no
//     error (none was tried) and no empty install-line box, and keeps every
//     instructor action disabled; a wrong token says why (HTTP 401); the
//     right token typed into the prompt opens it and enables them;
//   - two 김민수 are told apart in the grid, in "최근 동작" and, as initials,
//     in projector mode by api.BoardLabels (the board number in every mode,
//     the 학번 in the tooltip);
//   - at 1280×720 no grid cell overflows (a 64-character name is cut with
//     an ellipsis and kept whole in the title; the stuck label wraps inside
//     its cell), in the normal view and in projector mode;
//   - a freeze shows api.PauseMark (a glyph the board's fonts have).
//
// It saves a screenshot of each mode (paths in the log).
func TestIntegrationBoardNamesLayoutLogin(t *testing.T) {
	clk := &clock{t: time.Now()}
	// The LAN address serve advertises: the board's install line (the
	// board is opened on 127.0.0.1, never a students' address).
	f, _, exe, dir := browserClass(t, server.BoardConfig{StuckAfter: 5 * time.Minute, StudentURLs: []string{"http://192.0.2.10:7070"}}, func(c *server.Config) { c.Now = clk.now })
	join := func(name, id string) api.JoinResponse {
		t.Helper()
		code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: name, StudentID: id, MachineID: "machine-" + id}))
		var r api.JoinResponse
		if (code != 201 && code != 200) || json.Unmarshal(body, &r) != nil {
			t.Fatalf("join %s %s: %d %s", name, id, code, body)
		}
		return r
	}
	long := strings.Repeat("가나다라마바사아자차", 6) + "카타파하" // 64 characters
	a := join("김민수", "2026002")
	join("김민수", "2026102")
	l := join(long, "2026003")
	f.submit(a.Token, "key-layout-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	f.submit(l.Token, "key-layout-000002", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	clk.add(30 * time.Minute) // both are stuck now
	mustCmd := func(req api.CommandRequest) {
		t.Helper()
		if code, body := f.command(f.instructor, req); code != 201 && code != 200 {
			t.Fatalf("command %s: %d %s", req.Kind, code, body)
		}
	}
	mustCmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "2026002", Exercise: "ds-basics"})

	ctx := browser(t, exe, dir, 1280, 720)
	eval := func(js string) string { t.Helper(); return evalJS(t, ctx, js) }
	const disabledActions = `String([...document.querySelectorAll(".actions button, .actions input, .actions select")].filter(e => !e.disabled).length)`

	// Without a token: the prompt, the reason, no action.
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage), chromedp.WaitVisible(chromedp.CSS(`#auth #token-input`))); err != nil {
		t.Fatalf("no login prompt without a token: %v", err)
	}
	// No token was tried yet: no error (issue 12: a red HTTP 401 before
	// anything was typed), and no empty install-line box before the data.
	if why, conn, enabled, box := eval(`document.getElementById("auth-why").textContent`), eval(`document.getElementById("conn").textContent`), eval(disabledActions),
		eval(`String(document.getElementById("install-line").offsetParent !== null)`); why != "" || !strings.Contains(conn, "로그인 필요") || enabled != "0" || box != "false" {
		t.Fatalf("without a token: reason %q (want none), status %q, %s actions enabled, install box shown %s", why, conn, enabled, box)
	}
	// Nor its intro line over nothing, nor the PowerShell sentence on a
	// server without a Windows build (issue 12).
	if intro, win := eval(`String(document.getElementById("install-intro").offsetParent !== null)`), eval(`String(document.getElementById("windows-note").offsetParent !== null)`); intro != "false" || win != "false" {
		t.Errorf("without a token: install intro shown %s, Windows sentence shown %s", intro, win)
	}
	// A wrong token is refused with the reason; the right one opens the board.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#token-input`), "dsi_wrong"), chromedp.Click(chromedp.CSS(`#f-login button`)),
		chromedp.WaitVisible(chromedp.CSS(`#auth-why`))); err != nil {
		t.Fatal(err)
	}
	if why, hidden := eval(`document.getElementById("auth-why").textContent`), eval(`String(document.getElementById("auth").hidden)`); !strings.Contains(why, "401") || hidden != "false" {
		t.Fatalf("wrong token: reason %q", why)
	}
	eval(`document.getElementById("token-input").value = ""`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#token-input`), f.instructor),
		chromedp.Click(chromedp.CSS(`#f-login button`)), chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="2026102"]`))); err != nil {
		t.Fatalf("board after typing the token: %v", err)
	}
	if hidden, disabled := eval(`String(document.getElementById("auth").hidden)`), eval(`String([...document.querySelectorAll(".actions button")].filter(e => e.disabled).length)`); hidden != "true" || disabled != "0" {
		t.Fatalf("after login: prompt hidden %s, %s actions still disabled", hidden, disabled)
	}
	if line := eval(`document.getElementById("install-line").offsetParent !== null ? document.getElementById("install-line").textContent : ""`); !strings.Contains(line, "install.sh") || !strings.Contains(line, f.code) {
		t.Fatalf("after login the install line is %q", line)
	}

	var board api.Board
	if code, body := f.do("GET", api.PathBoard, f.instructor, nil); code != 200 || json.Unmarshal(body, &board) != nil {
		t.Fatalf("board: %d", code)
	}
	whoOf := func(roster string) string {
		return eval(`document.querySelector('#grid th[data-roster="` + roster + `"] .who').textContent`)
	}
	checkNames := func(mode string) {
		t.Helper()
		want := api.BoardLabels(board.Students, mode)
		for i, s := range board.Students {
			if got := whoOf(s.RosterID); got != want[i] {
				t.Errorf("%s: %s is %q on the board, want %q (api.BoardLabels)", mode, s.RosterID, got, want[i])
			}
		}
	}
	checkNames(api.NamesFull)
	if w := whoOf("2026002"); w != "1 김민수·002" {
		t.Fatalf("first 김민수 is %q", w)
	}
	if title := eval(`document.querySelector('#grid th[data-roster="2026003"]').title`); !strings.Contains(title, long) || !strings.Contains(title, "2026003") {
		t.Fatalf("the long name's title %q lacks the whole name and 학번", title)
	}
	// "최근 동작" names the student as the grid does, the 학번 in the title.
	recent := eval(`document.querySelector('#commands li[data-roster="2026002"]').textContent`)
	recentTitle := eval(`document.querySelector('#commands li[data-roster="2026002"]').title`)
	if !strings.Contains(recent, "1 김민수·002") || !strings.Contains(recent, api.CommandText(api.CommandResetExercise)) || !strings.Contains(recentTitle, "2026002") {
		t.Fatalf("최근 동작 %q (title %q)", recent, recentTitle)
	}

	// No cell overflows; stuck labels are whole.
	const overflowing = `JSON.stringify([...document.querySelectorAll("#grid th, #grid td, #grid .stuck")].filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth).map(e => e.className + ": " + e.textContent))`
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(os.TempDir(), name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	layout := func(mode string) {
		t.Helper()
		if n := eval(`String(document.querySelectorAll("#grid .stuck").length)`); n != "2" {
			t.Fatalf("%s: %s stuck labels, want 2", mode, n)
		}
		if o := eval(overflowing); o != "[]" {
			t.Errorf("%s: cells overflow: %s", mode, o)
		}
		if w := eval(`String(Math.round(document.querySelector('#grid th[data-roster="2026003"]').getBoundingClientRect().width))`); w == "" {
			t.Fatal("no long-name row")
		} else if n, _ := strconv.Atoi(w); n > 300 {
			t.Errorf("%s: the 64-character name widens its column to %d px", mode, n)
		}
	}
	layout("normal")
	shoot("dslab-board-layout.png")

	if err := chromedp.Do(ctx, chromedp.KeyEvent("p")); err != nil {
		t.Fatal(err)
	}
	checkNames(api.NamesInitials)
	if w := whoOf("2026102"); w != "2 김○○" {
		t.Fatalf("second 김민수 in projector mode is %q", w)
	}
	layout("projector")
	if right, _ := strconv.Atoi(eval(`String(Math.ceil(document.documentElement.scrollWidth))`)); right > 1280 {
		t.Errorf("projector page is %d px wide", right)
	}
	mustCmd(api.CommandRequest{Kind: api.CommandFreeze})
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#frozen`))); err != nil {
		t.Fatal(err)
	}
	if fr := eval(`document.getElementById("frozen").textContent`); !strings.HasPrefix(fr, api.PauseMark+" ") {
		t.Errorf("frozen banner %q does not start with %q", fr, api.PauseMark)
	}
	// While frozen 제출 마감 is disabled and says so next to 마감 풀기
	// (issue 12: it stayed enabled).
	if fz, ufz := eval(`(b => b.disabled + " " + b.textContent)(document.querySelector('button[data-kind="freeze"]'))`), eval(`(b => b.disabled + " " + b.textContent)(document.querySelector('button[data-kind="unfreeze"]'))`); fz != "true 마감됨" || ufz != "false 마감 풀기" {
		t.Errorf("frozen: freeze button %q, unfreeze button %q", fz, ufz)
	}
	shoot("dslab-board-layout-projector.png")
}
