package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// FieldManager is the server-side apply field manager of dslab.
const FieldManager = "dslab"

func expand(s, clusterName string) string { return strings.ReplaceAll(s, "{cluster}", clusterName) }

// LastAppliedAnnotation is the annotation `kubectl apply` (client-side)
// keeps the applied configuration in (k8s.io/api/core/v1
// LastAppliedConfigAnnotation); its three-way merge removes a field that
// was in it and is no longer in the file.
const LastAppliedAnnotation = corev1.LastAppliedConfigAnnotation

// withLastApplied returns the JSON object doc with the
// kubectl.kubernetes.io/last-applied-configuration annotation set to doc
// itself, the way `kubectl apply` writes it (compact JSON plus newline,
// the annotation itself left out: k8s.io/kubectl/pkg/util
// GetModifiedConfiguration).
func withLastApplied(doc []byte) ([]byte, error) {
	var obj map[string]any
	if err := json.Unmarshal(doc, &obj); err != nil {
		return nil, err
	}
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	ann, _ := meta["annotations"].(map[string]any)
	if ann != nil {
		delete(ann, LastAppliedAnnotation)
		if len(ann) == 0 {
			delete(meta, "annotations")
		}
	}
	modified, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	if ann == nil {
		ann = map[string]any{}
	}
	ann[LastAppliedAnnotation] = string(modified) + "\n"
	meta["annotations"] = ann
	return json.Marshal(obj)
}

// Apply applies every document of a manifest stream with server-side
// apply (forcing ownership, as `kubectl apply --server-side --force-conflicts`).
// Namespaces, DaemonSets, ConfigMaps, ResourceQuotas and LimitRanges are
// supported: what exercises use.
// Every object also gets the last-applied-configuration annotation that
// client-side `kubectl apply` reads, so that a learner who deletes a field
// from the file and runs `kubectl apply -f` sees it removed (issue 15 §9).
func Apply(ctx context.Context, client kubernetes.Interface, manifest []byte) error {
	docs, err := exercises.SplitManifests(manifest)
	if err != nil {
		return fmt.Errorf("매니페스트를 읽을 수 없습니다: %w", err)
	}
	opts := metav1.ApplyOptions{FieldManager: FieldManager, Force: true}
	for _, d := range docs {
		var err error
		if d.JSON, err = withLastApplied(d.JSON); err != nil {
			return fmt.Errorf("매니페스트를 읽을 수 없습니다: %w", err)
		}
		switch {
		case d.APIVersion == "apps/v1" && d.Kind == "DaemonSet":
			// Parse strictly first: a typo is reported, not dropped.
			if _, perr := exercises.DaemonSets(manifestOf(d)); perr != nil {
				return perr
			}
			ac := appsv1ac.DaemonSet(d.Name, d.Namespace)
			if err := json.Unmarshal(d.JSON, ac); err != nil {
				return err
			}
			_, err = client.AppsV1().DaemonSets(d.Namespace).Apply(ctx, ac, opts)
		case d.APIVersion == "v1" && d.Kind == "Namespace":
			ac := corev1ac.Namespace(d.Name)
			if err := json.Unmarshal(d.JSON, ac); err != nil {
				return err
			}
			_, err = client.CoreV1().Namespaces().Apply(ctx, ac, opts)
		case d.APIVersion == "v1" && d.Kind == "ConfigMap":
			ac := corev1ac.ConfigMap(d.Name, d.Namespace)
			if err := json.Unmarshal(d.JSON, ac); err != nil {
				return err
			}
			_, err = client.CoreV1().ConfigMaps(d.Namespace).Apply(ctx, ac, opts)
		case d.APIVersion == "v1" && d.Kind == "ResourceQuota":
			ac := corev1ac.ResourceQuota(d.Name, d.Namespace)
			if err := json.Unmarshal(d.JSON, ac); err != nil {
				return err
			}
			_, err = client.CoreV1().ResourceQuotas(d.Namespace).Apply(ctx, ac, opts)
		case d.APIVersion == "v1" && d.Kind == "LimitRange":
			ac := corev1ac.LimitRange(d.Name, d.Namespace)
			if err := json.Unmarshal(d.JSON, ac); err != nil {
				return err
			}
			_, err = client.CoreV1().LimitRanges(d.Namespace).Apply(ctx, ac, opts)
		default:
			return fmt.Errorf("%s %s: dslab 은 Namespace, DaemonSet, ConfigMap, ResourceQuota, LimitRange 만 적용합니다", d.APIVersion, d.Kind)
		}
		if err != nil {
			return fmt.Errorf("%s %s 적용 실패: %w", d.Kind, d.Name, err)
		}
	}
	return nil
}

