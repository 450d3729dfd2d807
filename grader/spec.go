package grader

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Spec is what an exercise expects, as the grader reads it. It is written
// in exercises/<id>/exercise.yaml (see package exercises) and holds intent
// only: expected nodes are computed from it and the baseline topology,
// never from the learner's DaemonSet.
type Spec struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Target is the DaemonSet the learner works on.
	Target ObjectRef `json:"target"`
	// Expect is where the target's pods belong.
	Expect NodeSet `json:"expect"`
	// Changes are node changes the exercise asks for; the integrity check
	// accepts exactly these beyond the baseline.
	Changes []NodeChange `json:"changes,omitempty"`
	Checks  []Check      `json:"checks"`
	// FindCause marks an exercise whose task is to find why pods are not
	// placed (troubleshoot): node results state what is wrong on the node
	// (no pod where one belongs), not the cause (a selector key, an
	// effect), which the hints give; the checks grade as usual.
	FindCause bool `json:"findCause,omitempty"`
}

// NodeSet describes a set of nodes by intent, evaluated against the
// baseline node state. All given conditions must hold; then Include adds
// and Exclude removes nodes by name. Names may use "{cluster}" for the lab
// cluster's name ("{cluster}-worker2").
type NodeSet struct {
	// Role is "all" (default), "workers" or "control-plane" (by the
	// node-role.kubernetes.io/control-plane label).
	Role string `json:"role,omitempty"`
	// Labels must all be on the node in the baseline.
	Labels map[string]string `json:"labels,omitempty"`
	// Names, if set, restricts the set to these nodes.
	Names   []string `json:"names,omitempty"`
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
	// Description is the set in Korean ("워커 노드 3개").
	Description string `json:"description,omitempty"`
	// ExcludeReason says in Korean why excluded nodes must have no pod.
	ExcludeReason string `json:"excludeReason,omitempty"`
}

// NodeChange is a change to one node.
type NodeChange struct {
	Node string `json:"node"`
	// Kind is "label" or "taint".
	Kind   string             `json:"kind"`
	Key    string             `json:"key"`
	Value  string             `json:"value,omitempty"`
	Effect corev1.TaintEffect `json:"effect,omitempty"`
	// Remove means the label or taint is removed instead of set.
	Remove bool `json:"remove,omitempty"`
}

// Check kinds.
const (
	KindExists            = "exists"            // the target DaemonSet exists
	KindPlacement         = "placement"         // Ready pods exactly/at least/only on the expected nodes
	KindTolerates         = "tolerates"         // some toleration of the template tolerates Taint (broader ones warn)
	KindNodeSelector      = "nodeSelector"      // template nodeSelector has Key=Value
	KindNodeAffinity      = "nodeAffinity"      // required node affinity has Key Operator Values
	KindUpdateStrategy    = "updateStrategy"    // strategy type (and maxUnavailable)
	KindImage             = "image"             // pods on Nodes run Image, others OtherImage
	KindUpdated           = "updated"           // every expected pod on the newest revision and Ready
	KindRollout           = "rollout"           // the recorder saw at most MaxUnavailable unavailable
	KindHostNetwork       = "hostNetwork"       // template uses the host network
	KindPort              = "port"              // a container exposes Port
	KindResources         = "resources"         // requests and limits within Budget; reports the cost
	KindNodeLabel         = "nodeLabel"         // Node carries Key=Value
	KindCreatedAfterLabel = "createdAfterLabel" // the pod on Node was created after label Key appeared
	KindIntegrity         = "integrity"         // no node change the task forbids (Forbid) beyond Changes since the baseline; others warn
	KindSamePods          = "samePods"          // the pods recorded at the baseline (Baseline.Pods) are still there, Ready
)

// Placement modes.
const (
	ModeExact    = "exact"    // on every expected node and nowhere else
	ModeCovers   = "covers"   // on every expected node
	ModeExcludes = "excludes" // on no node outside the expected set
)

