// Package cluster defines the lab topology and the Runtime interface that the
// embedded and kind runtimes implement.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// DefaultName is the name of the lab cluster.
const DefaultName = "dslab"

// Runtime names.
const (
	RuntimeEmbedded = "embedded"
	RuntimeKind     = "kind"
	RuntimeAuto     = "auto"
)

// Taint effects, spelled as Kubernetes spells them.
const (
	EffectNoSchedule       = "NoSchedule"
	EffectPreferNoSchedule = "PreferNoSchedule"
	EffectNoExecute        = "NoExecute"
)

// Taint is a node taint (kept free of k8s.io/api so that every package can
// share the topology cheaply).
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"`
	Effect string `json:"effect"`
}

func (t Taint) String() string {
	if t.Value == "" {
		return t.Key + ":" + t.Effect
	}
	return t.Key + "=" + t.Value + ":" + t.Effect
}

// NodeSpec describes one node of the lab.
type NodeSpec struct {
	Name         string            `json:"name"`
	ControlPlane bool              `json:"controlPlane,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Taints       []Taint           `json:"taints,omitempty"`
	// Capacity is in Kubernetes quantity notation.
	CPU    string `json:"cpu"`
	Memory string `json:"memory"`
	Pods   string `json:"pods"`
}

// Well-known labels and taints.
const (
	LabelHostname     = "kubernetes.io/hostname"
	LabelOS           = "kubernetes.io/os"
	LabelArch         = "kubernetes.io/arch"
	LabelControlPlane = "node-role.kubernetes.io/control-plane"
	TaintControlPlane = "node-role.kubernetes.io/control-plane"
)

// NewNodeSpec returns a node with the standard labels and capacity of the lab
// (cpu 4, memory 8Gi, pods 110); extra labels are added on top.
func NewNodeSpec(name string, extra map[string]string, taints ...Taint) NodeSpec {
	labels := map[string]string{
		LabelHostname: name,
		LabelOS:       "linux",
		LabelArch:     "amd64",
	}
	for k, v := range extra {
		labels[k] = v
	}
	return NodeSpec{Name: name, Labels: labels, Taints: taints, CPU: "4", Memory: "8Gi", Pods: "110"}
}

// Topology returns the lab's four nodes for a cluster named name (node names
// are "<name>-control-plane", "<name>-worker", "<name>-worker2", "<name>-worker3",
// as kind names them). It returns a fresh value on every call.
func Topology(name string) []NodeSpec {
	cp := NewNodeSpec(name+"-control-plane",
		map[string]string{LabelControlPlane: ""},
		Taint{Key: TaintControlPlane, Effect: EffectNoSchedule})
	cp.ControlPlane = true
	return []NodeSpec{
		cp,
		NewNodeSpec(name+"-worker", map[string]string{"disktype": "ssd"}),
		NewNodeSpec(name+"-worker2", map[string]string{"hardware": "gpu", "disktype": "hdd"}),
		NewNodeSpec(name+"-worker3", map[string]string{"hardware": "gpu", "disktype": "ssd"}),
	}
}

// State of a cluster.
type State string

const (
	StateAbsent   State = "absent"  // no such cluster
	StateStopped  State = "stopped" // data kept, nothing running
	StateStarting State = "starting"
	StateRunning  State = "running"
	StateDegraded State = "degraded" // running, but something is not healthy
	// StateStopping: `dslab cluster down` is stopping it (its components
	// are going away on purpose; not a fault).
	StateStopping State = "stopping"
)

// NodeStatus is a node as the cluster reports it.
type NodeStatus struct {
	Name   string            `json:"name"`
	Ready  bool              `json:"ready"`
	Roles  []string          `json:"roles,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	Taints []Taint           `json:"taints,omitempty"`
	// Stopped is set for a node stopped with `dslab cluster node stop`
	// (embedded: its simulated kubelet is silent; kind: its container is
	// stopped). Ready then tells what the control plane believes so far.
	Stopped bool `json:"stopped,omitempty"`
}

// Status is what `dslab cluster status` reports.
type Status struct {
	Name       string       `json:"name"`
	Runtime    string       `json:"runtime"`
	State      State        `json:"state"`
	Endpoint   string       `json:"endpoint,omitempty"`
	Context    string       `json:"context,omitempty"`
	Kubeconfig string       `json:"kubeconfig,omitempty"`
	Nodes      []NodeStatus `json:"nodes,omitempty"`
	Message    string       `json:"message,omitempty"`
}

