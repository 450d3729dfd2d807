package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/paths"
)

// kubectlEnv is an Env whose KUBECONFIG has the dslab cluster's context
// and another one, "other", as the current context.
func kubectlEnv(t *testing.T) (Env, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "config")
	vars := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config.d"), "XDG_DATA_HOME": filepath.Join(dir, "data"), "KUBECONFIG": kubeconfig}
	getenv := func(k string) string { return vars[k] }
	t.Setenv("KUBECONFIG", kubeconfig) // kubectl's own loader reads the process environment
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv}
	ctxName := existingRuntime(env, cluster.DefaultName).Context(cluster.DefaultName)
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user: {token: t}
contexts:
- name: %s
  context: {cluster: c, user: u}
- name: other
  context: {cluster: c, user: u}
current-context: other
`, ctxName)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return env, &out, &errb, ctxName
}

// Trial 2026-11: `dslab kubectl gett pods` said "flags cannot be placed
// before plugin name: --context=dslab" (dslab put --context before the
// subcommand); a mistyped command must get kubectl's own suggestion.
func TestKubectlUnknownCommandSuggests(t *testing.T) {
	env, _, errb, ctxName := kubectlEnv(t)
	if got := kubectlTarget(env, []string{"gett", "pods"}); got.Context != ctxName {
		t.Fatalf("target %+v, want context %s", got, ctxName)
	}
	code := Run(context.Background(), env, []string{"kubectl", "gett", "pods"})
	if code == ExitOK {
		t.Fatalf("exit 0 for an unknown command")
	}
	msg := errb.String()
	for _, want := range []string{`unknown command "gett" for "kubectl"`, "Did you mean this?", "get"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "unknown command") != 1 || strings.Contains(msg, "Run 'kubectl --help'") {
		t.Errorf("want the error once, without usage:\n%s", msg)
	}
	if strings.Contains(msg, "flags cannot be placed before plugin name") {
		t.Errorf("dslab's context flag reached argv:\n%s", msg)
	}
}

// The dslab context is kubectl's default; the user's --context wins.
func TestKubectlDefaultContext(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"--context=other"}, "other"},
	} {
		env, out, errb, ctxName := kubectlEnv(t)
		want := tc.want
		if want == "" {
			want = ctxName
		}
		args := append([]string{"kubectl", "config", "view", "--minify", "-o", "jsonpath={.current-context}"}, tc.args...)
		if code := Run(context.Background(), env, args); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errb.String())
		}
		if got := strings.TrimSpace(out.String()); got != want {
			t.Errorf("%v: context %q, want %q", tc.args, got, want)
		}
	}
}

// Trial 2026-11-30 (issue 14): after `dslab cluster down` the kubeconfig has
// no dslab context; `dslab kubectl get nodes` fell back to localhost:8080 and
// printed five discovery errors. It must say in Korean that the cluster is
// absent and never reach kubectl; client-only commands still run.
func TestKubectlNoClusterContext(t *testing.T) {
	env, out, errb, ctxName := kubectlEnv(t)
	kubeconfig := env.Getenv("KUBECONFIG")
	cfg := `apiVersion: v1