// Check is one graded check.
type Check struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Points int    `json:"points"`
	// Title is the check in Korean, shown next to its result.
	Title string `json:"title"`
	// Constraint is the sentence of the task text (verbatim, whitespace
	// aside) that this check enforces beyond the asked outcome; a failure
	// message quotes it. Only a constraint written in the task may fail an
	// answer that reaches the asked state (see docs/cli.md, 채점 규칙).
	Constraint string `json:"constraint,omitempty"`

	// placement, image: the node set (default: the spec's Expect).
	Mode  string   `json:"mode,omitempty"`
	Nodes *NodeSet `json:"nodes,omitempty"`

	// nodeSelector, nodeAffinity, nodeLabel, createdAfterLabel.
	Key      string   `json:"key,omitempty"`
	Operator string   `json:"operator,omitempty"`
	Values   []string `json:"values,omitempty"`
	Value    string   `json:"value,omitempty"`
	Node     string   `json:"node,omitempty"`

	// tolerates.
	Taint *corev1.Taint `json:"taint,omitempty"`

	// updateStrategy.
	Strategy       string              `json:"strategy,omitempty"`
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`

	// image.
	Container  string `json:"container,omitempty"`
	Image      string `json:"image,omitempty"`
	OtherImage string `json:"otherImage,omitempty"`

	// port.
	Port int32 `json:"port,omitempty"`

	// resources.
	Budget *Budget `json:"budget,omitempty"`

	// integrity: the node changes the task forbids (ForbidLabels,
	// ForbidTaints, ForbidTaintRemoval), on Nodes (default: every node);
	// other unrequested changes are only warned about. Non-empty Forbid
	// needs a Constraint.
	Forbid []string `json:"forbid,omitempty"`

	// uninterrupted: how long the pod must have run, in seconds.
	Seconds int32 `json:"seconds,omitempty"`
	// quota, quotaFit: the ResourceQuota as the exercise set it up.
	Quota *Quota `json:"quota,omitempty"`
	// selector: the exact spec.selector (as matchLabels).
	Selector map[string]string `json:"selector,omitempty"`
	// labels: the labels the task states for the selector and the pod
	// template; others are allowed, with a warning.
	Labels map[string]string `json:"labels,omitempty"`
}

// Integrity Forbid values.
const (
	ForbidLabels       = "labels"        // any label change
	ForbidTaints       = "taints"        // any taint change (added or removed)
	ForbidTaintRemoval = "taint-removal" // removing a taint
)

// Budget bounds a pod's resources: every container must set requests and
// limits for cpu and memory, the pod's totals must not exceed these.
type Budget struct {
	Requests corev1.ResourceList `json:"requests,omitempty"`
	Limits   corev1.ResourceList `json:"limits,omitempty"`
}

var knownKinds = map[string]bool{
	KindExists: true, KindPlacement: true, KindTolerates: true, KindNodeSelector: true,
	KindNodeAffinity: true, KindUpdateStrategy: true, KindImage: true, KindUpdated: true,
	KindRollout: true, KindHostNetwork: true, KindPort: true, KindResources: true,
	KindNodeLabel: true, KindCreatedAfterLabel: true, KindIntegrity: true, KindSamePods: true,
	KindKeptAway: true, KindUninterrupted: true, KindToleratesForever: true, KindHostPort: true, KindNoSurge: true,
	KindQuota: true, KindQuotaFit: true, KindSelector: true, KindNoStrayPods: true, KindLabels: true, KindTemplateUnchanged: true,
}

// MaxScore is the sum of the checks' points.
func (s Spec) MaxScore() int {
	n := 0
	for _, c := range s.Checks {
		n += c.Points
	}
	return n
}

// Validate reports what is wrong with a spec (for the exercise loader and
// its tests).
func (s Spec) Validate() error {
	var errs []string
	if s.ID == "" {
		errs = append(errs, "id is empty")
	}
	if s.Target.Namespace == "" || s.Target.Name == "" {
		errs = append(errs, "target namespace/name is empty")
	}
	if err := s.Expect.validate(); err != nil {
		errs = append(errs, "expect: "+err.Error())
	}
	for i, c := range s.Changes {
		if c.Node == "" || c.Key == "" || (c.Kind != "label" && c.Kind != "taint") {
			errs = append(errs, fmt.Sprintf("changes[%d]: node, key and kind label|taint are required", i))
		}
	}
	if len(s.Checks) == 0 {
		errs = append(errs, "no checks")
	}
	seen := map[string]bool{}
	for i, c := range s.Checks {
		where := fmt.Sprintf("checks[%d] %q", i, c.ID)
		if c.ID == "" || seen[c.ID] {
			errs = append(errs, where+": id empty or duplicated")
		}
		seen[c.ID] = true
		if !knownKinds[c.Kind] {
			errs = append(errs, where+": unknown kind "+c.Kind)
		}
		if c.Points <= 0 {
			errs = append(errs, where+": points must be positive")
		}
		if c.Title == "" {
			errs = append(errs, where+": title is empty")
		}
		if c.Nodes != nil {
			if err := c.Nodes.validate(); err != nil {
				errs = append(errs, where+": nodes: "+err.Error())
			}
		}
		need := func(ok bool, what string) {
			if !ok {
				errs = append(errs, where+": "+c.Kind+" needs "+what)
			}
		}
		switch c.Kind {
		case KindPlacement:
			need(c.Mode == ModeExact || c.Mode == ModeCovers || c.Mode == ModeExcludes, "mode exact|covers|excludes")
		case KindTolerates:
			need(c.Taint != nil && c.Taint.Key != "" && c.Taint.Effect != "", "taint key and effect")
		case KindNodeSelector:
			need(c.Key != "" && c.Value != "", "key and value")
		case KindNodeAffinity:
			need(c.Key != "" && c.Operator != "", "key and operator")
		case KindUpdateStrategy:
			need(c.Strategy == "RollingUpdate" || c.Strategy == "OnDelete", "strategy RollingUpdate|OnDelete")
		case KindImage:
			need(c.Image != "" && c.Container != "", "container and image")
		case KindUpdated:
			need(c.Container != "" && c.Image != "", "container and image")
		case KindRollout:
			need(c.MaxUnavailable != nil, "maxUnavailable")
		case KindPort:
			need(c.Port > 0, "port")
		case KindSamePods:
			need(c.Constraint != "", "a constraint quoting the task")
		case KindLabels:
			need(len(c.Labels) > 0 && c.Constraint != "", "labels and a constraint quoting the task")
		case KindTemplateUnchanged:
			need(c.Constraint != "", "a constraint quoting the task")
		case KindResources:
			need(c.Budget != nil && len(c.Budget.Requests) > 0, "budget.requests")
		case KindNodeLabel, KindCreatedAfterLabel:
			need(c.Node != "" && c.Key != "", "node and key")
		case KindIntegrity:
			for _, f := range c.Forbid {
				need(f == ForbidLabels || f == ForbidTaints || f == ForbidTaintRemoval, "forbid labels|taints|taint-removal")
			}
			need(len(c.Forbid) == 0 || c.Constraint != "", "a constraint quoting the task for forbid")
		default:
			for _, e := range validatePitfalls(c) {
				errs = append(errs, where+": "+e)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("spec %s: %s", s.ID, strings.Join(errs, "; "))
	}
	return nil
}

func (n NodeSet) validate() error {
	switch n.Role {
	case "", "all", "workers", "control-plane":
	default:
		return fmt.Errorf("unknown role %q", n.Role)
	}
	return nil
}

// expand replaces "{cluster}" in a node name.
func expand(name, cluster string) string {
	return strings.ReplaceAll(name, "{cluster}", cluster)
}

// isControlPlane decides the control-plane role from labels, as kubectl
// shows ROLES (the current label, or the retired master label).
func isControlPlane(labels map[string]string) bool {
	_, cp := labels[LabelControlPlane]
	_, m := labels[LabelMaster]
	return cp || m
}

// member reports whether the baseline node bn is in the set, and if not,
// why (Korean).
func (n NodeSet) member(bn BaselineNode, cluster string) (bool, string) {
	ok, why := n.memberWhy(bn, cluster)
	if !ok && n.ExcludeReason != "" {
		return false, n.ExcludeReason
	}
	return ok, why
}

func (n NodeSet) memberWhy(bn BaselineNode, cluster string) (bool, string) {
	for _, x := range n.Exclude {
		if expand(x, cluster) == bn.Name {
			return false, "이 연습에서 제외된 노드입니다"
		}
	}
	for _, x := range n.Include {
		if expand(x, cluster) == bn.Name {
			return true, ""
		}
	}
	if len(n.Names) > 0 {
		found := false
		for _, x := range n.Names {
			if expand(x, cluster) == bn.Name {
				found = true
			}
		}
		if !found {
			return false, "이 연습의 대상 노드가 아닙니다"
		}
	}
	switch n.Role {
	case "workers":
		if isControlPlane(bn.Labels) {
			return false, "컨트롤 플레인 노드입니다 (이 연습은 워커 노드만 대상입니다)"
		}
	case "control-plane":
		if !isControlPlane(bn.Labels) {
			return false, "컨트롤 플레인 노드가 아닙니다"
		}
	}
	for _, k := range sortedKeys(n.Labels) {
		v := n.Labels[k]
		if got, ok := bn.Labels[k]; !ok || got != v {
			return false, fmt.Sprintf("시작 시점(baseline)에 %s 레이블이 없던 노드입니다", k+"="+v)
		}
	}
	return true, ""
}

// quantity parses a quantity, zero on error (specs are validated by tests).
func quantity(l corev1.ResourceList, name corev1.ResourceName) (resource.Quantity, bool) {
	q, ok := l[name]
	return q, ok
}
