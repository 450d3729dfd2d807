package kube_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// attempt is what a learner does after `dslab exercise start`, on a real
// embedded cluster, and which checks the grader must then fail.
type attempt struct {
	name string
	do   []action
	// fail are the checks that must fail, each with a substring of its
	// message or node reasons; all other checks must pass, except maybe.
	fail  map[string]string
	maybe []string
	// warn are passed checks that must carry a warning containing the
	// substring.
	warn map[string]string
}

type action func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise)

func edit(ex exercises.Exercise, pairs ...string) []byte {
	s := string(ex.Solution)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic(ex.ID + " solution lacks " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

func applyEdited(pairs ...string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		if err := kube.Apply(ctx, c.Client, edit(ex, pairs...)); err != nil {
			t.Fatal(err)
		}
		settle(ctx, t, c, ex)
	}
}

var solveSteps action = func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	settle(ctx, t, c, ex)
	for _, s := range ex.SolutionSteps {
		switch {
		case s.Label != nil:
			label(s.Label.Node, s.Label.Key, s.Label.Value)(ctx, t, c, ex)
		case s.DeletePod != nil:
			deletePods(s.DeletePod.Node)(ctx, t, c, ex)
		}
	}
}

func label(node, key, value string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		node = strings.ReplaceAll(node, "{cluster}", c.Name)
		patch := fmt.Sprintf(`{"metadata":{"labels":{%q:%q}}}`, key, value)
		if _, err := c.Client.CoreV1().Nodes().Patch(ctx, node, types.MergePatchType, []byte(patch), metav1.PatchOptions{FieldManager: "kubectl-label"}); err != nil {
			t.Fatal(err)
		}
		settle(ctx, t, c, ex)
	}
}

func untaint(node, key string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		node = strings.ReplaceAll(node, "{cluster}", c.Name)
		n, err := c.Client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n.Spec.Taints = slices.DeleteFunc(n.Spec.Taints, func(x corev1.Taint) bool { return x.Key == key })
		if _, err := c.Client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{FieldManager: "kubectl-taint"}); err != nil {
			t.Fatal(err)
		}
		settle(ctx, t, c, ex)
	}
}

func deletePods(node string) action {
	return func(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
		t.Helper()
		node = strings.ReplaceAll(node, "{cluster}", c.Name)
		tg := ex.Spec.Target
		err := c.Client.CoreV1().Pods(tg.Namespace).DeleteCollection(ctx, metav1.DeleteOptions{},
			metav1.ListOptions{FieldSelector: "spec.nodeName=" + node})
		if err != nil {
			t.Fatal(err)
		}
		settle(ctx, t, c, ex)
	}
}

func wait(d time.Duration) action {
	return func(context.Context, *testing.T, *testcluster.Cluster, exercises.Exercise) { time.Sleep(d) }
}

// settle waits until the target DaemonSet's controller has caught up (or
// two minutes pass: a wrong answer may never settle).
func settle(ctx context.Context, t *testing.T, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	p := &kube.Preparer{Client: c.Client, Timeout: 2 * time.Minute, Poll: 250 * time.Millisecond}
	if err := p.WaitRolledOut(ctx, ex.Spec.Target); err != nil {
		t.Logf("not settled (may be expected): %v", err)
	}
	time.Sleep(2 * time.Second) // one more kubelet status round
}

const cpToleration = "      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n"

