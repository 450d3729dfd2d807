package lab

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func TestShellAttempt(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	entry := func(manager string, d time.Duration, sub string) metav1.ManagedFieldsEntry {
		at := metav1.NewTime(t0.Add(d))
		return metav1.ManagedFieldsEntry{Manager: manager, Time: &at, Subresource: sub}
	}
	ds := func(uid string, gen int64, mf ...metav1.ManagedFieldsEntry) *appsv1.DaemonSet {
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{UID: types.UID(uid), Generation: gen, ManagedFields: mf}}
	}
	v := dsVersion{exists: true, uid: "a", gen: 1}
	for _, tc := range []struct {
		name string
		prev dsVersion
		ds   *appsv1.DaemonSet
		want bool
	}{
		{"created by kubectl in the shell", dsVersion{}, ds("a", 1, entry("kubectl-client-side-apply", 0, "")), true},
		{"created by the lab", dsVersion{}, ds("a", 1, entry(LabFieldManager, 0, "")), false},
		{"created by exercise setup", dsVersion{}, ds("a", 1, entry("dslab", 0, "")), false},
		{"spec changed by kubectl edit after the lab", v, ds("a", 2, entry(LabFieldManager, 0, ""), entry("kubectl-edit", time.Minute, "")), true},
		{"spec changed by the lab after the shell", v, ds("a", 2, entry("kubectl-client-side-apply", 0, ""), entry(LabFieldManager, time.Minute, "")), false},
		{"only a status write after the shell's", v, ds("a", 1, entry("kubectl-client-side-apply", 0, ""), entry("kube-controller-manager", time.Hour, "status")), false},
		{"the lab's change, newer than a status write", v, ds("a", 2, entry("kube-controller-manager", time.Hour, "status"), entry(LabFieldManager, time.Minute, "")), false},
		{"deleted", v, nil, false},
		{"re-created by the shell (new uid)", v, ds("b", 1, entry("kubectl-client-side-apply", 0, "")), true},
	} {
		if got := ShellAttempt(tc.prev, tc.ds); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
