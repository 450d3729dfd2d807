package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// TestLabConnectNamedCluster: the TUI's watcher connects to a cluster made
// with `dslab cluster up --name` (no "dslab" context) through the context
// its runtime names, as the CLI recognises it (localLabContexts); the
// cluster panel reports that cluster.
func TestLabConnectNamedCluster(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/readyz":
			fmt.Fprint(w, "ok")
		case "/version":
			fmt.Fprint(w, `{"major":"1","minor":"37","gitVersion":"v1.37.2"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p := paths.Under(t.TempDir())
	kc := p.Kubeconfig()
	if err := os.MkdirAll(filepath.Dir(kc), 0o700); err != nil {
		t.Fatal(err)
	}
	entry := func(name, server string) (string, string, string) {
		return "- name: " + name + "\n  cluster:\n    server: " + server + "\n",
			"- name: " + name + "\n  context:\n    cluster: " + name + "\n    user: " + name + "\n",
			"- name: " + name + "\n  user: {}\n"
	}
	c1, x1, u1 := entry("lab-a", "http://127.0.0.1:1") // stopped
	c2, x2, u2 := entry("lab-b", srv.URL)
	c3, x3, u3 := entry("prod", srv.URL) // not a dslab cluster
	cfg := "apiVersion: v1\nkind: Config\nclusters:\n" + c1 + c2 + c3 + "contexts:\n" + x1 + x2 + x3 + "users:\n" + u1 + u2 + u3
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := Env{Paths: p}
	ctx := context.Background()
	var ce *kube.ConnectError
	if _, err := labConnect(env)(ctx); !errors.As(err, &ce) || ce.Reason != "context" {
		t.Fatalf("no dslab cluster on this machine (prod is not one): %v", err)
	}
	writeRuntimeRecord(t, p, "lab-a", cluster.RuntimeEmbedded)
	if _, err := labConnect(env)(ctx); !errors.As(err, &ce) || ce.Reason != "unreachable" || ce.Context != "lab-a" {
		t.Fatalf("only lab-a, stopped: want its unreachable error, got %v", err)
	}
	if got := (tuiCluster{env: env}).name(); got != "lab-a" {
		t.Errorf("panel cluster with lab-a only: %q", got)
	}
	writeRuntimeRecord(t, p, "lab-b", cluster.RuntimeEmbedded)
	conn, err := labConnect(env)(ctx)
	if err != nil || conn.Context != "lab-b" {
		t.Fatalf("lab-a stopped, lab-b running: %v %+v", err, conn)
	}
	writeRuntimeRecord(t, p, cluster.DefaultName, cluster.RuntimeEmbedded)
	if got := (tuiCluster{env: env}).name(); got != cluster.DefaultName {
		t.Errorf("panel cluster with the default one: %q", got)
	}
}

// The state directory of a cluster's context is the cluster's own
// directory, both ways, for every runtime: a kind cluster made with
// `--name X` (context kind-X) and an embedded one (context X) are found by
// grade, exercise and status under clusters/X.
func TestStateNameMatchesClusterDir(t *testing.T) {
	p := paths.FromEnv(func(k string) string {
		if k == "XDG_DATA_HOME" {
			return filepath.Join(t.TempDir(), "data")
		}
		return ""
	})
	for name, rt := range map[string]string{"dslab": cluster.RuntimeKind, "foo": cluster.RuntimeKind, "bar": cluster.RuntimeEmbedded, "kind-lab": cluster.RuntimeEmbedded} {
		dir := p.ClusterDir(name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, cluster.RuntimeFile), []byte(rt+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	for _, c := range localLabClusters(p) {
		if c.name == "kind-lab" {
			continue // an embedded cluster named like a kind context: see below
		}
		seen++
		if got := kube.StateName(c.context); got != c.name {
			t.Errorf("StateName(%q) = %q, want the cluster dir %q", c.context, got, c.name)
		}
		if kube.ExerciseDir(p, kube.StateName(c.context), "gpu-only") != filepath.Join(p.ClusterDir(c.name), "exercises", "gpu-only") {
			t.Errorf("%s: exercise state outside its cluster dir", c.context)
		}
	}
	if seen != 3 {
		t.Errorf("saw %d clusters", seen)
	}
	for ctx, want := range map[string]string{"": "dslab", "dslab": "dslab", "kind-dslab": "dslab", "kind-foo": "foo", "foo": "foo", "kind-": "kind-", "a/b": "a_b"} {
		if got := kube.StateName(ctx); got != want {
			t.Errorf("StateName(%q) = %q, want %q", ctx, got, want)
		}
	}
}
