package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestLeftoverWarning: a copy of the exercise's DaemonSet in another
// namespace (the watcher's Update.Leftovers) is pointed out on the
// exercise screen with its namespace/name and the key that removes it, at
// every size, and the reset confirm names it.
func TestLeftoverWarning(t *testing.T) {
	u := simulatedUpdate(t, "ds-basics", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	u.Leftovers = []lab.Leftover{{Namespace: "default", Name: "fluentd-elasticsearch", Why: "이름이 같음"}}
	for _, size := range []struct{ w, h int }{{60, 12}, {80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tm := startProgram(t, realCourseModel(t, paths.Paths{}, nil), size.w, size.h)
			tm.Send(openExerciseMsg{id: "ds-basics"})
			tm.Send(labUpdateMsg{u: u})
			s := final(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			checkFrame(t, s)
			all := strings.Join(strings.Fields(strings.Join(s.panelScroll, " ")), "")
			for _, want := range []string{"이름이같은default/fluentd-elasticsearch", "다른네임스페이스에남아있습니다", "r을두번누르면"} {
				if !strings.Contains(all, want) {
					t.Errorf("the panel does not say %q:\n%s", want, strings.Join(s.panelScroll, "\n"))
				}
			}
			// The direct command first, whole on its own line (issue 14:
			// only the reset was offered).
			direct := "dslab kubectl delete daemonset fluentd-elasticsearch -n default"
			text := strings.Join(strings.Fields(strings.Join(s.panelScroll, " ")), " ")
			if i := strings.Index(text, direct); i < 0 || i > strings.Index(text, "r 을 두 번") {
				t.Errorf("the panel does not offer %q before the reset:\n%s", direct, strings.Join(s.panelScroll, "\n"))
			}
			for _, l := range s.panelScroll {
				if strings.TrimSpace(l) == "dslab" {
					t.Errorf("the command is cut after its first word:\n%s", strings.Join(s.panelScroll, "\n"))
				}
			}
			tm.Send(keyRunes("r"))
			s = waitFor(t, tm, "the reset confirm", func(s snapshot) bool {
				return strings.Contains(s.view, "한 번 더") || strings.Contains(s.view, "메시지가 길어")
			})
			// The panel only (right of the lesson pane at 160 columns).
			var panel []string
			for _, l := range strings.Split(s.view, "\n") {
				if i := strings.LastIndex(l, "│"); i >= 0 {
					l = l[i+len("│"):]
				}
				panel = append(panel, l)
			}
			all = strings.Join(strings.Fields(strings.Join(panel, " ")+strings.Join(s.panelScroll, " ")), "")
			if !strings.Contains(all, "복사본default/fluentd-elasticsearch도지웁니다") {
				t.Errorf("the reset confirm does not name the copy:\n%s", s.view)
			}
		})
	}
	// Without a copy there is no warning.
	u.Leftovers = nil
	tm := startProgram(t, realCourseModel(t, paths.Paths{}, nil), 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(labUpdateMsg{u: u})
	s := final(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	if strings.Contains(strings.Join(s.panelScroll, "\n"), "다른 네임스페이스") {
		t.Errorf("a warning without a copy:\n%s", strings.Join(s.panelScroll, "\n"))
	}
}

// TestMisplacedAnswer: ds-basics saved with namespace default and no
// DaemonSet in kube-system (trial on 2233c94): the copy in default is the
// learner's answer in the wrong namespace — the panel says which namespace
// the task asks for instead of calling it a leftover.
func TestMisplacedAnswer(t *testing.T) {
	u := simulatedUpdate(t, "ds-basics", nil)
	u.Leftovers = []lab.Leftover{{Namespace: "default", Name: "fluentd-elasticsearch", Why: "이름이 같음"}}
	tm := startProgram(t, realCourseModel(t, paths.Paths{}, nil), 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(labUpdateMsg{u: u})
	s := final(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
	checkFrame(t, s)
	all := strings.Join(strings.Fields(strings.Join(s.panelScroll, " ")), "")
	for _, want := range []string{"네임스페이스default에있습니다", "과제의네임스페이스는kube-system입니다", "metadata.namespace를kube-system으로하세요"} {
		if !strings.Contains(all, want) {
			t.Errorf("the panel does not say %q:\n%s", want, strings.Join(s.panelScroll, "\n"))
		}
	}
	if strings.Contains(all, "남아있습니다") {
		t.Errorf("the misplaced answer is called a leftover:\n%s", strings.Join(s.panelScroll, "\n"))
	}
}
