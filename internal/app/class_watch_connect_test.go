package app

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestWatchFirstConnectRetries (issue 12): `class watch` once stayed at
// "○ 연결 중…" for 35 s with no error. A server that never answers the
// first board read, nor the first event stream, is waited for a bounded
// time each; the one line of a server that does not answer is on screen
// ("서버가 답하지 않습니다 (주소) · n초 후 다시 시도"), and the next tries
// connect.
func TestWatchFirstConnectRetries(t *testing.T) {
	b, _ := watchLayoutBoard()
	var boards, streams atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case api.PathBoard:
			if boards.Add(1) == 1 { // the first read is lost: no answer
				<-r.Context().Done()
				return
			}
			json.NewEncoder(w).Encode(b)
		case api.PathEvents:
			if streams.Add(1) == 1 { // the first stream never starts
				<-r.Context().Done()
				return
			}
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hs.Close)
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{URL: hs.URL, Token: "t", HTTP: hs.Client(), wait: 300 * time.Millisecond}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "서버가 답하지 않습니다 (127.0.0.1:", "초 후 다시 시도")
	waitOutput(t, tm, "배치 수업")
	waitOutput(t, tm, "● 실시간")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	if fm.board == nil || !fm.connected || fm.err != nil {
		t.Fatalf("after the retries: board %v, connected %v, err %v", fm.board != nil, fm.connected, fm.err)
	}
	if boards.Load() < 2 || streams.Load() < 2 {
		t.Fatalf("board read %d times, stream %d times: want retries of both", boards.Load(), streams.Load())
	}
}

// TestClassWatchServerDownAndBack (issue 12, instructor trial): with the
// class server down, `class watch` exited at once with the URL in a
// 9-line error. Against a real class server on one address: before the
// first connect, and again after the server is stopped mid-class, watch
// shows one line — "서버에 연결할 수 없습니다 (주소) · n초 후 다시 시도
// (q: 끝내기)" — and keeps trying; the server started again on that
// address is found by itself (● 실시간, a student who joined meanwhile on
// the grid), and q quits.
func TestClassWatchServerDownAndBack(t *testing.T) {
	s := startClassServer(t)
	s.join(t, "김철수", "2026001")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there yet
	serve := func() *http.Server {
		t.Helper()
		var l net.Listener
		for l == nil {
			if l, err = net.Listen("tcp", addr); err != nil {
				t.Logf("listen %s again: %v", addr, err)
				time.Sleep(50 * time.Millisecond)
			}
		}
		hs := &http.Server{Handler: s.newServer(t).Handler()}
		go hs.Serve(l)
		t.Cleanup(func() { hs.Close() })
		return hs
	}
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{URL: "http://" + addr, Token: s.token, HTTP: &http.Client{Timeout: 30 * time.Second},
		wait: 5 * time.Second, retry: 200 * time.Millisecond}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	down := "서버에 연결할 수 없습니다 (" + addr + ") · "
	waitOutput(t, tm, down, "초 후 다시 시도 (q: 끝내기)", "저절로 이어집니다")

	hs := serve()
	waitOutput(t, tm, "● 실시간", "김철수")
	hs.Close()
	waitOutput(t, tm, down)

	serve()
	s.join(t, "이영희", "2026002") // through the class's other server, meanwhile
	waitOutput(t, tm, "● 실시간", "이영희")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel)
	if fm.board == nil || len(fm.board.Students) != 2 || !fm.connected || fm.err != nil {
		t.Fatalf("after the server came back: board %v, connected %v, err %v", fm.board, fm.connected, fm.err)
	}
	if v := fm.View(); strings.Contains(v, "연결할 수 없습니다") {
		t.Fatalf("the down line stayed:\n%s", v)
	}
	// At 60 columns the line wraps at word breaks, the countdown whole.
	fm.width, fm.height = 60, 12
	fm.connected, fm.connErr, fm.connRetryAt = false, watchUnreachable{}, time.Now().Add(3*time.Second)
	v := fm.View()
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Errorf("line %q is wider than 60", l)
		}
	}
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "서버에 연결할 수 없습니다 ("+addr+") · 3초 후 다시 시도 (q: 끝내기)") {
		t.Errorf("at 60 columns the down line is not whole:\n%s", v)
	}
}