func manifestOf(m exercises.Manifest) []byte { return m.JSON }

// Preparer prepares exercises on one cluster.
type Preparer struct {
	Client  kubernetes.Interface
	Catalog *exercises.Catalog
	// Progress receives Korean progress lines (may be nil).
	Progress func(string)
	// Timeout bounds each wait (default 3 minutes).
	Timeout time.Duration
	// Poll is the wait interval (default 500 ms).
	Poll time.Duration
	Now  func() time.Time
}

func (p *Preparer) say(format string, args ...any) {
	if p.Progress != nil {
		p.Progress(fmt.Sprintf(format, args...))
	}
}

func (p *Preparer) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return 3 * time.Minute
}

func (p *Preparer) poll() time.Duration {
	if p.Poll > 0 {
		return p.Poll
	}
	return 500 * time.Millisecond
}

// Start prepares the cluster for ex (see docs/cli.md) and returns the
// baseline it recorded. The caller saves the baseline to the state dir;
// Start stores the in-cluster copy.
func (p *Preparer) Start(ctx context.Context, ex exercises.Exercise) (grader.Baseline, error) {
	nodes, err := Nodes(ctx, p.Client)
	if err != nil {
		return grader.Baseline{}, fmt.Errorf("노드 목록을 읽을 수 없습니다: %w", err)
	}
	name := grader.InferCluster(nodes)
	if err := p.checkNodes(ex, nodes, name); err != nil {
		return grader.Baseline{}, err
	}
	for _, ns := range ex.Setup.RecreateNamespaces {
		if err := p.deleteNamespace(ctx, ns); err != nil {
			return grader.Baseline{}, err
		}
	}
	// Namespaces and objects still being deleted (Terminating) would refuse
	// what comes next (issue 9 §D): wait until they are really gone.
	for _, ns := range p.namespacesOf(ex) {
		if err := p.waitNamespaceNotTerminating(ctx, ns); err != nil {
			return grader.Baseline{}, err
		}
	}
	for _, ns := range ex.Setup.Namespaces {
		p.say("네임스페이스 %s 준비", ns)
		if err := Apply(ctx, p.Client, []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "+ns+"\n")); err != nil {
			return grader.Baseline{}, err
		}
	}
	for _, o := range ex.Setup.Remove {
		if err := p.removeDaemonSet(ctx, o.Namespace, o.Name); err != nil {
			return grader.Baseline{}, err
		}
	}
	for _, ps := range ex.Setup.RemovePods {
		if err := p.removePods(ctx, ps); err != nil {
			return grader.Baseline{}, err
		}
	}
	p.say("노드 레이블과 테인트를 랩 기본값으로 되돌리는 중")
	if err := p.normalizeNodes(ctx, nodes, name); err != nil {
		return grader.Baseline{}, err
	}
	for _, l := range ex.Setup.Labels {
		node := expand(l.Node, name)
		if l.Remove {
			p.say("노드 %s 에서 레이블 %s 제거", node, l.Key)
		} else {
			p.say("노드 %s 에 레이블 %s=%s", node, l.Key, l.Value)
		}
		if err := p.setLabel(ctx, node, l.Key, l.Value, l.Remove); err != nil {
			return grader.Baseline{}, err
		}
	}
	for _, t := range ex.Setup.Taints {
		node := expand(t.Node, name)
		taint := corev1.Taint{Key: t.Key, Value: t.Value, Effect: t.Effect}
		p.say("노드 %s 에 테인트 %s", node, grader.TaintString(taint))
		if err := p.updateTaints(ctx, node, func(ts []corev1.Taint) []corev1.Taint {
			ts = slices.DeleteFunc(ts, func(x corev1.Taint) bool { return x.Key == t.Key && x.Effect == t.Effect })
			return append(ts, taint)
		}); err != nil {
			return grader.Baseline{}, err
		}
	}
	var wait []grader.ObjectRef
	for _, f := range ex.Setup.Files() {
		for _, r := range refs(ex.Files[f]) {
			if err := p.waitDaemonSetNotTerminating(ctx, r); err != nil {
				return grader.Baseline{}, err
			}
		}
	}
	for _, f := range ex.Setup.Apply {
		p.say("%s 적용", f)
		if err := Apply(ctx, p.Client, ex.Files[f]); err != nil {
			return grader.Baseline{}, err
		}
		wait = append(wait, refs(ex.Files[f])...)
	}
	for _, f := range ex.Setup.ApplyIfMissing {
		for _, r := range refs(ex.Files[f]) {
			_, err := p.Client.AppsV1().DaemonSets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
			switch {
			case apierrors.IsNotFound(err):
				p.say("%s 없음 → %s 적용", r, f)
				if err := Apply(ctx, p.Client, ex.Files[f]); err != nil {
					return grader.Baseline{}, err
				}
			case err != nil:
				return grader.Baseline{}, err
			default:
				p.say("%s 이미 있음 → 그대로 둡니다", r)
			}
			wait = append(wait, r)
		}
	}
	for _, r := range wait {
		if err := p.WaitRolledOut(ctx, r); err != nil {
			return grader.Baseline{}, err
		}
	}
	thenAt := time.Now()
	for _, f := range ex.Setup.Then {
		p.say("%s 적용", f)
		if err := Apply(ctx, p.Client, ex.Files[f]); err != nil {
			return grader.Baseline{}, err
		}
	}
	if w := ex.Setup.WaitFor; w != nil {
		if err := p.waitBroken(ctx, ex.Spec.Target, *w, thenAt); err != nil {
			return grader.Baseline{}, err
		}
	}
	var pods []grader.BaselinePod
	if bi := ex.Setup.BreakImage; bi != nil {
		if pods, err = p.breakImage(ctx, ex, *bi); err != nil {
			return grader.Baseline{}, err
		}
	}
	p.say("기준선(baseline) 기록 중: 노드의 레이블과 테인트")
	nodes, err = Nodes(ctx, p.Client)
	if err != nil {
		return grader.Baseline{}, err
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	b := grader.BaselineFromNodes(ex.ID, name, now(), nodes)
	b.Pods = pods
	if err := SaveBaselineInCluster(ctx, p.Client, b); err != nil {
		// The local baseline is what grading uses first; the in-cluster
		// copy only helps instructors.
		p.say("참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다: %v", err)
	}
	if err := RecordCurrent(ctx, p.Client, Current{Exercise: ex.ID, Started: b.Recorded}); err != nil {
		p.say("참고: 클러스터 안에 시작한 연습을 기록하지 못했습니다: %v", err)
	}
	return b, nil
}

// namespacesOf are the namespaces an exercise creates or works in.
func (p *Preparer) namespacesOf(ex exercises.Exercise) []string {
	seen := map[string]bool{}
	var out []string
	add := func(ns string) {
		if ns != "" && !seen[ns] {
			seen[ns] = true
			out = append(out, ns)
		}
	}
	for _, ns := range ex.Setup.Namespaces {
		add(ns)
	}
	add(ex.Spec.Target.Namespace)
	for _, f := range ex.Setup.Files() {
		for _, r := range refs(ex.Files[f]) {
			add(r.Namespace)
		}
	}
	return out
}

// waitNamespaceNotTerminating waits (bounded by the Preparer's timeout,
// with Korean progress) until namespace ns is not being deleted: either
// gone or Active. The API server refuses new objects in a Terminating
// namespace ("unable to create new content in namespace … because it is
// being terminated", k8s.io/apiserver admission plugin NamespaceLifecycle).
func (p *Preparer) waitNamespaceNotTerminating(ctx context.Context, ns string) error {
	terminating := func(ctx context.Context) (bool, error) {
		n, err := p.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return n.DeletionTimestamp != nil || n.Status.Phase == corev1.NamespaceTerminating, nil
	}
	t, err := terminating(ctx)
	if err != nil || !t {
		return err
	}
	p.say("네임스페이스 %s %s 아직 삭제되는 중(Terminating)입니다: 완전히 지워질 때까지 기다립니다 (최대 %s)", ns, hangul.IGa(ns), p.timeout())
	start := time.Now()
	last := start
	err = wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		t, err := terminating(ctx)
		if err != nil {
			return false, nil
		}
		if t && time.Since(last) >= 10*time.Second {
			last = time.Now()
			p.say("네임스페이스 %s 삭제를 기다리는 중 (%d초 지남)", ns, int(time.Since(start).Seconds()))
		}
		return !t, nil
	})
	if err != nil {
		return fmt.Errorf("네임스페이스 %s %s %s 안에 지워지지 않았습니다 (dslab kubectl get ns %s -o yaml 로 finalizers 를 확인하세요): %w", ns, hangul.IGa(ns), p.timeout(), ns, err)
	}
	p.say("네임스페이스 %s 삭제 완료", ns)
	return nil
}

