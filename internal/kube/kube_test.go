package kube

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
)

func labNodes() []runtime.Object {
	var out []runtime.Object
	for _, n := range cluster.Topology("dslab") {
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: n.Labels}}
		for _, t := range n.Taints {
			node.Spec.Taints = append(node.Spec.Taints, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
		}
		node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}
		out = append(out, node)
	}
	return out
}

func catalog(t *testing.T) *exercises.Catalog {
	t.Helper()
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func daemonPod(ds *appsv1.DaemonSet, name, node string, ready bool) *corev1.Pod {
	yes := true
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ds.Namespace, UID: types.UID("pod-" + name),
			Labels:          map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: "abc"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID, Controller: &yes}},
		},
		Spec:   corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c", Image: "busybox:1.36"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: st}}},
	}
}

func TestCapture(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "gpu-monitor", Namespace: "dslab", UID: "ds-1", Generation: 2}}
	ds.Spec.Template.Spec.NodeSelector = map[string]string{"hardware": "gpu"}
	other := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: "kube-system", UID: "ds-2"}}
	yes := true
	rev := &appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{Name: "gpu-monitor-abc", Namespace: "dslab", Labels: map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: "abc"},
			OwnerReferences: []metav1.OwnerReference{{Kind: "DaemonSet", Name: "gpu-monitor", UID: "ds-1", Controller: &yes}}},
		Revision: 1,
		Data:     runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}`)},
	}
	lookalike := daemonPod(ds, "gpu-monitor-fake", "dslab-worker", true)
	lookalike.OwnerReferences = nil
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "dslab"}, Type: "Warning", Reason: "FailedCreate", Message: "quota",
		InvolvedObject: corev1.ObjectReference{Kind: "DaemonSet", Namespace: "dslab", Name: "gpu-monitor"}, LastTimestamp: metav1.Now()}
	objs := append(labNodes(), ds, other, rev, ev,
		daemonPod(ds, "gpu-monitor-a", "dslab-worker2", true),
		daemonPod(ds, "gpu-monitor-b", "dslab-worker3", false),
		lookalike)
	client := fake.NewClientset(objs...)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	snap, err := Capture(context.Background(), client, CaptureOptions{
		Targets: []grader.ObjectRef{{Namespace: "dslab", Name: "gpu-monitor"}}, Context: "dslab", Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Cluster != "dslab" || len(snap.Nodes) != 4 || !snap.CapturedAt.Equal(now) {
		t.Fatalf("header: %s %d nodes", snap.Cluster, len(snap.Nodes))
	}
	if len(snap.DaemonSets) != 1 || snap.DaemonSets[0].UID != "ds-1" || len(snap.DaemonSets[0].Revisions) != 1 || snap.DaemonSets[0].Revisions[0].Images[0] != "busybox:1.36" {
		t.Fatalf("daemonsets: %+v", snap.DaemonSets)
	}
	if len(snap.Pods) != 2 {
		t.Fatalf("pods (the look-alike must be left out): %+v", snap.Pods)
	}
	if !snap.Pods[0].Ready || snap.Pods[1].Ready || snap.Pods[0].OwnerUID != "ds-1" || snap.Pods[0].RevisionHash != "abc" {
		t.Errorf("pods: %+v", snap.Pods)
	}
	if len(snap.Events) != 1 || snap.Events[0].Reason != "FailedCreate" {
		t.Errorf("events: %+v", snap.Events)
	}
}

func TestApplyServerSide(t *testing.T) {
	client := fake.NewClientset()
	ex, err := catalog(t).Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := Apply(ctx, client, []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: dslab}\n---\n"+string(ex.Solution))); err != nil {
		t.Fatal(err)
	}
	ds, err := client.AppsV1().DaemonSets("dslab").Get(ctx, "gpu-monitor", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Spec.Template.Spec.NodeSelector["hardware"] != "gpu" || ds.Spec.Template.Spec.Containers[0].Image != "docker.io/library/busybox:1.37.0" {
		t.Errorf("applied: %+v", ds.Spec.Template.Spec)
	}
	// A typo in a field is an error, not silently dropped.
	bad := strings.Replace(string(ex.Solution), "      nodeSelector:", "      nodeSelecter:", 1)
	if err := Apply(ctx, client, []byte(bad)); err == nil || !strings.Contains(err.Error(), "nodeSelecter") {
		t.Errorf("strict apply: %v", err)
	}
	if err := Apply(ctx, client, []byte("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n")); err == nil {
		t.Error("unsupported kind applied")
	}
}

func TestStartTaintsExercise(t *testing.T) {
	ctx := context.Background()
	objs := labNodes()
	// Leftovers of other exercises and of the learner: a GPU taint, a
	// hardware label on dslab-worker, the control-plane taint removed, and
	// an unrelated label that must stay.
	w3 := objs[3].(*corev1.Node)
	w3.Spec.Taints = []corev1.Taint{{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}}
	w1 := objs[1].(*corev1.Node)
	w1.Labels = map[string]string{"kubernetes.io/hostname": "dslab-worker", "disktype": "ssd", "hardware": "gpu", "team": "a"}
	objs[0].(*corev1.Node).Spec.Taints = nil
	client := fake.NewClientset(objs...)
	ex, err := catalog(t).Get("taints")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	p := &Preparer{Client: client, Catalog: catalog(t), Progress: func(s string) { lines = append(lines, s) }, Timeout: 2 * time.Second, Poll: 10 * time.Millisecond}
	b, err := p.Start(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	nodes, _ := Nodes(ctx, client)
	byName := map[string]grader.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	taints := func(n string) []string {
		var out []string
		for _, t := range byName[n].Taints {
			out = append(out, grader.TaintString(t))
		}
		slices.Sort(out)
		return out
	}
	want := map[string][]string{
		"dslab-control-plane": {"node-role.kubernetes.io/control-plane:NoSchedule"},
		"dslab-worker":        {"dedicated=logging:NoSchedule"},
		"dslab-worker2":       {"maintenance=true:NoExecute"},
		"dslab-worker3":       nil,
	}
	for n, w := range want {
		if got := taints(n); !slices.Equal(got, w) {
			t.Errorf("%s taints %v, want %v", n, got, w)
		}
	}
	if _, has := byName["dslab-worker"].Labels["hardware"]; has || byName["dslab-worker"].Labels["team"] != "a" {
		t.Errorf("dslab-worker labels %v", byName["dslab-worker"].Labels)
	}
	if _, err := client.CoreV1().Namespaces().Get(ctx, "dslab", metav1.GetOptions{}); err != nil {
		t.Errorf("namespace: %v", err)
	}
	if b.Exercise != "taints" || b.Cluster != "dslab" || len(b.Nodes) != 4 {
		t.Errorf("baseline %+v", b)
	}
	inCluster, err := LoadBaselineFromCluster(ctx, client, "taints")
	if err != nil || inCluster == nil || len(inCluster.Nodes) != 4 || inCluster.Source != "cluster" {
		t.Errorf("in-cluster baseline %+v %v", inCluster, err)
	}
	if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "기준선(baseline) 기록 중") }) {
		t.Errorf("no baseline step among the progress lines %q", lines)
	}
	// The recorded baseline equals what the topology says the exercise sets up.
	derived := TopologyBaseline(ex, nodes)
	for i := range derived.Nodes {
		d, r := derived.Nodes[i], b.Nodes[i]
		if d.Name != r.Name || len(d.Taints) != len(r.Taints) || d.Labels["hardware"] != r.Labels["hardware"] {
			t.Errorf("topology baseline %+v != recorded %+v", d, r)
		}
	}
}

// Start waits for the DaemonSets it applies; a controller that never
// catches up is a Korean timeout error, not a hang.
func TestStartWaitsForRollout(t *testing.T) {
	client := fake.NewClientset(labNodes()...)
	ex, err := catalog(t).Get("control-plane")
	if err != nil {
		t.Fatal(err)
	}
	p := &Preparer{Client: client, Catalog: catalog(t), Timeout: 300 * time.Millisecond, Poll: 20 * time.Millisecond}
	// The fake has no controller: observedGeneration stays 0 < generation.
	_, err = p.Start(context.Background(), ex)
	if err == nil || !strings.Contains(err.Error(), "준비되지 않았습니다") {
		t.Fatalf("err = %v", err)
	}
}

func TestBaselineFiles(t *testing.T) {
	dir := t.TempDir()
	path := BaselineFile(filepath.Join(dir, "ex"))
	if b, err := LoadBaseline(path); b != nil || err != nil {
		t.Fatalf("missing baseline: %v %v", b, err)
	}
	want := grader.Baseline{Exercise: "x", Cluster: "dslab", Recorded: time.Unix(100, 0).UTC(), Nodes: []grader.BaselineNode{{Name: "n"}}}
	if err := SaveBaseline(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadBaseline(path)
	if err != nil || got.Exercise != "x" || got.Source != "state" || !got.Recorded.Equal(want.Recorded) {
		t.Fatalf("round trip %+v %v", got, err)
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBaseline(path); err == nil || !strings.Contains(err.Error(), "손상") {
		t.Errorf("corrupt baseline: %v", err)
	}
	if StateName("") != "dslab" || StateName("kind-dslab") != "dslab" || StateName("student/a b") != "student_a_b" {
		t.Error("StateName")
	}
}

func TestComputeSample(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "ne", Namespace: "m", UID: "u", Generation: 3}}
	ds.Status.DesiredNumberScheduled = 4
	ds.Status.UpdatedNumberScheduled = 2
	terminating := daemonPod(ds, "d", "n4", true)
	now := metav1.Now()
	terminating.DeletionTimestamp = &now
	foreign := daemonPod(ds, "f", "n4", true)
	foreign.OwnerReferences[0].UID = "other"
	pods := []*corev1.Pod{daemonPod(ds, "a", "n1", true), daemonPod(ds, "b", "n2", true), daemonPod(ds, "c", "n3", false), terminating, foreign}
	s := ComputeSample(ds, pods, time.Unix(5, 0))
	if s.Desired != 4 || s.Available != 2 || s.Unavailable != 2 || s.Updated != 2 || s.Generation != 3 || s.UID != "u" {
		t.Errorf("sample %+v", s)
	}
	if !slices.Equal(s.NotReady, []string{"n3", "n4"}) {
		t.Errorf("not ready %v", s.NotReady)
	}
	if m := ComputeSample(nil, pods, time.Unix(5, 0)); !m.Missing {
		t.Error("missing DaemonSet")
	}
}

// The recorder observes a DaemonSet through client-go informers and
// writes samples that ReadRecording turns into a grader.Recording.
func TestRecorderRun(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "node-exporter", Namespace: "monitoring", UID: "u", Generation: 1}}
	ds.Status.DesiredNumberScheduled = 2
	a, b := daemonPod(ds, "a", "n1", true), daemonPod(ds, "b", "n2", true)
	client := fake.NewClientset(ds, a, b)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	r := &Recorder{Client: client, Namespace: "monitoring", Name: "node-exporter", Dir: dir, Interval: 50 * time.Millisecond}
	go func() { done <- r.Run(ctx) }()
	waitFor(t, func() bool { rec, _ := ReadRecording(dir); return rec != nil && len(rec.Samples) > 0 })
	// Take one pod down, as a rolling update does.
	b.Status.Conditions[0].Status = corev1.ConditionFalse
	if _, err := client.CoreV1().Pods("monitoring").UpdateStatus(ctx, b, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		rec, _ := ReadRecording(dir)
		for _, s := range rec.Samples {
			if s.Unavailable == 1 && slices.Equal(s.NotReady, []string{"n2"}) {
				return true
			}
		}
		return false
	})
	// Heartbeats keep coming while nothing changes.
	waitFor(t, func() bool { rec, _ := ReadRecording(dir); return len(rec.Samples) >= 5 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecording(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Running || rec.Stopped == nil || rec.StopReason != "signal" || rec.Namespace != "monitoring" || rec.Interval != 50*time.Millisecond {
		t.Errorf("recording %+v", rec)
	}
	if len(rec.Samples) < 3 {
		t.Errorf("only %d samples (heartbeats missing)", len(rec.Samples))
	}
	// A recorder that is not running is not "alive" and stopping it is a no-op.
	if RecorderAlive(dir) {
		t.Error("stopped recorder alive")
	}
	if err := StopRecorder(dir); err != nil {
		t.Error(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("condition not met in 10s")
}

func TestConnectErrors(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	_, err := Connect(ctx, []string{filepath.Join(dir, "none")}, Target{})
	var ce *ConnectError
	if !asConnect(err, &ce) || ce.Reason != "context" || !strings.Contains(err.Error(), "dslab cluster up") {
		t.Errorf("no kubeconfig: %v", err)
	}
	if _, err := Connect(ctx, nil, Target{Kubeconfig: filepath.Join(dir, "missing")}); !asConnect(err, &ce) || ce.Reason != "kubeconfig" {
		t.Errorf("missing explicit kubeconfig: %v", err)
	}
	kc := filepath.Join(dir, "config")
	os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user: {token: x}
contexts:
- name: kind-dslab
  context: {cluster: c, user: u}
- name: other
  context: {cluster: c, user: u}
current-context: other
`), 0o600)
	_, err = Connect(ctx, []string{kc}, Target{Context: "nope"})
	if !asConnect(err, &ce) || ce.Reason != "context" || !strings.Contains(err.Error(), "kind-dslab, other") {
		t.Errorf("unknown context: %v", err)
	}
	// No context given: the kind lab context is found; its server is down.
	_, err = Connect(ctx, []string{kc}, Target{})
	if !asConnect(err, &ce) || ce.Reason != "unreachable" || ce.Context != "kind-dslab" || !strings.Contains(err.Error(), "클러스터에 연결할 수 없습니다") {
		t.Errorf("unreachable: %v", err)
	}
	// An explicit kubeconfig uses its current context.
	_, err = Connect(ctx, nil, Target{Kubeconfig: kc})
	if !asConnect(err, &ce) || ce.Context != "other" {
		t.Errorf("explicit kubeconfig: %v", err)
	}
}

