package lab

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// Leftover is a copy of an exercise's target DaemonSet in another
// namespace (e.g. applied once without metadata.namespace while the
// context's namespace was default): it runs a pod on every node it fits,
// next to the exercise's own. `dslab grade`, `dslab exercise reset` and
// the TUI's exercise screen point it out.
type Leftover struct {
	Namespace, Name string
	// Why is the Korean reason it counts as a copy (WhySameName,
	// WhySamePodLabels: "이름이 같음", "파드 레이블이 같음").
	Why string
}

// Ref is "namespace/name".
func (l Leftover) Ref() string { return l.Namespace + "/" + l.Name }

// TargetPodLabels are the pod labels of the exercise's target DaemonSet in
// its reference solution (nil when the solution has none).
func TargetPodLabels(ex exercises.Exercise) map[string]string {
	dss, err := exercises.DaemonSets(ex.Solution)
	if err != nil {
		return nil
	}
	for _, d := range dss {
		if d.Name == ex.Spec.Target.Name {
			return d.Spec.Template.Labels
		}
	}
	return nil
}

// CopyOf reports whether d copies the target named name with pod labels
// podLabels: the same name, or all of the pod labels on its template.
func CopyOf(d *appsv1.DaemonSet, name string, podLabels map[string]string) (Leftover, bool) {
	switch {
	case d.Name == name:
		return Leftover{d.Namespace, d.Name, WhySameName}, true
	case len(podLabels) > 0 && labels.SelectorFromSet(podLabels).Matches(labels.Set(d.Spec.Template.Labels)):
		return Leftover{d.Namespace, d.Name, WhySamePodLabels}, true
	}
	return Leftover{}, false
}

// OtherExercisesDaemonSets are the DaemonSets ("namespace/name") that the
// other exercises of the catalog own: their targets and those their setup
// files and reference solutions create. One of them is never a leftover of
// ex, whatever its name or pod labels (quota-limits' team-a/log-agent is
// not a copy of cordon-maintenance's dslab/log-agent). An error loading
// the catalog gives an empty set.
func OtherExercisesDaemonSets(ex exercises.Exercise) map[string]bool {
	out := map[string]bool{}
	cat, err := exercises.Load()
	if err != nil {
		return out
	}
	own := ex.Spec.Target.Namespace + "/" + ex.Spec.Target.Name
	for _, e := range cat.All() {
		if e.ID == ex.ID {
			continue
		}
		out[e.Spec.Target.Namespace+"/"+e.Spec.Target.Name] = true
		manifests := [][]byte{e.Solution}
		for _, f := range e.Setup.Files() {
			manifests = append(manifests, e.Files[f])
		}
		for _, m := range manifests {
			dss, _ := exercises.DaemonSets(m)
			for _, d := range dss {
				out[d.Namespace+"/"+d.Name] = true
			}
		}
	}
	delete(out, own)
	return out
}

// LeftoversIn lists the DaemonSets of dss outside the target's namespace
// that copy ex's target (CopyOf), in the order of dss, leaving out those
// in others (OtherExercisesDaemonSets). podLabels are TargetPodLabels(ex)
// (both passed in so a caller grading often computes them once).
func LeftoversIn(dss []*appsv1.DaemonSet, ex exercises.Exercise, podLabels map[string]string, others map[string]bool) []Leftover {
	var out []Leftover
	for _, d := range dss {
		if d.Namespace == ex.Spec.Target.Namespace || others[d.Namespace+"/"+d.Name] {
			continue
		}
		if l, ok := CopyOf(d, ex.Spec.Target.Name, podLabels); ok {
			out = append(out, l)
		}
	}
	return out
}

// FindLeftovers lists the copies of ex's target DaemonSet in other
// namespaces on the cluster of client (one list of all DaemonSets).
func FindLeftovers(ctx context.Context, client kubernetes.Interface, ex exercises.Exercise) ([]Leftover, error) {
	list, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	dss := make([]*appsv1.DaemonSet, len(list.Items))
	for i := range list.Items {
		dss[i] = &list.Items[i]
	}
	return LeftoversIn(dss, ex, TargetPodLabels(ex), OtherExercisesDaemonSets(ex)), nil
}

// RemoveLeftover deletes one leftover DaemonSet (its pods go with it,
// garbage collection in the background); an error is Korean first, the
// API server's words after. A leftover already gone is no error.
func RemoveLeftover(ctx context.Context, client kubernetes.Interface, l Leftover) error {
	err := client.AppsV1().DaemonSets(l.Namespace).Delete(ctx, l.Name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("남은 데몬셋 %s %s 지우지 못했습니다: %w", l.Ref(), hangul.EulReul(l.Ref()), err)
	}
	return nil
}

