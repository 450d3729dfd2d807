package server_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// projectorNames: 60 students, many sharing a name and more sharing
// initials (김○○), as in a real room.
var projectorNames = []string{"김민준", "김민수", "이서연", "박지훈", "김서준", "최유진", "정하은", "김민준", "강도윤", "윤서아"}

// TestIntegrationBoardProjectorSixty (issue 12, instructor trial): in
// projector mode at 1280×800 with 60 students
//   - a class of few exercises (the trial's: one narrow grid used ~37% of
//     the width and showed ~15 students) shows at least 30 students at once,
//     in blocks side by side;
//   - nothing overflows horizontally (page and cells), also with every
//     exercise of the catalog, where the students are paged;
//   - every student is reachable: PageDown walks the pages and the
//     position line reads "60명 중 a–b번째 줄";
//   - the identifier is one scheme: each student's number on the projector
//     is its number on the board (api.BoardLabels in both name modes; the
//     projector's old "김○○·1" did not map to the board's "김민준·001").
//
// It saves a screenshot of each class (paths in the log).
func TestIntegrationBoardProjectorSixty(t *testing.T) {
	for _, tc := range []struct {
		name       string
		exercises  []string
		minVisible int
	}{
		{"four-exercises", []string{"ds-basics", "taints", "gpu-only", "rolling-update"}, 30},
		{"all-exercises", nil, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, exe, dir := browserClassOf(t, tc.exercises, server.BoardConfig{})
			tokens := joinRoom(t, f, 60)
			if code, r, body := f.submit(tokens[0], "key-projector-000001", "ds-basics", snapshot(t, "ds-basics", "image-typo")); code != 201 || r.Status != api.StatusFailed {
				t.Fatalf("first student's submission: %d %s", code, body)
			}
			if code, r, body := f.submit(tokens[59], "key-projector-000002", "ds-basics", snapshot(t, "ds-basics", "solution")); code != 201 || r.Status != api.StatusPassed {
				t.Fatalf("last student's submission: %d %s", code, body)
			}
			board := f.board()

			ctx := browser(t, exe, dir, 1280, 800)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
				chromedp.Navigate(f.srv.URL+api.PathBoardPage+"?projector=1#token="+f.instructor),
				chromedp.WaitVisible(chromedp.CSS(`#wall tbody tr[data-roster="2026001"] td[data-status="failed"]`))); err != nil {
				t.Fatalf("projector board: %v", err)
			}
			// label: roster id → the row's label, of the rows on screen.
			type shown struct {
				Visible  []string          `json:"visible"`
				Label    map[string]string `json:"label"`
				Page     string            `json:"page"`
				Width    int               `json:"width"`
				Inner    int               `json:"inner"`
				Overflow []string          `json:"overflow"`
				Blocks   int               `json:"blocks"`
			}
			const measure = `(() => {
				const rows = [...document.querySelectorAll("#wall tbody tr[data-roster]")];
				const vis = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.width > 0 && b.top >= 0 && b.bottom <= innerHeight && b.left >= 0 && b.right <= innerWidth; });
				return {
					visible: vis.map((r) => r.dataset.roster),
					label: Object.fromEntries(rows.map((r) => [r.dataset.roster, r.querySelector(".who").textContent])),
					page: document.getElementById("page").hidden ? "" : document.getElementById("page").textContent,
					width: Math.ceil(document.documentElement.scrollWidth), inner: innerWidth,
					overflow: [...document.querySelectorAll("#wall th, #wall td")].filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth).map((e) => e.textContent),
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
			first := eval()
			t.Logf("%s: %d blocks, %d students visible, position %q", tc.name, first.Blocks, len(first.Visible), first.Page)
			if len(first.Visible) < tc.minVisible {
				t.Errorf("projector at 1280×800 shows %d of 60 students, want ≥ %d", len(first.Visible), tc.minVisible)
			}
			if first.Width > first.Inner || len(first.Overflow) > 0 {
				t.Errorf("projector overflows: page %d px wide in %d, cells %q", first.Width, first.Inner, first.Overflow)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(os.TempDir(), "dslab-board-projector-60-"+tc.name+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", shot)

			// Every student is reachable page by page, the position says where.
			pos := regexp.MustCompile(`^60명 중 (\d+)–(\d+)번째 줄`)
			seen := map[string]string{}
			cur := first
			for range 10 {
				if !pos.MatchString(cur.Page) {
					t.Fatalf("position line %q, want 60명 중 a–b번째 줄", cur.Page)
				}
				if cur.Width > cur.Inner || len(cur.Overflow) > 0 {
					t.Errorf("page %q overflows: %d px in %d, cells %q", cur.Page, cur.Width, cur.Inner, cur.Overflow)
				}
				for _, r := range cur.Visible {
					seen[r] = cur.Label[r]
				}
				if len(seen) == 60 || !strings.Contains(cur.Page, "쪽") {
					break
				}
				if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.PageDown)); err != nil {
					t.Fatal(err)
				}
				cur = eval()
			}
			if len(seen) != 60 {
				t.Fatalf("%d of 60 students reachable in projector mode", len(seen))
			}

			// One identifier: the projector's label and the board's carry the
			// same number (api.BoardLabels).
			initials := api.BoardLabels(board.Students, api.NamesInitials)
			full := api.BoardLabels(board.Students, api.NamesFull)
			for i, s := range board.Students {
				if seen[s.RosterID] != initials[i] {
					t.Errorf("projector labels %s %q, want %q", s.RosterID, seen[s.RosterID], initials[i])
				}
			}
			// Back to the board: p (projector off) brings the full names
			// back by itself (issue 12: the initials stuck until n twice).
			if err := chromedp.Do(ctx, chromedp.KeyEvent("p")); err != nil {
				t.Fatal(err)
			}
			normal := eval()
			for i, s := range board.Students {
				if normal.Label[s.RosterID] != full[i] {
					t.Errorf("board labels %s %q, want %q", s.RosterID, normal.Label[s.RosterID], full[i])
				}
				if n, p := strings.Fields(normal.Label[s.RosterID]), strings.Fields(seen[s.RosterID]); len(n) == 0 || len(p) == 0 || n[0] != p[0] {
					t.Errorf("%s is %q on the board but %q on the projector: not the same number", s.RosterID, normal.Label[s.RosterID], seen[s.RosterID])
				}
			}
		})
	}
}
