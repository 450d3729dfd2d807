package cluster

import (
	"strings"
	"testing"
)

func TestTopology(t *testing.T) {
	nodes := Topology("dslab")
	want := map[string]map[string]string{
		"dslab-control-plane": {LabelControlPlane: ""},
		"dslab-worker":        {"disktype": "ssd"},
		"dslab-worker2":       {"hardware": "gpu", "disktype": "hdd"},
		"dslab-worker3":       {"hardware": "gpu", "disktype": "ssd"},
	}
	if len(nodes) != len(want) {
		t.Fatalf("%d nodes, want %d", len(nodes), len(want))
	}
	for _, n := range nodes {
		labels, ok := want[n.Name]
		if !ok {
			t.Fatalf("unexpected node %s", n.Name)
		}
		for k, v := range labels {
			if got, ok := n.Labels[k]; !ok || got != v {
				t.Errorf("%s: label %s=%q, want %q", n.Name, k, got, v)
			}
		}
		for _, k := range []string{LabelHostname, LabelOS, LabelArch} {
			if n.Labels[k] == "" {
				t.Errorf("%s: missing %s", n.Name, k)
			}
		}
		if n.Labels[LabelHostname] != n.Name {
			t.Errorf("%s: hostname label %q", n.Name, n.Labels[LabelHostname])
		}
		if n.CPU != "4" || n.Memory != "8Gi" || n.Pods != "110" {
			t.Errorf("%s: capacity %s/%s/%s", n.Name, n.CPU, n.Memory, n.Pods)
		}
		cp := n.Name == "dslab-control-plane"
		if cp != n.ControlPlane {
			t.Errorf("%s: ControlPlane=%v", n.Name, n.ControlPlane)
		}
		if cp && (len(n.Taints) != 1 || n.Taints[0].String() != "node-role.kubernetes.io/control-plane:NoSchedule") {
			t.Errorf("control plane taints %v", n.Taints)
		}
		if !cp && len(n.Taints) != 0 {
			t.Errorf("%s: worker has taints %v", n.Name, n.Taints)
		}
	}
	// Fresh values: changing one result does not change the next.
	nodes[1].Labels["disktype"] = "tape"
	if Topology("dslab")[1].Labels["disktype"] != "ssd" {
		t.Error("Topology shares state between calls")
	}
}

func TestParseTaint(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{in: "dedicated=logging:NoSchedule", want: "dedicated=logging:NoSchedule"},
		{in: "maintenance=true:NoExecute", want: "maintenance=true:NoExecute"},
		{in: "node-role.kubernetes.io/control-plane:NoSchedule", want: "node-role.kubernetes.io/control-plane:NoSchedule"},
		{in: "soft:PreferNoSchedule", want: "soft:PreferNoSchedule"},
		{in: "a=b:NoSchedul", err: "이펙트(effect)"},
		{in: "a=b", err: "형식"},
		{in: ":NoSchedule", err: "형식"},
		{in: "=v:NoSchedule", err: "키(key)"},
	}
	for _, c := range cases {
		got, err := ParseTaint(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseTaint(%q) err = %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("ParseTaint(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"dslab", "a", "dslab-2", "x1"} {
		if err := ValidateName("클러스터", ok); err != nil {
			t.Errorf("%q rejected: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Dslab", "-a", "a-", "a_b", "a.b", strings.Repeat("a", 51)} {
		err := ValidateName("클러스터", bad)
		if err == nil || !strings.Contains(err.Error(), "올바르지 않습니다") {
			t.Errorf("%q accepted or message not Korean: %v", bad, err)
		}
	}
}

// Waiting names the step a progress line announced, its first line only,
// for the CLI's live line and the TUI's cluster screen alike.
func TestWaiting(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"kube-apiserver, kube-controller-manager, kube-scheduler 시작", "… 진행 중: kube-apiserver, kube-controller-manager, kube-scheduler 시작"},
		{"컨트롤 플레인을 시작하는 중입니다.", "… 진행 중: 컨트롤 플레인을 시작하는 중입니다"},
		{"알림: 컨테이너 엔진이 응답하지 않습니다.\n  까닭: connection refused", "… 진행 중: 알림: 컨테이너 엔진이 응답하지 않습니다"},
		{"", "… 진행 중"},
	} {
		if got := Waiting(tc.line); got != tc.want {
			t.Errorf("Waiting(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
