package server_test

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// rawStateWord matches a grader state token (grader.State…) or an English
// verdict word standing alone in a learner-facing line.
var rawStateWord = regexp.MustCompile(`\b(absent|running|present|not-ready|terminating|node-missing|misscheduled|created-after-label|passed|failed|not-started|solution-viewed)\b`)

// TestIntegrationBoardRecordKoreanStates (issue 12): the student record
// listed per-node lines as "· dslab-worker: 기대 absent, 실제 running". It
// now shows the grader's Korean words (as the lab's node map), and no raw
// English state token is left anywhere in the record's text.
func TestIntegrationBoardRecordKoreanStates(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	s := f.join("s1", "machine-s1")
	if code, _, body := f.submit(s.Token, "key-record-words-01", "gpu-only", snapshot(t, "gpu-only", "no-selector")); code != 201 {
		t.Fatalf("submit: %d %s", code, body)
	}
	ctx := browser(t, exe, dir, 1280, 900)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s1"] td[data-exercise="gpu-only"][data-status="failed"]`)),
		chromedp.Click(chromedp.CSS(`#grid tr[data-roster="s1"] td[data-exercise="gpu-only"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline-sec li .node`)),
	); err != nil {
		t.Fatalf("s1's record: %v", err)
	}
	text := evalJS(t, ctx, `document.getElementById("timeline").innerText`)
	if !regexp.MustCompile(`기대 파드 없음, 실제 Ready 파드`).MatchString(text) {
		t.Errorf("no per-node line in the grader's Korean words (기대 파드 없음, 실제 Ready 파드):\n%s", text)
	}
	if m := rawStateWord.FindAllString(text, -1); m != nil {
		t.Errorf("raw English state words %q in the record:\n%s", m, text)
	}
}