var attempts = map[string][]attempt{
	"ds-basics": {
		{name: "solution", do: []action{solveSteps}},
		{name: "tolerates-everything", do: []action{applyEdited("      containers:", "      tolerations:\n      - operator: Exists\n      containers:")},
			fail: map[string]string{"not-on-control-plane": "dslab-control-plane"}},
		{name: "wrong-namespace", do: []action{applyEdited("namespace: kube-system", "namespace: default")},
			// nodes-unchanged: no points while the asked DaemonSet is absent
			// (a check that only says "nothing was broken" earns nothing
			// by itself; trainee trial, issue 14).
			fail: map[string]string{"exists": "네임스페이스 default", "on-every-worker": "없습니다", "not-on-control-plane": "없습니다", "labels": "없습니다", "image": "없습니다",
				"nodes-unchanged": "점수를 받지 않습니다"}},
		{name: "label-typo", do: []action{applyEdited("      name: fluentd-elasticsearch\n", "      name: fluentd-elasticsearh\n", "      name: fluentd-elasticsearch\n", "      name: fluentd-elasticsearh\n")},
			fail: map[string]string{"labels": "name=fluentd-elasticsearh 입니다"}},
		// An extra label in the selector and the pod labels: passes, warned.
		{name: "extra-label", do: []action{applyEdited("      name: fluentd-elasticsearch\n", "      name: fluentd-elasticsearch\n      tier: logging\n",
			"      name: fluentd-elasticsearch\n    spec:", "      name: fluentd-elasticsearch\n        tier: logging\n    spec:")},
			warn: map[string]string{"labels": "셀렉터(spec.selector)에 과제에 없는 tier=logging 도 있습니다"}},
		{name: "gpu-selector", do: []action{applyEdited("      containers:", "      nodeSelector:\n        hardware: gpu\n      containers:")},
			fail: map[string]string{"on-every-worker": "노드에 hardware 레이블이 없습니다"}},
	},
	"control-plane": {
		{name: "solution", do: []action{solveSteps}},
		{name: "seed-left", do: nil,
			fail: map[string]string{"tolerates-control-plane": "1.24", "on-all-nodes": "node-role.kubernetes.io/master"}},
		{name: "removed-taint", do: []action{untaint("{cluster}-control-plane", "node-role.kubernetes.io/control-plane")},
			fail: map[string]string{"tolerates-control-plane": "master", "nodes-unchanged": "해답이 아닙니다"}},
		{name: "wrong-effect", do: []action{applyEdited("effect: NoSchedule", "effect: NoExecute")},
			fail: map[string]string{"tolerates-control-plane": "effect 는 NoExecute", "on-all-nodes": "dslab-control-plane"}},
	},
	"gpu-only": {
		{name: "solution", do: []action{solveSteps}},
		{name: "no-selector", do: []action{applyEdited("      nodeSelector:\n        hardware: gpu\n", "")},
			fail: map[string]string{"node-selector": "nodeSelector 가 없습니다", "gpu-nodes-only": "모든 노드가 대상입니다"}},
		{name: "key-typo", do: []action{applyEdited("hardware: gpu", "hardwre: gpu")},
			fail: map[string]string{"node-selector": "hardware 의 오타", "gpu-nodes-only": "hardware 의 오타"}},
		{name: "labelled-another-node", do: []action{label("{cluster}-worker", "hardware", "gpu"), solveSteps},
			fail: map[string]string{"gpu-nodes-only": "GPU 노드가 아닙니다", "nodes-unchanged": "레이블 hardware=gpu 가 추가되었습니다"}},
		{name: "short-image-name", do: []action{applyEdited("docker.io/library/busybox:1.37.0", "busybox:1.37.0")}},
		{name: "other-image-tag", do: []action{applyEdited("docker.io/library/busybox:1.37.0", "busybox:1.36")},
			fail: map[string]string{"image": "과제: “컨테이너 gpu-monitor, 이미지 docker.io/library/busybox:1.37.0”"}},
	},
	"ssd-affinity": {
		{name: "solution", do: []action{solveSteps}},
		{name: "node-selector-only", do: []action{applyEdited("      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: disktype\n                operator: In\n                values: [ssd]\n", "      nodeSelector:\n        disktype: ssd\n")},
			fail: map[string]string{"required-affinity": "nodeSelector 만으로는"}},
		{name: "preferred-only", do: []action{applyEdited("requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:",
			"preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 100\n            preference:\n              matchExpressions:")},
			fail: map[string]string{"required-affinity": "선호일 뿐", "ssd-nodes-only": "dslab-worker2"}},
		{name: "terms-ored", do: []action{applyEdited("                values: [ssd]\n", "                values: [ssd]\n            - matchExpressions:\n              - key: hardware\n                operator: Exists\n")},
			fail: map[string]string{"required-affinity": "OR", "ssd-nodes-only": "dslab-worker2"}},
	},
	"new-node": {
		{name: "solution", do: []action{solveSteps}},
		{name: "nothing-done", do: nil,
			fail: map[string]string{"node-labelled": "kubectl label node dslab-worker hardware=gpu", "gpu-nodes": "dslab-worker", "pod-after-label": "레이블이 없습니다"}},
		{name: "value-uppercase", do: []action{label("{cluster}-worker", "hardware", "GPU")},
			fail: map[string]string{"node-labelled": "(gpu 여야 합니다)", "gpu-nodes": "hardware=GPU", "pod-after-label": "파드가 없습니다"}},
		{name: "dropped-selector", do: []action{applyEdited("      nodeSelector:\n        hardware: gpu\n", "")},
			// ds-unchanged may pass here: the dropped-selector template can be
			// an older ControllerRevision the DaemonSet already had (from the
			// gpu-only attempts), which the controller renumbers instead of
			// creating a new one.
			fail: map[string]string{"node-labelled": "없습니다", "pod-after-label": "레이블이 없습니다"}, maybe: []string{"ds-unchanged"}},
		// Labelled, and the DaemonSet changed as well (the nodeSelector
		// dropped): every GPU node runs a pod, but the task says to leave
		// the DaemonSet alone. (sleep 31 makes the template new whatever an
		// earlier attempt left.)
		{name: "labelled-and-dropped-selector", do: []action{solveSteps, applyEdited("      nodeSelector:\n        hardware: gpu\n", "", "sleep 30", "sleep 31")},
			fail: map[string]string{"ds-unchanged": "파드 템플릿이 연습 시작"}, maybe: []string{"pod-after-label"}},
	},
	"rolling-update": {
		{name: "solution", do: []action{solveSteps, wait(3 * time.Second)}},
		{name: "image-only", do: []action{applyEdited("maxUnavailable: 1", "maxUnavailable: 100%"), wait(3 * time.Second)},
			fail: map[string]string{"strategy": "100%", "one-at-a-time": "사용할 수 없는 파드가"}},
		{name: "max-unavailable-2", do: []action{applyEdited("maxUnavailable: 1", "maxUnavailable: 2"), wait(3 * time.Second)},
			fail: map[string]string{"strategy": "2개입니다"}, maybe: []string{"one-at-a-time"}},
		{name: "strategy-only", do: []action{applyEdited("node-exporter:v1.9.1", "node-exporter:v1.8.2"), wait(3 * time.Second)},
			fail: map[string]string{"all-updated": "v1.8.2", "one-at-a-time": "롤아웃이 일어나지 않았습니다"}},
		// Issue 14: a rollback makes the controller reuse the first
		// ControllerRevision (its old creation time, a new number), the
		// roll forward the second; with the recorder running all along
		// this is no change "while the recorder was off".
		{name: "rollback-and-forward", do: []action{solveSteps, wait(3 * time.Second),
			applyEdited("node-exporter:v1.9.1", "node-exporter:v1.8.2"), wait(3 * time.Second),
			solveSteps, wait(3 * time.Second)}},
	},
	"on-delete": {
		{name: "solution", do: []action{solveSteps}},
		{name: "rolling-update-left", do: []action{applyEdited("    type: OnDelete\n", "    type: RollingUpdate\n")},
			fail: map[string]string{"strategy": "OnDelete 여야", "canary-image": "새 이미지로 바뀌었습니다"}},
		{name: "no-pod-deleted", do: []action{applyEdited()},
			fail: map[string]string{"canary-image": "지워야"}},
		{name: "deleted-two-pods", do: []action{solveSteps, deletePods("{cluster}-worker")},
			fail: map[string]string{"canary-image": "dslab-worker"}},
	},
	"taints": {
		{name: "solution", do: []action{solveSteps}},
		{name: "tolerates-everything", do: []action{applyEdited("      - key: dedicated\n        operator: Equal\n        value: logging\n        effect: NoSchedule\n", "      - operator: Exists\n")},
			fail: map[string]string{"placement": "maintenance=true:NoExecute"}},
		{name: "no-dedicated-toleration", do: []action{applyEdited("      - key: dedicated\n        operator: Equal\n        value: logging\n        effect: NoSchedule\n", "")},
			fail: map[string]string{"tolerates-dedicated": "dedicated=logging:NoSchedule", "placement": "dslab-worker"}},
		{name: "removed-maintenance-taint", do: []action{untaint("{cluster}-worker2", "maintenance"), solveSteps},
			fail: map[string]string{"placement": "dslab-worker2", "nodes-unchanged": "maintenance=true:NoExecute"}},
	},
	"monitoring-agent": {
		{name: "solution", do: []action{solveSteps}},
		{name: "no-resources", do: []action{applyEdited("        resources:\n          requests:\n            cpu: 50m\n            memory: 64Mi\n          limits:\n            cpu: 100m\n            memory: 128Mi\n", "")},
			fail: map[string]string{"resources": "requests.cpu 가 없습니다"}},
		{name: "over-budget", do: []action{applyEdited("cpu: 50m", "cpu: 500m", "cpu: 100m", "cpu: 1")},
			fail: map[string]string{"resources": "예산"}},
		{name: "no-control-plane-toleration", do: []action{applyEdited(cpToleration, "")},
			fail: map[string]string{"on-all-nodes": "dslab-control-plane"}},
	},
	"troubleshoot": {
		{name: "solution", do: []action{solveSteps}},
		// troubleshoot's spec has findCause: the checks state the facts
		// (which taint no toleration tolerates, which nodes lack a pod)
		// and leave the diagnosis (the effect, the hardwre typo) to the
		// learner and the hints (trainee trial on 32bac4b, issue 14).
		{name: "left-broken", do: nil,
			fail: map[string]string{"tolerates-gpu-taint": "nvidia.com/gpu=present:NoSchedule 을 용인하는 것이 없습니다", "gpu-nodes-only": "파드를 만들지 않습니다"}},
		{name: "selector-fixed-only", do: []action{applyEdited("effect: NoSchedule", "effect: NoExecute")},
			fail: map[string]string{"tolerates-gpu-taint": "nvidia.com/gpu=present:NoSchedule", "gpu-nodes-only": "dslab-worker2"}},
		{name: "removed-gpu-taints", do: []action{untaint("{cluster}-worker2", "nvidia.com/gpu"), untaint("{cluster}-worker3", "nvidia.com/gpu"), applyEdited("effect: NoSchedule", "effect: NoExecute")},
			fail: map[string]string{"tolerates-gpu-taint": "nvidia.com/gpu=present:NoSchedule", "nodes-unchanged": "nvidia.com/gpu=present:NoSchedule"}},
	},
}

