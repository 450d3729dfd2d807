package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// TestWrapText: the TUI wraps with internal/render's Wrap: lines break at
// spaces only, never inside an identifier or a Korean word, and fit the
// width in cells.
func TestWrapText(t *testing.T) {
	text := `데몬셋 kube-system/fluentd-elasticsearch 이 없습니다 (기대: 파드 없음) monitoring-agent`
	for w := 12; w <= 60; w++ {
		lines := wrapText(text, w)
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line %q is %d cells", w, l, ansi.StringWidth(l))
			}
		}
		joined := strings.Join(lines, " ")
		if w >= 33 && joined != text || strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Errorf("width %d: words changed: %q", w, joined)
		}
		for _, word := range []string{"kube-system/fluentd-elasticsearch", "monitoring-agent", "파드"} {
			if ansi.StringWidth(word) <= w && !strings.Contains("\n"+strings.Join(lines, "\n")+"\n", word) {
				t.Errorf("width %d: %q broken: %q", w, word, lines)
			}
		}
	}
	if got := wrapText(strings.Repeat("x", 25), 10); len(got) != 3 || got[0] != strings.Repeat("x", 10) {
		t.Errorf("long word: %q", got)
	}
}

// TestTUIAdviceHasKeysNotCommands: the TUI never shows the CLI's
// "`dslab cluster up` 으로 시작하세요" (raw backticks, a command the TUI
// runs with a key).
func TestTUIAdviceHasKeysNotCommands(t *testing.T) {
	msg := "kubeconfig 에 컨텍스트 dslab 이 없습니다 — `dslab cluster up` 으로 시작하세요"
	if got, want := tuiAdvice(msg, "u 로"), "kubeconfig 에 컨텍스트 dslab 이 없습니다 — u 로 시작하세요"; got != want {
		t.Errorf("cluster screen: %q, want %q", got, want)
	}
	if got, want := tuiAdvice(msg, ""), "kubeconfig 에 컨텍스트 dslab 이 없습니다"; got != want {
		t.Errorf("exercise: %q, want %q", got, want)
	}
	kind := "노드 컨테이너가 모두 멈춰 있습니다. dslab cluster up 으로 다시 시작하세요"
	if got, want := tuiAdvice(kind, "u 로"), "노드 컨테이너가 모두 멈춰 있습니다. u 로 다시 시작하세요"; got != want {
		t.Errorf("kind: %q, want %q", got, want)
	}
	if got := tuiAdvice("연결이 거부되었습니다", ""); got != "연결이 거부되었습니다" {
		t.Errorf("unchanged message: %q", got)
	}
}

// TestWrapPathBreaksAtSlashes: a path breaks only after "/" (seen at 60x12:
// "…/kubecon" / "fig").
func TestWrapPathBreaksAtSlashes(t *testing.T) {
	p := "/home/trainee/.local/share/dslab/clusters/dslab/kubeconfig"
	for _, w := range []int{10, 20, 46, 80} {
		lines := wrapPath(p, w)
		if strings.Join(lines, "") != p {
			t.Fatalf("width %d: %q does not join to the path", w, lines)
		}
		for i, l := range lines {
			if i < len(lines)-1 && !strings.HasSuffix(l, "/") {
				t.Errorf("width %d: line %q breaks inside a name", w, l)
			}
			if len(l) > w {
				t.Errorf("width %d: line %q is too wide", w, l)
			}
		}
	}
}

// TestKeyHelpLineIsNeverCut: the exercise panel's key help is the longest
// form that fits (seen: "… — 채점은 저…" at every size).
func TestKeyHelpLineIsNeverCut(t *testing.T) {
	m := newExercise(&Common{Styles: NewStyles(lipgloss.NewRenderer(io.Discard))})
	for _, w := range []int{30, 39, 60, 80, 100} {
		lines := m.messageLines(w)
		if len(lines) != 1 || strings.Contains(lines[0], ellipsis) {
			t.Errorf("width %d: %q", w, lines)
		}
		found := false
		for _, k := range keyHelpLines {
			found = found || lines[0] == k
		}
		if !found {
			t.Errorf("width %d: %q is not one of the whole forms", w, lines[0])
		}
	}
}