// waitDaemonSetNotTerminating waits until the DaemonSet r is not being
// deleted (gone, or alive), so that setup does not apply onto an object
// that is about to disappear.
func (p *Preparer) waitDaemonSetNotTerminating(ctx context.Context, r grader.ObjectRef) error {
	ds, err := p.Client.AppsV1().DaemonSets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) || (err == nil && ds.DeletionTimestamp == nil) {
		return nil
	}
	if err != nil {
		return err
	}
	p.say("데몬셋 %s %s 아직 삭제되는 중입니다: 완전히 지워질 때까지 기다립니다", r, hangul.IGa(r.String()))
	err = wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		_, err := p.Client.AppsV1().DaemonSets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	if err != nil {
		return fmt.Errorf("데몬셋 %s %s %s 안에 지워지지 않았습니다: %w", r, hangul.IGa(r.String()), p.timeout(), err)
	}
	return nil
}

// Reset removes the learner's target object and everything the exercise
// set up, then starts it again.
func (p *Preparer) Reset(ctx context.Context, ex exercises.Exercise) (grader.Baseline, error) {
	if err := p.removeDaemonSet(ctx, ex.Spec.Target.Namespace, ex.Spec.Target.Name); err != nil {
		return grader.Baseline{}, err
	}
	return p.Start(ctx, ex)
}

