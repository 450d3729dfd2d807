package lab

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
)

// TestLeftoversLeaveOtherExercisesAlone: another exercise's DaemonSet with
// the same name (quota-limits' team-a/log-agent next to
// cordon-maintenance's dslab/log-agent) is not a leftover — the trainee
// trial saw `r r` delete quota-limits' passed answer — while a real copy
// in default still is, in both directions.
func TestLeftoversLeaveOtherExercisesAlone(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds := func(ns, name string) *appsv1.DaemonSet {
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	}
	dss := []*appsv1.DaemonSet{ds("team-a", "log-agent"), ds("dslab", "log-agent"), ds("default", "log-agent")}
	for _, id := range []string{"cordon-maintenance", "quota-limits"} {
		ex, err := cat.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		got := LeftoversIn(dss, ex, TargetPodLabels(ex), OtherExercisesDaemonSets(ex))
		if len(got) != 1 || got[0].Ref() != "default/log-agent" {
			t.Errorf("%s: leftovers %+v, want only default/log-agent", id, got)
		}
	}
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	got := LeftoversIn([]*appsv1.DaemonSet{ds("default", "fluentd-elasticsearch")}, ex, TargetPodLabels(ex), OtherExercisesDaemonSets(ex))
	if len(got) != 1 {
		t.Errorf("ds-basics: the copy in default is not found: %+v", got)
	}
}
