package lab

import (
	"strings"
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

// TestMisplacedText: ds-basics' answer saved with namespace default while
// kube-system has no fluentd-elasticsearch is the learner's misplaced
// answer (trial: the panel called it a leftover copy); with the target
// present the leftover warning stays.
func TestMisplacedText(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	ls := []Leftover{{Namespace: "default", Name: "fluentd-elasticsearch", Why: "이름이 같음"}}
	got := MisplacedText(ex, ls, false)
	for _, want := range []string{"default/fluentd-elasticsearch 는 네임스페이스 default 에 있습니다 (과제의 데몬셋과 default/fluentd-elasticsearch: 이름이 같음)", "과제는 kube-system 입니다", "metadata.namespace 를 kube-system 으로 하세요"} {
		if !strings.Contains(got, want) {
			t.Errorf("MisplacedText = %q, want it to contain %q", got, want)
		}
	}
	if got := MisplacedText(ex, ls, true); got != "" {
		t.Errorf("with the target present: %q, want \"\" (leftover warning)", got)
	}
	if got := MisplacedText(ex, nil, false); got != "" {
		t.Errorf("without copies: %q, want \"\"", got)
	}
}
