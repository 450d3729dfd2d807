package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardResetAsksFirst (issue 12): the board's 연습 초기화
// sent at once. It now asks first, naming the student and the exercise,
// from the keyboard too (Enter in the reason box): declined, nothing is
// sent and the note says so; accepted, the command is sent.
func TestIntegrationBoardResetAsksFirst(t *testing.T) {
	f, _, exe, dir := browserClassOf(t, []string{"ds-basics", "gpu-only"}, server.BoardConfig{})
	f.join("s1", "machine-s1")
	resets := func() int {
		t.Helper()
		var b api.Board
		if code, body := f.do("GET", api.PathBoard, f.instructor, nil); code != 200 || json.Unmarshal(body, &b) != nil {
			t.Fatalf("board: %d %s", code, body)
		}
		n := 0
		for _, c := range b.Commands {
			if c.Kind == "reset-exercise" {
				n++
			}
		}
		return n
	}
	ctx := browser(t, exe, dir, 1280, 900)
	var mu sync.Mutex
	var asked []string
	accept := false
	// The browser's confirm: record its text and answer it (accept) from
	// another goroutine than the one reading the events.
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for d, err := range opening {
			if err != nil {
				return
			}
			mu.Lock()
			asked = append(asked, d.Message)
			a := accept
			mu.Unlock()
			go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: a})
				return err
			}))
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitReady(chromedp.CSS(`#t-st option[value="s1"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	student := evalJS(t, ctx, `document.querySelector('#t-st option[value="s1"]').textContent`)
	evalJS(t, ctx, `(() => { document.getElementById("t-ex").value = "gpu-only"; document.getElementById("t-st").value = "s1"; return ""; })()`)

	// Declined, by keyboard: Enter in the reason box asks first.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("t-reason")), chromedp.KeyEvent("다시 "), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the declined note", `document.getElementById("note-target").textContent.includes("보내지 않았습니다")`)
	mu.Lock()
	if len(asked) != 1 || !strings.Contains(asked[0], student) || !strings.Contains(asked[0], "gpu-only") {
		t.Errorf("confirmation %q does not name the student %q and the exercise gpu-only", asked, student)
	}
	accept = true
	mu.Unlock()
	if n := resets(); n != 0 {
		t.Fatalf("declined, yet %d reset-exercise sent", n)
	}

	// Accepted: the button asks and then sends.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#f-target button[value="reset-exercise"]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sent note", `document.getElementById("note-target").textContent.startsWith("✔")`)
	if n := resets(); n != 1 {
		t.Fatalf("accepted, %d reset-exercise sent (want 1)", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 2 {
		t.Errorf("asked %d times, want once per reset: %q", len(asked), asked)
	}
}

// acceptDialogs answers yes to every confirm of the page of ctx (연습
// 초기화 asks first) from a goroutine, for tests that send it.
func acceptDialogs(ctx context.Context) {
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range opening {
			if err != nil {
				return
			}
			go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				return err
			}))
		}
	}()
}
