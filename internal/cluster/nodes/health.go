package nodes

import (
	"context"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// Health is what the control plane currently says about one node: its
// Ready condition and the taints the node-lifecycle controller manages
// (node.kubernetes.io/unreachable when the kubelet stopped reporting,
// node.kubernetes.io/not-ready when it reports NotReady). Source:
// pkg/controller/nodelifecycle/node_lifecycle_controller.go (v1.37).
type Health struct {
	Ready  corev1.ConditionStatus // status of the Ready condition; "" when absent
	Reason string                 // reason of the Ready condition
	// Taints are the lifecycle taints on the node, as key:Effect, sorted.
	Taints []string
}

// lifecycleTaint reports whether t is set by the node-lifecycle controller.
func lifecycleTaint(t corev1.Taint) bool {
	return t.Key == corev1.TaintNodeUnreachable || t.Key == corev1.TaintNodeNotReady
}

// HealthOf reads a node's Health.
func HealthOf(n *corev1.Node) Health {
	var h Health
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			h.Ready, h.Reason = c.Status, c.Reason
		}
	}
	for _, t := range n.Spec.Taints {
		if lifecycleTaint(t) {
			h.Taints = append(h.Taints, t.Key+":"+string(t.Effect))
		}
	}
	slices.Sort(h.Taints)
	return h
}

// Down reports whether the control plane has concluded that the node is
// gone: Ready is not True and it carries the NoSchedule and NoExecute
// lifecycle taints of the same key (unreachable or not-ready).
func (h Health) Down() bool {
	if h.Ready == corev1.ConditionTrue {
		return false
	}
	for _, key := range []string{corev1.TaintNodeUnreachable, corev1.TaintNodeNotReady} {
		if slices.Contains(h.Taints, key+":"+string(corev1.TaintEffectNoSchedule)) &&
			slices.Contains(h.Taints, key+":"+string(corev1.TaintEffectNoExecute)) {
			return true
		}
	}
	return false
}

// Up reports whether the node is Ready without lifecycle taints.
func (h Health) Up() bool { return h.Ready == corev1.ConditionTrue && len(h.Taints) == 0 }

// readyText is the STATUS kubectl would print for a Ready condition status.
func readyText(s corev1.ConditionStatus) string {
	switch s {
	case corev1.ConditionTrue:
		return "Ready"
	case corev1.ConditionUnknown:
		return "NotReady (Ready=Unknown)"
	case corev1.ConditionFalse:
		return "NotReady (Ready=False)"
	}
	return "상태 없음"
}

// Changes describes in Korean what changed on node between two
// observations (one line per change; none when nothing changed).
func Changes(node string, prev, cur Health) []string {
	var out []string
	if prev.Ready != cur.Ready {
		line := fmt.Sprintf("노드 %s: %s → %s", node, readyText(prev.Ready), readyText(cur.Ready))
		if cur.Reason != "" {
			line += " (이유(reason): " + cur.Reason + ")"
		}
		out = append(out, line)
	}
	for _, t := range cur.Taints {
		if !slices.Contains(prev.Taints, t) {
			out = append(out, fmt.Sprintf("노드 %s: 테인트(taint) %s %s 붙었습니다", node, t, hangul.IGa(t)))
		}
	}
	for _, t := range prev.Taints {
		if !slices.Contains(cur.Taints, t) {
			out = append(out, fmt.Sprintf("노드 %s: 테인트(taint) %s %s 사라졌습니다", node, t, hangul.IGa(t)))
		}
	}
	return out
}

// WaitOptions tune Wait.
type WaitOptions struct {
	// Poll is how often the node is read (default 1s).
	Poll time.Duration
	// Remind is how often a "still waiting" line is reported while nothing
	// changes (default 10s); Waiting builds it from the time waited so far.
	Remind  time.Duration
	Waiting func(waited time.Duration, h Health) string
}

// Wait reads node every opts.Poll until done(Health) holds, reporting each
// change (Changes) and, while nothing changes, a reminder line to progress.
// It returns the last Health seen; the error is ctx's or the API's (a
// missing node is an error at once).
func Wait(ctx context.Context, client kubernetes.Interface, node string, done func(Health) bool, opts WaitOptions, progress func(string)) (Health, error) {
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Remind <= 0 {
		opts.Remind = 10 * time.Second
	}
	start := time.Now()
	lastReport := start
	var prev Health
	first := true
	for {
		n, err := client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			if ctx.Err() != nil {
				return prev, ctx.Err()
			}
			return prev, err
		}
		cur := HealthOf(n)
		if !first {
			if lines := Changes(node, prev, cur); len(lines) > 0 {
				for _, l := range lines {
					progress(l)
				}
				lastReport = time.Now()
			}
		}
		first = false
		prev = cur
		if done(cur) {
			return cur, nil
		}
		if opts.Waiting != nil && time.Since(lastReport) >= opts.Remind {
			progress(opts.Waiting(time.Since(start), cur))
			lastReport = time.Now()
		}
		select {
		case <-ctx.Done():
			return prev, ctx.Err()
		case <-time.After(opts.Poll):
		}
	}
}