// checkNodes makes sure every node the exercise names exists.
func (p *Preparer) checkNodes(ex exercises.Exercise, nodes []grader.Node, name string) error {
	have := map[string]bool{}
	for _, n := range nodes {
		have[n.Name] = true
	}
	var named []string
	for _, c := range append(append(append([]grader.NodeChange(nil), ex.Setup.Labels...), ex.Setup.Taints...), ex.Spec.Changes...) {
		named = append(named, c.Node)
	}
	for _, n := range named {
		if n = expand(n, name); !have[n] {
			return fmt.Errorf("노드 %s %s 없습니다: 연습 %s %s dslab 랩 클러스터의 노드 구성(컨트롤 플레인 1개, 워커 3개)이 필요합니다", n, hangul.IGa(n), ex.ID, hangul.EunNeun(ex.ID))
		}
	}
	return nil
}

func refs(manifest []byte) []grader.ObjectRef {
	dss, _ := exercises.DaemonSets(manifest)
	var out []grader.ObjectRef
	for _, d := range dss {
		out = append(out, grader.ObjectRef{Namespace: d.Namespace, Name: d.Name})
	}
	return out
}

// removeDaemonSet deletes a DaemonSet and waits until it and its pods are gone.
func (p *Preparer) removeDaemonSet(ctx context.Context, ns, name string) error {
	ds, err := p.Client.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	p.say("이전 시도의 데몬셋 %s/%s 삭제", ns, name)
	fg := metav1.DeletePropagationForeground
	if err := p.Client.AppsV1().DaemonSets(ns).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &fg}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	uid := ds.UID
	err = wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		if _, err := p.Client.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return false, nil
		}
		pods, err := p.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil
		}
		for i := range pods.Items {
			if c := metav1.GetControllerOf(&pods.Items[i]); c != nil && c.UID == uid {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("데몬셋 %s/%s %s 지워지기를 기다리다 시간이 초과되었습니다: %w", ns, name, hangul.IGa(name), err)
	}
	return nil
}