kind: Config
clusters: []
contexts: []
users: []
current-context: ""
`
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code := Run(context.Background(), env, []string{"kubectl", "get", "nodes"})
	if code == ExitOK {
		t.Fatalf("exit 0 without a cluster: %s", out.String())
	}
	msg := strings.Join(strings.Fields(errb.String()), " ") // wrapped at the terminal width
	want := "클러스터 dslab 이 없습니다 (컨텍스트 " + ctxName + " 없음) — dslab cluster up 으로 시작하세요"
	if !strings.Contains(msg, want) {
		t.Errorf("stderr lacks %q:\n%s", want, msg)
	}
	for _, bad := range []string{"localhost:8080", "memcache", "Couldn't get"} {
		if strings.Contains(msg+out.String(), bad) {
			t.Errorf("output mentions %q:\n%s", bad, msg)
		}
	}
	for _, args := range [][]string{{"version", "--client"}, {"config", "view"}, {"--help"}} {
		out.Reset()
		errb.Reset()
		if code := Run(context.Background(), env, append([]string{"kubectl"}, args...)); code != ExitOK {
			t.Errorf("kubectl %v: exit %d without a cluster: %s", args, code, errb.String())
		}
	}
}

// Trial 2026-11-30 (issue 14): with the dslab context in the kubeconfig but
// the cluster stopped (`cluster down --keep-data`), `dslab kubectl get
// nodes` printed kubectl's "connection refused" lines (memcache.go). It
// must say in Korean that the cluster is stopped, exit non-zero and never
// reach kubectl; client-only commands still run.
func TestKubectlStoppedCluster(t *testing.T) {
	env, out, errb, _ := kubectlEnv(t)
	dir := env.Paths.ClusterDir(cluster.DefaultName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	code := Run(context.Background(), env, []string{"kubectl", "get", "nodes"})
	if code == ExitOK {
		t.Fatalf("exit 0 with a stopped cluster: %s", out.String())
	}
	msg := strings.Join(strings.Fields(errb.String()), " ")
	if want := "클러스터 dslab 이 멈춰 있습니다 (중지됨) — dslab cluster up 으로 시작하세요"; !strings.Contains(msg, want) {
		t.Errorf("stderr lacks %q:\n%s", want, msg)
	}
	for _, bad := range []string{"connection refused", "memcache", "couldn't get"} {
		if strings.Contains(strings.ToLower(msg+out.String()), bad) {
			t.Errorf("output mentions %q:\n%s", bad, msg)
		}
	}
	out.Reset()
	errb.Reset()
	if code := Run(context.Background(), env, []string{"kubectl", "config", "view"}); code != ExitOK {
		t.Errorf("kubectl config view: exit %d with a stopped cluster: %s", code, errb.String())
	}
}

// Which `dslab kubectl` command lines count an attempt, and how the lab's
// field manager is added so that the live lab's watcher does not count the
// same write again (issue 14 item 9).
func TestKubectlAttemptRules(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		write bool
	}{
		{[]string{"apply", "-f", "ds.yaml"}, true},
		{[]string{"create", "-f", "ds.yaml"}, true},
		{[]string{"patch", "ds", "x", "-p", "{}"}, true},
		{[]string{"edit", "ds", "x"}, true},
		{[]string{"replace", "-f", "ds.yaml"}, true},
		{[]string{"get", "ds"}, false},
		{[]string{"delete", "ds", "x"}, false},
		{[]string{"apply", "--help"}, false},
	} {
		if got := kubectlWrites(tc.args); got != tc.write {
			t.Errorf("kubectlWrites(%v) = %v", tc.args, got)
		}
	}
	got := withLabFieldManager([]string{"apply", "-f", "ds.yaml"})
	if want := "--field-manager=dslab-lab"; got[len(got)-1] != want {
		t.Errorf("field manager not added: %v", got)
	}
	for _, args := range [][]string{{"apply", "-f", "x", "--field-manager=me"}, {"apply", "-f", "x", "--field-manager", "me"}} {
		if got := withLabFieldManager(args); len(got) != len(args) {
			t.Errorf("the user's field manager was overridden: %v", got)
		}
	}
	a := dsState{exists: true, uid: "u1", gen: 2}
	for _, tc := range []struct {
		before, after dsState
		want          bool
	}{
		{dsState{}, a, true}, // created
		{a, a, false},        // unchanged apply
		{a, dsState{exists: true, uid: "u1", gen: 3}, true}, // spec changed
		{a, dsState{exists: true, uid: "u2", gen: 1}, true}, // re-created
		{a, dsState{}, false},                               // deleted: not an attempt, as lab.ShellAttempt
	} {
		if got := attempted(tc.before, tc.after); got != tc.want {
			t.Errorf("attempted(%+v, %+v) = %v, want %v", tc.before, tc.after, got, tc.want)
		}
	}
}
