package lab

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// TestEventCauseNamesItsObject: a grade caused by an event says what it is
// about ("이벤트 (log-agent) 변경"), not the event's generated name.
func TestEventCauseNamesItsObject(t *testing.T) {
	var got string
	h := eventChanges(func(s string) { got = s })
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "log-agent.18ecc9b65710b010", Namespace: "default"},
		InvolvedObject: corev1.ObjectReference{Kind: "DaemonSet", Name: "log-agent"}}
	h.OnUpdate(ev, ev)
	if got != "이벤트 (log-agent) 변경" {
		t.Errorf("cause %q", got)
	}
	h.OnDelete(cache.DeletedFinalStateUnknown{Key: "default/log-agent.18ecc9b65710b010", Obj: ev})
	if got != "이벤트 (log-agent) 삭제" {
		t.Errorf("cause %q", got)
	}
}

func TestNoteDefaultNamespace(t *testing.T) {
	lines := []string{"namespace/applytest created", "daemonset.apps/one created", "daemonset.apps/two unchanged"}
	got := noteDefaultNamespace(lines, map[string]bool{"daemonset/two": true}, "default")
	want := []string{"namespace/applytest created", "daemonset.apps/one created", "daemonset.apps/two unchanged (네임스페이스 default)"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
	if lines[2] != "daemonset.apps/two unchanged" {
		t.Error("the input was changed")
	}
}
