package nodes

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestStatuses(t *testing.T) {
	items := []corev1.Node{
		{
			ObjectMeta: metav1.ObjectMeta{Name: "w", Labels: map[string]string{"hardware": "gpu"}},
			Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionFalse}}},
		},
		{
			ObjectMeta: metav1.ObjectMeta{Name: "cp", Labels: map[string]string{"node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/": ""}},
			Spec:       corev1.NodeSpec{Taints: []corev1.Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}},
			Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}},
		},
	}
	got := Statuses(items)
	if len(got) != 2 || got[0].Name != "cp" || got[1].Name != "w" {
		t.Fatalf("not sorted by name: %+v", got)
	}
	cp, w := got[0], got[1]
	if !cp.Ready || w.Ready {
		t.Errorf("ready: cp=%v w=%v", cp.Ready, w.Ready)
	}
	if len(cp.Roles) != 1 || cp.Roles[0] != "control-plane" || len(w.Roles) != 0 {
		t.Errorf("roles: %v %v", cp.Roles, w.Roles)
	}
	if len(cp.Taints) != 1 || cp.Taints[0].String() != "node-role.kubernetes.io/control-plane:NoSchedule" {
		t.Errorf("taints: %v", cp.Taints)
	}
}
