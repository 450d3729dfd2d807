package grader

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func loadNodes(t testing.TB) []Node {
	t.Helper()
	data, err := os.ReadFile("testdata/nodes.json")
	if err != nil {
		t.Fatal(err)
	}
	var nodes []Node
	if err := json.Unmarshal(data, &nodes); err != nil {
		t.Fatal(err)
	}
	return nodes
}

// podSpec parses a pod spec written as YAML.
func podSpec(t testing.TB, y string) PodTemplate {
	t.Helper()
	var s corev1.PodSpec
	if err := yaml.UnmarshalStrict([]byte(y), &s); err != nil {
		t.Fatalf("bad pod spec: %v\n%s", err, y)
	}
	return FromPodSpec(nil, s)
}

func fitting(p *Placer, nodes []Node) []string {
	var out []string
	for _, n := range nodes {
		if p.Place(n).Fits {
			out = append(out, n.Name)
		}
	}
	return out
}

const (
	cp = "dslab-control-plane"
	w1 = "dslab-worker"
	w2 = "dslab-worker2"
	w3 = "dslab-worker3"
)

func TestPlacement(t *testing.T) {
	nodes := loadNodes(t)
	tolerateAll := "tolerations:\n- operator: Exists\n"
	cases := []struct {
		name string
		spec string
		fits []string
		// reasons: node -> substrings its reasons must contain
		reasons map[string][]string
		matches map[string][]string
	}{
		{
			name: "no tolerations: NoSchedule and NoExecute block, PreferNoSchedule does not",
			spec: "containers: [{name: c, image: i}]",
			fits: []string{w3},
			reasons: map[string][]string{
				cp: {"테인트 node-role.kubernetes.io/control-plane:NoSchedule 을 용인하는 톨러레이션이 없습니다"},
				w1: {"dedicated=logging:NoSchedule"},
				w2: {"maintenance=true:NoExecute"},
			},
			matches: map[string][]string{w3: {"nodeSelector 와 노드 어피니티(node affinity)가 없어 모든 노드가 대상입니다"}},
		},
		{
			name:    "Exists without key and effect tolerates every taint",
			spec:    tolerateAll,
			fits:    []string{cp, w1, w2, w3},
			matches: map[string][]string{w2: {"톨러레이션 (모든 key):(모든 effect) (Exists) 가 테인트 maintenance=true:NoExecute 를 용인합니다"}},
		},
		{
			name: "Exists without key, NoSchedule only, leaves NoExecute untolerated",
			spec: "tolerations:\n- operator: Exists\n  effect: NoSchedule\n",
			fits: []string{cp, w1, w3},
			reasons: map[string][]string{
				w2: {"maintenance=true:NoExecute"},
			},
		},
		{
			name: "NoExecute toleration with tolerationSeconds still places the pod",
			spec: "tolerations:\n- key: maintenance\n  operator: Equal\n  value: \"true\"\n  effect: NoExecute\n  tolerationSeconds: 60\n",
			fits: []string{w2, w3},
		},
		{
			name: "the seed's master toleration does not tolerate the control-plane taint",
			spec: "tolerations:\n- key: node-role.kubernetes.io/master\n  effect: NoSchedule\n",
			fits: []string{w3},
			reasons: map[string][]string{
				cp: {"node-role.kubernetes.io/master", "1.24", "key 를 node-role.kubernetes.io/control-plane 으로 바꾸세요"},
			},
		},
		{
			name:    "control-plane toleration",
			spec:    "tolerations:\n- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedule\n",
			fits:    []string{cp, w3},
			matches: map[string][]string{cp: {"톨러레이션 node-role.kubernetes.io/control-plane:NoSchedule (Exists)"}},
		},
		{
			name:    "wrong effect is pointed out",
			spec:    "tolerations:\n- key: dedicated\n  value: logging\n  effect: NoExecute\n",
			fits:    []string{w3},
			reasons: map[string][]string{w1: {"effect 는 NoExecute 인데 테인트의 effect 는 NoSchedule 입니다"}},
		},
		{
			name:    "wrong value is pointed out",
			spec:    "tolerations:\n- key: dedicated\n  value: log\n  effect: NoSchedule\n",
			fits:    []string{w3},
			reasons: map[string][]string{w1: {`value "log" 가 테인트의 value "logging" 과 다릅니다`}},
		},
		{
			name:    "misspelt toleration key",
			spec:    "tolerations:\n- key: dedicatd\n  operator: Exists\n",
			fits:    []string{w3},
			reasons: map[string][]string{w1: {"dedicatd 는 dedicated 의 오타"}},
		},
		{
			name: "nodeSelector",
			spec: tolerateAll + "nodeSelector: {hardware: gpu}\n",
			fits: []string{w2, w3},
			reasons: map[string][]string{
				w1: {"nodeSelector hardware=gpu: 노드에 hardware 레이블이 없습니다"},
			},
			matches: map[string][]string{w2: {"nodeSelector hardware=gpu 가 노드 레이블과 일치합니다"}},
		},
		{
			name:    "nodeSelector key typo suggests the real key",
			spec:    tolerateAll + "nodeSelector: {hardwre: gpu}\n",
			fits:    nil,
			reasons: map[string][]string{w2: {"노드에 hardwre 레이블이 없습니다 (hardware 의 오타가 아닌가요?)"}},
		},
		{
			name:    "nodeSelector value differs",
			spec:    tolerateAll + "nodeSelector: {disktype: sdd}\n",
			fits:    nil,
			reasons: map[string][]string{w1: {"노드의 레이블 값이 다릅니다 (노드: disktype=ssd)", "노드의 값 ssd 와 nodeSelector 의 값 sdd 중 한쪽의 오타가 아닌가요?"}},
		},
		{
			name:    "affinity In",
			spec:    tolerateAll + affinity("disktype", "In", "ssd"),
			fits:    []string{w1, w3},
			reasons: map[string][]string{w2: {"disktype In [ssd]: 노드의 값 disktype=hdd 가 목록에 없습니다"}, cp: {"노드에 disktype 레이블이 없습니다"}},
		},
		{
			name:    "affinity NotIn matches nodes without the label",
			spec:    tolerateAll + affinity("disktype", "NotIn", "hdd"),
			fits:    []string{cp, w1, w3},
			reasons: map[string][]string{w2: {"제외 목록에 있습니다"}},
		},
		{
			name:    "affinity Exists",
			spec:    tolerateAll + affinity("hardware", "Exists"),
			fits:    []string{w2, w3},
			reasons: map[string][]string{w1: {"hardware Exists: 노드에 hardware 레이블이 없습니다"}},
		},
		{
			name:    "affinity DoesNotExist",
			spec:    tolerateAll + affinity("hardware", "DoesNotExist"),
			fits:    []string{cp, w1},
			reasons: map[string][]string{w3: {"hardware DoesNotExist: 노드에 hardware=gpu 레이블이 있습니다"}},
		},
		{
			name:    "affinity Gt compares integers",
			spec:    tolerateAll + affinity("cores", "Gt", "10"),
			fits:    []string{w2, w3},
			reasons: map[string][]string{w1: {"정수 비교"}, cp: {"노드에 cores 레이블이 없습니다"}},
		},
		{
			name: "affinity Lt compares integers",
			spec: tolerateAll + affinity("cores", "Lt", "10"),
			fits: []string{w1},
		},
		{
			name:    "affinity Gt with a non-integer is an error",
			spec:    tolerateAll + affinity("cores", "Gt", "many"),
			fits:    nil,
			reasons: map[string][]string{w1: {"노드 어피니티(node affinity) 식이 잘못되었습니다"}},
		},
		{
			name:    "affinity value typo",
			spec:    tolerateAll + affinity("disktype", "In", "sdd"),
			fits:    nil,
			reasons: map[string][]string{w1: {"값 sdd 는 ssd 의 오타"}},
		},
		{
			name:    "affinity key typo",
			spec:    tolerateAll + affinity("disktpye", "In", "ssd"),
			fits:    nil,
			reasons: map[string][]string{w1: {"disktype 의 오타"}},
		},
		{
			name: "affinity terms are ORed, expressions ANDed",
			spec: tolerateAll + `affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: disktype, operator: In, values: [ssd]}
        - {key: hardware, operator: Exists}
      - matchExpressions:
        - {key: disktype, operator: In, values: [hdd]}
`,
			fits:    []string{w2, w3},
			reasons: map[string][]string{w1: {"어느 nodeSelectorTerm 도 만족하지 않습니다", "조건 1: hardware Exists", "조건 2: disktype In [hdd]"}},
		},
		{
			name: "matchFields on the node name",
			spec: tolerateAll + `affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchFields:
        - {key: metadata.name, operator: In, values: [dslab-worker]}
`,
			fits:    []string{w1},
			reasons: map[string][]string{w2: {"matchFields metadata.name In [dslab-worker]: 노드 이름은 dslab-worker2 입니다"}},
		},
		{
			name: "an empty term matches nothing",
			spec: tolerateAll + `affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - {}
`,
			fits: nil,
		},
		{
			name: "nodeSelector and affinity must both hold",
			spec: tolerateAll + "nodeSelector: {hardware: gpu}\n" + affinity("disktype", "In", "ssd"),
			fits: []string{w3},
		},
		{
			name:    "preferred affinity does not restrict",
			spec:    tolerateAll + "affinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 1\n      preference:\n        matchExpressions:\n        - {key: disktype, operator: In, values: [ssd]}\n",
			fits:    []string{cp, w1, w2, w3},
			matches: map[string][]string{w2: {"모든 노드가 대상입니다"}},
		},
		{
			name:    "nodeName pins the pod",
			spec:    tolerateAll + "nodeName: dslab-worker2\n",
			fits:    []string{w2},
			reasons: map[string][]string{w1: {"nodeName 에 다른 노드 dslab-worker2 가 지정되어"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPlacer(podSpec(t, tc.spec), nodes)
			if got := fitting(p, nodes); !slices.Equal(got, tc.fits) {
				t.Errorf("fits %v, want %v", got, tc.fits)
			}
			for _, n := range nodes {
				f := p.Place(n)
				if f.Fits != (len(f.Reasons) == 0) {
					t.Errorf("%s: fits=%v but reasons %q", n.Name, f.Fits, f.Reasons)
				}
				for _, want := range tc.reasons[n.Name] {
					if !strings.Contains(strings.Join(f.Reasons, "\n"), want) {
						t.Errorf("%s: reasons %q lack %q", n.Name, f.Reasons, want)
					}
				}
				for _, want := range tc.matches[n.Name] {
					if !strings.Contains(strings.Join(f.Matches, "\n"), want) {
						t.Errorf("%s: matches %q lack %q", n.Name, f.Matches, want)
					}
				}
			}
		})
	}
}

func affinity(key, op string, values ...string) string {
	v := ""
	if len(values) > 0 {
		v = ", values: [" + strings.Join(values, ", ") + "]"
	}
	return "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: " + key + ", operator: " + op + v + "}\n"
}

// The controller's own tolerations: condition taints never keep a daemon
// pod off a node, network-unavailable only with hostNetwork.
func TestPlacementDaemonDefaultTolerations(t *testing.T) {
	node := func(name string, taints ...corev1.Taint) Node {
		return Node{Name: name, Labels: map[string]string{"kubernetes.io/hostname": name}, Taints: taints}
	}
	nodes := []Node{
		node("notready", corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}),
		node("unreachable", corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}),
		node("cordoned", corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}),
		node("pressure", corev1.Taint{Key: corev1.TaintNodeMemoryPressure, Effect: corev1.TaintEffectNoSchedule},
			corev1.Taint{Key: corev1.TaintNodeDiskPressure, Effect: corev1.TaintEffectNoSchedule},
			corev1.Taint{Key: corev1.TaintNodePIDPressure, Effect: corev1.TaintEffectNoSchedule}),
		node("nonet", corev1.Taint{Key: corev1.TaintNodeNetworkUnavailable, Effect: corev1.TaintEffectNoSchedule}),
	}
	plain := NewPlacer(podSpec(t, "containers: [{name: c, image: i}]"), nodes)
	if got, want := fitting(plain, nodes), []string{"notready", "unreachable", "cordoned", "pressure"}; !slices.Equal(got, want) {
		t.Errorf("without hostNetwork fits %v, want %v", got, want)
	}
	host := NewPlacer(podSpec(t, "hostNetwork: true\ncontainers: [{name: c, image: i}]"), nodes)
	if got := fitting(host, nodes); len(got) != len(nodes) {
		t.Errorf("with hostNetwork fits %v, want all", got)
	}
	// A template toleration for a default key replaces the default: a
	// NoSchedule-only not-ready toleration no longer covers NoExecute.
	custom := NewPlacer(podSpec(t, "tolerations:\n- key: node.kubernetes.io/not-ready\n  operator: Exists\n  effect: NoSchedule\n"), nodes[:1])
	if !custom.Place(nodes[0]).Fits {
		// The controller merges by key and effect, so a different effect adds
		// rather than replaces; the default NoExecute toleration stays.
		t.Errorf("not-ready NoExecute must stay tolerated: %v", custom.Place(nodes[0]).Reasons)
	}
}

