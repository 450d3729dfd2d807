package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardShowsRefusals is issue 12's instructor trial: the
// server refuses an action that would change nothing (제출 마감 while
// already frozen: 409 already-frozen) or that lacks what it needs (연습
// 초기화 for "모든 학생": 400 need-student) with a Korean reason, and the
// board showed nothing by the button. Now the answer to every action is
// written next to the buttons that sent it, in an aria-live note: the
// server's own Korean reason for a refusal, "보냈습니다" for a command
// stored; a refusal's advice points to the board's button, not the CLI.
// 제출 마감 is pressed twice with a freeze from another board (the
// API, from the page) in between, before the board hears of it.
func TestIntegrationBoardShowsRefusals(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	f.join("s1", "machine-s1")

	ctx := browser(t, exe, dir, 1280, 800)
	eval := func(js string, opts ...chromedp.EvaluateOption) string {
		t.Helper()
		return evalJS(t, ctx, js, opts...)
	}
	waitFor := func(what, js string) { t.Helper(); waitJS(t, ctx, what, js) }
	const freezeBtn = `document.querySelector('button[data-kind="freeze"]')`
	note := func(id string) (text, code string, refused bool) {
		t.Helper()
		var n struct {
			Text, Code string
			Refused    bool
		}
		js := `JSON.stringify((n => ({text: n.textContent, code: n.dataset.code || "", refused: "refused" in n.dataset}))(document.getElementById("` + id + `")))`
		if err := json.Unmarshal([]byte(eval(js)), &n); err != nil {
			t.Fatal(err)
		}
		return n.Text, n.Code, n.Refused
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s1"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	// The instructor answers the board's "계속할까요?" with yes.
	eval(`window.confirm = () => true; ""`)
	// Each note is next to its buttons and read out by screen readers.
	for _, id := range []string{"note-state", "note-target", "note-broadcast"} {
		if live := eval(`(n => n ? n.getAttribute("aria-live") + " " + n.parentElement.tagName : "none")(document.getElementById("` + id + `"))`); live != "polite P" && live != "polite FORM" {
			t.Errorf("%s: aria-live and parent %q", id, live)
		}
	}

	// The first 제출 마감 is stored: the note says so.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-kind="freeze"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor("the freeze's note", `document.getElementById("note-state").textContent.includes("보냈습니다")`)
	if text, _, refused := note("note-state"); refused || !strings.Contains(text, api.CommandText(api.CommandFreeze)) {
		t.Errorf("after the first freeze the note reads %q (refused %v)", text, refused)
	}
	waitFor("the board to show the freeze", freezeBtn+`.disabled`)
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandUnfreeze}); code != 201 {
		t.Fatalf("unfreeze: %d %s", code, body)
	}
	waitFor("the board to show the unfreeze", `!`+freezeBtn+`.disabled`)

	// Another board freezes; this one presses 제출 마감 before it hears of
	// it (its button still enabled): the server refuses with 409, and the
	// note next to the button gives the server's Korean reason.
	var refusal api.Error
	got := eval(`(async () => {
		const r = await fetch("`+api.PathInstructorCommands+`", {method: "POST", credentials: "same-origin",
			headers: {"Content-Type": "application/json", "X-Dslab-Board": "1"}, body: JSON.stringify({kind: "freeze"})});
		const b = `+freezeBtn+`;
		const enabled = !b.disabled;
		b.click();
		return r.status + " " + enabled;
	})()`, chromedp.EvalAwaitPromise)
	if got != "201 true" {
		t.Fatalf("the other board's freeze and this board's button: %q, want \"201 true\"", got)
	}
	waitFor("the refusal's note", `"refused" in document.getElementById("note-state").dataset`)
	// The server's own answer to a second freeze from a board, for
	// comparison.
	code, body := f.boardCommand(api.CommandRequest{Kind: api.CommandFreeze})
	if code != 409 || json.Unmarshal(body, &refusal) != nil || refusal.Error == "" {
		t.Fatalf("a freeze while frozen: %d %s", code, body)
	}
	text, ncode, _ := note("note-state")
	if !strings.Contains(text, refusal.Error) || !strings.Contains(text, "409") || ncode != "already-frozen" {
		t.Errorf("the refused freeze's note reads %q (code %q), want the server's %q with HTTP 409", text, ncode, refusal.Error)
	}
	if strings.Contains(text, "보냈습니다:") {
		t.Errorf("a refused freeze reads as sent: %q", text)
	}
	// It points to the board's own button (issue 12: it named "dslab class
	// send unfreeze" beside the button); a CLI command only in parentheses.
	if !strings.Contains(text, "‘"+server.ButtonUnfreeze+"’ 단추") ||
		eval(`String([...document.querySelectorAll(".actions button")].some(b => b.textContent === "`+server.ButtonUnfreeze+`"))`) != "true" {
		t.Errorf("the refused freeze's note %q does not point to the board's %q button", text, server.ButtonUnfreeze)
	}
	if w := cliWords.FindString(outsideParens(text)); w != "" {
		t.Errorf("the refused freeze's note %q names %q outside parentheses", text, w)
	}
	// The refusal also brought the board up to date.
	waitFor("the board to show the other board's freeze", freezeBtn+`.disabled && !document.getElementById("frozen").hidden`)

	// 연습 초기화 for every student is refused (one student only): the
	// note is next to the 연습 초기화 button, not by 제출 마감.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#t-st`), ""),
		chromedp.Click(chromedp.CSS(`#f-target button[value="reset-exercise"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor("the reset's note", `"refused" in document.getElementById("note-target").dataset`)
	code, body = f.boardCommand(api.CommandRequest{Kind: api.CommandResetExercise, Exercise: eval(`document.getElementById("t-ex").value`)})
	refusal = api.Error{}
	if code != 400 || json.Unmarshal(body, &refusal) != nil {
		t.Fatalf("reset-exercise without a student: %d %s", code, body)
	}
	if text, ncode, _ := note("note-target"); !strings.Contains(text, refusal.Error) || ncode != refusal.Code {
		t.Errorf("the refused reset's note reads %q (code %q), want the server's %q (%s)", text, ncode, refusal.Error, refusal.Code)
	}
	// The same reset for s1 is sent: the note turns to "보냈습니다".
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#t-st`), "s1"),
		chromedp.Click(chromedp.CSS(`#f-target button[value="reset-exercise"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor("the sent reset's note", `document.getElementById("note-target").textContent.includes("보냈습니다")`)
	if _, _, refused := note("note-target"); refused {
		t.Error("a sent reset is still marked refused")
	}
	// The confirmation says which exercise and student (issue 12: "✔
	// 보냈습니다: 힌트 열기" said neither).
	ex := eval(`document.getElementById("t-ex").value`)
	if text, _, _ := note("note-target"); !strings.Contains(text, "("+ex+" · 1 ") {
		t.Errorf("the sent reset's note %q does not name %s and student 1", text, ex)
	}
}
