package engine

import (
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// Class is a kind of failure of the kind runtime, each with its own Korean
// explanation and fix.
type Class string

const (
	ClassNoEngine         Class = "no-engine"          // no docker/podman binary
	ClassEngineNotRunning Class = "engine-not-running" // binary found, daemon does not answer
	ClassEnginePermission Class = "engine-permission"  // daemon socket not accessible to this user
	ClassImagePull        Class = "image-pull"         // node image cannot be pulled (offline, registry, rate limit)
	ClassPrivileged       Class = "privileged"         // privileged containers refused
	ClassCgroup           Class = "cgroup"             // cgroup v1 / rootless delegation / systemd in the node
	ClassPortInUse        Class = "port-in-use"        // a host port is taken
	ClassDiskFull         Class = "disk-full"          // no space left on device
	ClassUnknown          Class = "unknown"
)

// Classes lists every class, in the order rules are tried.
func Classes() []Class {
	return []Class{ClassNoEngine, ClassEnginePermission, ClassEngineNotRunning, ClassDiskFull,
		ClassPrivileged, ClassPortInUse, ClassCgroup, ClassImagePull, ClassUnknown}
}

// Error is a classified kind failure. Its message is Korean: the cause, the
// fix, and kind's own error last.
type Error struct {
	Class  Class
	Cause  string // Korean
	Fix    string // Korean
	Err    error  // the original error
	Output string // what the failing command printed, if known
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Cause)
	b.WriteString("\n  → 해결: ")
	b.WriteString(e.Fix)
	if detail := e.Detail(); detail != "" {
		b.WriteString("\n  (kind 오류(error): ")
		b.WriteString(detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the original error.
func (e *Error) Unwrap() error { return e.Err }

// Detail is the original error and the last line of the command output
// (where docker says why), each shortened for display.
func (e *Error) Detail() string {
	var parts []string
	if e.Err != nil {
		parts = append(parts, shorten(firstLine(e.Err.Error()), 240))
	}
	if last := lastLine(e.Output); last != "" && (e.Err == nil || !strings.Contains(e.Err.Error(), last)) {
		parts = append(parts, shorten(last, 300))
	}
	return strings.Join(parts, ": ")
}

// Message is the Korean cause and fix on one line each, without kind's error.
func (e *Error) Message() string { return e.Cause + "\n  → 해결: " + e.Fix }

// ClassifyKindError returns the class of a kind failure and its Korean
// explanation (cause and fix). output is what the failing command printed
// (kind's exec.RunError.Output), which often holds the real reason.
func ClassifyKindError(err error, output string) (Class, string) {
	e := Classify(err, output)
	return e.Class, e.Message()
}

// Classify wraps err as a classified *Error. An err that already is one is
// returned as is.
func Classify(err error, output string) *Error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	return newError(classOf(err, output), err, output)
}

// rule maps substrings (matched case-insensitively against the error and the
// output) to a class.
type rule struct {
	class Class
	any   []string
}

var rules = []rule{
	{ClassNoEngine, []string{
		"executable file not found",
		"failed to detect any supported node provider",
		"neither docker nor podman found",
	}},
	{ClassEnginePermission, []string{
		"permission denied while trying to connect to the docker daemon",
		"docker.sock: connect: permission denied",
		"podman.sock: connect: permission denied",
	}},
	{ClassEngineNotRunning, []string{
		"cannot connect to the docker daemon",
		"is the docker daemon running",
		"cannot connect to podman",
		"unable to connect to podman",
		"error during connect",
		"cannot connect to the daemon",
		"docker daemon is not running",
		"connect: no such file or directory",
	}},
	{ClassDiskFull, []string{
		"no space left on device",
	}},
	{ClassPrivileged, []string{
		"unable to apply caps",
		"privileged mode is incompatible",
		"privileged containers are not allowed",
		"--privileged is not allowed",
		"operation not permitted: unknown",
	}},
	{ClassPortInUse, []string{
		"port is already allocated",
		"address already in use",
		"ports are not available",
	}},
	{ClassCgroup, []string{
		"could not find a log line that matches",
		"requires cgroup v2",
		"delegate=yes",
		"cgroup v1 is deprecated",
		"cgroup mountpoint does not exist",
		"failed to create cgroup",
		"cgroups: ",
		"init.scope control group",
		"this script needs /sys/fs/cgroup",
	}},
	{ClassImagePull, []string{
		"failed to pull image",
		"pull access denied",
		"manifest unknown",
		"toomanyrequests",
		"error pulling image",
	}},
}

func classOf(err error, output string) Class {
	if err == nil {
		return ClassUnknown
	}
	if errors.Is(err, exec.ErrNotFound) {
		return ClassNoEngine
	}
	text := strings.ToLower(err.Error() + "\n" + output)
	for _, r := range rules {
		for _, s := range r.any {
			if strings.Contains(text, s) {
				return r.class
			}
		}
	}
	return ClassUnknown
}

var pullImageRE = regexp.MustCompile(`failed to pull image "([^"]+)"`)

func newError(class Class, err error, output string) *Error {
	e := &Error{Class: class, Err: err, Output: output}
	all := output
	if err != nil {
		all = err.Error() + "\n" + output
	}
	lower := strings.ToLower(all)
	switch class {
	case ClassNoEngine:
		e.Cause = "컨테이너 엔진(container engine)을 찾지 못했습니다: docker 나 podman 명령이 PATH 에 없습니다. kind 는 노드(node)를 컨테이너로 실행하므로 엔진이 있어야 합니다."
		e.Fix = "Docker Engine 이나 Podman 을 설치하세요 (Debian: sudo apt-get install docker.io). 설치하지 않아도 --runtime embedded 로 실습할 수 있습니다."
	case ClassEngineNotRunning:
		e.Cause = "컨테이너 엔진(docker/podman)은 설치되어 있지만 데몬(daemon)이 응답하지 않습니다: 소켓(socket)에 연결할 수 없습니다."
		e.Fix = "데몬을 시작하세요: sudo systemctl start docker (Docker Desktop 은 앱을 실행, Podman 은 podman machine start 또는 systemctl --user start podman.socket). docker info 가 성공하면 다시 시도하세요."
	case ClassEnginePermission:
		e.Cause = "Docker 데몬 소켓(/var/run/docker.sock)에 접근할 권한(permission)이 없습니다."
		e.Fix = "사용자를 docker 그룹에 넣고 (sudo usermod -aG docker $USER) 다시 로그인하세요. 그동안은 --runtime embedded 로 실습할 수 있습니다."
	case ClassImagePull:
		image := "kindest/node"
		if m := pullImageRE.FindStringSubmatch(all); m != nil {
			image = m[1]
			if i := strings.Index(image, "@sha256:"); i >= 0 {
				image = image[:i] // the digest tells a learner nothing
			}
		}
		why := "이미지 저장소(registry)에 연결할 수 없습니다. 오프라인(offline)이거나 방화벽(firewall)이 막고 있습니다"
		switch {
		case strings.Contains(lower, "toomanyrequests"):
			why = "이미지 저장소의 내려받기 횟수 제한(rate limit)에 걸렸습니다"
		case strings.Contains(lower, "manifest unknown") || strings.Contains(lower, "not found: manifest"):
			why = "저장소에 그런 이미지 태그(tag)가 없습니다"
		case strings.Contains(lower, "pull access denied") || strings.Contains(lower, "unauthorized"):
			why = "이미지에 접근할 권한이 없거나 이름이 틀렸습니다"
		}
		label := "kind 노드 이미지(node image)"
		if !strings.Contains(image, "kindest/node") {
			label = "이미지(image)"
		}
		e.Cause = fmt.Sprintf("%s %s %s 내려받지(pull) 못했습니다: %s.", label, image, hangul.EulReul(image), why)
		e.Fix = "네트워크가 되는 컴퓨터에서 dslab images save dslab-images.tar 로 이미지 묶음(offline kit)을 만들어 이 컴퓨터에서 dslab images load dslab-images.tar 로 적재하거나, 이미 있는 노드 이미지를 --image 로 지정하세요. 그동안은 --runtime embedded 로 실습할 수 있습니다."
	case ClassPrivileged:
		e.Cause = "컨테이너 엔진이 특권 컨테이너(privileged container)를 거부했습니다 (unable to apply caps: operation not permitted). kind 노드는 특권 컨테이너로만 실행되는데, 이 컴퓨터가 권한이 제한된 컨테이너나 VM 안에서 돌고 있을 때 흔히 생깁니다."
		e.Fix = "특권 컨테이너를 허용하는 호스트(host)에서 실행하세요 (중첩 컨테이너라면 바깥 컨테이너를 --privileged 로 시작). 이 컴퓨터에서는 --runtime embedded 로 실습하세요."
	case ClassCgroup:
		e.Cause = "컨트롤 그룹(cgroup) 문제로 kind 노드 컨테이너가 제대로 시작되지 않았습니다. cgroup v1 은 지원 중단(deprecated)되었고, rootless 엔진은 cgroup v2 와 위임(Delegate=yes)이 필요합니다."
		e.Fix = "cgroup v2 를 쓰는 커널/배포판으로 부팅하세요: 커널 인수(kernel parameter) systemd.unified_cgroup_hierarchy=1. rootless 라면 systemd 에 Delegate=yes 를 설정하세요 (https://kind.sigs.k8s.io/docs/user/rootless/). 그동안은 --runtime embedded 로 실습할 수 있습니다."
	case ClassPortInUse:
		e.Cause = "kind 가 쓰려는 포트(port)를 다른 프로그램이 이미 쓰고 있습니다 (address already in use)."
		e.Fix = "그 포트를 쓰는 프로그램이나 이전 클러스터를 끄세요 (dslab cluster down, kind get clusters, ss -ltnp 로 확인)."
	case ClassDiskFull:
		e.Cause = "디스크 공간(disk space)이 부족합니다 (no space left on device)."
		e.Fix = "docker system prune 으로 쓰지 않는 이미지와 컨테이너를 지우거나 공간을 확보하세요. kind 클러스터에는 약 5 GiB 가 필요합니다."
	default:
		e.Class = ClassUnknown
		e.Cause = "kind 런타임(runtime)에서 예상하지 못한 오류가 났습니다."
		e.Fix = "dslab doctor 로 환경을 점검하고 아래 kind 오류를 확인하세요. --runtime embedded 로는 실습할 수 있습니다."
	}
	return e
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.HasPrefix(l, "Run '") {
			return l
		}
	}
	return ""
}

func shorten(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
