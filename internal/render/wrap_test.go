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

// Real apiserver errors after a Korean explanation wrap at spaces only:
// never inside an identifier, a URL or a quoted value ("…" with spaces
// stays on one line), and each line fits unless it is one long token.
func TestWrapWholeServerErrors(t *testing.T) {
	korean := "오류: 데몬셋 fluentd-elasticsearch 를 적용하지 못했습니다 (API 서버가 거부함): "
	for _, tc := range []struct {
		server string
		whole  []string // spans that must stand on one line
	}{
		{`DaemonSet.apps "fluentd-elasticsearch" is invalid: spec.template.metadata.labels: Invalid value: {"name":"fluentd"}: ` + "`selector` does not match template `labels`",
			[]string{`"fluentd-elasticsearch"`, `{"name":"fluentd"}:`, "`selector`", "`labels`", "spec.template.metadata.labels:"}},
		{`DaemonSet.apps "node-exporter" is invalid: [spec.template.spec.containers[0].image: Required value, spec.template.spec.tolerations[0].effect: Unsupported value: "NoSchedul": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"]`,
			[]string{"spec.template.spec.tolerations[0].effect:", `"PreferNoSchedule"]`}},
		{`namespaces "logging" not found: the server could not find "the requested resource in namespace logging" (post daemonsets.apps)`,
			[]string{`"the requested resource in namespace logging"`, "daemonsets.apps)"}},
		{`Put "https://127.0.0.1:36443/apis/apps/v1/namespaces/kube-system/daemonsets/fluentd-elasticsearch?fieldManager=dslab&force=true": dial tcp 127.0.0.1:36443: connect: connection refused`,
			[]string{`"https://127.0.0.1:36443/apis/apps/v1/namespaces/kube-system/daemonsets/fluentd-elasticsearch?fieldManager=dslab&force=true":`}},
	} {
		in := korean + tc.server
		for _, w := range []int{60, 80} {
			got := WrapWhole(in, w)
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
				t.Errorf("width %d: words changed:\n%s", w, got)
			}
			lines := strings.Split(got, "\n")
			for _, l := range lines {
				if xansi.StringWidth(l) > w && len(strings.Fields(l)) > 1 {
					t.Errorf("width %d: line of %d cells: %q", w, xansi.StringWidth(l), l)
				}
			}
			for _, s := range tc.whole {
				found := false
				for _, l := range lines {
					found = found || strings.Contains(l, s)
				}
				if !found {
					t.Errorf("width %d: %q is split across lines:\n%s", w, s, got)
				}
			}
			if !strings.HasPrefix(got, "오류: 데몬셋") {
				t.Errorf("width %d: the Korean explanation is not first:\n%s", w, got)
			}
		}
	}
}

// A backticked command never breaks: it moves whole to the next line, and
// one wider than a line stands on a line of its own without its backticks.
func TestWrapWholeBacktickCommands(t *testing.T) {
	cmd := "dslab class join URL --code 123456 --name 이름"
	for _, tc := range []struct {
		in    string
		w     int
		lines []string
	}{
		{"오류: 아직 수업에 참가하지 않았습니다: `" + cmd + "`", 60,
			[]string{"오류: 아직 수업에 참가하지 않았습니다:", "`" + cmd + "`"}},
		{"학생: `" + cmd + "` 으로 참가합니다. 제출은 채점할 때마다 자동이고, `dslab class submit` 은 지금 바로 보낼 때 씁니다.", 60,
			[]string{"학생: `" + cmd + "` 으로", "참가합니다. 제출은 채점할 때마다 자동이고,", "`dslab class submit` 은 지금 바로 보낼 때 씁니다."}},
		// Wider than the line with its backticks: its own line, bare.
		{"  - 참가: `" + cmd + "` 으로 참가하세요", 51,
			[]string{"  - 참가:", "    " + cmd, "    으로 참가하세요"}},
		// Wider than the line even bare: whole, unindented.
		{"  - 참가: (`" + cmd + "`) 로", 40,
			[]string{"  - 참가: (", cmd, "    ) 로"}},
		// Backticked words of the server's text are words.
		{"x `selector` does not match template `labels`", 20,
			[]string{"x `selector` does", "not match template", "`labels`"}},
	} {
		got := strings.Split(WrapWhole(tc.in, tc.w), "\n")
		if strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
			t.Errorf("width %d:\n%s\nwant\n%s", tc.w, strings.Join(got, "\n"), strings.Join(tc.lines, "\n"))
		}
	}
}

// TestWrapKeepsAPathWholeWithoutTheIndent: a path that does not fit after
// a hanging indent but fits a whole line stands on its own line without
// the indent instead of being cut (issue 14: the exercise panel at 60
// columns showed "rolling-updat" / "e.yaml", "monitoring-ag" / "ent.yaml").
func TestWrapKeepsAPathWholeWithoutTheIndent(t *testing.T) {
	for _, file := range []string{"work/rolling-update.yaml", "work/monitoring-agent.yaml", "/home/trainee/.local/share/dslab/work/noexecute-churn.yaml"} {
		prefix := strings.Repeat(" ", 40)
		for _, out := range []string{WrapHanging(prefix, "작업 파일 "+file, 60), Wrap(prefix+"작업 파일 "+file, 60)} {
			found := false
			for _, l := range strings.Split(out, "\n") {
				if w := Width(l); w > 60 {
					t.Errorf("line %d cells wide: %q", w, l)
				}
				found = found || strings.Contains(l, file)
			}
			if !found {
				t.Errorf("%q cut:\n%s", file, out)
			}
		}
	}
}
