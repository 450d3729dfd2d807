package lab

import (
	"strings"
	"testing"
)

// TestDeleteAdviceWithoutNamespace: a manifest without metadata.namespace
// (the lesson's tailer.yaml) gives the delete command without "-n" (trial
// transcript: "dslab kubectl delete daemonset tailer -n  으로").
func TestDeleteAdviceWithoutNamespace(t *testing.T) {
	msg := `The DaemonSet "tailer" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"tailer"}}: field is immutable`
	got := deleteAdvice(msg, map[string]string{"DaemonSet/tailer": ""}, saveAgain)
	if strings.Contains(got, "-n ") || !strings.Contains(got, "dslab kubectl delete daemonset tailer 로 지운 뒤") {
		t.Errorf("deleteAdvice = %q", got)
	}
	if got := deleteAdvice(msg, map[string]string{"DaemonSet/tailer": "dslab"}, saveAgain); !strings.Contains(got, "tailer -n dslab 으로") {
		t.Errorf("with a namespace: %q", got)
	}
}

// TestApplyAdviceVerbPerSurface: the immutable-selector advice says "다시
// 저장하세요" in the TUI (a save applies) but at the CLI (`dslab kubectl
// apply`, ExplainApplyError; dslab grade's note of the lab's last apply,
// CLIAdvice) "다시 적용하세요" with the command (issue 14).
func TestApplyAdviceVerbPerSurface(t *testing.T) {
	msg := `The DaemonSet "tailer" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"tailer"}}: field is immutable`
	cli := ExplainApplyError(msg, []string{"tailer.yaml"}, "")
	if strings.Contains(cli, "저장") || !strings.Contains(cli, "지운 뒤 다시 적용하세요 (dslab kubectl apply -f tailer.yaml)") {
		t.Errorf("at the CLI: %q", cli)
	}
	tui := deleteAdvice(msg, nil, saveAgain)
	if !strings.HasSuffix(tui, "지운 뒤 다시 저장하세요") {
		t.Errorf("in the TUI: %q", tui)
	}
	if got := CLIAdvice(tui, "work/selector-change.yaml"); strings.Contains(got, "저장") || !strings.HasSuffix(got, "다시 적용하세요 (dslab kubectl apply -f work/selector-change.yaml)") {
		t.Errorf("CLIAdvice = %q", got)
	}
}
