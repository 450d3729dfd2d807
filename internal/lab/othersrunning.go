package lab

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
)

// RunningOther is a DaemonSet of other exercises (their target) still in
// the cluster after an exercise was prepared, and the exercises it is
// credited to.
type RunningOther struct {
	Exercises []string
	Ref       grader.ObjectRef
}

// OthersRunning are the DaemonSets in present that other exercises'
// targets name, once each, in catalog order; the prepared exercise's own
// target (which other exercises may share) is not among them. A DaemonSet
// several exercises share (monitoring/node-exporter: rolling-update,
// on-delete, …) is credited to the one of them started last (startedAt,
// the learner's progress; zero: never started) — it is what that start
// left — and to all of them when none was started (trainee trial on
// 32bac4b: on-delete's node-exporter was credited to rolling-update).
// startedAt may be nil.
func OthersRunning(all []exercises.Exercise, cur exercises.Exercise, present map[grader.ObjectRef]bool, startedAt func(id string) time.Time) []RunningOther {
	var out []RunningOther
	index := map[grader.ObjectRef]int{}
	latest := map[grader.ObjectRef]time.Time{}
	for _, e := range all {
		ref := e.Spec.Target
		if e.ID == cur.ID || ref == cur.Spec.Target || !present[ref] {
			continue
		}
		var at time.Time
		if startedAt != nil {
			at = startedAt(e.ID)
		}
		i, seen := index[ref]
		if !seen {
			index[ref] = len(out)
			out = append(out, RunningOther{Exercises: []string{e.ID}, Ref: ref})
			latest[ref] = at
			continue
		}
		switch {
		case at.After(latest[ref]):
			out[i].Exercises, latest[ref] = []string{e.ID}, at
		case latest[ref].IsZero() && at.IsZero():
			out[i].Exercises = append(out[i].Exercises, e.ID)
		}
	}
	return out
}

// DeleteCommand is the command line that removes the DaemonSet ref, the
// name before -n and `ds` (trainee trial on 32bac4b: "… -n kube-system" /
// "fluentd-elasticsearch" split at 60 columns).
func DeleteCommand(ref grader.ObjectRef) string {
	return "dslab kubectl delete ds " + ref.Name + " -n " + ref.Namespace
}

// OthersRunningNote says which other exercises' DaemonSets still run
// (OthersRunningHead) and, one a line, the commands that remove them
// (DeleteCommand); "" when none. The one text of the TUI and of `dslab
// exercise start` and `reset`. No indent: the longest command (60 cells)
// then fits a 60-column screen whole.
func OthersRunningNote(rs []RunningOther) string {
	if len(rs) == 0 {
		return ""
	}
	if len(rs) > OthersRunningListMax {
		return OthersRunningHead(rs) + "\n" + CleanCommand
	}
	cmds := make([]string, len(rs))
	for i, r := range rs {
		cmds[i] = DeleteCommand(r.Ref)
	}
	return OthersRunningHead(rs) + "\n" + strings.Join(cmds, "\n")
}

// OthersRunningHead is the first line of OthersRunningNote: each such
// DaemonSet runs a pod per node, the resource use the leftover-copy
// warning objects to.
//
// More than OthersRunningListMax are only counted, with the one command
// that removes them all (CleanCommand; trainee trial, issue 14: 8
// DaemonSets took 12 lines of an 80x24 screen on every open and reset).
func OthersRunningHead(rs []RunningOther) string {
	if len(rs) > OthersRunningListMax {
		return fmt.Sprintf("다른 연습의 데몬셋 %d개가 아직 실행 중입니다 (노드마다 파드가 하나씩 떠서 자원을 씁니다) — 지금 연습의 것은 두고 모두 지우려면:", len(rs))
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = strings.Join(r.Exercises, "·") + "(" + r.Ref.String() + ")"
	}
	return fmt.Sprintf("다른 연습의 데몬셋 %d개가 아직 실행 중입니다: %s — 지우려면 (한 줄에 하나씩):", len(rs), strings.Join(names, ", "))
}

// OthersRunningListMax is how many other exercises' DaemonSets
// OthersRunningNote lists one by one, each with its command; more are
// counted, with CleanCommand.
const OthersRunningListMax = 3

// CleanCommand removes the DaemonSets of every exercise but the one
// started last on the cluster (CleanOthers).
const CleanCommand = "dslab exercise clean"

// CleanOthers deletes the DaemonSets of exercises other than cur that are
// in the cluster (ListOthersRunning: never cur's own target, nor a
// DaemonSet no exercise names) and returns those it deleted; one already
// gone is not an error.
func CleanOthers(ctx context.Context, client kubernetes.Interface, all []exercises.Exercise, cur exercises.Exercise, startedAt func(id string) time.Time) ([]RunningOther, error) {
	rs, err := ListOthersRunning(ctx, client, all, cur, startedAt)
	if err != nil {
		return nil, err
	}
	var done []RunningOther
	for _, r := range rs {
		if err := RemoveLeftover(ctx, client, Leftover{Namespace: r.Ref.Namespace, Name: r.Ref.Name}); err != nil {
			return done, err
		}
		done = append(done, r)
	}
	return done, nil
}

// ListOthersRunning reads the cluster's DaemonSets after cur was prepared
// and returns those of other exercises (OthersRunning).
func ListOthersRunning(ctx context.Context, client kubernetes.Interface, all []exercises.Exercise, cur exercises.Exercise, startedAt func(id string) time.Time) ([]RunningOther, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dss, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	present := map[grader.ObjectRef]bool{}
	for _, ds := range dss.Items {
		present[grader.ObjectRef{Namespace: ds.Namespace, Name: ds.Name}] = true
	}
	return OthersRunning(all, cur, present, startedAt), nil
}
