package server_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardProjectorPagesStuck (issue 12, final instructor
// trial): 55 students, 4 exercises and one student ⚑ stuck (a row two
// lines tall) at 1280×800. Changing the names mode with N (이니셜 → 숨김)
// keeps the number of student blocks side by side (the width did not
// change), and walking the projector's pages with PageDown shows every
// student 1–55 on exactly one page, each drawn row inside the screen (the
// trial's pages were 1–42 and 45–55: 43 and 44 were on neither).
func TestIntegrationBoardProjectorPagesStuck(t *testing.T) {
	clk := &clock{t: time.Now()}
	f, _, exe, dir := browserClassOf(t, []string{"ds-basics", "taints", "gpu-only", "rolling-update"}, server.BoardConfig{StuckAfter: 5 * time.Minute}, func(c *server.Config) { c.Now = clk.now })
	const n = 55
	tokens := joinRoom(t, f, n)
	// Student 10 is stuck: not the first row, the one the old page size
	// was measured on.
	if code, r, body := f.submit(tokens[9], "key-pages-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo")); code != 201 || r.Status != api.StatusFailed {
		t.Fatalf("student 10's submission: %d %s", code, body)
	}
	clk.add(30 * time.Minute)
	if bd := f.board(); !bd.Students[9].Stuck {
		t.Fatalf("student 10 is not stuck: %+v", bd.Students[9])
	}

	ctx := browser(t, exe, dir, 1280, 800,
		// Scrollbars as a trainee's Chromium draws them: a vertical one
		// takes width from the blocks.
		chromedp.Flag("hide-scrollbars", false))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(f.srv.URL+api.PathBoardPage+"?projector=1#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#wall tbody tr[data-roster="2026010"] .stuck`))); err != nil {
		t.Fatalf("projector board with student 10 stuck: %v", err)
	}
	type shown struct {
		Labels    []string `json:"labels"`
		Offscreen []string `json:"offscreen"`
		Page      string   `json:"page"`
		Blocks    int      `json:"blocks"`
	}
	const measure = `(() => {
		const rows = [...document.querySelectorAll("#wall tbody tr[data-roster]")];
		const off = rows.filter((r) => { const b = r.getBoundingClientRect(); return !(b.width > 0 && b.top >= 0 && b.bottom <= innerHeight && b.left >= 0 && b.right <= innerWidth); });
		return {
			labels: rows.map((r) => r.querySelector(".who").textContent),
			offscreen: off.map((r) => r.querySelector(".who").textContent),
			page: document.getElementById("page").hidden ? "" : document.getElementById("page").textContent,
			blocks: document.querySelectorAll("#wall table").length,
		};
	})()`
	eval := func() shown {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[shown](measure))
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		return v
	}
	fresh := eval()
	t.Logf("fresh load: %d blocks, position %q", fresh.Blocks, fresh.Page)
	// N: initials → hidden ("학생 12").
	if err := chromedp.Do(ctx, chromedp.KeyEvent("n")); err != nil {
		t.Fatal(err)
	}
	cur := eval()
	t.Logf("names hidden: %d blocks, position %q", cur.Blocks, cur.Page)
	if cur.Blocks < fresh.Blocks {
		t.Errorf("N (names mode only) dropped the blocks side by side from %d to %d", fresh.Blocks, cur.Blocks)
	}
	pos := regexp.MustCompile(`^55명 중 (\d+)–(\d+)번째 줄(?: · (\d+)/(\d+)쪽)?`)
	label := regexp.MustCompile(`^학생 (\d+)$`)
	// walk reads the pages from the first with PageDown and checks that
	// every student 1–55 is drawn on exactly one of them, inside the screen.
	walk := func(screen string) {
		t.Helper()
		count := map[int]int{}
		pages := 1
		for p := 0; p < pages; p++ {
			if p > 0 {
				if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.PageDown)); err != nil {
					t.Fatal(err)
				}
			}
			cur := eval()
			m := pos.FindStringSubmatch(cur.Page)
			if m == nil {
				t.Fatalf("%s: position line %q, want 55명 중 a–b번째 줄", screen, cur.Page)
			}
			if m[4] != "" {
				pages, _ = strconv.Atoi(m[4])
				if k, _ := strconv.Atoi(m[3]); k != p+1 {
					t.Fatalf("%s: after %d PageDown the position is %q, want page %d", screen, p, cur.Page, p+1)
				}
			}
			if len(cur.Offscreen) > 0 {
				t.Errorf("%s: page %q draws rows outside the screen: %q", screen, cur.Page, cur.Offscreen)
			}
			lo, _ := strconv.Atoi(m[1])
			hi, _ := strconv.Atoi(m[2])
			var nums []int
			for _, l := range cur.Labels {
				lm := label.FindStringSubmatch(l)
				if lm == nil {
					t.Fatalf("%s: label %q with names hidden, want 학생 N", screen, l)
				}
				k, _ := strconv.Atoi(lm[1])
				nums = append(nums, k)
				count[k]++
			}
			if len(nums) == 0 || nums[0] != lo || nums[len(nums)-1] != hi || len(nums) != hi-lo+1 {
				t.Errorf("%s: page %q draws students %v", screen, cur.Page, nums)
			}
			t.Logf("%s: page %d: %q, %d blocks", screen, p+1, cur.Page, cur.Blocks)
		}
		for k := 1; k <= n; k++ {
			if count[k] != 1 {
				t.Errorf("%s: student %d is on %d pages, want exactly 1", screen, k, count[k])
			}
		}
		if len(count) != n {
			t.Errorf("%s: students on the pages: %v, want 1–%d once each", screen, count, n)
		}
	}
	walk("1280×800")
	// A lower screen pages the same class: p p (projector off and on)
	// starts again at page 1, the names stay hidden.
	for _, h := range []int64{600, 420} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, h), chromedp.KeyEvent("p"), chromedp.KeyEvent("p")); err != nil {
			t.Fatal(err)
		}
		walk(fmt.Sprintf("1280×%d", h))
	}
}
