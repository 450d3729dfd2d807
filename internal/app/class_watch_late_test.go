package app

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/tui"
)

// TestWatchCellLateOnly: a cell with only late submissions reads as the
// board's "— (지금: ✔ … 마감 후)": a dash and the late result, not "·⚠"
// (nothing submitted, flagged). Issue 12.
func TestWatchCellLateOnly(t *testing.T) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(context.Background(), boardClient{}, tui.NewStyles(lr))
	defer m.stop()
	c := api.BoardCell{Submissions: 1, Flags: []string{"late"}, Now: &api.BoardCellNow{Status: api.StatusPassed, Score: 10, MaxScore: 10, Late: true}}
	got := m.cell(c)
	if !strings.Contains(got, "—✔10") || strings.Contains(got, "·") || strings.Contains(got, watchFlagMark) {
		t.Fatalf("late-only cell %q", got)
	}
	if w := len([]rune(got)); w != watchColW {
		t.Fatalf("late-only cell %q is %d cells, want %d", got, w, watchColW)
	}
	if got := m.cell(api.BoardCell{}); !strings.Contains(got, "·") {
		t.Fatalf("empty cell %q", got)
	}
}
