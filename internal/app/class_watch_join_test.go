package app

import (
	"context"
	"io"
	"net/http"
	"strings"
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

// TestClassWatchShowsJoinClosed (issue 12: closing joining showed on no
// screen): while joining is closed `class watch` says so under its
// header, whole at 80 columns, and the line goes when it is opened again;
// both actions are in the event lines.
func TestClassWatchShowsJoinClosed(t *testing.T) {
	s := startClassServer(t)
	s.join(t, "김철수", "w1")
	send := func(kind string) {
		t.Helper()
		req, _ := http.NewRequest("POST", s.hs.URL+api.PathInstructorCommands, strings.NewReader(`{"kind":"`+kind+`"}`))
		req.Header.Set("Authorization", "Bearer "+s.token)
		resp, err := s.hs.Client().Do(req)
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %v %v", kind, resp, err)
		}
		resp.Body.Close()
	}
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{URL: s.hs.URL, Token: s.token, HTTP: s.hs.Client()}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { m.stop(); _ = tm.Quit() })
	waitOutput(t, tm, "● 실시간")
	send(api.CommandCloseJoin)
	waitOutput(t, tm, "참가 닫힘", "명단의 학생은 다시 참가 가능", api.CommandText(api.CommandCloseJoin))
	send(api.CommandOpenJoin)
	waitOutput(t, tm, api.CommandText(api.CommandOpenJoin))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
	if strings.Contains(view, "참가 닫힘") {
		t.Errorf("joining is open again but watch still says it is closed:\n%s", view)
	}
	// The closed line fits 80 columns whole (nothing cut with …).
	if l := joinClosedLine(time.Date(2026, 11, 30, 9, 5, 0, 0, time.Local)); ansi.StringWidth(l) > 80 {
		t.Errorf("the closed line is %d cells: %q", ansi.StringWidth(l), l)
	}
}
