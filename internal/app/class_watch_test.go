package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/tui"
)

// waitOutput waits until the output read from now on holds every string
// of want.
func waitOutput(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	},
		teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// TestClassWatchTUI runs `class watch`'s model at 80×24 against a real
// class server: the grid shows the server's verdicts, a submission made
// while it runs arrives through the event stream, an instructor action
// shows in the event lines, and p hides the names.
func TestClassWatchTUI(t *testing.T) {
	s := startClassServer(t)
	kim, lee := s.join(t, "김철수", "w1"), s.join(t, "이영희", "w2")
	// Kim's lab had opened two hints (grader.Snapshot.HintsUsed).
	typo, err := os.ReadFile(filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "image-typo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(typo, &snap); err != nil {
		t.Fatal(err)
	}
	snap["hintsUsed"] = 2
	typo, _ = json.Marshal(snap)
	s.send(t, kim, "ds-basics", typo)

	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{URL: s.hs.URL, Token: s.token, HTTP: s.hs.Client()}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })

	// The selected cell's line names the hints the student opened, as the
	// web board's cell does ("힌트 본 것 2").
	detail := "김철수 · ds-basics: ✘ 진행 중 6/10 · 힌트 본 것 2"
	if col := slices.Index(exerciseIDs(t), "ds-basics"); col == 0 {
		waitOutput(t, tm, "✘  6", "● 실시간", detail)
	} else {
		waitOutput(t, tm, "✘  6", "● 실시간")
		for range col {
			tm.Send(tea.KeyMsg{Type: tea.KeyRight})
		}
		waitOutput(t, tm, detail)
	}
	s.submit(t, lee, "ds-basics", "solution")
	waitOutput(t, tm, "✔ 10")
	req, _ := http.NewRequest("POST", s.hs.URL+api.PathInstructorCommands, strings.NewReader(`{"kind":"broadcast","message":"쉬는 시간"}`))
	req.Header.Set("Authorization", "Bearer "+s.token)
	if resp, err := s.hs.Client().Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("broadcast: %v %v", resp, err)
	}
	waitOutput(t, tm, "쉬는 시간")
	// A hint the instructor unlocks shows on cells nobody submitted yet.
	req, _ = http.NewRequest("POST", s.hs.URL+api.PathInstructorCommands, strings.NewReader(`{"kind":"unlock-hint","exercise":"`+unsubmittedExercise(t)+`"}`))
	req.Header.Set("Authorization", "Bearer "+s.token)
	if resp, err := s.hs.Client().Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("unlock-hint: %v %v", resp, err)
	}
	waitOutput(t, tm, "H1")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	waitOutput(t, tm, server.Initials("김철수"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	view := fm.View()
	t.Logf("final view:\n%s", view)
	lines := strings.Split(view, "\n")
	if len(lines) > 24 {
		t.Fatalf("view has %d lines at 80×24:\n%s", len(lines), view)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("line %q is %d cells wide", l, w)
		}
	}
	if strings.Contains(view, "김철수") || strings.Contains(view, "이영희") || !strings.Contains(view, "ds-basics") || !strings.Contains(view, "통과 1명 (시도 2명 · 전체 2명)") {
		t.Fatalf("final view:\n%s", view)
	}
}

// TestClassSendAndStatus: `class send` stores instructor actions, a
// student's `class status` shows the broadcast and the reset addressed to
// it, and `class board` prints the board link with the token.
func TestClassSendAndStatus(t *testing.T) {
	s := startClassServer(t)
	dir := t.TempDir()
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "박학생", "--student-id", "p1"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	instructor := paths.Under(filepath.Join(dir, "instructor"))
	send := func(args ...string) (int, string, string) {
		return runClassCLI(t, instructor, append([]string{"class", "send", "--server", s.hs.URL, "--token-file", s.tokenFile}, args...)...)
	}
	if code, out, errs := send("broadcast", "--message", "점심 먹고 1시에 모입니다"); code != 0 || !strings.Contains(out, "보냈습니다") {
		t.Fatalf("send broadcast: %d %s %s", code, out, errs)
	}
	if code, out, errs := send("reset-exercise", "--exercise", "taints", "--student", "p1", "--message", "처음부터"); code != 0 {
		t.Fatalf("send reset: %d %s %s", code, out, errs)
	}
	if code, _, errs := send("reset-exercise", "--exercise", "taints"); code == 0 || !strings.Contains(errs, "한 학생") {
		t.Fatalf("reset without a student: %d %s", code, errs)
	}
	code, out, errs := runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "공지: 점심 먹고 1시에 모입니다") || !strings.Contains(out, "연습 초기화 요청: taints") {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	code, out, errs = runClassCLI(t, instructor, "class", "board", s.hs.URL, "--token-file", s.tokenFile)
	if code != 0 || !strings.Contains(out, s.hs.URL+"/board#token="+s.token) || !strings.Contains(errs, "강사 토큰") {
		t.Fatalf("board: %d %s %s", code, out, errs)
	}
}

