package app

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
)

// leftover is a copy of an exercise's target DaemonSet in another
// namespace (lab.Leftover: one detection for the CLI and the TUI).
type leftover = lab.Leftover

// findLeftovers lists the DaemonSets outside the target's namespace that
// have the target's name or carry all of its pod labels (lab.FindLeftovers).
func findLeftovers(ctx context.Context, client kubernetes.Interface, ex exercises.Exercise) ([]leftover, error) {
	return lab.FindLeftovers(ctx, client, ex)
}

// copyOf reports whether d copies the target named name with pod labels
// (lab.CopyOf).
func copyOf(d appsv1.DaemonSet, name string, podLabels map[string]string) (leftover, bool) {
	return lab.CopyOf(&d, name, podLabels)
}

// warnLeftovers prints a Korean warning (stderr, never a failure) about
// copies of the exercise's target DaemonSet in other namespaces and
// returns them. A listing error is logged and ignored. removing is set
// when the caller removes them next or asks whether to (exercise reset
// with --remove-leftovers or at a terminal): no command is suggested then
// (issue 14: the flag was printed while [y/N] was being asked).
func warnLeftovers(ctx context.Context, env Env, client kubernetes.Interface, ex exercises.Exercise, removing bool) []leftover {
	ls, err := findLeftovers(ctx, client, ex)
	if err != nil {
		env.Logger().Warn("list leftover daemonsets", "err", err)
		return nil
	}
	if len(ls) == 0 {
		return nil
	}
	// Without the target in its own namespace the copy is the learner's
	// answer in the wrong namespace, not a leftover (lab.MisplacedText).
	_, gerr := client.AppsV1().DaemonSets(ex.Spec.Target.Namespace).Get(ctx, ex.Spec.Target.Name, metav1.GetOptions{})
	if text := lab.MisplacedText(ex, ls, !apierrors.IsNotFound(gerr)); text != "" {
		// No removal offered: it may be the learner's only answer. Once it
		// is applied to the right namespace the leftover warning below
		// offers it.
		env.textErr().Hanging("경고: ", "연습 "+ex.ID+": "+text)
		return ls
	}
	target := ex.Spec.Target.Namespace + "/" + ex.Spec.Target.Name
	warn := env.textErr()
	warn.Hanging("경고: ", fmt.Sprintf("연습 %s 의 데몬셋 %s %s 같은 데몬셋이 다른 네임스페이스에 남아 있습니다: %s.", ex.ID, target, hangul.WaGwa(target), lab.LeftoverRefs(ls)))
	if removing {
		warn.Hanging("      ", "노드마다 파드가 하나씩 더 떠서 자원을 씁니다 (채점에는 영향이 없습니다).")
		return ls
	}
	// The direct command first; resetting the exercise is the other way.
	warn.Hanging("      ", "노드마다 파드가 하나씩 더 떠서 자원을 씁니다 (채점에는 영향이 없습니다). 지우려면:")
	for _, cmd := range lab.LeftoverDeleteCommands(ls) {
		warn.Hanging("  ", cmd)
	}
	warn.Hanging("      ", "또는 연습을 처음 상태로 되돌리면서 지웁니다:")
	warn.Hanging("  ", "dslab exercise reset "+ex.ID+" --remove-leftovers")
	return ls
}

// removeLeftovers deletes the leftovers when the learner asked for it
// (--remove-leftovers) or agrees at a prompt (stdin a terminal); never
// silently.
func removeLeftovers(ctx context.Context, env Env, client kubernetes.Interface, ls []leftover, flag bool) error {
	if len(ls) == 0 {
		return nil
	}
	if !flag {
		if _, tty := terminalFile(env.Streams.In); !tty {
			return nil
		}
		env.textErr().Printf("남은 데몬셋 %d개를 지울까요? [y/N] ", len(ls))
		answer, _ := bufio.NewReader(env.Streams.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "예" {
			env.textErr().Println("지우지 않았습니다.")
			return nil
		}
	}
	for _, l := range ls {
		if err := lab.RemoveLeftover(ctx, client, l); err != nil {
			return err
		}
		env.textErr().Printf("남은 데몬셋 %s %s 지웠습니다.\n", l.Ref(), hangul.EulReul(l.Ref()))
	}
	return nil
}

// targetPodLabels are the pod labels of the exercise's target DaemonSet
// (lab.TargetPodLabels).
func targetPodLabels(ex exercises.Exercise) map[string]string { return lab.TargetPodLabels(ex) }
