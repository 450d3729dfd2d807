package grader

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// The property tests compare the grader's own verdicts with Kubernetes'
// on random inputs: Toleration.ToleratesTaint (k8s.io/api) for single
// tolerations, and the DaemonSet controller's NodeShouldRunDaemonPod
// (k8s.io/kubernetes/pkg/controller/daemon, which uses component-helpers'
// nodeaffinity and the daemon pod's default tolerations) for placement.
// They are seeded and reproducible: a failure prints the seed and the
// counter-example; rerun with -property.seed=N.
var (
	propertySeed  = flag.Uint64("property.seed", 20261129, "seed of the randomized property tests")
	propertyRound = flag.Int("property.n", 20000, "cases per randomized property test")
)

type gen struct{ r *rand.Rand }

func newGen(t *testing.T) gen {
	t.Logf("seed %d (rerun with -property.seed=%d)", *propertySeed, *propertySeed)
	return gen{rand.New(rand.NewPCG(*propertySeed, 7))}
}

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

var (
	keys    = []string{"", "dedicated", "maintenance", "node-role.kubernetes.io/control-plane", "nvidia.com/gpu", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable", "node.kubernetes.io/network-unavailable"}
	values  = []string{"", "logging", "true", "present", "1", "5"}
	effects = []string{"", "NoSchedule", "PreferNoSchedule", "NoExecute"}
)

func (g gen) toleration() corev1.Toleration {
	t := corev1.Toleration{
		Key:      g.pick(keys...),
		Operator: corev1.TolerationOperator(g.pick("", "Equal", "Exists", "Exists", "Lt", "Gt", "Bogus")),
		Value:    g.pick(values...),
		Effect:   corev1.TaintEffect(g.pick(effects...)),
	}
	if g.r.IntN(5) == 0 {
		s := int64(g.r.IntN(600))
		t.TolerationSeconds = &s
	}
	return t
}

func (g gen) taint() corev1.Taint {
	key := g.pick(keys[1:]...)
	return corev1.Taint{Key: key, Value: g.pick(values...), Effect: corev1.TaintEffect(g.pick(effects[1:]...))}
}

// TestPropertyTolerationScope: the scope the warnings are rendered from
// contains exactly the taints ToleratesTaint accepts, and every claim of a
// breadth warning holds (an "also tolerates" effect has a tolerated taint
// beyond the needed ones; a "does not tolerate" effect has none).
func TestPropertyTolerationScope(t *testing.T) {
	g := newGen(t)
	logger := klog.Background()
	for i := 0; i < *propertyRound; i++ {
		tol := g.toleration()
		taint := g.taint()
		want := tol.ToleratesTaint(logger, &taint, false)
		if got := scopeOf(tol).covers(taint); got != want {
			t.Fatalf("case %d: toleration %s, taint %s: scope says %v, ToleratesTaint %v", i, tol.String(), taint.String(), got, want)
		}
		var needed []corev1.Taint
		for n := g.r.IntN(3); n > 0; n-- {
			needed = append(needed, g.taint())
		}
		s := scopeOf(tol)
		for _, e := range taintEffects {
			extra := s.extraFor(e, needed)
			// Probe every taint of effect e over the pools plus unseen
			// keys and values.
			tolerated, beyond := false, false
			for _, k := range append(keys[1:], "other.example/key") {
				for _, v := range append(values, "other-value") {
					p := corev1.Taint{Key: k, Value: v, Effect: e}
					if tol.ToleratesTaint(logger, &p, false) {
						tolerated = true
						if !containsTaint(needed, p) {
							beyond = true
						}
					}
				}
			}
			if extra != "" && !beyond {
				t.Fatalf("case %d: toleration %s, needed %v: warning claims %q for %s but nothing beyond needed is tolerated", i, tol.String(), needed, extra, e)
			}
			if !s.coversEffect(e) && tolerated {
				t.Fatalf("case %d: toleration %s: warning would say %s is not tolerated, but a %s taint is", i, tol.String(), e, e)
			}
		}
	}
}

func (g gen) labels() map[string]string {
	l := map[string]string{"kubernetes.io/os": "linux"}
	if g.r.IntN(2) == 0 {
		l["hardware"] = g.pick("gpu", "GPU", "cpu")
	}
	if g.r.IntN(2) == 0 {
		l["disktype"] = g.pick("ssd", "hdd")
	}
	if g.r.IntN(3) == 0 {
		l["node-role.kubernetes.io/control-plane"] = ""
	}
	if g.r.IntN(3) == 0 {
		l["rank"] = g.pick("1", "5", "10", "x")
	}
	return l
}

func (g gen) requirement() corev1.NodeSelectorRequirement {
	r := corev1.NodeSelectorRequirement{
		Key:      g.pick("hardware", "disktype", "node-role.kubernetes.io/control-plane", "rank", "kubernetes.io/os", "missing"),
		Operator: corev1.NodeSelectorOperator(g.pick("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")),
	}
	switch r.Operator {
	case "In", "NotIn":
		for n := 1 + g.r.IntN(2); n > 0; n-- {
			r.Values = append(r.Values, g.pick("gpu", "ssd", "hdd", "linux", "", "1"))
		}
	case "Gt", "Lt":
		r.Values = []string{g.pick("0", "3", "7", "x")}
	}
	return r
}

func (g gen) affinity() *corev1.Affinity {
	if g.r.IntN(3) == 0 {
		return nil
	}
	na := &corev1.NodeAffinity{}
	if g.r.IntN(4) != 0 {
		ns := &corev1.NodeSelector{}
		for n := g.r.IntN(3); n >= 0; n-- {
			var term corev1.NodeSelectorTerm
			for m := g.r.IntN(3); m > 0; m-- {
				term.MatchExpressions = append(term.MatchExpressions, g.requirement())
			}
			if g.r.IntN(6) == 0 {
				term.MatchFields = []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: "In", Values: []string{g.pick("n1", "n2")}}}
			}
			ns.NodeSelectorTerms = append(ns.NodeSelectorTerms, term)
		}
		na.RequiredDuringSchedulingIgnoredDuringExecution = ns
	}
	if g.r.IntN(2) == 0 {
		na.PreferredDuringSchedulingIgnoredDuringExecution = []corev1.PreferredSchedulingTerm{{Weight: 10, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{g.requirement()}}}}
	}
	return &corev1.Affinity{NodeAffinity: na}
}

