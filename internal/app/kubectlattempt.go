package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/hangul"
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

// mayWriteTarget reports whether the command line may write the target:
// its -f files hold it, or what it writes is not known
// (appliedDaemonSets). Only then is the write marked as the lab's own
// (withLabFieldManager): another exercise's DaemonSet applied meanwhile
// keeps kubectl's own field manager, and its exercise's live lab still
// sees it as the learner's.
func (a *kubectlAttempt) mayWriteTarget(args []string) bool {
	applied, known := appliedDaemonSets(args)
	return !known || slices.Contains(applied, a.ns+"/"+a.name)
}

// count records one attempt in the learner's progress when the command
// (kubectl verb) changed the target (attempted): lab.RecordApply, and a
// failed apply of the work file is superseded (lab.RecordApplyResult with
// no error), as the live lab counts an apply from the lab shell. An apply
// that left the target as it was says so (unchangedApplyNote). Failures
// only warn.
//
// When the command's files (-f) are known and do not hold the target, the
// command wrote something else: no attempt is counted for the started
// exercise and the note names what the files applied
// (otherDaemonSetsNote), never the started exercise's DaemonSet (trainee
// trial on 32bac4b: ds-basics.yaml applied while noexecute-churn was
// started said "변경 없음 — 데몬셋 dslab/metrics-agent …").
func (a *kubectlAttempt) count(ctx context.Context, env Env, args []string) {
	verb := kubectlVerb(args)
	target := a.ns + "/" + a.name
	if !a.mayWriteTarget(args) {
		applied, _ := appliedDaemonSets(args)
		var cat *exercises.Catalog
		if c, err := loadCatalog(); err == nil {
			cat = c
		}
		if note := otherDaemonSetsNote(cat, applied, kubectlFiles(args), a.exercise, target); note != "" {
			env.textErr().Println(note)
		}
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	after, ok := a.read(ctx)
	if !ok {
		return
	}
	if !attempted(a.before, after) {
		if note := unchangedApplyNote(verb, target, a.before, after); note != "" {
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

// appliedDaemonSets is the DaemonSets ("ns/name") the -f files of a kubectl
// command line hold; a document without a namespace is in the -n
// namespace, else "default" (the dslab context names none). known is false
// when the command has no -f or some file cannot be read here (stdin "-",
// a URL, -R, -k, a file kubectl itself would refuse): then what the
// command wrote is not known.
func appliedDaemonSets(args []string) (out []string, known bool) {
	files := kubectlFiles(args)
	if len(files) == 0 {
		return nil, false
	}
	ns := "default"
flags:
	for i, a := range args {
		switch {
		case a == "--":
			break flags
		case a == "-R" || a == "--recursive" || strings.HasPrefix(a, "--recursive=") || a == "-k" || a == "--kustomize" || strings.HasPrefix(a, "--kustomize=") || strings.HasPrefix(a, "-k="):
			return nil, false
		case (a == "-n" || a == "--namespace") && i+1 < len(args):
			ns = args[i+1]
		case strings.HasPrefix(a, "-n="), strings.HasPrefix(a, "--namespace="):
			_, ns, _ = strings.Cut(a, "=")
		}
	}
	var paths []string
	for _, f := range files {
		if f == "-" || strings.Contains(f, "://") {
			return nil, false
		}
		fi, err := os.Stat(f)
		if err != nil {
			return nil, false
		}
		if !fi.IsDir() {
			paths = append(paths, f)
			continue
		}
		// kubectl reads a directory's .json, .yaml and .yml files.
		entries, err := os.ReadDir(f)
		if err != nil {
			return nil, false
		}
		for _, e := range entries {
			switch filepath.Ext(e.Name()) {
			case ".json", ".yaml", ".yml":
				if !e.IsDir() {
					paths = append(paths, filepath.Join(f, e.Name()))
				}
			}
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, false
		}
		ms, err := exercises.SplitManifests(data)
		if err != nil {
			return nil, false
		}
		for _, m := range ms {
			if m.Kind != "DaemonSet" {
				continue
			}
			mns := m.Namespace
			if mns == "" {
				mns = ns
			}
			if id := mns + "/" + m.Name; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out, true
}

// otherDaemonSetsNote is what a writing `dslab kubectl -f` says when its
// files held DaemonSets (applied, "ns/name") but not the started
// exercise's target: they are not an attempt at it (the live lab counts
// only the target too), naming the exercise they belong to and how to
// start it. Several exercises share a DaemonSet (ds-basics and
// control-plane, four with monitoring/node-exporter): the one a file is
// named after (the work file <ID>.yaml) is it, else all are named. cat may
// be nil. "" when the files held no DaemonSet.
func otherDaemonSetsNote(cat *exercises.Catalog, applied, files []string, started, target string) string {
	if len(applied) == 0 {
		return ""
	}
	names := strings.Join(applied, ", ")
	var owners []string
	if cat != nil {
		for _, ex := range cat.All() {
			if ex.ID != started && slices.Contains(applied, ex.Spec.Target.Namespace+"/"+ex.Spec.Target.Name) {
				owners = append(owners, ex.ID)
			}
		}
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		if slices.Contains(owners, base) {
			owners = []string{base}
			break
		}
	}
	switch {
	case len(owners) == 1:
		return fmt.Sprintf("참고: 데몬셋 %s %s 연습 %s 의 것이라 지금 연습 %s 의 시도로 세지 않습니다 — 그 연습은 dslab exercise start %s %s 시작합니다",
			names, hangul.EunNeun(names), owners[0], started, owners[0], hangul.EuroRo(owners[0]))
	case len(owners) > 1:
		return fmt.Sprintf("참고: 데몬셋 %s %s 연습 %s 의 것이라 지금 연습 %s 의 시도로 세지 않습니다 — 그 연습은 dslab exercise start <ID> 로 시작합니다",
			names, hangul.EunNeun(names), strings.Join(owners, " 또는 "), started)
	}
	return fmt.Sprintf("참고: 데몬셋 %s %s 지금 연습 %s 의 데몬셋(%s)이 아니라 시도로 세지 않습니다",
		names, hangul.EunNeun(names), started, target)
}