// Progress receives human-readable (Korean) progress lines during long work.
type Progress func(line string)

// Waiting is the Korean text shown while the step a progress line
// announced still runs: "… 진행 중: " and the line's first line (a
// runtime's notice may add "  까닭: …" lines) without its closing period —
// "… 진행 중: kube-apiserver, kube-controller-manager, kube-scheduler 시작".
// "" (no step announced yet) gives "… 진행 중". It is the one wording of
// the CLI's live line (dslab cluster up) and the TUI's cluster screen.
func Waiting(line string) string {
	step, _, _ := strings.Cut(strings.TrimSpace(line), "\n")
	step = strings.TrimRight(step, ". ")
	if step == "" {
		return "… 진행 중"
	}
	return "… 진행 중: " + step
}

// Runtime brings up and manages a lab cluster.
type Runtime interface {
	// Name is "embedded" or "kind".
	Name() string
	// Up creates the cluster (or restarts a stopped one with its data) and
	// returns once every node is Ready. It is idempotent.
	Up(ctx context.Context, name string, progress Progress) error
	// Down stops the cluster; keepData keeps its state for a later Up.
	Down(ctx context.Context, name string, keepData bool) error
	// Status reports the cluster's state and nodes.
	Status(ctx context.Context, name string) (Status, error)
	// KubeconfigPath is the path of the cluster's own kubeconfig file.
	KubeconfigPath(name string) string
	// Context is the kubeconfig context name of the cluster.
	Context(name string) string
	// AddNode and RemoveNode change the topology; runtimes that cannot
	// return an error wrapping ErrNotSupported.
	AddNode(ctx context.Context, name string, node NodeSpec) error
	RemoveNode(ctx context.Context, name string, nodeName string) error
	// StopNode makes node nodeName of cluster name fail the way a dead
	// machine does: embedded silences its simulated kubelet (no node status
	// heartbeats, no Lease renewals in kube-node-lease, no pod updates);
	// kind stops its container. It returns once that is done: the
	// control plane's node-lifecycle controller notices by itself after
	// --node-monitor-grace-period (v1.37 default 50s) and marks the node
	// Unknown (NotReady) and taints it node.kubernetes.io/unreachable.
	// The control-plane node cannot be stopped. Stopping a stopped node is
	// a no-op.
	StopNode(ctx context.Context, name, nodeName string) error
	// StartNode undoes StopNode: heartbeats resume (the container starts)
	// and the node-lifecycle controller marks it Ready and removes the
	// taints again. Starting a running node is a no-op.
	StartNode(ctx context.Context, name, nodeName string) error
}

// ErrNotSupported is returned by runtimes for operations they cannot do.
var ErrNotSupported = errors.New("not supported by this runtime")

var nameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// ValidateName checks a cluster or node name (a DNS-1123 label, ≤ 50 chars so
// that derived node names stay valid).
func ValidateName(kind, name string) error {
	if len(name) == 0 || len(name) > 50 || !nameRE.MatchString(name) {
		return fmt.Errorf("%s 이름 %q %s 올바르지 않습니다: 영문 소문자, 숫자, '-' 로 1~50자이고 영문자나 숫자로 시작하고 끝나야 합니다 (DNS-1123 label)", kind, name, hangul.IGa(name))
	}
	return nil
}

// ParseTaint parses kubectl's taint notation key[=value]:Effect.
func ParseTaint(s string) (Taint, error) {
	i := strings.LastIndex(s, ":")
	if i <= 0 {
		return Taint{}, fmt.Errorf("테인트(taint) %q 형식이 잘못되었습니다: key[=value]:Effect (예: dedicated=logging:NoSchedule)", s)
	}
	kv, effect := s[:i], s[i+1:]
	switch effect {
	case EffectNoSchedule, EffectPreferNoSchedule, EffectNoExecute:
	default:
		return Taint{}, fmt.Errorf("테인트(taint) %q 의 이펙트(effect) %q %s 잘못되었습니다: NoSchedule, PreferNoSchedule, NoExecute 중 하나", s, effect, hangul.IGa(effect))
	}
	k, v, _ := strings.Cut(kv, "=")
	if k == "" {
		return Taint{}, fmt.Errorf("테인트(taint) %q 에 키(key)가 없습니다", s)
	}
	return Taint{Key: k, Value: v, Effect: effect}, nil
}