// MisplacedText is the Korean line for copies ls of ex's target found in
// other namespaces while the target itself is absent from its namespace
// (targetExists false): then the copy is the learner's answer applied to
// the wrong namespace, not a leftover, and the line says which namespace
// the task asks for. It is "" when the target exists or ls is empty (the
// leftover warning applies then).
//
// It is one plain sentence per fact, each particle after the word it
// follows ("데몬셋 default/x 는 과제의 데몬셋과 이름이 같지만 네임스페이스
// default 에 있습니다."), not a parenthesis of "ref: why" notes.
func MisplacedText(ex exercises.Exercise, ls []Leftover, targetExists bool) string {
	if targetExists || len(ls) == 0 {
		return ""
	}
	var nss []string
	seen := map[string]bool{}
	for _, l := range ls {
		if !seen[l.Namespace] {
			seen[l.Namespace] = true
			nss = append(nss, l.Namespace)
		}
	}
	want := ex.Spec.Target.Namespace
	// One clause per reason, in the order the reasons first appear:
	// "default/a, default/b 는 과제의 데몬셋과 이름이 같고, default/c 는
	// 파드 레이블이 같지만".
	var whys []string
	byWhy := map[string][]Leftover{}
	for _, l := range ls {
		if _, ok := byWhy[l.Why]; !ok {
			whys = append(whys, l.Why)
		}
		byWhy[l.Why] = append(byWhy[l.Why], l)
	}
	clauses := make([]string, len(whys))
	for i, why := range whys {
		group := byWhy[why]
		last := group[len(group)-1]
		ending := "같고,"
		if i == len(whys)-1 {
			ending = "같지만"
		}
		with := ""
		if i == 0 {
			with = "과제의 데몬셋과 "
		}
		clauses[i] = fmt.Sprintf("%s %s %s%s %s", LeftoverNames(group), hangul.EunNeun(last.Name), with, whySubject(why), ending)
	}
	where := "네임스페이스 " + strings.Join(nss, ", ") + " 에 있습니다."
	if len(ls) > 1 {
		where = "모두 " + where
	}
	return fmt.Sprintf("데몬셋 %s %s 과제의 네임스페이스는 %s 입니다: metadata.namespace 를 %s %s 하세요 (다른 네임스페이스의 데몬셋은 채점되지 않습니다).",
		strings.Join(clauses, " "), where, want, want, hangul.EuroRo(want))
}

// The reasons a DaemonSet counts as a copy of the target (Leftover.Why).
const (
	WhySameName      = "이름이 같음"
	WhySamePodLabels = "파드 레이블이 같음"
)

// whySubject is the subject of a Leftover.Why without its "같음" ending
// ("이름이" of "이름이 같음"), for sentences that conjugate 같다 themselves;
// a reason of another form is kept whole in a parenthesis so the sentence
// still reads.
func whySubject(why string) string {
	if s, ok := strings.CutSuffix(why, " 같음"); ok {
		return s
	}
	return "(" + why + ")"
}

// LeftoverNames are the leftovers as "namespace/name", comma-separated.
func LeftoverNames(ls []Leftover) string {
	refs := make([]string, len(ls))
	for i, l := range ls {
		refs[i] = l.Ref()
	}
	return strings.Join(refs, ", ")
}

// LeftoverDeleteCommands are the direct commands that remove the
// leftovers, one each: what the TUI and the CLI suggest first (issue 14:
// only a reset of the exercise was offered).
func LeftoverDeleteCommands(ls []Leftover) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = "dslab kubectl delete daemonset " + l.Name + " -n " + l.Namespace
	}
	return out
}

// LeftoverRefs are the leftovers, comma-separated, each after what it
// shares with the target: "이름이 같은 default/x, 파드 레이블이 같은
// default/y" (Leftover.Why as a modifier, not a "(이름이 같음)" note).
func LeftoverRefs(ls []Leftover) string {
	refs := make([]string, len(ls))
	for i, l := range ls {
		if s, ok := strings.CutSuffix(l.Why, " 같음"); ok {
			refs[i] = s + " 같은 " + l.Ref()
		} else {
			refs[i] = l.Ref() + " (" + l.Why + ")"
		}
	}
	return strings.Join(refs, ", ")
}
