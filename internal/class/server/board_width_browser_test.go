package server_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// brokenWordsJS lists the words of the grid's cells (split at spaces)
// that the browser laid out on more than one line: a Range over each word
// whose line boxes do not share one top.
const brokenWordsJS = `JSON.stringify((() => {
	const out = [];
	const walk = document.createTreeWalker(document.getElementById("grid"), NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const s = n.textContent, re = /\S+/g;
		for (let m = re.exec(s); m; m = re.exec(s)) {
			const r = document.createRange();
			r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
			const tops = new Set([...r.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
			if (tops.size > 1) out.push(m[0]);
		}
	}
	return out;
})())`

// TestIntegrationBoardGridUsesWidth (issue 12): at 1400 px a class of two
// exercises drew its grid in ~420 px and broke Korean words inside cells
// ("강사가 연 힌" / "트 1"). The grid now uses the window's width, and at
// 1400 and 700 px no word of a cell is broken across lines.
func TestIntegrationBoardGridUsesWidth(t *testing.T) {
	f, _, exe, dir := browserClassOf(t, []string{"ds-basics", "gpu-only"}, server.BoardConfig{})
	for i, id := range []string{"s1", "s2", "s3"} {
		x := f.join(id, "machine-"+id)
		snap := []string{"image-typo", "solution", "label-typo"}[i]
		f.submit(x.Token, "key-width-00000"+id, "ds-basics", snapshot(t, "ds-basics", snap))
		f.submit(x.Token, "key-width-10000"+id, "gpu-only", snapshot(t, "gpu-only", "no-selector"))
	}
	for range 2 {
		if code, body := f.do("POST", api.PathInstructorCommands, f.instructor, mustJSON(api.CommandRequest{Kind: "unlock-hint", Exercise: "ds-basics"})); code/100 != 2 {
			t.Fatalf("unlock-hint: %d %s", code, body)
		}
	}
	for _, w := range []int{1400, 700} {
		ctx := browser(t, exe, filepath.Join(dir, strconv.Itoa(w)), w, 900)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), 900),
			chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
			chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s3"] td[data-exercise="gpu-only"]`))); err != nil {
			t.Fatalf("board at %d px: %v", w, err)
		}
		waitJS(t, ctx, "the instructor's hints in the cells", `document.getElementById("grid").textContent.includes("강사가 연 힌트 2")`)
		t.Logf("%d px: grid %s px wide", w, evalJS(t, ctx, `String(Math.round(document.getElementById("grid").getBoundingClientRect().width))`))
		if w == 1400 {
			if got := evalJS(t, ctx, `String(document.getElementById("grid").getBoundingClientRect().width >= 0.8 * document.documentElement.clientWidth)`); got != "true" {
				t.Errorf("at 1400 px the grid of two exercises does not use the width")
			}
		}
		if got := evalJS(t, ctx, brokenWordsJS); got != "[]" {
			t.Errorf("at %d px words broken inside grid cells: %s", w, got)
		}
	}
}
