// Package nodes turns Node objects into the runtime-neutral status both
// runtimes report (cluster.NodeStatus).
package nodes

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/dslab-kr/dslab/internal/cluster"
)

// Ready reports whether the node's Ready condition is True.
func Ready(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// Statuses converts nodes, sorted by name, with roles taken from the
// node-role.kubernetes.io/<role> labels.
func Statuses(items []corev1.Node) []cluster.NodeStatus {
	out := make([]cluster.NodeStatus, 0, len(items))
	for i := range items {
		n := &items[i]
		ns := cluster.NodeStatus{Name: n.Name, Ready: Ready(n), Labels: n.Labels}
		for k := range n.Labels {
			if role, ok := strings.CutPrefix(k, "node-role.kubernetes.io/"); ok && role != "" {
				ns.Roles = append(ns.Roles, role)
			}
		}
		sort.Strings(ns.Roles)
		for _, t := range n.Spec.Taints {
			ns.Taints = append(ns.Taints, cluster.Taint{Key: t.Key, Value: t.Value, Effect: string(t.Effect)})
		}
		out = append(out, ns)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
