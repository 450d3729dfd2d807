package grader

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestBreadthWarning(t *testing.T) {
	secs := int64(300)
	cp := corev1.Taint{Key: TaintControlPlane, Effect: corev1.TaintEffectNoSchedule}
	dedicated := corev1.Taint{Key: "dedicated", Value: "logging", Effect: corev1.TaintEffectNoSchedule}
	nodes := []Node{{Name: "w2", Taints: []corev1.Taint{{Key: "maintenance", Value: "true", Effect: corev1.TaintEffectNoExecute}}}}
	cases := []struct {
		name   string
		tol    corev1.Toleration
		needed []corev1.Taint
		want   []string // substrings; none means no warning
		not    []string
	}{
		{"exact value-less Exists", corev1.Toleration{Key: TaintControlPlane, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}, []corev1.Taint{cp}, nil, nil},
		{"exact Equal", corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "logging", Effect: corev1.TaintEffectNoSchedule}, []corev1.Taint{dedicated}, nil, nil},
		// Issue 9: a key-less NoSchedule Exists does not tolerate NoExecute.
		{"key-less NoSchedule", corev1.Toleration{Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}, []corev1.Taint{dedicated, cp},
			[]string{"모든 NoSchedule 테인트도 용인합니다", "PreferNoSchedule, NoExecute 테인트는 용인하지 않습니다"}, []string{"maintenance", "NoExecute 테인트도"}},
		{"wildcard", corev1.Toleration{Operator: corev1.TolerationOpExists}, []corev1.Taint{cp},
			[]string{"모든 NoExecute 테인트도 용인합니다", "지금 이 클러스터에서는 w2 의 maintenance=true:NoExecute 도 용인합니다"}, []string{"용인하지 않습니다"}},
		{"Exists on a valued taint", corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}, []corev1.Taint{dedicated},
			[]string{"value 와 상관없이 key dedicated 의 모든 NoSchedule 테인트도"}, nil},
		{"no effect", corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "logging"}, []corev1.Taint{dedicated},
			[]string{"dedicated=logging:NoExecute 테인트도 용인합니다", "dedicated=logging:PreferNoSchedule 테인트도"}, []string{"모든 NoExecute"}},
		{"NoExecute with seconds", corev1.Toleration{Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &secs}, nil,
			[]string{"300초 동안 쫓겨나지 않습니다"}, nil},
		{"comparison operators are off", corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpGt, Value: "1"}, nil, nil, nil},
	}
	for _, c := range cases {
		w := breadthWarning(c.tol, c.needed, nodes)
		if len(c.want) == 0 && w != "" {
			t.Errorf("%s: unexpected warning %q", c.name, w)
		}
		for _, s := range c.want {
			if !strings.Contains(w, s) {
				t.Errorf("%s: warning lacks %q: %q", c.name, s, w)
			}
		}
		for _, s := range c.not {
			if strings.Contains(w, s) {
				t.Errorf("%s: warning has %q: %q", c.name, s, w)
			}
		}
	}
}
