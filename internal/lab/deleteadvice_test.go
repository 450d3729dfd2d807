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
	got := deleteAdvice(msg, map[string]string{"DaemonSet/tailer": ""})
	if strings.Contains(got, "-n ") || !strings.Contains(got, "dslab kubectl delete daemonset tailer 로 지운 뒤") {
		t.Errorf("deleteAdvice = %q", got)
	}
	if got := deleteAdvice(msg, map[string]string{"DaemonSet/tailer": "dslab"}); !strings.Contains(got, "tailer -n dslab 으로") {
		t.Errorf("with a namespace: %q", got)
	}
}
