package tui

import (
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
)

// TestPrepareSaysOtherExercisesDaemonSets: once an exercise is prepared,
// the panel says which other exercises' DaemonSets still run a pod per
// node and the one command line that removes them — not the exercise's
// own target (which other exercises share), not a DaemonSet no exercise
// names (issue 14: 4 left running after 5 exercises, never mentioned).
func TestPrepareSaysOtherExercisesDaemonSets(t *testing.T) {
	ds := func(ns, name string) *appsv1.DaemonSet {
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	}
	client := fake.NewClientset(
		ds("kube-system", "fluentd-elasticsearch"), // ds-basics
		ds("monitoring", "node-exporter"),          // monitoring-agent and others
		ds("dslab", "gpu-monitor"),                 // gpu-only's own
		ds("kube-system", "kube-proxy"),            // no exercise's
	)
	for _, width := range []int{120, 60} {
		t.Run(strconv.Itoa(width), func(t *testing.T) { prepareSaysOthers(t, client, width) })
	}
}

func prepareSaysOthers(t *testing.T, client *fake.Clientset, width int) {
	u := simulatedUpdate(t, "gpu-only", nil)
	u.Conn = &kube.Conn{Client: client, Context: "dslab"}
	tm := startProgram(t, labCourseModel(t), width, 40)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	tm.Send(opEventMsg{opEvent: opEvent{kind: opExercise, done: true}})
	s := waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "다른 연습의 데몬셋") })
	v := flat(s.view)
	for _, want := range []string{
		"연습 준비 완료",
		"다른 연습의 데몬셋 2개가 아직 실행 중입니다",
		"ds-basics·control-plane(kube-system/fluentd-elasticsearch)", // both name it, neither was started
		"(monitoring/node-exporter)",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the panel does not say %q:\n%s", want, s.view)
		}
	}
	// Each command whole on a line of its own, to paste as shown, also at
	// 60 columns (trainee trial on 32bac4b: "… -n kube-system" /
	// "fluentd-elasticsearch").
	for _, cmd := range []string{"dslab kubectl delete ds fluentd-elasticsearch -n kube-system", "dslab kubectl delete ds node-exporter -n monitoring"} {
		whole := false
		for _, l := range strings.Split(s.view, "\n") {
			if strings.TrimSpace(l) == cmd {
				whole = true
			}
		}
		if !whole {
			t.Errorf("%q is not whole on a line of its own:\n%s", cmd, s.view)
		}
	}
	if strings.Contains(v, "gpu-monitor)") || strings.Contains(v, "kube-proxy") {
		t.Errorf("the note names the exercise's own or a non-exercise DaemonSet:\n%s", s.view)
	}
}

// TestPrepareCountsManyOtherDaemonSets: with more than
// lab.OthersRunningListMax other exercises' DaemonSets, the panel at 80x24
// says their count and the one command that removes them all, whole on
// its own line, instead of a command per DaemonSet (trainee trial, issue
// 14: 8 DaemonSets, 12 lines on every open and reset).
func TestPrepareCountsManyOtherDaemonSets(t *testing.T) {
	var objs []runtime.Object
	seen := map[string]bool{}
	for _, e := range labCatalog(t).All() {
		ref := e.Spec.Target
		if ref.Name != "" && !seen[ref.String()] {
			seen[ref.String()] = true
			objs = append(objs, &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ref.Namespace, Name: ref.Name}})
		}
	}
	u := simulatedUpdate(t, "gpu-only", nil)
	u.Conn = &kube.Conn{Client: fake.NewClientset(objs...), Context: "dslab"}
	tm := startProgram(t, labCourseModel(t), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	tm.Send(opEventMsg{opEvent: opEvent{kind: opExercise, done: true}})
	s := waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(flat(s.view), "다른 연습의 데몬셋") })
	all := flat(strings.Join(s.panelScroll, "\n")) + flat(s.view)
	if strings.Contains(all, "kubectl delete ds") {
		t.Errorf("a command per DaemonSet:\n%s", strings.Join(s.panelScroll, "\n"))
	}
	whole := false
	for _, l := range append(strings.Split(s.view, "\n"), s.panelScroll...) {
		if strings.TrimSpace(l) == lab.CleanCommand {
			whole = true
		}
	}
	if !whole {
		t.Errorf("%q is not whole on a line of its own:\n%s", lab.CleanCommand, strings.Join(s.panelScroll, "\n"))
	}
}