// exerciseIDs are the board's columns (the catalog's exercises, in order).
func exerciseIDs(t *testing.T) []string {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat.IDs()
}

// unsubmittedExercise is an exercise among the first columns of an 80-wide
// `class watch` that TestClassWatchTUI submits nothing to.
func unsubmittedExercise(t *testing.T) string {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range cat.IDs()[:3] {
		if id != "ds-basics" {
			return id
		}
	}
	t.Fatal("no exercise besides ds-basics")
	return ""
}

// TestClassWatchStuckOnTimer: a student turns stuck on the watch screen
// when the stuck minutes pass without any new event — the model
// recomputes from the board's progressAt on its tick (fake clock).
func TestClassWatchStuckOnTimer(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	board := api.Board{Class: "멈춤 수업", Now: now, StuckMins: 10,
		Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본"}},
		Students: []api.BoardStudent{{RosterID: "w1", Name: "김철수", Initials: "김○○", Current: "ds-basics", ProgressAt: now.Add(-9 * time.Minute),
			Cells: map[string]api.BoardCell{"ds-basics": {Status: api.StatusFailed, Score: 6, MaxScore: 10, Submissions: 1, LastChange: now.Add(-9 * time.Minute)}}}}}
	m := fakeBoardWatch(t, board, nil)
	clk := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC) // the watch's clock need not match the server's
	m.now = func() time.Time { return clk }
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	var seen []byte
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen = b
		return bytes.Contains(b, []byte("1 김철수")) && bytes.Contains(b, []byte("● 실시간"))
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if bytes.Contains(seen, []byte(watchStuckMark+" 1 김철수")) {
		t.Fatalf("stuck before the stuck minutes passed:\n%s", seen)
	}
	clk = clk.Add(30 * time.Second) // a tick before the 10 minutes: still not stuck
	tm.Send(watchTickMsg{})
	clk = clk.Add(90 * time.Second)
	tm.Send(watchTickMsg{})
	waitOutput(t, tm, watchStuckMark+" 1 김철수")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	if s := fm.board.Students[0]; !s.Stuck || !s.StuckSince.Equal(now.Add(-9*time.Minute)) {
		t.Fatalf("student after 10½ minutes without progress: %+v", s)
	}
}

// fakeBoardWatch is a watch model against a server that serves board and
// then an event stream sending events and staying open.
func fakeBoardWatch(t *testing.T, board api.Board, events []api.StreamEvent) *watchModel {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case api.PathBoard:
			json.NewEncoder(w).Encode(board)
		case api.PathEvents:
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			if r.Header.Get("Last-Event-ID") == "0" {
				for _, e := range events {
					b, _ := json.Marshal(e)
					fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Kind, b)
				}
			}
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hs.Close)
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	return newWatchModel(context.Background(), boardClient{URL: hs.URL, Token: "t", HTTP: hs.Client()}, tui.NewStyles(lr))
}

