package nodes

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func node(ready corev1.ConditionStatus, reason string, taints ...corev1.Taint) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "dslab-worker2"},
		Spec:       corev1.NodeSpec{Taints: taints},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse},
			{Type: corev1.NodeReady, Status: ready, Reason: reason},
		}},
	}
}

var (
	unreachNoSchedule = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoSchedule}
	unreachNoExecute  = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
	notReadyNoExecute = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
	notReadyNoSched   = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule}
	userTaint         = corev1.Taint{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoExecute}
)

func TestHealthDownUp(t *testing.T) {
	cases := []struct {
		name     string
		n        *corev1.Node
		down, up bool
	}{
		{"ready", node(corev1.ConditionTrue, "KubeletReady"), false, true},
		{"ready with a user taint", node(corev1.ConditionTrue, "KubeletReady", userTaint), false, true},
		{"unknown, no taint yet", node(corev1.ConditionUnknown, "NodeStatusUnknown"), false, false},
		{"unknown, NoSchedule only", node(corev1.ConditionUnknown, "NodeStatusUnknown", unreachNoSchedule), false, false},
		{"unknown, both unreachable", node(corev1.ConditionUnknown, "NodeStatusUnknown", unreachNoExecute, unreachNoSchedule), true, false},
		{"false, both not-ready", node(corev1.ConditionFalse, "KubeletNotReady", notReadyNoSched, notReadyNoExecute), true, false},
		{"mixed keys are not down", node(corev1.ConditionUnknown, "", unreachNoSchedule, notReadyNoExecute), false, false},
		{"ready again, NoExecute not yet removed", node(corev1.ConditionTrue, "KubeletReady", unreachNoExecute), false, false},
	}
	for _, c := range cases {
		h := HealthOf(c.n)
		if h.Down() != c.down || h.Up() != c.up {
			t.Errorf("%s: %+v Down=%v Up=%v, want %v %v", c.name, h, h.Down(), h.Up(), c.down, c.up)
		}
	}
	if h := HealthOf(node(corev1.ConditionTrue, "", userTaint, unreachNoSchedule)); len(h.Taints) != 1 {
		t.Errorf("only lifecycle taints count: %v", h.Taints)
	}
}

func TestChanges(t *testing.T) {
	up := HealthOf(node(corev1.ConditionTrue, "KubeletReady"))
	down := HealthOf(node(corev1.ConditionUnknown, "NodeStatusUnknown", unreachNoSchedule, unreachNoExecute))
	if got := Changes("dslab-worker2", up, up); len(got) != 0 {
		t.Errorf("no change reported %q", got)
	}
	got := strings.Join(Changes("dslab-worker2", up, down), "\n")
	for _, want := range []string{
		"노드 dslab-worker2: Ready → NotReady (Ready=Unknown) (이유(reason): NodeStatusUnknown)",
		"node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute", "붙었습니다",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("changes up→down lack %q:\n%s", want, got)
		}
	}
	back := strings.Join(Changes("dslab-worker2", down, up), "\n")
	if !strings.Contains(back, "NotReady (Ready=Unknown) → Ready") || strings.Count(back, "사라졌습니다") != 2 {
		t.Errorf("changes down→up:\n%s", back)
	}
	if strings.Contains(got+back, "을(를)") || strings.Contains(got+back, "이(가)") {
		t.Errorf("double particles:\n%s\n%s", got, back)
	}
}

// TestWaitFollowsTheNode drives a fake API through a node failure and
// checks that Wait reports each step and returns once the node is down.
func TestWaitFollowsTheNode(t *testing.T) {
	client := fake.NewClientset(node(corev1.ConditionTrue, "KubeletReady"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	steps := [][]corev1.Taint{nil, {unreachNoSchedule}, {unreachNoSchedule, unreachNoExecute}}
	var mu sync.Mutex
	var lines []string
	progress := func(s string) { mu.Lock(); lines = append(lines, s); mu.Unlock() }
	go func() {
		for i, taints := range steps {
			time.Sleep(30 * time.Millisecond)
			st := corev1.ConditionUnknown
			if i == 0 {
				st = corev1.ConditionTrue
			}
			n := node(st, "NodeStatusUnknown", taints...)
			if _, err := client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{}); err != nil {
				t.Error(err)
			}
		}
	}()
	waiting := 0
	h, err := Wait(ctx, client, "dslab-worker2", Health.Down, WaitOptions{
		Poll: 5 * time.Millisecond, Remind: time.Millisecond,
		Waiting: func(time.Duration, Health) string { waiting++; return "기다리는 중" },
	}, progress)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Down() {
		t.Errorf("Wait returned %+v, not down", h)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "Ready → NotReady") || !strings.Contains(all, "unreachable:NoExecute") || waiting == 0 {
		t.Errorf("progress:\n%s", all)
	}

	// A missing node is an error at once, not a timeout.
	if _, err := Wait(ctx, client, "dslab-worker9", Health.Down, WaitOptions{Poll: time.Millisecond}, func(string) {}); err == nil {
		t.Error("waiting for a missing node succeeded")
	}
	// The context bounds the wait.
	short, cancelShort := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancelShort()
	if _, err := Wait(short, client, "dslab-worker2", Health.Up, WaitOptions{Poll: time.Millisecond}, func(string) {}); err == nil {
		t.Error("waiting for Up on a down node did not time out")
	}
}
