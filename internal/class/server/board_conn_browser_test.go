package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardConnectionAndBigTimeline (issue 12, instructor
// trial: a headless board stayed at "연결 중…"):
//   - once the event stream is open the connection indicator reads
//     "실시간 연결됨", and after the server stops it says it is
//     reconnecting ("다시 연결하는 중");
//   - before that, a student's timeline of a 9000-node submission opens
//     and shows the first failing nodes with their Korean reasons and how
//     many were left out (server.TimelineNodes).
func TestIntegrationBoardConnectionAndBigTimeline(t *testing.T) {
	f, st, exe, dir := browserClass(t, server.BoardConfig{})
	f.join("big", "machine-big")
	x, err := st.StudentByRosterID(context.Background(), "big")
	if err != nil {
		t.Fatal(err)
	}
	placed, _ := storeBigSubmission(t, st, x.ID, 9000)

	ctx := browser(t, exe, dir, 1280, 800)
	conn := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("conn").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// waitConn polls the indicator (no timed assertion: the test's
	// deadline only ends a hung browser).
	waitConn := func(want string) {
		t.Helper()
		for last := ""; ; time.Sleep(100 * time.Millisecond) {
			if ctx.Err() != nil {
				t.Fatalf("connection indicator stays %q, want %q", last, want)
			}
			if last = conn(); strings.Contains(last, want) {
				return
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="big"]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	waitConn("실시간 연결됨")

	// The big timeline: the first failing nodes with reasons, the rest counted.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#grid th[data-roster="big"]`)), chromedp.WaitVisible(chromedp.CSS(`#timeline .omitted`))); err != nil {
		t.Fatalf("timeline: %v", err)
	}
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#timeline .node")].map((e) => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(lines, "\n")
	for _, n := range placed.Nodes[10 : 10+server.TimelineNodes] {
		if !strings.Contains(text, n.Node+": ") || !strings.Contains(text, n.Reason) {
			t.Fatalf("timeline lacks failing node %s with its reason %q:\n%s", n.Node, n.Reason, text)
		}
	}
	if !strings.Contains(text, "노드 9,000개 가운데 실패 8,990개: 처음 20개만 보입니다") {
		t.Errorf("timeline does not say how many nodes it left out:\n%s", text)
	}
	if n := len(lines); n > 3*server.TimelineNodes {
		t.Errorf("timeline shows %d node lines", n)
	}
	// The count links to the whole stored result, which the board's
	// session (its cookie) reads: every node of the check.
	whole, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector("#timeline .omitted a");
		if (!a) return "no link";
		const r = await fetch(a.getAttribute("href"), {credentials: "same-origin"});
		const d = await r.json();
		return r.status + " " + d.result.checks[0].nodes.length;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || whole != "200 9000" {
		t.Errorf("the whole result behind the timeline's link: %q %v, want \"200 9000\"", whole, err)
	}

	// The server stops: the indicator says so.
	f.stop()
	waitConn("다시 연결하는 중")
}
