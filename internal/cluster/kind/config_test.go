package kind

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/internal/cluster"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestConfigGolden(t *testing.T) {
	got, err := ConfigYAML(cluster.DefaultName, cluster.Topology(cluster.DefaultName))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "dslab-kind-config.yaml", got)
}

func TestConfigMatchesTopology(t *testing.T) {
	for _, name := range []string{"dslab", "class-3"} {
		topo := cluster.Topology(name)
		raw, err := ConfigYAML(name, topo)
		if err != nil {
			t.Fatal(err)
		}
		var cfg v1alpha4.Cluster
		if err := yaml.UnmarshalStrict(raw, &cfg); err != nil {
			t.Fatalf("kind cannot read the config back: %v", err)
		}
		if cfg.Kind != "Cluster" || cfg.APIVersion != "kind.x-k8s.io/v1alpha4" || cfg.Name != name {
			t.Fatalf("header %+v", cfg.TypeMeta)
		}
		if len(cfg.Nodes) != len(topo) {
			t.Fatalf("%d nodes, want %d", len(cfg.Nodes), len(topo))
		}
		for i, n := range cfg.Nodes {
			spec := topo[i]
			if (n.Role == v1alpha4.ControlPlaneRole) != spec.ControlPlane {
				t.Errorf("node %d role %s", i, n.Role)
			}
			// every lab label kubelet may set reaches the node
			for k, v := range spec.Labels {
				if labelsSetByKubernetes[k] {
					if _, ok := n.Labels[k]; ok {
						t.Errorf("node %s passes %s, which kubelet/kubeadm set", spec.Name, k)
					}
					continue
				}
				if n.Labels[k] != v {
					t.Errorf("node %s label %s=%q, want %q", spec.Name, k, n.Labels[k], v)
				}
			}
			// the control-plane taint is kubeadm's default: no patch.
			if len(n.KubeadmConfigPatches) != 0 {
				t.Errorf("node %s has patches %q", spec.Name, n.KubeadmConfigPatches)
			}
		}
	}
}

func TestConfigTaintPatches(t *testing.T) {
	topo := cluster.Topology("dslab")
	topo[0].Taints = nil // an untainted control plane
	topo[2].Taints = []cluster.Taint{{Key: "gpu", Value: "true", Effect: cluster.EffectNoSchedule}}
	cfg, err := Config("dslab", topo)
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Nodes[0].KubeadmConfigPatches; len(p) != 1 || !strings.Contains(p[0], "InitConfiguration") || !strings.Contains(p[0], "taints: []") {
		t.Errorf("control-plane patch %q", p)
	}
	want := "kind: JoinConfiguration\nnodeRegistration:\n  taints:\n  - key: \"gpu\"\n    value: \"true\"\n    effect: \"NoSchedule\"\n"
	if p := cfg.Nodes[2].KubeadmConfigPatches; len(p) != 1 || p[0] != want {
		t.Errorf("worker2 patch %q, want %q", p, want)
	}
	var patch map[string]any
	if err := yaml.Unmarshal([]byte(cfg.Nodes[2].KubeadmConfigPatches[0]), &patch); err != nil {
		t.Errorf("patch is not YAML: %v", err)
	}
}

func TestConfigRejects(t *testing.T) {
	misnamed := cluster.Topology("dslab")
	misnamed[1].Name = "dslab-ssd"
	restricted := cluster.Topology("dslab")
	restricted[1].Labels["node-role.kubernetes.io/gpu"] = ""
	cpLast := cluster.Topology("dslab")
	cpLast[0], cpLast[3] = cpLast[3], cpLast[0]
	for name, tc := range map[string]struct {
		cluster string
		topo    []cluster.NodeSpec
	}{
		"bad name":                {"DSLab", cluster.Topology("DSLab")},
		"misnamed worker":         {"dslab", misnamed},
		"restricted label":        {"dslab", restricted},
		"control plane not first": {"dslab", cpLast},
		"no nodes":                {"dslab", nil},
	} {
		if _, err := Config(tc.cluster, tc.topo); err == nil {
			t.Errorf("%s: no error", name)
		} else if !hasHangul(err.Error()) {
			t.Errorf("%s: error not Korean: %v", name, err)
		}
	}
	ok := cluster.Topology("dslab")
	ok[1].Labels["node.kubernetes.io/instance-type"] = "lab"
	if _, err := Config("dslab", ok); err != nil {
		t.Errorf("node.kubernetes.io label refused: %v", err)
	}
}
