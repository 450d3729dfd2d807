package server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
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

// TestIntegrationBoardInBrowser opens the web board in headless Chromium
// through the one-time #token= link, submits through the API and sees the
// grid cell change, reads the per-exercise view's common failure, drives
// the board by keyboard and checks that projector mode hides the names. It
// saves a screenshot (path in the log).
func TestIntegrationBoardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	exe := chromium(t)
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	s1, s2 := f.join("s1", "machine-s1"), f.join("s2", "machine-s2")
	f.submit(s1.Token, "key-browser-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 720),
		chromedp.UserDataDir(filepath.Join(dir, "chromium")))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// A deadline only so that a hung browser ends the test.
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

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
	for _, n := range names {
		if strings.Contains(n, "s1") || strings.Contains(n, "s2") || n != server.Initials("학생 s1") {
			t.Fatalf("projector mode shows %q, want initials %q", n, server.Initials("학생 s1"))
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
