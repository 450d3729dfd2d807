package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestNoCutProseOnTheMap: the node map's closing note is prose, wrapped
// whole at every width (it was cut with "…" at 80 columns), and the
// status bar's cluster segment leaves out whole parts instead of cutting
// one at 60 columns.
func TestNoCutProseOnTheMap(t *testing.T) {
	u := simulatedUpdate(t, "gpu-only", gpuOnlyMixed)
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, newLabFixtureModel(t, nil), size.w, size.h)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: u})
			tm.Send(keyRunes("m"))
			waitFor(t, tm, "the node map", func(s snapshot) bool { return s.state == stateNodeMap && s.seq == 1 })
			var seen strings.Builder
			var s snapshot
			for i := 0; i < 40; i++ {
				s = take(t, tm)
				seen.WriteString(s.view + "\n")
				tm.Send(keyRunes("j"))
			}
			checkFrame(t, s)
			flat := strings.Join(strings.Fields(seen.String()), "")
			if !strings.Contains(flat, "(채점은변경이있을때마다저절로다시합니다)") {
				t.Errorf("the map's note is not shown whole:\n%s", seen.String())
			}
			for _, l := range strings.Split(seen.String(), "\n") {
				if strings.Contains(l, "채점은") && strings.Contains(l, "…") {
					t.Errorf("the note is cut: %q", l)
				}
			}
			bar := strings.Split(s.view, "\n")
			status := bar[len(bar)-2]
			if strings.Contains(status, "…") || !strings.Contains(status, "노드 4/4") {
				t.Errorf("status bar at %d columns: %q", size.w, status)
			}
		})
	}
}

func TestShortenSegment(t *testing.T) {
	full := "클러스터: embedded · 실행 중 · 노드 4/4 · dslab"
	for _, tc := range []struct {
		w    int
		want string
	}{
		{60, full},
		{37, "embedded · 실행 중 · 노드 4/4 · dslab"},
		{28, "실행 중 · 노드 4/4 · dslab"},
		{20, "실행 중 · 노드 4/4"},
		{10, "노드 4/4"},
	} {
		got := shortenSegment(full, tc.w)
		if got != tc.want || ansi.StringWidth(got) > tc.w {
			t.Errorf("width %d: %q, want %q", tc.w, got, tc.want)
		}
	}
}