// deleteNamespace deletes namespace ns with everything in it and waits
// until it is gone (Setup.RecreateNamespaces).
func (p *Preparer) deleteNamespace(ctx context.Context, ns string) error {
	err := p.Client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("네임스페이스 %s %s 지울 수 없습니다: %w", ns, hangul.EulReul(ns), err)
	}
	p.say("이전 시도의 네임스페이스 %s 삭제 (안의 오브젝트도 모두)", ns)
	return p.waitNamespaceNotTerminating(ctx, ns)
}

// removePods deletes the pods selected by ps that no controller owns
// (orphans of an earlier attempt; pods a live controller owns are its
// business) and waits until they are gone (Setup.RemovePods).
func (p *Preparer) removePods(ctx context.Context, ps exercises.PodSelector) error {
	pods := p.Client.CoreV1().Pods(ps.Namespace)
	orphans := func(ctx context.Context) ([]string, error) {
		list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: ps.Selector})
		if err != nil {
			return nil, err
		}
		var out []string
		for i := range list.Items {
			if metav1.GetControllerOf(&list.Items[i]) == nil {
				out = append(out, list.Items[i].Name)
			}
		}
		return out, nil
	}
	names, err := orphans(ctx)
	if err != nil {
		return fmt.Errorf("파드 목록을 읽을 수 없습니다: %w", err)
	}
	if len(names) == 0 {
		return nil
	}
	p.say("이전 시도에서 소유자 없이 남은 파드 %d개 삭제 (%s -l %s)", len(names), ps.Namespace, ps.Selector)
	for _, n := range names {
		if err := pods.Delete(ctx, n, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("파드 %s %s 지울 수 없습니다: %w", n, hangul.EulReul(n), err)
		}
	}
	err = wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		left, err := orphans(ctx)
		return err == nil && len(left) == 0, nil
	})
	if err != nil {
		return fmt.Errorf("파드(%s -l %s)가 %s 안에 지워지지 않았습니다: %w", ps.Namespace, ps.Selector, p.timeout(), err)
	}
	return nil
}

