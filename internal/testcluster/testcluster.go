// Package testcluster starts real embedded dslab clusters for integration
// tests: the dslab binary is built (or taken from $DSLAB_BIN), run with its
// own XDG and KUBECONFIG locations under a temporary directory, and brought
// up with `dslab cluster up --runtime embedded` — the same path a learner
// takes.
package testcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/internal/paths"
)

// Cluster is a running embedded cluster owned by one test.
type Cluster struct {
	Name string
	// Kubeconfig is the user kubeconfig dslab merged its context into
	// (the test's own KUBECONFIG).
	Kubeconfig string
	Context    string
	Rest       *rest.Config
	Client     kubernetes.Interface
	// Env is the environment dslab runs with (XDG dirs, KUBECONFIG, HOME).
	Env []string
	// Paths are the dslab paths for Env.
	Paths paths.Paths
	// Bin is the dslab binary.
	Bin string
	// Root is the temporary directory everything lives in.
	Root string
}

// binary is built at most once per test process.
var binary struct {
	once sync.Once
	path string
	err  error
}

// Binary returns the dslab binary: $DSLAB_BIN if set, else one built from
// this module with `go build` (once per test process).
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("DSLAB_BIN"); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			t.Fatalf("DSLAB_BIN=%s: %v", p, err)
		}
		return abs
	}
	binary.once.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			binary.err = err
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(out)))
		dir, err := os.MkdirTemp("", "dslab-testbin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "dslab")
		cmd := exec.Command("go", "build", "-o", binary.path, "./cmd/dslab")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build ./cmd/dslab: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// NewEnv prepares an isolated dslab environment (no cluster yet).
func NewEnv(t testing.TB) *Cluster {
	t.Helper()
	root := t.TempDir()
	env := map[string]string{
		"HOME":            filepath.Join(root, "home"),
		"XDG_CONFIG_HOME": filepath.Join(root, "config"),
		"XDG_DATA_HOME":   filepath.Join(root, "data"),
		"KUBECONFIG":      filepath.Join(root, "kube", "config"),
		// CLI text wraps to COLUMNS when not on a terminal (else 80):
		// integration tests read it unwrapped; the layout at 60 and 80
		// columns is internal/app's TestCLIProseFitsWidth.
		"COLUMNS": "100000",
	}
	var list []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, override := env[k]; !override {
			list = append(list, kv)
		}
	}
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	return &Cluster{
		Name:       "dslab",
		Kubeconfig: env["KUBECONFIG"],
		Context:    "dslab",
		Env:        list,
		Paths:      paths.FromEnv(func(k string) string { return env[k] }),
		Bin:        Binary(t),
		Root:       root,
	}
}

// Start brings up a fresh embedded cluster for t and stops it (deleting
// its data) when t ends. It skips under -short.
func Start(t testing.TB) *Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs an embedded cluster (skipped with -short)")
	}
	c := NewEnv(t)
	t.Cleanup(func() { c.Stop(t) })
	if _, stderr, err := c.Run(context.Background(), "cluster", "up", "--runtime", "embedded"); err != nil {
		c.DumpLogs(t)
		t.Fatalf("dslab cluster up: %v\n%s", err, stderr)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Connect (re)loads the client configuration from the user kubeconfig.
func (c *Cluster) Connect() error {
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: c.Kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: c.Context}).ClientConfig()
	if err != nil {
		return fmt.Errorf("load kubeconfig %s: %w", c.Kubeconfig, err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	c.Rest, c.Client = cfg, client
	return nil
}

// Stop runs `dslab cluster down` (data removed) and fails t if it fails.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, stderr, err := c.Run(ctx, "cluster", "down"); err != nil {
		t.Errorf("dslab cluster down: %v\n%s", err, stderr)
	}
}

// Run runs the dslab binary with args in the cluster's environment.
func (c *Cluster) Run(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, c.Bin, args...)
	cmd.Env = c.Env
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// ExitCode returns the exit code of an error from Run (0 for nil).
func ExitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// ClusterDir is the state directory of the cluster.
func (c *Cluster) ClusterDir() string { return c.Paths.ClusterDir(c.Name) }

// DumpLogs writes the tails of the cluster's log files to the test log.
func (c *Cluster) DumpLogs(t testing.TB) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(c.ClusterDir(), "logs", "*.log"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 25 {
			lines = lines[len(lines)-25:]
		}
		t.Logf("--- %s ---\n%s", filepath.Base(f), strings.Join(lines, "\n"))
	}
}
