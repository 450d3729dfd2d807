package tui

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
)

// TestShellOnlyExerciseKeys: in new-node (shellOnly: the task is a
// kubectl command, the DaemonSet is not to change) e points to the shell
// instead of the editor, and a save of the untouched starter is not
// answered with "e 로 과제대로 고쳐 저장하세요" (trial, issue 14: the file's
// header said 그대로 두세요, the ready line 매니페스트를 고치지 않습니다).
func TestShellOnlyExerciseKeys(t *testing.T) {
	tm := startProgram(t, newLabFixtureModel(t, nil), 80, 24)
	tm.Send(openExerciseMsg{id: "new-node"})
	waitFor(t, tm, "new-node", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "new-node" })
	flat := func(s snapshot) string { return strings.ReplaceAll(s.view, "\n", " ") }

	tm.Send(keyRunes("e"))
	s := waitFor(t, tm, "e's answer", func(s snapshot) bool { return strings.Contains(flat(s), "s 로 셸을 열어") })
	if !strings.Contains(flat(s), "매니페스트를 고치지 않습니다") {
		t.Errorf("e in a shell-only exercise does not say the manifest is not to change:\n%s", s.view)
	}

	tm.Send(appliedMsg{id: "new-node", err: &lab.StarterUnchangedError{Path: "/work/new-node.yaml"}})
	s = waitFor(t, tm, "the note on the untouched starter", func(s snapshot) bool { return strings.Contains(flat(s), "적용하지 않았습니다") })
	if strings.Contains(flat(s), "고쳐 저장하세요") || !strings.Contains(flat(s), "s 로 셸을 열어") {
		t.Errorf("the note on new-node's untouched starter asks for an edit:\n%s", s.view)
	}
	checkFrame(t, s)
}

// TestShellOnlyFooterNamesWhatKeysDo: new-node's footer, panel key help
// and ? help come from one key table and do not offer e 편집·적용 (e only
// says the task is done in the shell; issue 14); ds-basics still does.
func TestShellOnlyFooterNamesWhatKeysDo(t *testing.T) {
	for _, c := range []struct {
		id        string
		shellOnly bool
	}{{"new-node", true}, {"ds-basics", false}} {
		t.Run(c.id, func(t *testing.T) {
			tm := startProgram(t, newLabFixtureModel(t, nil), 100, 30)
			tm.Send(openExerciseMsg{id: c.id})
			s := waitFor(t, tm, c.id, func(s snapshot) bool { return s.state == stateExercise && s.exercise == c.id })
			lines := strings.Split(s.view, "\n")
			footer := lines[len(lines)-1]
			if got := strings.Contains(footer, "편집·적용"); got == c.shellOnly {
				t.Errorf("footer offers 편집·적용 = %v:\n%s", got, footer)
			}
			if c.shellOnly && (!strings.Contains(footer, "s 셸") || strings.Contains(s.view, "e: 매니페스트 편집")) {
				t.Errorf("new-node's footer or panel help does not lead to the shell:\n%s", s.view)
			}
			tm.Send(keyRunes("?"))
			s = waitFor(t, tm, "the help", func(s snapshot) bool { return s.state == stateHelp })
			if got := strings.Contains(s.view, "편집·적용"); got == c.shellOnly {
				t.Errorf("? help offers 편집·적용 = %v:\n%s", got, s.view)
			}
		})
	}
}
