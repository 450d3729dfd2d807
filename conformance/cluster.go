package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cluster is a running embedded cluster started by the dslab binary with its
// own HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and KUBECONFIG under a temporary
// directory (the same isolation internal/testcluster uses).
type cluster struct {
	bin        string
	env        []string
	kubeconfig string // the user kubeconfig dslab merged its context into
	context    string // kubeconfig context name ("dslab")
}

// startCluster runs `dslab cluster up --runtime embedded` in a fresh
// environment and registers `dslab cluster down` (data removed) as t's
// cleanup unless keep is set. Errors carry dslab's stderr and the tails of the
// cluster logs.
func startCluster(t testing.TB, bin string, keep bool) (*cluster, error) {
	t.Helper()
	root, err := os.MkdirTemp("", "dslab-conformance-")
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"HOME":            filepath.Join(root, "home"),
		"XDG_CONFIG_HOME": filepath.Join(root, "config"),
		"XDG_DATA_HOME":   filepath.Join(root, "data"),
		"KUBECONFIG":      filepath.Join(root, "kube", "config"),
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
	c := &cluster{bin: bin, env: list, kubeconfig: env["KUBECONFIG"], context: "dslab"}
	t.Cleanup(func() {
		if keep {
			t.Logf("cluster kept: KUBECONFIG=%s XDG_DATA_HOME=%s XDG_CONFIG_HOME=%s HOME=%s %s cluster down",
				env["KUBECONFIG"], env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"], env["HOME"], bin)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if _, stderr, err := c.run(ctx, "cluster", "down"); err != nil {
			t.Errorf("dslab cluster down: %v\n%s", err, stderr)
		}
		_ = os.RemoveAll(root)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, stderr, err := c.run(ctx, "cluster", "up", "--runtime", "embedded"); err != nil {
		return nil, fmt.Errorf("dslab cluster up --runtime embedded: %v\n%s%s", err, stderr, logTails(env["XDG_DATA_HOME"]))
	}
	return c, nil
}

// run runs the dslab binary with args in the cluster's environment.
func (c *cluster) run(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = c.env
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// logTails returns the last 25 lines of every cluster log file under the
// data directory (dslab keeps them in <cluster dir>/logs/*.log).
func logTails(dataHome string) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(dataHome, "*", "*", "*", "logs", "*.log"))
	more, _ := filepath.Glob(filepath.Join(dataHome, "*", "*", "logs", "*.log"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 25 {
			lines = lines[len(lines)-25:]
		}
		fmt.Fprintf(&b, "\n--- %s ---\n%s", f, strings.Join(lines, "\n"))
	}
	return b.String()
}
