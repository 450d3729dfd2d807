package server_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardPolishInBrowser is issue 12's instructor trial of
// d334985, in headless Chromium, on a board opened as `dslab class board`
// prints it (on 127.0.0.1):
//   - the students' install and join lines are the server's LAN addresses,
//     every one, never 127.0.0.1;
//   - after an announcement sent with Enter the box lets go of the
//     keyboard: P is projector mode, not a "P" typed into the box; Esc
//     leaves a text field too;
//   - leaving projector mode (opened with ?projector=1) brings full names
//     back, and N then moves one name mode on;
//   - 연습 초기화 has a reason box whose text reaches the stored command
//     (Enter in it resets, it does not open a hint); with no student
//     chosen the refusal names the board's ‘학생’ field, no API field;
//   - times are 24-hour HH:MM in a span that never wraps.
func TestIntegrationBoardPolishInBrowser(t *testing.T) {
	lan := []string{"http://192.0.2.10:7070", "http://198.51.100.7:7070"}
	f, _, exe, dir := browserClass(t, server.BoardConfig{StudentURLs: append(append([]string{}, lan...), "http://127.0.0.1:7070")})
	s1 := f.join("s1", "machine-s1")
	f.submit(s1.Token, "key-polish-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	ctx := browser(t, exe, dir, 1280, 800)
	eval := func(js string) string { t.Helper(); return evalJS(t, ctx, js) }
	keys := func(k string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"?projector=1#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s1"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}

	// The students' lines.
	install, join := eval(`document.getElementById("install-line").textContent`), eval(`document.getElementById("join-line").textContent`)
	for _, u := range lan {
		if !strings.Contains(install, server.InstallLine(u, f.code)) || !strings.Contains(join, api.JoinCommand(u, f.code)) {
			t.Errorf("the board lacks the lines of %s:\n%s\n%s", u, install, join)
		}
	}
	if strings.Contains(install+join, "127.0.0.1") || eval(`String(document.getElementById("install-many").hidden)`) != "false" {
		t.Errorf("students' lines name loopback or do not say there are several:\n%s\n%s", install, join)
	}

	// Projector mode from ?projector=1: initials; leaving it: full names,
	// and the address no longer asks for projector mode.
	who := func() string { return eval(`document.querySelector('#grid th[data-roster="s1"] .who').textContent`) }
	students := f.board().Students
	if w := who(); w != api.BoardLabels(students, api.NamesInitials)[0] {
		t.Fatalf("projector mode from ?projector=1 shows %q", w)
	}
	keys("p")
	if w, names, search := who(), eval(`document.getElementById("names").textContent`), eval(`location.search`); w != api.BoardLabels(students, api.NamesFull)[0] || names != "이름: 전체 (N)" || search != "" {
		t.Fatalf("after leaving projector mode: %q, %q, address %q", w, names, search)
	}
	keys("n")
	if names := eval(`document.getElementById("names").textContent`); names != "이름: 이니셜 (N)" {
		t.Fatalf("N once after leaving projector mode: %q", names)
	}
	keys("n")
	keys("n")
	if names := eval(`document.getElementById("names").textContent`); names != "이름: 전체 (N)" {
		t.Fatalf("N three times: %q", names)
	}

	// An announcement with Enter, then P.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#msg`)), chromedp.SendKeys(chromedp.CSS(`#msg`), "10분 뒤에 쉽니다"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the broadcast note", `document.getElementById("note-broadcast").textContent.includes("보냈습니다")`)
	if a := eval(`document.activeElement.id || document.activeElement.tagName`); a == "msg" {
		t.Fatal("the announcement box keeps the keyboard after sending")
	}
	keys("P")
	if on, typed := eval(`String(document.body.classList.contains("projector"))`), eval(`document.getElementById("msg").value`); on != "true" || typed != "" {
		t.Fatalf("P after sending: projector %s, box %q", on, typed)
	}
	keys("p")
	// Esc leaves a text field; the shortcuts work after it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#msg`)), chromedp.SendKeys(chromedp.CSS(`#msg`), "x"+kb.Escape)); err != nil {
		t.Fatal(err)
	}
	keys("p")
	if on, typed := eval(`String(document.body.classList.contains("projector"))`), eval(`document.getElementById("msg").value`); on != "true" || typed != "x" {
		t.Fatalf("P after Esc: projector %s, box %q", on, typed)
	}
	keys("p")
	eval(`document.getElementById("msg").value = ""; ""`)

	// 연습 초기화 for every student: refused, naming the board's field.
	eval(`document.getElementById("t-ex").value = "ds-basics"; document.getElementById("t-st").value = ""; ""`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#f-target button[value="reset-exercise"]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the reset refusal", `document.getElementById("note-target").textContent.includes("⚠")`)
	if n := eval(`document.getElementById("note-target").textContent`); !strings.Contains(n, "‘학생’") || regexp.MustCompile(`rosterId|\(\w+Id\)`).MatchString(n) {
		t.Errorf("reset without a student: %q", n)
	}
	// With a student and a reason typed, sent with Enter in the reason box
	// (and yes to the confirmation).
	acceptDialogs(ctx)
	const reason = "클러스터를 다시 만든 뒤 해 보세요"
	eval(`document.getElementById("t-st").value = "s1"; ""`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#t-reason`)), chromedp.SendKeys(chromedp.CSS(`#t-reason`), reason+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the reset note", `document.getElementById("note-target").textContent.includes("보냈습니다")`)
	var cmds api.CommandsResponse
	if code, body := f.do("GET", api.PathInstructorCommands, f.instructor, nil); code != 200 || json.Unmarshal(body, &cmds) != nil || len(cmds.Commands) == 0 {
		t.Fatalf("commands: %d %s", code, body)
	}
	if c := cmds.Commands[len(cmds.Commands)-1]; c.Kind != api.CommandResetExercise || c.Message != reason || c.RosterID != "s1" {
		t.Fatalf("the board's reset was stored as %+v", c)
	}
	if a := eval(`document.activeElement.id`); a == "t-reason" {
		t.Error("the reason box keeps the keyboard after sending")
	}

	// Times: HH:MM, on one line.
	waitJS(t, ctx, "the cell's time", `document.querySelector('#grid tr[data-roster="s1"] td[data-exercise="ds-basics"] .t')`)
	tm := eval(`(e => e.textContent + " " + getComputedStyle(e).whiteSpace)(document.querySelector('#grid tr[data-roster="s1"] td[data-exercise="ds-basics"] .t'))`)
	if !regexp.MustCompile(`^\d\d:\d\d nowrap$`).MatchString(tm) {
		t.Errorf("the cell's time: %q", tm)
	}
	if all := eval(`document.getElementById("wall").textContent + document.getElementById("commands").textContent`); strings.ContainsAny(all, "오전후") && regexp.MustCompile(`오[전후] \d`).MatchString(all) {
		t.Errorf("a 12-hour time on the board: %q", all)
	}
}

// TestIntegrationBoardLoginPerPortAndPastedLink (issue 12, instructor
// trial): two classes' boards on one host, two ports, stay logged in side
// by side (the cookie is per port); and a …/board#token=… link pasted into
// a board tab that asks for the token logs in and leaves no token in the
// address bar.
func TestIntegrationBoardLoginPerPortAndPastedLink(t *testing.T) {
	a, _, exe, dir := browserClass(t, server.BoardConfig{})
	a.join("a1", "machine-a1")
	dirB := t.TempDir()
	stB := openSQLite(t, dirB)
	t.Cleanup(func() { stB.Close() })
	b := boardFixture(t, stB, dirB, server.BoardConfig{})
	b.join("b1", "machine-b1")
	ctx := browser(t, exe, dir, 1280, 800)
	eval := func(js string) string { t.Helper(); return evalJS(t, ctx, js) }

	open := func(f *boardFix, token, roster string) {
		t.Helper()
		u := f.srv.URL + api.PathBoardPage
		if token != "" {
			u += "#token=" + token
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="`+roster+`"]`))); err != nil {
			t.Fatalf("board %s: %v (%s)", f.srv.URL, err, eval(`document.getElementById("conn").textContent`))
		}
	}
	open(a, a.instructor, "a1")
	open(b, b.instructor, "b1")
	// Back to the first class without a token: its own cookie still holds.
	open(a, "", "a1")
	if hidden := eval(`String(document.getElementById("auth").hidden)`); hidden != "true" {
		t.Fatal("the first board asks for its token again after the second one logged in")
	}

	// A third class, its board opened without a token: the prompt; then
	// its link pasted into the same tab (only the fragment changes).
	dirC := t.TempDir()
	stC := openSQLite(t, dirC)
	t.Cleanup(func() { stC.Close() })
	c := boardFixture(t, stC, dirC, server.BoardConfig{})
	c.join("c1", "machine-c1")
	if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+api.PathBoardPage), chromedp.WaitVisible(chromedp.CSS(`#auth #token-input`))); err != nil {
		t.Fatalf("no prompt: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+api.PathBoardPage+"#token="+c.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="c1"]`))); err != nil {
		t.Fatalf("the pasted link did not log in: %v (%s)", err, eval(`document.getElementById("conn").textContent`))
	}
	if h, u := eval(`location.hash`), eval(`location.href`); h != "" || strings.Contains(u, "token") {
		t.Errorf("the token stays in the address bar: %q", u)
	}
	if hidden := eval(`String(document.getElementById("auth").hidden)`); hidden != "true" {
		t.Error("the prompt stays after the pasted link logged in")
	}
}