// watchLayoutBoard: a long name, a stuck student and a flagged cell.
func watchLayoutBoard() (api.Board, []api.StreamEvent) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	b := api.Board{Class: "배치 수업", Now: now, StuckMins: 10,
		Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본"}, {ID: "taints", Title: "테인트"}},
		Students: []api.BoardStudent{
			{RosterID: "w1", Name: "=HYPERLINK(아주아주긴이름)", Initials: "=○○", Cells: map[string]api.BoardCell{
				"ds-basics": {Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 1, Flags: []string{"copied-cluster"}}}},
			{RosterID: "w2", Name: "이영희", Initials: "이○○", Current: "taints", Stuck: true, StuckSince: now.Add(-20 * time.Minute), ProgressAt: now.Add(-20 * time.Minute),
				Cells: map[string]api.BoardCell{"taints": {Status: api.StatusFailed, Score: 2, MaxScore: 10, Submissions: 1}}}}}
	data := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	evs := []api.StreamEvent{
		{Seq: 1, Time: now, Kind: "submitted", RosterID: "w2", Name: "이영희", Data: data(map[string]any{"exercise": "taints", "status": "failed", "score": 2, "maxScore": 10})},
		{Seq: 2, Time: now, Kind: "flagged", RosterID: "w1", Name: "=HYPERLINK(아주아주긴이름)", Data: data(map[string]any{"flag": "copied-cluster"})},
		{Seq: 3, Time: now, Kind: "command", Data: data(map[string]any{"command": 1, "kind": "unfreeze"})},
	}
	return b, evs
}

// TestClassWatchLayout80x24: a space between a long name and the first
// cell, the legend wrapped rather than cut, the web board's symbols,
// stuck (⚑) apart from flag (⚠), and Korean event lines.
func TestClassWatchLayout80x24(t *testing.T) {
	b, evs := watchLayoutBoard()
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "마감 풀기")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
	t.Logf("view:\n%s", view)
	lines := strings.Split(view, "\n")
	if len(lines) > 24 {
		t.Fatalf("%d lines at 80×24", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("line %q is %d cells wide", l, w)
		}
	}
	for _, want := range []string{"  1 =HYPERLINK(…   ✔ 10     ⚠", "⚑ 2 이영희", "✘  2", "표시: ⚠ 같은 클러스터", "강사 동작: ▶ 마감 풀기", "⚑ 막힘", "○ 시작 전", "✔ 통과"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	if got := eventLine(evs[0], false); !strings.HasSuffix(got, "이영희 제출 taints ✘ 진행 중 2/10") {
		t.Errorf("submitted line %q", got)
	}
	for _, bad := range []string{"flagged", "unfreeze", "!"} {
		if strings.Contains(view, bad) {
			t.Errorf("view holds %q", bad)
		}
	}
	// The legend is whole: every item on some line.
	for _, it := range watchLegend() {
		if !strings.Contains(view, it) {
			t.Errorf("legend item %q missing (cut)", it)
		}
	}
}

func TestEventLineKorean(t *testing.T) {
	data := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	for kind, want := range map[string]string{"broadcast": "공지", "unlock-hint": "힌트 열기", "reset-exercise": "↺ 연습 초기화", "freeze": "‖ 제출 마감", "unfreeze": "▶ 마감 풀기", "regrade": "⟳ 다시 채점"} {
		got := eventLine(api.StreamEvent{Kind: "command", Data: data(map[string]any{"kind": kind})}, false)
		if !strings.HasSuffix(got, "강사 동작: "+want) {
			t.Errorf("%s: %q", kind, got)
		}
	}
	// the event a removal logs (store.EventRemoved) reads as Korean, not
	// its kind, as the instructor action it is; its command event is not a
	// second line (issue 12)
	if got := eventLine(api.StreamEvent{Kind: "student-removed", RosterID: "w9", Name: "박지성"}, false); !strings.HasSuffix(got, "강사 동작: 학생 빼기 · 박지성 (명단에서 뺌)") {
		t.Errorf("student-removed: %q", got)
	}
}

// TestClassWatchHideNamesEverywhere: with `p` the detail line and the
// event lines show initials too, never the name, the roster id or a flag.
func TestClassWatchHideNamesEverywhere(t *testing.T) {
	b, evs := watchLayoutBoard()
	data := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	evs = append(evs[:2], api.StreamEvent{Seq: 3, Time: b.Now, Kind: "command", RosterID: "w2", Name: "이영희",
		Data: data(map[string]any{"command": 1, "kind": "reset-exercise", "exercise": "taints"})})
	m := fakeBoardWatch(t, b, evs)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "강사 동작: ↺ 연습 초기화 · taints · 2 이영희", "1 =HYPERLINK(아주아주긴이름) · ds-basics")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	// The board's and projector's numbers (api.BoardLabels): "2 이○○"
	// in the grid, the feed and the detail line (issue 12: watch showed
	// "김○○·1", numbered only among equal initials).
	waitOutput(t, tm, "강사 동작: ↺ 연습 초기화 · taints · 2 이○○", "1 =○○ · ds-basics: ✔ 통과 10/10", "⚑ 2 이○○")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
	t.Logf("view:\n%s", view)
	for _, bad := range []string{"HYPERLINK", "이영희", "w1", "w2", "같은 클러스터"} {
		if strings.Contains(view, bad) {
			t.Errorf("names hidden, but the view holds %q", bad)
		}
	}
	if got := eventLine(api.StreamEvent{Kind: "joined", RosterID: "w9"}, true); strings.Contains(got, "w9") {
		t.Errorf("a nameless event shows the roster id with names hidden: %q", got)
	}
}

