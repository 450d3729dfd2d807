package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestIntegrationBoardNarrowAndProjectorRecord (issue 12, instructor
// trial):
//   - at 700 px the 연습별 보기 headers are whole: "이유" was clipped to
//     "이" (no header wider than its cell or past the window's edge);
//   - projector mode does not keep a student's record on screen: P with
//     "학생 기록: …" open closes it.
func TestIntegrationBoardNarrowAndProjectorRecord(t *testing.T) {
	f, st, exe, dir := browserClass(t, server.BoardConfig{})
	s1 := f.join("s1", "machine-s1")
	f.submit(s1.Token, "key-narrow-0000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	// Long reasons with long words (node names, field paths, images).
	for i, c := range [][2]string{{"taints", "wildcard-noschedule-first"}, {"surge-hostport", "host-port-removed"}, {"gpu-only", "key-typo"}, {"ds-basics", "wrong-namespace"}} {
		x := f.join("n"+string(rune('a'+i)), "machine-narrow-"+string(rune('a'+i)))
		f.submit(x.Token, "key-narrow-100000"+string(rune('a'+i)), c[0], snapshot(t, c[0], c[1]))
	}
	// A reason with one long word: an image reference as a student wrote it.
	f.join("long", "machine-narrow-long")
	x, err := st.StudentByRosterID(context.Background(), "long")
	if err != nil {
		t.Fatal(err)
	}
	res := grader.Result{Exercise: "taints", Status: api.StatusFailed, Score: 0, MaxScore: 10, Checks: []grader.CheckResult{{ID: "image", Title: "이미지", MaxPoints: 10,
		Message: "이미지가 다릅니다: registry.example.internal/platform-team/fluentd-elasticsearch-with-extra-plugins:v2.5.2-bullseye-amd64 (기대: quay.io/fluentd_elasticsearch/fluentd:v2.5.2)"}}}
	raw, _ := json.Marshal(res)
	if _, _, err := st.AddSubmission(context.Background(), store.Submission{StudentID: x.ID, IdempotencyKey: "key-narrow-long-0001", Exercise: "taints",
		Snapshot: []byte("{}"), SnapshotSHA256: strings.Repeat("1", 64), Result: raw, Score: 0, MaxScore: 10, Status: api.StatusFailed, GraderVersion: "test",
		ReceivedAt: time.Now(), ClientTime: time.Now(), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// A real window of 700 px has a scrollbar (the page is long): headless
	// Chromium hides it unless told.
	ctx := browser(t, exe, dir, 700, 800, chromedp.Flag("hide-scrollbars", false))
	eval := func(js string) string { t.Helper(); return evalJS(t, ctx, js) }
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(700, 800), chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#exercises tbody tr[data-exercise="ds-basics"] td.common-reason`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	waitJS(t, ctx, "the common failure's reason", `document.querySelector('#exercises tr[data-exercise="ds-basics"] td.common-reason').textContent.length > 0`)
	clipped := eval(`JSON.stringify([...document.querySelectorAll("#exercises thead th, #exercises tbody td, #exercises tbody th")].filter((e) => {
		const r = e.getBoundingClientRect();
		return e.scrollWidth > e.clientWidth + 1 || r.right > document.documentElement.clientWidth + 1;
	}).map((e) => e.textContent))`)
	t.Logf("연습별 보기 at 700 px: %s", eval(`JSON.stringify({table: document.getElementById("exercises").getBoundingClientRect().right, page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth,
		th: [...document.querySelectorAll("#exercises thead th")].map((e) => [e.textContent, Math.round(e.getBoundingClientRect().width), e.scrollWidth, e.clientWidth]),
		rows: document.querySelectorAll("#exercises tbody tr").length})`))
	if clipped != "[]" {
		t.Fatalf("연습별 보기 at 700 px clips %s", clipped)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	eval(`document.querySelector('#grid th[data-roster="s1"]').click(), ""`)
	waitJS(t, ctx, "the student's record", `!document.getElementById("timeline-sec").hidden && document.getElementById("tl-h").textContent.startsWith("학생 기록")`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("p")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "projector mode", `document.body.classList.contains("projector")`)
	if shown := eval(`String(document.getElementById("timeline-sec").offsetParent !== null)`); shown != "false" {
		t.Fatalf("the student's record stays on the projector: %s", eval(`document.getElementById("tl-h").textContent`))
	}
	// Opening one while projecting does not show it either.
	eval(`document.querySelector('#grid th[data-roster="s1"]').click(), ""`)
	if shown := eval(`String(document.getElementById("timeline-sec").offsetParent !== null)`); shown != "false" || strings.Contains(eval(`document.body.innerText`), "학생 기록:") {
		t.Fatal("a student's record opened in projector mode is on the projector")
	}
}
