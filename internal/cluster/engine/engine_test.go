package engine

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// fakeEngine answers `<name> info` like a real engine would.
type fakeEngine struct {
	stdout, stderr string
	err            error
	hang           bool
}

func prober(engines map[string]fakeEngine) *ExecProber {
	p := NewProber()
	p.Timeout = 50 * time.Millisecond
	p.LookPath = func(name string) (string, error) {
		if _, ok := engines[name]; ok {
			return "/usr/bin/" + name, nil
		}
		return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
	}
	p.Run = func(ctx context.Context, path string, args ...string) ([]byte, []byte, error) {
		name := path[strings.LastIndex(path, "/")+1:]
		e := engines[name]
		if strings.Join(args, " ") != "info --format {{json .}}" {
			return nil, nil, errors.New("unexpected args " + strings.Join(args, " "))
		}
		if e.hang {
			<-ctx.Done()
			return nil, nil, ctx.Err()
		}
		return []byte(e.stdout), []byte(e.stderr), e.err
	}
	return p
}

const dockerRunning = `{"ID":"2UKU","Driver":"overlay2","CgroupDriver":"cgroupfs","CgroupVersion":"1","DockerRootDir":"/var/lib/docker","ServerVersion":"20.10.24+dfsg1","SecurityOptions":["name=seccomp,profile=default"]}`

// docker 28's client without a daemon: JSON with empty server fields on
// stdout, the reason on stderr, exit 1.
const docker28NoDaemon = `{"ID":"","Containers":0,"ServerVersion":"","ClientInfo":{"Version":"28.2.2"}}`

// docker 20.10's client without a daemon: exit 0, the reason in ServerErrors.
const docker20NoDaemon = `{"ServerErrors":["Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"],"ClientInfo":{"Debug":false}}`

const podmanRootless = `{"host":{"cgroupVersion":"v2","cgroupManager":"systemd","security":{"rootless":true}},"store":{"graphRoot":"/home/u/.local/share/containers/storage"},"version":{"Version":"5.4.2"}}`

func TestProbe(t *testing.T) {
	notRunning := "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
	tests := []struct {
		name     string
		engines  map[string]fakeEngine
		engine   string
		answers  bool
		rootless bool
		cgroup   string
		problem  Class
	}{
		{name: "no engine", engines: map[string]fakeEngine{}, problem: ClassNoEngine},
		{name: "docker answers", engines: map[string]fakeEngine{"docker": {stdout: dockerRunning}}, engine: Docker, answers: true, cgroup: "1"},
		{name: "docker 28 without daemon", engines: map[string]fakeEngine{"docker": {stdout: docker28NoDaemon, stderr: notRunning, err: errors.New("exit status 1")}}, engine: Docker, problem: ClassEngineNotRunning},
		{name: "docker 20.10 without daemon", engines: map[string]fakeEngine{"docker": {stdout: docker20NoDaemon}}, engine: Docker, problem: ClassEngineNotRunning},
		{name: "docker hangs", engines: map[string]fakeEngine{"docker": {hang: true}}, engine: Docker, problem: ClassEngineNotRunning},
		{name: "docker socket permission", engines: map[string]fakeEngine{"docker": {stderr: "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: permission denied", err: errors.New("exit status 1")}}, engine: Docker, problem: ClassEnginePermission},
		{name: "docker down, podman answers", engines: map[string]fakeEngine{"docker": {stderr: notRunning, err: errors.New("exit status 1")}, "podman": {stdout: podmanRootless}}, engine: Podman, answers: true, rootless: true, cgroup: "2"},
		{name: "podman-docker shim", engines: map[string]fakeEngine{"docker": {stdout: podmanRootless}}, engine: Podman, answers: true, rootless: true, cgroup: "2"},
		{name: "garbage output", engines: map[string]fakeEngine{"docker": {stdout: "not json"}}, engine: Docker, problem: ClassEngineNotRunning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info := prober(tc.engines).Probe(context.Background())
			if info.Answers() != tc.answers || info.Engine != tc.engine {
				t.Fatalf("got engine %q answers=%v (err %v), want %q answers=%v", info.Engine, info.Answers(), info.Err, tc.engine, tc.answers)
			}
			if tc.answers {
				if info.Problem() != nil {
					t.Errorf("an answering engine has a problem: %v", info.Problem())
				}
				if info.Rootless != tc.rootless || info.CgroupVersion != tc.cgroup || info.ServerVersion == "" || info.RootDir == "" {
					t.Errorf("facts not read: %+v", info)
				}
				return
			}
			p := info.Problem()
			if p == nil || p.Class != tc.problem {
				t.Fatalf("problem = %v, want class %s", p, tc.problem)
			}
		})
	}
}

// The production prober against this machine: whatever it finds must be
// self-consistent and classified.
func TestProbeThisMachine(t *testing.T) {
	info := NewProber().Probe(context.Background())
	t.Logf("engine=%q path=%q running=%v version=%q cgroup=%q err=%v", info.Engine, info.Path, info.Running, info.ServerVersion, info.CgroupVersion, info.Err)
	if info.Running {
		if info.Problem() != nil {
			t.Fatal("running engine with a problem")
		}
		return
	}
	p := info.Problem()
	if p == nil {
		t.Fatal("engine not running but no problem")
	}
	switch p.Class {
	case ClassNoEngine, ClassEngineNotRunning, ClassEnginePermission:
	default:
		t.Fatalf("unexpected class %s for an engine that does not answer: %v", p.Class, p)
	}
}