// TestClassSendUnreachableNamesAddress: an instructor command that cannot
// reach the server names the address it tried, that it came from the
// server-addr file `class serve` left, and suggests --server.
func TestClassSendUnreachableNamesAddress(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.NotFoundHandler())
	dead := hs.URL
	hs.Close() // nothing listens there any more
	if err := os.WriteFile(filepath.Join(data, ServerAddrFile), []byte(dead+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, server.InstructorTokenFile), []byte("tok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := paths.Under(filepath.Join(dir, "home"))
	code, _, errs := runClassCLI(t, p, "class", "send", "broadcast", "--message", "테스트", "--data", data)
	if code == 0 || !strings.Contains(errs, dead) || !strings.Contains(errs, filepath.Join(data, ServerAddrFile)) || !strings.Contains(errs, "--server http://") {
		t.Fatalf("send to a dead server: %d %s", code, errs)
	}
	code, _, errs = runClassCLI(t, p, "class", "send", "broadcast", "--message", "테스트", "--server", dead, "--token-file", filepath.Join(data, server.InstructorTokenFile))
	if code == 0 || !strings.Contains(errs, dead) || !strings.Contains(errs, "--server 로 준 주소") {
		t.Fatalf("send to a dead --server: %d %s", code, errs)
	}
}

// TestClassWatchCellsCarryEveryMark is issue 12's instructor trial: a
// watch cell had room for one mark, so ⚠ hid * and H ("✔ 10⚠"), H lost
// its count ("✔ 10*" for a cell with hints), and the detail line was cut
// at 80 cells ("(지금: ✔ 통과 10/10, 마감 후 — 점수에 들어가지…"). Now
// each mark has its place in the cell and the detail line wraps.
func TestClassWatchCellsCarryEveryMark(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	b := api.Board{Class: "표시 수업", Now: now, StuckMins: 10,
		Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본"}, {ID: "taints", Title: "테인트"}},
		Students: []api.BoardStudent{
			{RosterID: "2026001", Name: "김민수", Initials: "김○○", Cells: map[string]api.BoardCell{
				"ds-basics": {Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 3, Hints: 2, Flags: []string{"copied-cluster"},
					Now: &api.BoardCellNow{Status: api.StatusNotStarted, Score: 0, MaxScore: 10}},
				"taints": {Status: api.StatusNotStarted, Score: 0, MaxScore: 10, Submissions: 2, Hints: 3,
					Now: &api.BoardCellNow{Status: api.StatusPassed, Score: 10, MaxScore: 10, Late: true}}}}}}
	m := fakeBoardWatch(t, b, nil)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "김민수")
	tm.Send(tea.KeyMsg{Type: tea.KeyRight})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	view := fm.View()
	t.Logf("view:\n%s", view)
	for _, want := range []string{"✔ 10* H2 ⚠", "○  0* H3"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks the cell %q", want)
		}
	}
	lines := strings.Split(view, "\n")
	if len(lines) > 24 {
		t.Fatalf("%d lines at 80×24", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %q is %d cells wide", l, w)
		}
	}
	// The detail of the selected cell (taints) is whole over its lines.
	flat := strings.Join(strings.Fields(view), " ")
	for _, want := range []string{"(지금: ✔ 통과 10/10, 마감 후 — 점수에 들어가지 않음)", "강사가 연 힌트 3"} {
		if !strings.Contains(flat, want) {
			t.Errorf("detail lacks %q (cut?)", want)
		}
	}
	if strings.Contains(view, "…") {
		t.Errorf("a line is cut:\n%s", view)
	}
}
