package app

import (
	"context"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// kubectlWriteVerb reports whether verb is a kubectl command that writes
// objects and takes --field-manager; an attempt made with one of them
// counts (issue 14 item 9: attempts count every apply, also `dslab kubectl
// apply -f` alone).
func kubectlWriteVerb(verb string) bool {
	switch verb {
	case "apply", "create", "replace", "patch", "edit":
		return true
	}
	return false
}

// kubectlVerb is the kubectl subcommand of args ("" when none).
func kubectlVerb(args []string) string {
	for _, a := range args {
		if a == "--" {
			return ""
		}
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// kubectlWrites reports whether args run a kubectl command that writes
// objects (kubectlWriteVerb); help is not one.
func kubectlWrites(args []string) bool {
	return kubectlWriteVerb(kubectlVerb(args)) && kubectlNeedsServer(args)
}

// withLabFieldManager appends --field-manager=lab.LabFieldManager to a
// writing kubectl command line that names no field manager, so that the
// live lab's watcher (lab.ShellAttempt) takes the write as the lab's own,
// already counted by `dslab kubectl` (kubectlAttempt), and does not count
// it a second time. A command line with "--" is left as it is.
func withLabFieldManager(args []string) []string {
	for _, a := range args {
		if a == "--" || a == "--field-manager" || strings.HasPrefix(a, "--field-manager=") {
			return args
		}
	}
	return append(append([]string(nil), args...), "--field-manager="+lab.LabFieldManager)
}

// dsState is the target DaemonSet's identity and generation (exists false:
// absent).
type dsState struct {
	exists bool
	uid    types.UID
	gen    int64
}

// kubectlAttempt follows one writing `dslab kubectl` command while an
// exercise is started on the dslab cluster: its target DaemonSet before,
// so that a successful command that created it or changed its spec (its
// generation rose, as lab.ShellAttempt counts it) counts one attempt.
type kubectlAttempt struct {
	conn     *kube.Conn
	exercise string
	ns, name string
	before   dsState
}

// probeKubectlAttempt reads the exercise started on the dslab cluster
// behind def and its target DaemonSet; nil when none is started or the
// cluster cannot be read (kubectl then says why itself).
func probeKubectlAttempt(ctx context.Context, env Env, def kubectlDefaults) *kubectlAttempt {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, kube.Target{Context: def.Context, Kubeconfig: def.Kubeconfig})
	if err != nil {
		return nil
	}
	cur, err := kube.LoadCurrent(ctx, conn.Client)
	if err != nil || cur == nil {
		return nil
	}
	c, err := loadCatalog()
	if err != nil {
		return nil
	}
	ex, err := c.Get(cur.Exercise)
	if err != nil {
		return nil
	}
	a := &kubectlAttempt{conn: conn, exercise: ex.ID, ns: ex.Spec.Target.Namespace, name: ex.Spec.Target.Name}
	var ok bool
	if a.before, ok = a.read(ctx); !ok {
		return nil
	}
	return a
}

// read is the target DaemonSet's state; ok is false when it cannot be read.
func (a *kubectlAttempt) read(ctx context.Context) (dsState, bool) {
	ds, err := a.conn.Client.AppsV1().DaemonSets(a.ns).Get(ctx, a.name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return dsState{}, true
	case err != nil:
		return dsState{}, false
	}
	return dsState{exists: true, uid: ds.UID, gen: ds.Generation}, true
}

// attempted reports whether the target went from before to after by an
// attempt: created (or re-created) or its spec changed.
func attempted(before, after dsState) bool {
	if !after.exists {
		return false
	}
	return !before.exists || before.uid != after.uid || after.gen > before.gen
}

// count records one attempt in the learner's progress when the command
// (kubectl verb) changed the target (attempted): lab.RecordApply, and a
// failed apply of the work file is superseded (lab.RecordApplyResult with
// no error), as the live lab counts an apply from the lab shell. An apply
// that left the target as it was says so (unchangedApplyNote). Failures
// only warn.
func (a *kubectlAttempt) count(ctx context.Context, env Env, verb string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	after, ok := a.read(ctx)
	if !ok {
		return
	}
	if !attempted(a.before, after) {
		if note := unchangedApplyNote(verb, a.ns+"/"+a.name, a.before, after); note != "" {
			env.textErr().Println(note)
		}
		return
	}
	store, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		env.textErr().Println("참고: 시도를 진행 상황에 기록할 수 없습니다: " + err.Error())
		return
	}
	lab.RecordApply(store, a.exercise)
	if la := store.Exercise(a.exercise).LastApply; la != nil && la.Failed {
		lab.RecordApplyResult(store, a.exercise, time.Now(), nil)
	}
	if err := store.Save(); err != nil {
		env.textErr().Println("참고: 시도를 진행 상황에 기록하지 못했습니다: " + err.Error())
	}
}

// unchangedApplyNote is what `dslab kubectl apply` says on stderr when the
// target DaemonSet (target "ns/name") was there before and its spec is as
// it was after (kubectl's "unchanged", or metadata only): not an attempt,
// as the TUI's a and the apply on save do not count an unchanged apply
// (lab.RecordApplyOutcome). "" for other verbs or a target that was not
// there.
func unchangedApplyNote(verb, target string, before, after dsState) string {
	if verb != "apply" || !before.exists || !after.exists || before.uid != after.uid || after.gen != before.gen {
		return ""
	}
	return "참고: 변경 없음 — 데몬셋 " + target + " 의 스펙(spec)이 그대로라 시도로 세지 않습니다"
}