// TestPropertyPlacementMatchesDaemonController: for random templates
// (nodeSelector, node affinity, tolerations, hostNetwork, nodeName) and
// random nodes (labels, taints), Placer.Place decides shouldRun and
// shouldContinueRunning exactly as the DaemonSet controller does.
func TestPropertyPlacementMatchesDaemonController(t *testing.T) {
	g := newGen(t)
	logger := klog.Background()
	for i := 0; i < *propertyRound/4; i++ {
		tpl := PodTemplate{Affinity: g.affinity(), HostNetwork: g.r.IntN(2) == 0}
		if g.r.IntN(2) == 0 {
			tpl.NodeSelector = map[string]string{}
			for n := 1 + g.r.IntN(2); n > 0; n-- {
				tpl.NodeSelector[g.pick("hardware", "disktype", "kubernetes.io/os")] = g.pick("gpu", "ssd", "linux", "GPU")
			}
		}
		for n := g.r.IntN(4); n > 0; n-- {
			tpl.Tolerations = append(tpl.Tolerations, g.toleration())
		}
		if g.r.IntN(8) == 0 {
			tpl.NodeName = g.pick("n1", "n2")
		}
		node := Node{Name: g.pick("n1", "n2"), Labels: g.labels()}
		for n := g.r.IntN(4); n > 0; n-- {
			node.Taints = append(node.Taints, g.taint())
		}
		ds := &appsv1.DaemonSet{
			ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "ns"},
			Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				NodeName: tpl.NodeName, NodeSelector: tpl.NodeSelector, Affinity: tpl.Affinity,
				Tolerations: append([]corev1.Toleration(nil), tpl.Tolerations...), HostNetwork: tpl.HostNetwork,
			}}},
		}
		shouldRun, shouldContinue := daemon.NodeShouldRunDaemonPod(logger, toCoreNode(node), ds)
		fit := NewPlacer(tpl, []Node{node}).Place(node)
		if fit.Fits != shouldRun || fit.ContinueRunning != shouldContinue {
			t.Fatalf("case %d: grader fits=%v continue=%v, controller shouldRun=%v shouldContinueRunning=%v\n%s",
				i, fit.Fits, fit.ContinueRunning, shouldRun, shouldContinue, describeCase(tpl, node))
		}
		if !fit.Fits && len(fit.Reasons) == 0 {
			t.Fatalf("case %d: no reason for a node that does not fit\n%s", i, describeCase(tpl, node))
		}
	}
}

func describeCase(tpl PodTemplate, n Node) string {
	var b strings.Builder
	fmt.Fprintf(&b, "node %s labels %v taints %v\n", n.Name, n.Labels, n.Taints)
	fmt.Fprintf(&b, "template nodeName %q nodeSelector %v hostNetwork %v\n", tpl.NodeName, tpl.NodeSelector, tpl.HostNetwork)
	for _, t := range tpl.Tolerations {
		fmt.Fprintf(&b, "  toleration %s\n", t.String())
	}
	if tpl.Affinity != nil {
		fmt.Fprintf(&b, "  affinity %s\n", tpl.Affinity.String())
	}
	return b.String()
}
