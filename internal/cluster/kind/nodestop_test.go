package kind

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
)

func TestStopStartNode(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	ctx := context.Background()
	if err := r.rt.StopNode(ctx, "dslab", "dslab-worker2"); err == nil || !hasHangul(err.Error()) {
		t.Errorf("stopping a node of a cluster that does not exist: %v", err)
	}
	if err := r.rt.Up(ctx, "dslab", nil); err != nil {
		t.Fatal(err)
	}
	if err := r.rt.StopNode(ctx, "dslab", "dslab-worker2"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.prov.stopped, ",") != "dslab-worker2" || r.prov.containers["dslab-worker2"] {
		t.Errorf("stopped containers %v (running: %v)", r.prov.stopped, r.prov.containers)
	}
	st, err := r.rt.Status(ctx, "dslab")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range st.Nodes {
		if n.Stopped != (n.Name == "dslab-worker2") {
			t.Errorf("status: %s stopped=%v", n.Name, n.Stopped)
		}
	}
	if st.State != cluster.StateDegraded {
		t.Errorf("one node container stopped: state %s, want degraded", st.State)
	}
	if err := r.rt.StartNode(ctx, "dslab", "dslab-worker2"); err != nil {
		t.Fatal(err)
	}
	if !r.prov.containers["dslab-worker2"] {
		t.Error("StartNode did not start the container")
	}

	err = r.rt.StopNode(ctx, "dslab", "dslab-control-plane")
	if err == nil || !strings.Contains(err.Error(), "컨트롤 플레인") {
		t.Errorf("stopping the control plane: %v", err)
	}
	err = r.rt.StopNode(ctx, "dslab", "dslab-worker9")
	if err == nil || !strings.Contains(err.Error(), "dslab-worker9") || !strings.Contains(err.Error(), "dslab-worker3") {
		t.Errorf("stopping a missing node should name it and the nodes there are: %v", err)
	}
	if len(r.prov.stopped) != 1 {
		t.Errorf("refused stops reached the engine: %v", r.prov.stopped)
	}
	// Without an engine the error is the engine's Korean explanation.
	r.engine = engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Err: errors.New("exit status 1"), Output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"}
	var ce *engine.Error
	if err := r.rt.StopNode(ctx, "dslab", "dslab-worker2"); !errors.As(err, &ce) || !hasHangul(err.Error()) {
		t.Errorf("engine down: %v", err)
	}
}

// fakeEngine writes a docker stand-in that records its arguments and, when
// fail is set, fails the way docker does for a missing container.
func fakeEngine(t *testing.T, fail bool) (engine.Info, string) {
	t.Helper()
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" >> " + argsFile + "\n"
	if fail {
		script += "echo 'Error response from daemon: No such container: dslab-worker2' >&2\nexit 1\n"
	}
	path := filepath.Join(dir, "docker")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return engine.Info{Engine: engine.Docker, Path: path, Running: true}, argsFile
}

// TestProviderStopStartCommands checks the engine commands the production
// provider runs for node stop/start, and its error path.
func TestProviderStopStartCommands(t *testing.T) {
	info, argsFile := fakeEngine(t, false)
	prov, err := NewKindProvider(info, newProgressLogger(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := prov.Stop(ctx, []string{"dslab-worker2"}); err != nil {
		t.Fatal(err)
	}
	if err := prov.Start(ctx, []string{"dslab-worker2"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != "stop --time 30 dslab-worker2\nstart dslab-worker2\n" {
		t.Errorf("engine commands:\n%s", got)
	}

	info, _ = fakeEngine(t, true)
	prov, err = NewKindProvider(info, newProgressLogger(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	err = prov.Stop(ctx, []string{"dslab-worker2"})
	var ce *engine.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "No such container") {
		t.Errorf("failing docker stop: %v", err)
	}
}
