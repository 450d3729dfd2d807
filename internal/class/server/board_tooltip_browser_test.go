package server_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestIntegrationBoardTooltipSeconds (issue 12, instructor trial): a
// cell's time tooltip gave minutes only. It gives the capture time to the
// second and, when the server received the submission more than 10 s
// later (an outbox drained after an outage), the receive time too, as
// class watch's "(서버가 받은 시각 …)" does; a live send names one time.
func TestIntegrationBoardTooltipSeconds(t *testing.T) {
	f, _, exe, dir := browserClass(t, server.BoardConfig{})
	late, live := f.join("s1", "machine-s1"), f.join("s2", "machine-s2")
	queued := time.Now().Add(-7 * time.Minute)
	for _, s := range []struct {
		token, key string
		at         time.Time
	}{{late.Token, "key-tooltip-000001", queued}, {live.Token, "key-tooltip-000002", time.Now()}} {
		body := mustJSON(api.SubmitRequest{IdempotencyKey: s.key, Exercise: "ds-basics", CreatedAt: s.at, SentAt: time.Now(), Snapshot: snapshot(t, "ds-basics", "solution")})
		if code, b := f.do("POST", api.PathSubmissions, s.token, body); code != 201 {
			t.Fatalf("submit: %d %s", code, b)
		}
	}
	exp := f.export()
	received := map[string]time.Time{}
	captured := map[string]time.Time{}
	for _, s := range exp.Submissions {
		received[s.RosterID], captured[s.RosterID] = s.ReceivedAt, s.ClientTime
	}
	ctx := browser(t, exe, dir, 1280, 800)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+api.PathBoardPage+"#token="+f.instructor),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-roster="s2"] td[data-exercise="ds-basics"] .meta .t[title]`))); err != nil {
		t.Fatalf("board: %v", err)
	}
	tip := func(roster string) string {
		return evalJS(t, ctx, `document.querySelector('#grid tr[data-roster="`+roster+`"] td[data-exercise="ds-basics"] .meta .t').title`)
	}
	// The browser runs in this process's time zone.
	clock := func(at time.Time) string { return at.Local().Format("15:04:05") }
	if got, want := tip("s1"), "스냅숏을 캡처한 시각 "+clock(captured["s1"])+" · 서버가 받은 시각 "+clock(received["s1"]); got != want {
		t.Errorf("a submission received 7 minutes after its capture: tooltip %q, want %q", got, want)
	}
	if got, want := tip("s2"), "스냅숏을 캡처한 시각 "+clock(captured["s2"]); got != want {
		t.Errorf("a live submission: tooltip %q, want %q", got, want)
	}
}
