package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestWatchFirstConnectRetries (issue 12): `class watch` once stayed at
// "○ 연결 중…" for 35 s with no error. A server that never answers the
// first board read, nor the first event stream, is waited for a bounded
// time each; the error is on screen, and the next tries connect.
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
	waitOutput(t, tm, "보드를 읽지 못했습니다 (1번째)", "다시 시도합니다")
	waitOutput(t, tm, "실시간 연결 안 됨", "배치 수업")
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