func TestKoreanParticles(t *testing.T) {
	cases := map[string]string{
		"파드": "파드 를", "노드": "노드 를", "데몬셋": "데몬셋 을",
		"NoSchedule": "NoSchedule 을", "NoExecute": "NoExecute 를", "hardware=gpu": "hardware=gpu 를",
		"dslab-worker2": "dslab-worker2 를", "100m": "100m 을", "v1.9.1": "v1.9.1 을",
	}
	for in, want := range cases {
		if got := eul(in); got != want {
			t.Errorf("eul(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ro("node-role.kubernetes.io/control-plane"); got != "node-role.kubernetes.io/control-plane 으로" {
		t.Errorf("ro = %q", got)
	}
	if got := ro("파일"); got != "파일 로" {
		t.Errorf("ro(파일) = %q", got)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"hardware", "disktype", "kubernetes.io/hostname"}
	cases := map[string]string{
		"hardwre": "hardware", "hardwrae": "hardware", "Hardware": "hardware", "disktpye": "disktype",
		"hardware": "", "gpu": "", "zone": "",
	}
	for in, want := range cases {
		if got := suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := suggest("sdd", []string{"ssd", "hdd"}); got != "ssd" {
		// equal distance: the first candidate wins, deterministically
		t.Errorf("suggest(sdd) = %q", got)
	}
}