// waitBroken waits until the target shows the broken state w describes
// (Setup.WaitFor), so that the learner starts from the symptom. Only
// events from since on count: events of an earlier attempt outlive it
// (the API server keeps them for an hour).
func (p *Preparer) waitBroken(ctx context.Context, r grader.ObjectRef, w exercises.WaitFor, since time.Time) error {
	since = since.Truncate(time.Second) // event times have second resolution
	var what []string
	if w.PodEvent != "" {
		what = append(what, fmt.Sprintf("파드 이벤트 %s", w.PodEvent))
	}
	if w.DaemonSetEvent != "" {
		what = append(what, fmt.Sprintf("데몬셋 이벤트 %s", w.DaemonSetEvent))
	}
	if w.Unschedulable != "" {
		what = append(what, fmt.Sprintf("스케줄되지 못한 파드(%s)", w.Unschedulable))
	}
	p.say("고장 난 상태가 보일 때까지 기다리는 중: %s", strings.Join(what, ", "))
	seenPod, seenDS, seenUnsched := w.PodEvent == "", w.DaemonSetEvent == "", w.Unschedulable == ""
	err := wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		if !seenPod || !seenDS {
			evs, err := p.Client.CoreV1().Events(r.Namespace).List(ctx, metav1.ListOptions{})
			if err != nil {
				return false, nil
			}
			for _, e := range evs.Items {
				o := e.InvolvedObject
				if grader.FromEvent(&e).Last.Before(since) {
					continue
				}
				switch {
				case o.Kind == "Pod" && e.Reason == w.PodEvent && strings.HasPrefix(o.Name, r.Name+"-") && strings.HasPrefix(e.Message, w.PodEventMessage):
					seenPod = true
				case o.Kind == "DaemonSet" && o.Name == r.Name && e.Reason == w.DaemonSetEvent && strings.Contains(e.Message, w.DaemonSetEventMessage):
					seenDS = true
				}
			}
		}
		if !seenUnsched {
			ds, err := p.Client.AppsV1().DaemonSets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
			if err != nil {
				return false, nil
			}
			pods, err := p.Client.CoreV1().Pods(r.Namespace).List(ctx, metav1.ListOptions{})
			if err != nil {
				return false, nil
			}
			for i := range pods.Items {
				pod := &pods.Items[i]
				if c := metav1.GetControllerOf(pod); c == nil || c.UID != ds.UID {
					continue
				}
				for _, cond := range pod.Status.Conditions {
					if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && strings.Contains(cond.Message, w.Unschedulable) {
						seenUnsched = true
					}
				}
			}
		}
		return seenPod && seenDS && seenUnsched, nil
	})
	if err != nil {
		return fmt.Errorf("연습 준비: %s 안에 고장 난 상태(%s)가 나타나지 않았습니다: %w", p.timeout(), strings.Join(what, ", "), err)
	}
	p.say("고장 난 상태 확인: %s", strings.Join(what, ", "))
	return nil
}

// normalizeNodes resets what exercises change on lab nodes to the lab
// topology: the labels exercises set (hardware, disktype…), the taints they
// add, and the control-plane taint. Other labels and taints are left alone.
func (p *Preparer) normalizeNodes(ctx context.Context, nodes []grader.Node, name string) error {
	if name == "" {
		return nil
	}
	labelKeys, taintKeys := p.Catalog.ManagedKeys()
	labelKeys = append(labelKeys, "hardware", "disktype")
	taintKeys = append(taintKeys, cluster.TaintControlPlane)
	topo := map[string]cluster.NodeSpec{}
	for _, t := range cluster.Topology(name) {
		topo[t.Name] = t
	}
	for _, n := range nodes {
		spec, ok := topo[n.Name]
		if !ok {
			continue
		}
		if n.Unschedulable {
			// The lab topology has no cordoned node (cordon-maintenance).
			patch := []byte(`{"spec":{"unschedulable":null}}`)
			if _, err := p.Client.CoreV1().Nodes().Patch(ctx, n.Name, "application/merge-patch+json", patch, metav1.PatchOptions{FieldManager: FieldManager}); err != nil {
				return fmt.Errorf("노드 %s 의 cordon 을 풀 수 없습니다: %w", n.Name, err)
			}
		}
		for _, k := range labelKeys {
			want, has := spec.Labels[k]
			got, had := n.Labels[k]
			if has == had && want == got {
				continue
			}
			if err := p.setLabel(ctx, n.Name, k, want, !has); err != nil {
				return err
			}
		}
		var want []corev1.Taint
		for _, t := range spec.Taints {
			want = append(want, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
		}
		err := p.updateTaints(ctx, n.Name, func(ts []corev1.Taint) []corev1.Taint {
			ts = slices.DeleteFunc(ts, func(t corev1.Taint) bool { return slices.Contains(taintKeys, t.Key) })
			return append(ts, want...)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *Preparer) setLabel(ctx context.Context, node, key, value string, remove bool) error {
	var v any = value
	if remove {
		v = nil
	}
	patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]any{key: v}}})
	_, err := p.Client.CoreV1().Nodes().Patch(ctx, node, "application/merge-patch+json", patch, metav1.PatchOptions{FieldManager: FieldManager})
	if err != nil {
		return fmt.Errorf("노드 %s 의 레이블 %s %s 바꿀 수 없습니다: %w", node, key, hangul.EulReul(key), err)
	}
	return nil
}

