package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestClassWatchFeedFillsFreeRows (issue 12): at 80×40 with two students
// the event feed uses the free rows (not 2 lines and blank rows), a
// freshly opened watch shows the events from before it opened (the
// server replays them), newest last, and esc does not quit (the footer
// says q).
func TestClassWatchFeedFillsFreeRows(t *testing.T) {
	b, _ := watchLayoutBoard()
	now := b.Now
	data := func(v any) json.RawMessage { d, _ := json.Marshal(v); return d }
	var evs []api.StreamEvent
	for i := 1; i <= 8; i++ {
		evs = append(evs, api.StreamEvent{Seq: int64(i), Time: now, Kind: "submitted", RosterID: "w2", Name: "이영희",
			Data: data(map[string]any{"exercise": "taints", "status": "failed", "score": i, "maxScore": 10})})
	}
	b.LastSeq = 8 // all of them happened before watch opened
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 40))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "8/10")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")}) // still running: names hide
	waitOutput(t, tm, "이○○")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	if !fm.hideNames {
		t.Fatalf("esc quit watch before p")
	}
	fm.hideNames = false
	view := fm.View()
	t.Logf("view:\n%s", view)
	if n := len(strings.Split(view, "\n")); n != 40 {
		t.Errorf("%d lines at 80×40", n)
	}
	last := -1
	for i := 1; i <= 8; i++ {
		at := strings.Index(view, fmt.Sprintf("진행 중 %d/10", i))
		if at < 0 || at < last {
			t.Fatalf("feed lacks event %d or is out of order (newest last):\n%s", i, view)
		}
		last = at
	}
}

