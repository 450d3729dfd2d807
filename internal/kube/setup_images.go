package kube

import (
	"context"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// breakImage is exercises.Setup.BreakImage: it applies the target's setup
// manifest again with the container's image replaced (as a learner editing
// the file and running kubectl apply would), waits until one new pod's
// container waits with bi.WaitReason while every other desired pod is
// Ready (the rollout stalled at maxUnavailable), and returns those Ready
// pods for Baseline.Pods.
func (p *Preparer) breakImage(ctx context.Context, ex exercises.Exercise, bi exercises.BreakImage) ([]grader.BaselinePod, error) {
	t := ex.Spec.Target
	var manifest []byte
	for _, f := range ex.Setup.Apply {
		dss, err := exercises.DaemonSets(ex.Files[f])
		if err != nil {
			return nil, err
		}
		for _, ds := range dss {
			if ds.Namespace != t.Namespace || ds.Name != t.Name {
				continue
			}
			for _, c := range ds.Spec.Template.Spec.Containers {
				if c.Name == bi.Container {
					old := "image: " + c.Image
					if !strings.Contains(string(ex.Files[f]), old) {
						return nil, fmt.Errorf("연습 %s 준비 파일 %s 에서 %q 줄을 찾을 수 없습니다", ex.ID, f, old)
					}
					manifest = []byte(strings.Replace(string(ex.Files[f]), old, "image: "+bi.Image, 1))
				}
			}
		}
	}
	if manifest == nil {
		return nil, fmt.Errorf("연습 %s: 준비 매니페스트(setup.apply)에 데몬셋 %s 의 컨테이너 %s %s 없습니다 (breakImage)", ex.ID, t, bi.Container, hangul.IGa(bi.Container))
	}
	p.say("데몬셋 %s 이미지를 %s 바꾸는 중 (일부러 잘못된 업데이트)", t, bi.Image+" "+hangul.EuroRo(bi.Image))
	if err := Apply(ctx, p.Client, manifest); err != nil {
		return nil, err
	}
	p.say("새 파드가 %s 상태가 되고 롤아웃이 멈추기를 기다리는 중", bi.WaitReason)
	var healthy []grader.BaselinePod
	var last string
	err := wait.PollUntilContextTimeout(ctx, p.poll(), p.timeout(), true, func(ctx context.Context) (bool, error) {
		ds, err := p.Client.AppsV1().DaemonSets(t.Namespace).Get(ctx, t.Name, metav1.GetOptions{})
		if err != nil {
			last = err.Error()
			return false, nil
		}
		sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
		if err != nil {
			return false, err
		}
		pods, err := p.Client.CoreV1().Pods(t.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
		if err != nil {
			last = err.Error()
			return false, nil
		}
		waiting := 0
		healthy = healthy[:0]
		for _, pod := range pods.Items {
			ref := metav1.GetControllerOf(&pod)
			if ref == nil || ref.UID != ds.UID || pod.DeletionTimestamp != nil {
				continue
			}
			for _, cs := range pod.Status.ContainerStatuses {
				if cs.Name == bi.Container && cs.State.Waiting != nil && cs.State.Waiting.Reason == bi.WaitReason {
					waiting++
				}
			}
			if podReady(&pod) {
				img := ""
				if len(pod.Spec.Containers) > 0 {
					img = pod.Spec.Containers[0].Image
				}
				healthy = append(healthy, grader.BaselinePod{Namespace: pod.Namespace, Name: pod.Name, UID: string(pod.UID), Node: pod.Spec.NodeName, Image: img})
			}
		}
		last = fmt.Sprintf("%s 파드 %d개, Ready %d개, 원하는 %d개", bi.WaitReason, waiting, len(healthy), ds.Status.DesiredNumberScheduled)
		return waiting == 1 && int32(len(healthy)) == ds.Status.DesiredNumberScheduled-1 && ds.Status.ObservedGeneration >= ds.Generation, nil
	})
	if err != nil {
		return nil, fmt.Errorf("데몬셋 %s 롤아웃이 %s 에서 멈추지 않았습니다 (%s): %w", t, bi.WaitReason, last, err)
	}
	sort.Slice(healthy, func(i, j int) bool { return healthy[i].Node < healthy[j].Node })
	return healthy, nil
}
