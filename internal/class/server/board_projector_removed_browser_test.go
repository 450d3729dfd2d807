package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardProjectorPositionCountsRows (issue 12, instructor
// trial): after a removal the projector's line under the grid said
// "학생 1–4/4" beside a student numbered 5 (numbers are kept). The line
// counts rows of students: "4명 중 1–4번째 줄".
func TestIntegrationBoardProjectorPositionCountsRows(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	joinRoom(t, f, 5)
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: "2026002"}); code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("remove: %d %s", code, body)
	}
	ctx := browser(t, exe, dir, 1280, 800)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"?projector=1#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="2026005"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	waitJS(t, ctx, "the position line", `!document.getElementById("page").hidden && document.getElementById("page").textContent !== ""`)
	if who := evalJS(t, ctx, `document.querySelector('#wall tr[data-roster="2026005"] .who').textContent`); !strings.HasPrefix(who, "5 ") {
		t.Fatalf("the fifth student is shown as %q, want number 5 kept", who)
	}
	if rows := evalJS(t, ctx, `String(document.querySelectorAll("#wall tbody tr[data-roster]").length)`); rows != "4" {
		t.Fatalf("%s rows after removing one of 5", rows)
	}
	if pos := evalJS(t, ctx, `document.getElementById("page").textContent`); pos != "4명 중 1–4번째 줄" {
		t.Errorf("position line %q, want 4명 중 1–4번째 줄 (rows, not the numbers 1–5)", pos)
	}
}