// TestClassWatchStudentPosition: with 60 students at 80×24 the header
// says which rows are shown ("60명 중 1–…번째": rows, not the students'
// numbers, which stay after a removal; issue 12) and follows the cursor.
func TestClassWatchStudentPosition(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	t.Cleanup(m.stop)
	b := api.Board{Class: "큰 수업", Now: time.Now(), Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본"}}}
	for i := 1; i <= 60; i++ {
		b.Students = append(b.Students, api.BoardStudent{RosterID: fmt.Sprintf("s%02d", i), Name: fmt.Sprintf("학생%02d", i), Cells: map[string]api.BoardCell{}})
	}
	m.board = &b
	view := m.View()
	if !strings.Contains(view, "60명 중 1–") || !strings.Contains(view, "번째") {
		t.Fatalf("no position at the top:\n%s", view)
	}
	m.row = 59
	view = m.View()
	if !regexp.MustCompile(`60명 중 \d+–60번째`).MatchString(view) || !strings.Contains(view, "학생60") {
		t.Fatalf("no position at the bottom:\n%s", view)
	}
	if n := len(strings.Split(view, "\n")); n > 24 {
		t.Fatalf("%d lines at 80×24", n)
	}
}

// TestClassWatchCellMarks (issue 12): a cell keeps the board's H hint
// mark after a submission, and marks a newest submission that differs
// from the one that counts (the board's "(지금: …)", said in the detail
// line).
func TestClassWatchCellMarks(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	t.Cleanup(m.stop)
	hinted := api.BoardCell{Status: api.StatusFailed, Score: 3, MaxScore: 10, Submissions: 1, Hints: 1}
	if got := m.cell(hinted); !strings.Contains(got, "3  H1") {
		t.Errorf("hinted cell with a submission is %q, want the H mark", got)
	}
	late := api.BoardCell{Status: api.StatusFailed, Score: 3, MaxScore: 10, Submissions: 2,
		Now: &api.BoardCellNow{Status: api.StatusPassed, Score: 10, MaxScore: 10, Late: true}}
	if got := m.cell(late); !strings.Contains(got, "3"+watchNowMark) {
		t.Errorf("late pass cell is %q, want %q", got, watchNowMark)
	}
	if d := m.cellDetail(api.BoardStudent{RosterID: "x", Name: "김", Cells: map[string]api.BoardCell{"e": late}}, "e"); !strings.Contains(d, "(지금: ") {
		t.Errorf("detail %q lacks (지금: …)", d)
	}
	if got := m.cell(api.BoardCell{Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 1}); strings.Contains(got, "H") || strings.Contains(got, watchNowMark) {
		t.Errorf("plain cell %q has a mark", got)
	}
}

// TestWatchFeedNotStartedIsOneQuietLine (issue 12): every open or reset of
// an exercise logged "제출 taints ○ 시작 전 0/10" like an attempt; it is
// one line saying what happened, without a score.
func TestWatchFeedNotStartedIsOneQuietLine(t *testing.T) {
	d, _ := json.Marshal(map[string]any{"exercise": "taints", "status": "not-started", "score": 0, "maxScore": 10})
	got := eventLine(api.StreamEvent{Kind: "submitted", Time: time.Now(), RosterID: "w2", Name: "이영희", Data: d}, false)
	if !strings.HasSuffix(got, "taints "+api.NotStartedNote) || strings.Contains(got, "0/10") || strings.Contains(got, "제출") {
		t.Errorf("not-started feed line %q, want … taints %s", got, api.NotStartedNote)
	}
}

// TestWatchFeedShowsCaptureTime (issue 12): after an outage the student's
// status said ✔ 통과 00:23:39 (capture) and watch 00:24:17 (receive): a
// submission shows its capture time, the receive time labelled when later.
func TestWatchFeedShowsCaptureTime(t *testing.T) {
	captured := time.Date(2026, 11, 30, 0, 23, 39, 0, time.Local)
	received := time.Date(2026, 11, 30, 0, 24, 17, 0, time.Local)
	d, _ := json.Marshal(map[string]any{"exercise": "taints", "status": "passed", "score": 10, "maxScore": 10, "capturedAt": captured})
	got := eventLine(api.StreamEvent{Kind: "submitted", Time: received, RosterID: "w2", Name: "이영희", Data: d}, false)
	if !strings.HasPrefix(got, "00:23:39 ") || !strings.Contains(got, "(서버가 받은 시각 00:24:17)") {
		t.Errorf("feed line %q, want the capture time 00:23:39 first and the receive time labelled", got)
	}
	// Received at once: no second time.
	d, _ = json.Marshal(map[string]any{"exercise": "taints", "status": "passed", "score": 10, "maxScore": 10, "capturedAt": received.Add(-2 * time.Second)})
	if got := eventLine(api.StreamEvent{Kind: "submitted", Time: received, Name: "이영희", Data: d}, false); strings.Contains(got, "받은 시각") {
		t.Errorf("feed line %q labels a receive time 2 s later", got)
	}
}

// TestClassWatchFeedSkipsResends (issue 12): a re-send of the same result
// (an outbox capture a minute late, a reset's "○ 시작 전" again) is not a
// new feed line; another result of the exercise is.
func TestClassWatchFeedSkipsResends(t *testing.T) {
	b, _ := watchLayoutBoard()
	now := b.Now
	data := func(v any) json.RawMessage { d, _ := json.Marshal(v); return d }
	sub := func(seq int64, ex, status string, score int) api.StreamEvent {
		return api.StreamEvent{Seq: seq, Time: now, Kind: "submitted", RosterID: "w2", Name: "이영희",
			Data: data(map[string]any{"exercise": ex, "status": status, "score": score, "maxScore": 10})}
	}
	evs := []api.StreamEvent{
		sub(1, "taints", "not-started", 0), sub(2, "taints", "not-started", 0),
		sub(3, "taints", "passed", 10), sub(4, "gpu-only", "failed", 3), sub(5, "taints", "passed", 10),
		sub(6, "taints", "failed", 4),
	}
	b.LastSeq = 6
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 40))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "4/10")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	var seqs []int64
	for _, e := range fm.log {
		seqs = append(seqs, e.Seq)
	}
	if fmt.Sprint(seqs) != "[1 3 4 6]" {
		t.Fatalf("feed events %v, want [1 3 4 6] (re-sends 2 and 5 left out)", seqs)
	}
}

// TestClassWatchRemovalOneLine (issue 12): a removal showed two feed
// lines, "강사 동작: 학생 빼기 · …" (its command) and "… 명단에서 뺌" (its
// student-removed event). It is one line.
func TestClassWatchRemovalOneLine(t *testing.T) {
	b, _ := watchLayoutBoard()
	now := b.Now
	data := func(v any) json.RawMessage { d, _ := json.Marshal(v); return d }
	evs := []api.StreamEvent{
		{Seq: 1, Time: now, Kind: "command", RosterID: "w9", Name: "박지성", Data: data(map[string]any{"kind": "remove-student", "rosterId": "w9"})},
		{Seq: 2, Time: now, Kind: "student-removed", RosterID: "w9", Name: "박지성", Data: data(map[string]any{"rosterId": "w9", "name": "박지성", "command": 1})},
	}
	b.LastSeq = 2
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 40))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "명단에서 뺌")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
	if n := strings.Count(view, "박지성"); n != 1 || !strings.Contains(view, "강사 동작: 학생 빼기 · 박지성 (명단에서 뺌)") {
		t.Errorf("a removal is %d lines naming 박지성, want one \"강사 동작: 학생 빼기 · 박지성 (명단에서 뺌)\":\n%s", n, view)
	}
}
