package app

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestWatchCellLateOnly: a cell with only late submissions reads as the
// board's "— (지금: ✔ … 마감 후)": a dash and the late result, not an
// empty cell with a flag. Issue 12.
func TestWatchCellLateOnly(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	defer m.stop()
	c := api.BoardCell{Submissions: 1, Flags: []string{"late"}, Now: &api.BoardCellNow{Status: api.StatusPassed, Score: 10, MaxScore: 10, Late: true}}
	got := m.cell(c)
	// "— ✔ 10 … ⚠": the dash, the icon and the score apart (issue 12:
	// "—✔10" and then "— ✔10" ran together) and the late flag marked as
	// the detail line names it (issue 12: no ⚠ beside 마감 후 제출).
	if !strings.Contains(got, "— ✔ 10") || !strings.Contains(got, watchFlagMark) {
		t.Fatalf("late-only cell %q", got)
	}
	if w := len([]rune(got)); w != watchColW {
		t.Fatalf("late-only cell %q is %d cells, want %d", got, w, watchColW)
	}
	// An empty cell is the board's "—" alone (no result beside it).
	if got := m.cell(api.BoardCell{}); strings.TrimSpace(got) != api.NoSubmissionMark {
		t.Fatalf("empty cell %q", got)
	}
}

// TestWatchSameNameStudents: two 최유진 rows are told apart by the tail of
// their roster ids and by the board's student number (api.BoardLabels)
// in the grid, the detail line and the event feed; with names hidden two
// 최○○ are the board's numbers and neither name nor id shows. Issue 12.
func TestWatchSameNameStudents(t *testing.T) {
	students := []api.BoardStudent{
		{RosterID: "auto-6d1c177d", Name: "최유진", Initials: "최○○"},
		{RosterID: "auto-9ab3177d", Name: "최유진", Initials: "최○○"},
		{RosterID: "2026003", Name: "김민수", Initials: "김○○"},
	}
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	defer m.stop()
	m.board = &api.Board{Students: students}
	if d := m.cellDetail(students[1], "ds-basics"); !strings.HasPrefix(d, "2 최유진·3177d · ") {
		t.Fatalf("detail %q", d)
	}
	if d := m.cellDetail(students[2], "ds-basics"); strings.Contains(d, "2026003") {
		t.Fatalf("a unique name got its id: %q", d)
	}
	ev := func(roster string) api.StreamEvent {
		return api.StreamEvent{Kind: "joined", RosterID: roster, Name: "최유진"}
	}
	a, b := eventLineNamed(ev("auto-6d1c177d"), false, m.labels()), eventLineNamed(ev("auto-9ab3177d"), false, m.labels())
	if a == b || !strings.HasSuffix(a, " 1 최유진·c177d 참가") || !strings.HasSuffix(b, " 2 최유진·3177d 참가") {
		t.Fatalf("feed lines %q and %q", a, b)
	}
	m.hideNames = true
	if d := m.cellDetail(students[1], "ds-basics"); !strings.HasPrefix(d, "2 최○○ · ") {
		t.Fatalf("initials detail %q", d)
	}
	a, b = eventLineNamed(ev("auto-6d1c177d"), true, m.labels()), eventLineNamed(ev("auto-9ab3177d"), true, m.labels())
	if a == b || !strings.HasSuffix(a, " 1 최○○ 참가") || strings.Contains(a+b, "177d") {
		t.Fatalf("hidden feed lines %q and %q", a, b)
	}
}

// TestClassSendSaysWhatAndToWhom and the status line of a server that is
// down: Korean first (issue 12 item 8).
func TestClassSendSaysWhatAndToWhom(t *testing.T) {
	s := startClassServer(t)
	dir := t.TempDir()
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "박학생", "--student-id", "p1"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	instructor := paths.Under(filepath.Join(dir, "instructor"))
	code, out, errs := runClassCLI(t, instructor, "class", "send", "--server", s.hs.URL, "--token-file", s.tokenFile, "unlock-hint", "--exercise", "taints", "--student", "p1")
	if code != 0 || !strings.Contains(out, "힌트 열기(unlock-hint) · 연습 taints → 학번 p1") {
		t.Fatalf("send: %d %s %s", code, out, errs)
	}
	s.hs.Close()
	code, out, errs = runClassCLI(t, student, "class", "status")
	if !strings.Contains(out, "연결: 실패 — 수업 서버 ") || !strings.Contains(out, "닿지 못했습니다") {
		t.Fatalf("status with the server down: %d %s %s", code, out, errs)
	}
}

// TestWatchCellsSpaced (issue 12: "4 최수아 ✔ 10*H1⚠" and "2 이서연 —✔10
// H1" ran together at 80×24): every cell's fields — result, hints, flag —
// stand apart, whatever the marks, in one column width (the whole views at
// 60, 80 and 160 columns: testdata/TestClassWatchFitsEveryTerminal).
func TestWatchCellsSpaced(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	defer m.stop()
	cells := []api.BoardCell{
		{Status: api.StatusPassed, Score: 10, MaxScore: 10, HintsHad: 1, Flags: []string{"copied-cluster"}, Now: &api.BoardCellNow{Status: api.StatusFailed, Score: 4, MaxScore: 10}},
		{Submissions: 1, HintsHad: 1, Now: &api.BoardCellNow{Status: api.StatusPassed, Score: 10, MaxScore: 10, Late: true}},
		{Status: api.StatusFailed, Score: 0, MaxScore: 10, HintsHad: 12, Flags: []string{"clock-skew"}},
		{},
	}
	glued := regexp.MustCompile(`[0-9*][H⚠]|H[0-9+]⚠|—[✔✘○…]`)
	for _, c := range cells {
		got := m.cell(c)
		if glued.MatchString(got) || ansi.StringWidth(got) != watchColW {
			t.Errorf("the cell %+v is %q (%d cells, want %d, fields apart)", c, got, ansi.StringWidth(got), watchColW)
		}
	}
}
