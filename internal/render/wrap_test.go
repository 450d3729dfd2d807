package render

import (
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	in := "      ✗ dslab-control-plane: 컨트롤 플레인 노드의 테인트를 용인하지 않아 파드가 없습니다 (기대: 파드 없음, 실제: 파드 있음)\n" +
		"  참고: monitoring-agent 데몬셋은 모든 노드에 하나씩 파드를 둡니다\n" +
		"짧은 줄"
	for _, w := range []int{60, 80, 40, 30} {
		got := Wrap(in, w)
		lines := strings.Split(got, "\n")
		for _, l := range lines {
			if cw := xansi.StringWidth(l); cw > w {
				t.Errorf("width %d: line is %d cells: %q", w, cw, l)
			}
		}
		// Every word survives whole, in order: nothing is cut inside a word.
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
			t.Errorf("width %d: words changed:\n%s", w, got)
		}
		for _, word := range []string{"파드", "monitoring-agent", "dslab-control-plane:"} {
			if !strings.Contains(got, word) {
				t.Errorf("width %d: %q broken:\n%s", w, word, got)
			}
		}
		if lines[len(lines)-1] != "짧은 줄" {
			t.Errorf("a fitting line changed: %q", lines[len(lines)-1])
		}
		// Continuation lines hang under the text after the marker.
		if w < 80 && !strings.HasPrefix(lines[1], strings.Repeat(" ", 8)) {
			t.Errorf("width %d: continuation %q not under the text", w, lines[1])
		}
	}
	if Wrap(in, 0) != in {
		t.Error("width 0 must leave the text alone")
	}
	// Only a word wider than a whole line is cut.
	long := strings.Repeat("가", 30)
	for _, l := range strings.Split(Wrap(long, 20), "\n") {
		if xansi.StringWidth(l) > 20 {
			t.Errorf("long word line %q", l)
		}
	}
}

// WrapWhole breaks like Wrap but never cuts a word: a URL or path wider
// than the line stands whole on a line of its own.
func TestWrapWhole(t *testing.T) {
	url := "https://kubernetes.io/ko/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations"
	in := "  ✗ 참고 문서: " + url + " 를 읽고 데몬셋 fluentd-elasticsearch 의 톨러레이션(toleration)을 고치세요"
	for _, w := range []int{30, 60, 80} {
		got := WrapWhole(in, w)
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
			t.Errorf("width %d: words changed:\n%s", w, got)
		}
		for _, l := range strings.Split(got, "\n") {
			if xansi.StringWidth(l) > w && strings.TrimSpace(l) != url {
				t.Errorf("width %d: line of %d cells is not the one long word: %q", w, xansi.StringWidth(l), l)
			}
		}
		if !strings.Contains(got, url) {
			t.Errorf("width %d: URL cut:\n%s", w, got)
		}
	}
	// A word that fits the line but not after the indent drops the indent.
	if got := WrapHangingWhole("    ", "a "+strings.Repeat("b", 18), 20); got != "    a\n"+strings.Repeat("b", 18) {
		t.Errorf("hanging: %q", got)
	}
	if WrapWhole(in, 0) != in {
		t.Error("width 0 must leave the text alone")
	}
}