// TestIntegrationCourse runs the whole course on one real embedded
// cluster through the dslab binary, one subtest after another (each
// exercise's `exercise reset` restores the state it needs, so one cluster
// serves them all):
//
//   - every exercise: `exercise reset`, a learner's attempt with client-go,
//     `grade -o json`. The reference solution gets full marks and exit 0;
//     each wrong answer exits 1 and fails exactly the expected checks.
//   - setup that behaves like kubectl (setupLikeKubectl);
//   - the class of three (classOfThree), this cluster being the solver;
//   - `cluster down` stops the rollout recorder.
func TestIntegrationCourse(t *testing.T) {
	c := testcluster.Start(t)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = kube.StopRecorder(kube.RecorderDir(kube.ExerciseDir(c.Paths, c.Name, "rolling-update")))
	})
	for _, ex := range cat.All() {
		t.Run(ex.ID, func(t *testing.T) {
			list := attempts[ex.ID]
			if len(list) < 4 || list[0].name != "solution" {
				t.Fatalf("need the solution and 3 wrong answers")
			}
			for _, a := range list {
				t.Run(a.name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
					defer cancel()
					if _, stderr, err := c.Run(ctx, "exercise", "reset", ex.ID); err != nil {
						c.DumpLogs(t)
						t.Fatalf("exercise reset %s: %v\n%s", ex.ID, err, stderr)
					}
					for _, act := range a.do {
						act(ctx, t, c, ex)
					}
					stdout, stderr, err := c.Run(ctx, "grade", ex.ID, "-o", "json")
					code := testcluster.ExitCode(err)
					var res grader.Result
					if jerr := json.Unmarshal([]byte(stdout), &res); jerr != nil {
						t.Fatalf("grade exit %d: %v\n%s\n%s", code, jerr, stdout, stderr)
					}
					assertResult(t, res, a)
					wantCode := 1
					if len(a.fail) == 0 {
						wantCode = 0
					}
					if code != wantCode && !(len(a.maybe) > 0 && code == 1) {
						t.Errorf("grade exit %d, want %d", code, wantCode)
					}
				})
			}
		})
	}
	t.Run("setup-like-kubectl", func(t *testing.T) { setupLikeKubectl(t, c, cat) })
	t.Run("class-of-three", func(t *testing.T) { classOfThree(t, c, cat) })
	t.Run("down-stops-recorder", func(t *testing.T) { downStopsRecorder(t, c) })
}

