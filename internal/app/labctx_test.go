package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
)

func writeRuntimeRecord(t *testing.T, p paths.Paths, name, runtime string) {
	t.Helper()
	dir := p.ClusterDir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, cluster.RuntimeFile), []byte(runtime+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLocalLabContexts(t *testing.T) {
	p := paths.Under(t.TempDir())
	if got := localLabContexts(p); got != nil {
		t.Fatalf("no clusters: got %v", got)
	}
	writeRuntimeRecord(t, p, "s1", cluster.RuntimeEmbedded)
	writeRuntimeRecord(t, p, "k2", cluster.RuntimeKind)
	// A directory without a runtime record is not a cluster.
	if err := os.MkdirAll(p.ClusterDir("half"), 0o700); err != nil {
		t.Fatal(err)
	}
	got := localLabContexts(p)
	if want := []string{"kind-k2", "s1"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, tc := range []struct {
		f    clusterFlags
		want bool
	}{
		{clusterFlags{}, true},
		{clusterFlags{context: "dslab"}, true},
		{clusterFlags{context: "kind-dslab"}, true},
		{clusterFlags{context: "s1"}, true},
		{clusterFlags{context: "kind-k2"}, true},
		{clusterFlags{context: "k2"}, false},
		{clusterFlags{context: "half"}, false},
		{clusterFlags{context: "prod"}, false},
		{clusterFlags{kubeconfig: "/tmp/student.yaml", context: "s1"}, false},
	} {
		if got := tc.f.ownLab(p); got != tc.want {
			t.Errorf("ownLab(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestExplainMissingLab(t *testing.T) {
	p := paths.Under(t.TempDir())
	kc := p.Kubeconfig()
	if err := os.MkdirAll(filepath.Dir(kc), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "apiVersion: v1\nkind: Config\nclusters:\n- name: s1\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: s1\n  context:\n    cluster: s1\n    user: s1\nusers:\n- name: s1\n  user: {}\n"
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := kube.Connect(context.Background(), p.Kubeconfigs, kube.Target{})
	if err == nil {
		t.Fatal("connect without a dslab context succeeded")
	}
	// No dslab cluster of this machine: the error is unchanged.
	if got := explainMissingLab(p, kube.Target{}, err); got != err {
		t.Fatalf("no lab cluster: got %v", got)
	}
	writeRuntimeRecord(t, p, "s1", cluster.RuntimeEmbedded)
	msg := explainMissingLab(p, kube.Target{}, err).Error()
	if !strings.Contains(msg, "--context s1 을 붙여") || !strings.Contains(msg, "있는 컨텍스트: s1") {
		t.Fatalf("one lab cluster s1: %s", msg)
	}
	// An explicit context is the user's choice: no advice.
	if got := explainMissingLab(p, kube.Target{Context: "dslab"}, err); got != err {
		t.Fatalf("explicit context: got %v", got)
	}
	// Two clusters: which one is not for dslab to guess.
	writeRuntimeRecord(t, p, "s2", cluster.RuntimeEmbedded)
	if got := explainMissingLab(p, kube.Target{}, err); got != err {
		t.Fatalf("two lab clusters: got %v", got)
	}
}
