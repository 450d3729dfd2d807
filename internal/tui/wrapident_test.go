package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/lab"
)

const (
	fieldPath     = "spec.template.spec.tolerations[0].effect"
	immutableText = "데몬셋의 셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다 (immutable): 셀렉터를 바꾸려면 dslab kubectl delete daemonset fluentd-elasticsearch -n kube-system 으로 지운 뒤 다시 저장하세요"
	pathDetail    = `The DaemonSet "fluentd-elasticsearch" is invalid: ` + fieldPath + `: Unsupported value: "NoExecut": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`
)

// checkIdentifiersWhole fails when a line of lines ends with a flag that
// takes a value ("-n") or the field path is not on one line.
func checkIdentifiersWhole(t *testing.T, what string, lines []string, wantPath bool) {
	t.Helper()
	path := false
	for _, l := range lines {
		l = strings.TrimRight(ansi.Strip(l), " ")
		f := strings.Fields(l)
		if len(f) > 0 && isFlag(f[len(f)-1]) {
			t.Errorf("%s: a line ends with the flag %q, its value on the next:\n%s", what, f[len(f)-1], strings.Join(lines, "\n"))
		}
		path = path || strings.Contains(l, fieldPath)
	}
	if wantPath && !path {
		t.Errorf("%s: the field path %s is broken:\n%s", what, fieldPath, strings.Join(lines, "\n"))
	}
}

// TestWrapKeepsIdentifiersWhole: the TUI's wrappers never break a field
// path at its index brackets nor part a flag from its value, at any width
// from README's minimum up (issue 14: tolerations[ | 0].effect at 60×12,
// -n | kube-system at 80 columns).
func TestWrapKeepsIdentifiersWhole(t *testing.T) {
	for w := 50; w <= 120; w++ {
		checkIdentifiersWhole(t, fmt.Sprintf("wrapHanging at %d", w), wrapHanging("  ", immutableText, w), false)
		checkIdentifiersWhole(t, fmt.Sprintf("wrapText at %d", w), wrapText(immutableText, w), false)
		checkIdentifiersWhole(t, fmt.Sprintf("wrapServerText at %d", w), wrapServerText("    ", pathDetail, w), true)
	}
	// JSON brackets still break (a patch has no spaces).
	if got := wrapServerText("", `{"spec":{"tolerations":[{"effect":"NoExecute","key":"a"}]}}`, 30); len(got) < 2 {
		t.Errorf("a JSON patch wider than the line is not broken: %q", got)
	}
	for w, want := range map[string]bool{"-n": true, "--namespace": true, "`-l`": true, "-o=yaml": false, "-": false, "—": false, "-1": false, "kube-system": false} {
		if isFlag(w) != want {
			t.Errorf("isFlag(%q) = %v, want %v", w, !want, want)
		}
	}
}

// TestApplyErrorKeepsIdentifiersWhole: in the exercise panel at 60×12 and
// 80×24, the immutable-selector advice keeps -n with kube-system and the
// server's field path is on one line.
func TestApplyErrorKeepsIdentifiersWhole(t *testing.T) {
	for _, size := range screenSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, labCourseModel(t), size.w, size.h)
			tm.Send(openExerciseMsg{id: "ds-basics"})
			tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
			waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			tm.Send(appliedMsg{id: "ds-basics", err: &lab.ApplyError{Summary: immutableText, Detail: pathDetail}, attempted: true})
			s := waitFor(t, tm, "the error", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })
			checkIdentifiersWhole(t, "the panel", s.panelScroll, true)
			if !strings.Contains(flat(strings.Join(s.panelScroll, "\n")), "-n kube-system") {
				t.Errorf("the advice is not shown whole:\n%s", strings.Join(s.panelScroll, "\n"))
			}
		})
	}
}
