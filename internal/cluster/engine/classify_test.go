package engine

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"unicode"
)

const kindImage = "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5"

// The errors and outputs below are what kind, docker and podman print.
func TestClassifyKindError(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		output string
		class  Class
		want   []string // substrings of the Korean message
	}{
		{
			name:  "docker binary missing (exec)",
			err:   fmt.Errorf("docker info: %w", &exec.Error{Name: "docker", Err: exec.ErrNotFound}),
			class: ClassNoEngine,
			want:  []string{"컨테이너 엔진(container engine)", "apt-get install docker.io", "--runtime embedded"},
		},
		{
			name:  "kind found no provider",
			err:   errors.New("failed to detect any supported node provider"),
			class: ClassNoEngine,
			want:  []string{"docker 나 podman"},
		},
		{
			name:   "docker daemon not running (kind info)",
			err:    errors.New(`failed to get docker info: command "docker info --format '{{json .}}'" failed with error: exit status 1`),
			output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
			class:  ClassEngineNotRunning,
			want:   []string{"데몬(daemon)", "systemctl start docker"},
		},
		{
			name:   "podman machine not started",
			err:    errors.New("exit status 125"),
			output: "Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\nError: unable to connect to Podman socket: failed to connect: dial tcp 127.0.0.1:52453: connect: connection refused",
			class:  ClassEngineNotRunning,
			want:   []string{"podman machine start"},
		},
		{
			name:   "docker desktop not started (windows pipe)",
			err:    errors.New("exit status 1"),
			output: `error during connect: this error may indicate that the docker daemon is not running: Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/info": open //./pipe/docker_engine: The system cannot find the file specified.`,
			class:  ClassEngineNotRunning,
			want:   []string{"Docker Desktop"},
		},
		{
			name:   "docker socket permission",
			err:    errors.New("exit status 1"),
			output: `permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/info": dial unix /var/run/docker.sock: connect: permission denied`,
			class:  ClassEnginePermission,
			want:   []string{"권한(permission)", "usermod -aG docker"},
		},
		{
			name:   "offline node image pull (the notes' failure)",
			err:    fmt.Errorf(`failed to pull image %q: %w`, kindImage, errors.New(`command "docker pull `+kindImage+`" failed with error: exit status 1`)),
			output: `Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host`,
			class:  ClassImagePull,
			want:   []string{"노드 이미지(node image) kindest/node:v1.37.0 을", "오프라인(offline)", "dslab images load", "--image"},
		},
		{
			name:   "pull rate limit",
			err:    fmt.Errorf(`failed to pull image %q: exit status 1`, kindImage),
			output: "toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
			class:  ClassImagePull,
			want:   []string{"횟수 제한(rate limit)"},
		},
		{
			name:   "exercise image pull",
			err:    errors.New(`failed to pull image "quay.io/prometheus/node-exporter:v1.8.2": exit status 1`),
			output: `Error response from daemon: Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.255.255.53:53: no such host`,
			class:  ClassImagePull,
			want:   []string{"이미지(image) quay.io/prometheus/node-exporter:v1.8.2 를"},
		},
		{
			name:   "unknown node image tag",
			err:    errors.New(`failed to pull image "kindest/node:v9.9.9": exit status 1`),
			output: "Error response from daemon: manifest for kindest/node:v9.9.9 not found: manifest unknown: manifest unknown",
			class:  ClassImagePull,
			want:   []string{"kindest/node:v9.9.9", "태그(tag)가 없습니다"},
		},
		{
			name:   "privileged refused (the notes' docker run)",
			err:    errors.New(`command "docker run --name dslab-control-plane --hostname dslab-control-plane --label io.x-k8s.kind.role=control-plane --privileged --restart=on-failure:1 ..." failed with error: exit status 125`),
			output: "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown.\n\nRun 'docker run --help' for more information",
			class:  ClassPrivileged,
			want:   []string{"특권 컨테이너(privileged container)", "unable to apply caps"},
		},
		{
			name:  "node systemd never reached multi-user (cgroups)",
			err:   errors.New(`could not find a log line that matches "Reached target .*Multi-User System.*|detected cgroup v1"`),
			class: ClassCgroup,
			want:  []string{"컨트롤 그룹(cgroup)", "cgroup v2", "systemd.unified_cgroup_hierarchy=1"},
		},
		{
			name:  "rootless on cgroup v1",
			err:   errors.New("running kind with rootless provider requires cgroup v2, see https://kind.sigs.k8s.io/docs/user/rootless/"),
			class: ClassCgroup,
			want:  []string{"Delegate=yes"},
		},
		{
			name:  "rootless without delegation",
			err:   errors.New(`running kind with rootless provider requires setting systemd property "Delegate=yes", see https://kind.sigs.k8s.io/docs/user/rootless/`),
			class: ClassCgroup,
		},
		{
			name:   "api server port taken",
			err:    errors.New(`command "docker run --name dslab-control-plane ... --publish=127.0.0.1:6443:6443/TCP ..." failed with error: exit status 125`),
			output: "docker: Error response from daemon: driver failed programming external connectivity on endpoint dslab-control-plane (3f0c…): Bind for 127.0.0.1:6443 failed: port is already allocated.",
			class:  ClassPortInUse,
			want:   []string{"포트(port)", "ss -ltnp"},
		},
		{
			name:  "port taken (listen)",
			err:   errors.New("failed to get random host port for port mapping: listen tcp4 127.0.0.1:0: bind: address already in use"),
			class: ClassPortInUse,
		},
		{
			name:   "disk full during pull",
			err:    fmt.Errorf(`failed to pull image %q: exit status 1`, kindImage),
			output: "write /var/lib/docker/tmp/GetImageBlob476521011: no space left on device",
			class:  ClassDiskFull,
			want:   []string{"디스크 공간(disk space)", "docker system prune"},
		},
		{
			name:  "kubeadm init failed",
			err:   errors.New(`failed to init node with kubeadm: command "docker exec --privileged dslab-control-plane kubeadm init --config=/kind/kubeadm.conf --skip-token-print --v=6" failed with error: exit status 1`),
			class: ClassUnknown,
			want:  []string{"dslab doctor"},
		},
		{
			name:  "nil error",
			class: ClassUnknown,
		},
	}
	messages := map[Class]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			class, msg := ClassifyKindError(tc.err, tc.output)
			if class != tc.class {
				t.Fatalf("class = %q, want %q", class, tc.class)
			}
			if !hasHangul(msg) || !strings.Contains(msg, "→ 해결: ") {
				t.Errorf("message is not a Korean cause + fix:\n%s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if prev, ok := messages[class]; ok && class != ClassImagePull && prev != msg {
				t.Errorf("class %s has two messages", class)
			}
			messages[class] = msg
		})
	}
	// Every class has its own explanation.
	seen := map[string]Class{}
	for _, c := range Classes() {
		e := newError(c, errors.New("x"), "")
		if other, dup := seen[e.Cause]; dup {
			t.Errorf("classes %s and %s share the cause %q", c, other, e.Cause)
		}
		seen[e.Cause] = c
		if e.Fix == "" || !hasHangul(e.Fix) {
			t.Errorf("class %s has no Korean fix", c)
		}
	}
}

func TestClassifiedErrorKeepsOriginal(t *testing.T) {
	orig := fmt.Errorf(`failed to pull image %q: exit status 1`, kindImage)
	e := Classify(orig, "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host")
	if !errors.Is(e, orig) {
		t.Error("classified error does not wrap the original")
	}
	msg := e.Error()
	for _, w := range []string{e.Cause, "→ 해결: " + e.Fix, "kind 오류(error): failed to pull image", "no such host"} {
		if !strings.Contains(msg, w) {
			t.Errorf("Error() lacks %q:\n%s", w, msg)
		}
	}
	// Classifying again keeps the first classification.
	if again := Classify(fmt.Errorf("wrapped: %w", e), ""); again != e {
		t.Error("re-classifying a classified error lost it")
	}
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
