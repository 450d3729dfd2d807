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
	for _, want := range []string{"데몬셋 default/fluentd-elasticsearch 는 과제의 데몬셋과 이름이 같지만 네임스페이스 default 에 있습니다.", "과제의 네임스페이스는 kube-system 입니다", "metadata.namespace 를 kube-system 으로 하세요"} {
		if !strings.Contains(got, want) {
			t.Errorf("MisplacedText = %q, want it to contain %q", got, want)
		}
	}
	// Copies of both kinds, in two namespaces: one clause per reason, the
	// particle after the last name of each, no "(ref: why)" notes.
	two := []Leftover{{"default", "fluentd-elasticsearch", WhySameName}, {"team-b", "fluentd-elasticsearch", WhySameName}, {"default", "other", WhySamePodLabels}}
	got = MisplacedText(ex, two, false)
	want := "데몬셋 default/fluentd-elasticsearch, team-b/fluentd-elasticsearch 는 과제의 데몬셋과 이름이 같고, default/other 는 파드 레이블이 같지만 모두 네임스페이스 default, team-b 에 있습니다. 과제의 네임스페이스는 kube-system 입니다: metadata.namespace 를 kube-system 으로 하세요 (다른 네임스페이스의 데몬셋은 채점되지 않습니다)."
	if got != want {
		t.Errorf("MisplacedText of three copies =\n%s\nwant\n%s", got, want)
	}
	if got := MisplacedText(ex, ls, true); got != "" {
		t.Errorf("with the target present: %q, want \"\" (leftover warning)", got)
	}
	if got := MisplacedText(ex, nil, false); got != "" {
		t.Errorf("without copies: %q, want \"\"", got)
	}
}

// TestLeftoverRefs: each copy after what it shares with the target, as a
// modifier ("이름이 같은 default/x"), not a "(이름이 같음)" note.
func TestLeftoverRefs(t *testing.T) {
	got := LeftoverRefs([]Leftover{{"default", "a", WhySameName}, {"team-b", "b", WhySamePodLabels}})
	if want := "이름이 같은 default/a, 파드 레이블이 같은 team-b/b"; got != want {
		t.Errorf("LeftoverRefs = %q, want %q", got, want)
	}
}