func asConnect(err error, target **ConnectError) bool {
	ce, ok := err.(*ConnectError)
	if ok {
		*target = ce
	}
	return ok
}

// Waiting for a DaemonSet's pods is never silent: every change of the
// ready count is a progress step, said once (issue 14: exercise start
// showed nothing for seconds).
func TestWaitRolledOutSaysTheReadyCount(t *testing.T) {
	ctx := context.Background()
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: "dslab", Name: "agent", Generation: 1},
		Status: appsv1.DaemonSetStatus{ObservedGeneration: 1, DesiredNumberScheduled: 3}}
	client := fake.NewClientset(ds)
	var lines []string
	polls := 0
	p := &Preparer{Client: client, Timeout: 5 * time.Second, Poll: time.Millisecond, Progress: func(s string) { lines = append(lines, s) }}
	// The pods come up one by one, a few polls apart.
	client.PrependReactor("get", "daemonsets", func(action k8stesting.Action) (bool, runtime.Object, error) {
		polls++
		d := ds.DeepCopy()
		d.Status.NumberAvailable = int32(min(polls/3, 3))
		d.Status.UpdatedNumberScheduled = 3
		return true, d, nil
	})
	if err := p.WaitRolledOut(ctx, grader.ObjectRef{Namespace: "dslab", Name: "agent"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"준비 0/3", "준비 1/3", "준비 2/3"} {
		n := 0
		for _, l := range lines {
			if strings.HasSuffix(l, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q said %d times in %q, want once", want, n, lines)
		}
	}
}
