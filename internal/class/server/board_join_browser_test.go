package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardJoinButtons (issue 12, instructor trial: the board
// had no way to close joining, and a class closed with `class send
// close-join` looked open): 참가 닫기 and 참가 열기 are board buttons,
// usable by keyboard alone (Tab to the button, Enter, the confirmation
// answered); closing is stored as a command on the 최근 동작 list, the
// board state says joinClosed, the board shows 참가 닫힘 in its header and
// by the install line and disables 참가 닫기; a new student is refused
// while closed; 참가 열기 (no confirmation) opens it again and the marks
// go.
func TestIntegrationBoardJoinButtons(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	f.join("s1", "machine-s1")
	ctx := browser(t, exe, dir, 1280, 800)
	eval := func(js string) string { t.Helper(); return evalJS(t, ctx, js) }
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s1"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	const closeBtn, openBtn = `document.querySelector('button[data-kind="close-join"]')`, `document.querySelector('button[data-kind="open-join"]')`
	if got := eval(`[` + closeBtn + `, ` + openBtn + `].map(b => b ? b.tagName + ":" + b.textContent + ":" + b.disabled : "none").join(" ")`); got != "BUTTON:"+server.ButtonCloseJoin+":false BUTTON:"+server.ButtonOpenJoin+":false" {
		t.Fatalf("join buttons: %q", got)
	}
	// The instructor confirms (recorded, so the test knows it was asked).
	eval(`window.asked = []; window.confirm = (q) => { window.asked.push(q); return true; }; ""`)
	// Keyboard only: focus the button before it, Tab onto 참가 닫기, Enter.
	eval(`document.querySelector('button[data-kind="regrade"]').focus(); ""`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if got := eval(`document.activeElement.dataset.kind || document.activeElement.tagName`); got != api.CommandCloseJoin {
		t.Fatalf("Tab from 모두 다시 채점 reached %q, want the close-join button", got)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the close-join note", `document.getElementById("note-join").textContent.includes("보냈습니다")`)
	if eval(`String(window.asked.length)`) != "1" {
		t.Errorf("closing joining was not confirmed: %s", eval(`JSON.stringify(window.asked)`))
	}
	waitJS(t, ctx, "the board to show joining closed", `!document.getElementById("join-closed").hidden && `+closeBtn+`.disabled`)
	if got := eval(closeBtn + `.textContent`); got != "참가 닫힘" {
		t.Errorf("the disabled close button reads %q", got)
	}
	if eval(`String(!document.getElementById("install-closed").hidden)`) != "true" {
		t.Error("the install line does not say joining is closed")
	}
	if got := eval(`document.getElementById("commands").textContent`); !strings.Contains(got, api.CommandText(api.CommandCloseJoin)) {
		t.Errorf("최근 동작 lacks the close: %q", got)
	}
	b := f.board()
	if !b.JoinClosed || b.JoinClosedAt.IsZero() {
		t.Errorf("board state after 참가 닫기: joinClosed %v at %v", b.JoinClosed, b.JoinClosedAt)
	}
	code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "늦은 학생", StudentID: "s2", MachineID: "machine-s2"}))
	if code != http.StatusForbidden || !strings.Contains(string(body), "join-closed") {
		t.Fatalf("a join while closed from the board: %d %s", code, body)
	}

	// 참가 열기 by keyboard: focus and Enter; no confirmation.
	eval(openBtn + `.focus(); ""`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the board to show joining open", `document.getElementById("join-closed").hidden && !`+closeBtn+`.disabled`)
	if eval(`String(window.asked.length)`) != "1" {
		t.Errorf("opening asked for confirmation: %s", eval(`JSON.stringify(window.asked)`))
	}
	if got := eval(closeBtn + `.textContent + " " + document.getElementById("install-closed").hidden`); got != server.ButtonCloseJoin+" true" {
		t.Errorf("after 참가 열기: %q", got)
	}
	if b := f.board(); b.JoinClosed {
		t.Error("board state still joinClosed after 참가 열기")
	}
	f.join("s2", "machine-s2")
}
