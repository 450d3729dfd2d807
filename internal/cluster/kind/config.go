package kind

import (
	"fmt"
	"sort"
	"strings"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// Config builds the kind v1alpha4 cluster config for a topology: one
// control-plane node (kind keeps its node-role.kubernetes.io/control-plane
// NoSchedule taint when there are workers) and the workers with their lab
// labels. kind names nodes "<name>-control-plane", "<name>-worker",
// "<name>-worker2", …, so the topology must use exactly those names, in
// that order.
func Config(name string, nodes []cluster.NodeSpec) (*v1alpha4.Cluster, error) {
	if err := cluster.ValidateName("클러스터(cluster)", name); err != nil {
		return nil, err
	}
	cfg := &v1alpha4.Cluster{
		TypeMeta: v1alpha4.TypeMeta{Kind: "Cluster", APIVersion: "kind.x-k8s.io/v1alpha4"},
		Name:     name,
	}
	workers := 0
	for i, n := range nodes {
		want := name + "-control-plane"
		role := v1alpha4.ControlPlaneRole
		if i > 0 {
			workers++
			role = v1alpha4.WorkerRole
			want = name + "-worker"
			if workers > 1 {
				want += fmt.Sprint(workers)
			}
		}
		if n.ControlPlane != (i == 0) || n.Name != want {
			return nil, fmt.Errorf("kind 는 노드 이름을 %q %s 정하는데 토폴로지(topology)의 %d번째 노드는 %q 입니다 (컨트롤 플레인 하나가 맨 앞, 워커가 순서대로 와야 합니다)", want, hangul.EuroRo(want), i+1, n.Name)
		}
		node := v1alpha4.Node{Role: role}
		labels, err := kubeletLabels(n)
		if err != nil {
			return nil, err
		}
		if len(labels) > 0 {
			node.Labels = labels
		}
		patch, err := taintPatch(n)
		if err != nil {
			return nil, err
		}
		if patch != "" {
			node.KubeadmConfigPatches = []string{patch}
		}
		cfg.Nodes = append(cfg.Nodes, node)
	}
	if len(cfg.Nodes) == 0 {
		return nil, fmt.Errorf("토폴로지(topology)에 노드가 없습니다")
	}
	return cfg, nil
}

// ConfigYAML renders Config as the YAML kind reads (`kind create cluster
// --config`).
func ConfigYAML(name string, nodes []cluster.NodeSpec) ([]byte, error) {
	cfg, err := Config(name, nodes)
	if err != nil {
		return nil, err
	}
	return yaml.Marshal(cfg)
}

// labelsSetByKubernetes are set by the kubelet or kubeadm themselves; the
// kubelet refuses most other labels in the kubernetes.io namespaces.
var labelsSetByKubernetes = map[string]bool{
	cluster.LabelHostname:     true,
	cluster.LabelOS:           true,
	cluster.LabelArch:         true,
	cluster.LabelControlPlane: true,
}

// kubeletLabels are the node's labels that kind must pass to the kubelet
// (--node-labels).
func kubeletLabels(n cluster.NodeSpec) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range n.Labels {
		if labelsSetByKubernetes[k] {
			continue
		}
		if restrictedLabel(k) {
			return nil, fmt.Errorf("노드 %s 의 레이블(label) %q %s kubelet 이 --node-labels 로 받지 않는 kubernetes.io 네임스페이스(namespace)에 있습니다", n.Name, k, hangul.EunNeun(k))
		}
		out[k] = v
	}
	return out, nil
}

func restrictedLabel(key string) bool {
	prefix, _, ok := strings.Cut(key, "/")
	if !ok {
		return false
	}
	for _, ns := range []string{"kubernetes.io", "k8s.io"} {
		if prefix == ns || strings.HasSuffix(prefix, "."+ns) {
			// kubelet.kubernetes.io and node.kubernetes.io are allowed.
			return prefix != "kubelet.kubernetes.io" && prefix != "node.kubernetes.io"
		}
	}
	return false
}

// taintPatch returns a kubeadm patch for taints kind would not set by
// itself: kubeadm already taints a control-plane node with
// node-role.kubernetes.io/control-plane:NoSchedule, and workers get none.
func taintPatch(n cluster.NodeSpec) (string, error) {
	defaults := []cluster.Taint(nil)
	if n.ControlPlane {
		defaults = []cluster.Taint{{Key: cluster.TaintControlPlane, Effect: cluster.EffectNoSchedule}}
	}
	if sameTaints(n.Taints, defaults) {
		return "", nil
	}
	cfgKind := "JoinConfiguration"
	if n.ControlPlane {
		cfgKind = "InitConfiguration"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "kind: %s\nnodeRegistration:\n", cfgKind)
	if len(n.Taints) == 0 {
		b.WriteString("  taints: []\n")
		return b.String(), nil
	}
	b.WriteString("  taints:\n")
	for _, t := range n.Taints {
		switch t.Effect {
		case cluster.EffectNoSchedule, cluster.EffectPreferNoSchedule, cluster.EffectNoExecute:
		default:
			return "", fmt.Errorf("노드 %s 의 테인트(taint) %s 의 이펙트(effect)가 올바르지 않습니다", n.Name, t)
		}
		fmt.Fprintf(&b, "  - key: %q\n", t.Key)
		if t.Value != "" {
			fmt.Fprintf(&b, "    value: %q\n", t.Value)
		}
		fmt.Fprintf(&b, "    effect: %q\n", t.Effect)
	}
	return b.String(), nil
}

func sameTaints(a, b []cluster.Taint) bool {
	if len(a) != len(b) {
		return false
	}
	as, bs := taintStrings(a), taintStrings(b)
	for i := range as {
		if as[i] != bs[i] {
			return false
		}
	}
	return true
}

func taintStrings(ts []cluster.Taint) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	sort.Strings(out)
	return out
}