// updateTaints rewrites a node's taints with f, retrying on conflicts; it
// writes only when they change.
func (p *Preparer) updateTaints(ctx context.Context, node string, f func([]corev1.Taint) []corev1.Taint) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := p.Client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			return err
		}
		next := f(slices.Clone(n.Spec.Taints))
		if sameTaints(n.Spec.Taints, next) {
			return nil
		}
		n.Spec.Taints = next
		_, err = p.Client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{FieldManager: FieldManager})
		return err
	})
	if err != nil {
		return fmt.Errorf("노드 %s 의 테인트를 바꿀 수 없습니다: %w", node, err)
	}
	return nil
}

func sameTaints(a, b []corev1.Taint) bool {
	key := func(t corev1.Taint) string { return t.Key + "=" + t.Value + ":" + string(t.Effect) }
	x := make([]string, 0, len(a))
	for _, t := range a {
		x = append(x, key(t))
	}
	y := make([]string, 0, len(b))
	for _, t := range b {
		y = append(y, key(t))
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// ErrRolloutTimeout is returned when a DaemonSet does not become ready.
var ErrRolloutTimeout = errors.New("rollout timeout")

// WaitRolledOut waits until a DaemonSet's controller has caught up and
// every desired pod is updated and available.
func (p *Preparer) WaitRolledOut(ctx context.Context, r grader.ObjectRef) error {
	p.say("데몬셋 %s 의 파드가 준비되기를 기다리는 중", r)
	var last *appsv1.DaemonSet
	said := ""
	err := wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		ds, err := p.Client.AppsV1().DaemonSets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		last = ds
		done := RolledOut(ds)
		// Each change of the counts is a step of its own, so the wait is
		// never silent while pods come up.
		if st := ds.Status; !done && ds.Status.ObservedGeneration > 0 {
			msg := fmt.Sprintf("데몬셋 %s 의 파드를 기다리는 중: 준비 %d/%d", r, st.NumberAvailable, st.DesiredNumberScheduled)
			if msg != said {
				said = msg
				p.say("%s", msg)
			}
		}
		return done, nil
	})
	if err != nil {
		msg := fmt.Sprintf("데몬셋 %s 의 파드가 %s 안에 준비되지 않았습니다", r, p.timeout())
		if last != nil {
			msg += fmt.Sprintf(" (원하는 %d, 준비 %d, 업데이트 %d)", last.Status.DesiredNumberScheduled, last.Status.NumberReady, last.Status.UpdatedNumberScheduled)
		}
		return fmt.Errorf("%s: %w", msg, ErrRolloutTimeout)
	}
	return nil
}

// RolledOut is `kubectl rollout status` for a DaemonSet.
func RolledOut(ds *appsv1.DaemonSet) bool {
	s := ds.Status
	if s.ObservedGeneration == 0 || s.ObservedGeneration < ds.Generation {
		return false
	}
	if ds.Spec.UpdateStrategy.Type == appsv1.OnDeleteDaemonSetStrategyType {
		return s.NumberAvailable == s.DesiredNumberScheduled
	}
	return s.UpdatedNumberScheduled == s.DesiredNumberScheduled && s.NumberAvailable == s.DesiredNumberScheduled
}