func assertResult(t *testing.T, res grader.Result, a attempt) {
	t.Helper()
	var failed []string
	for _, ch := range res.Checks {
		text := ch.Message
		for _, n := range ch.Nodes {
			text += "\n" + n.Node + ": " + n.Reason
		}
		want, mustFail := a.fail[ch.ID]
		switch {
		case mustFail && ch.Passed:
			t.Errorf("check %s passed, want failure:\n%s", ch.ID, text)
		case mustFail && !strings.Contains(text, want):
			t.Errorf("check %s lacks %q:\n%s", ch.ID, want, text)
		case !mustFail && !ch.Passed && !slices.Contains(a.maybe, ch.ID):
			t.Errorf("check %s failed:\n%s", ch.ID, text)
		}
		if w, ok := a.warn[ch.ID]; ok && (!ch.Passed || !strings.Contains(ch.Warning, w)) {
			t.Errorf("check %s: passed %v, warning %q lacks %q", ch.ID, ch.Passed, ch.Warning, w)
		}
		if !ch.Passed {
			failed = append(failed, ch.ID)
		}
	}
	if len(a.fail) == 0 && (res.Score != res.MaxScore || !res.Passed) {
		t.Errorf("solution scored %d/%d", res.Score, res.MaxScore)
	}
	sort.Strings(failed)
	t.Logf("%s: %d/%d, failed %v", a.name, res.Score, res.MaxScore, failed)
}
