package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/paths"
)

type fakeKind struct {
	image    string
	present  bool
	clusters []string
}

func (f fakeKind) NodeImagePresent(context.Context) (string, bool, error) {
	return f.image, f.present, nil
}
func (f fakeKind) Clusters(context.Context) ([]string, error) { return f.clusters, nil }

func testDoctorPaths(t *testing.T) paths.Paths {
	return paths.Under(t.TempDir())
}

var (
	noEngine = engine.Info{Err: errors.New("neither docker nor podman found in PATH: executable file not found in $PATH")}
	docker   = engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Running: true, ServerVersion: "20.10.24", CgroupVersion: "1", RootDir: "/var/lib/docker"}
)

// healthy returns deps of a machine where everything is fine apart from what
// a test changes.
func healthy(t *testing.T, info engine.Info, kind fakeKind) doctorDeps {
	env := map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}
	return doctorDeps{
		paths:        testDoctorPaths(t),
		getenv:       func(k string) string { return env[k] },
		probe:        engine.ProberFunc(func(context.Context) engine.Info { return info }),
		kind:         func(engine.Info) kindInspector { return kind },
		memAvailable: func() (uint64, error) { return 16 << 30, nil },
		diskFree:     func(string) (uint64, error) { return 50 << 30, nil },
		listen:       net.Listen,
		terminal:     func() (int, int, bool) { return 120, 40, true },
		privileged:   func(context.Context, engine.Info, string) error { return nil },
	}
}

func check(t *testing.T, rep doctorReport, id string) doctorCheck {
	t.Helper()
	for _, c := range rep.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", id, rep.Checks)
	return doctorCheck{}
}

func TestDoctorWithoutEngineIsNotBlocked(t *testing.T) {
	rep := runDoctor(context.Background(), healthy(t, noEngine, fakeKind{}))
	if rep.Blocked || rep.Runtime != "embedded" || doctorExit(rep) != nil {
		t.Fatalf("report %+v", rep)
	}
	e := check(t, rep, "engine")
	if e.Status != checkFail || e.Blocking || !strings.Contains(e.Fix, "apt-get install docker.io") || !strings.Contains(e.Message, "embedded") {
		t.Errorf("engine check %+v", e)
	}
	if c := check(t, rep, "node-image"); c.Status != checkSkip {
		t.Errorf("node image %+v", c)
	}
	var out bytes.Buffer
	writeDoctorText(textOut{w: &out}, rep)
	text := out.String()
	for _, w := range []string{
		"! 컨테이너 엔진(container engine): ",
		"(실습은 가능) → 해결: Docker Engine 이나 Podman 을 설치하세요",
		"– 노드 이미지(node image): ",
		"✓ 메모리(memory): 사용 가능 16.0 GiB",
		"✓ 포트(port): 127.0.0.1 에 포트를 열 수 있습니다",
		"✓ 터미널(terminal): 120×40, 색: 트루컬러(truecolor)",
		"결과: 실습할 수 있습니다. dslab cluster up 은 embedded 런타임을 씁니다.",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
	// one line per check, plus a title and a result line
	if lines := strings.Count(text, "\n"); lines != len(rep.Checks)+2 {
		t.Errorf("%d lines for %d checks:\n%s", lines, len(rep.Checks), text)
	}
}

func TestDoctorKindChecks(t *testing.T) {
	// engine up, node image missing: kind will have to pull.
	rep := runDoctor(context.Background(), healthy(t, docker, fakeKind{image: "kindest/node:v1.37.0"}))
	if rep.Blocked || rep.Runtime != "kind" || !rep.KindMayFail {
		t.Fatalf("report %+v", rep)
	}
	if c := check(t, rep, "node-image"); c.Status != checkFail || c.Blocking || !strings.Contains(c.Fix, "dslab images load") {
		t.Errorf("node image %+v", c)
	}
	for _, c := range rep.Checks {
		if c.ID == "privileged" {
			t.Error("privileged check ran without a node image")
		}
	}

	// image present, privileged refused.
	d := healthy(t, docker, fakeKind{image: "kindest/node:v1.37.0", present: true, clusters: []string{"dslab", "other"}})
	d.privileged = func(context.Context, engine.Info, string) error {
		return errors.New("docker run --privileged: exit status 125: docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown.")
	}
	rep = runDoctor(context.Background(), d)
	p := check(t, rep, "privileged")
	if p.Status != checkFail || p.Blocking || !strings.Contains(p.Message, "특권 컨테이너(privileged container)") {
		t.Errorf("privileged %+v", p)
	}
	if !rep.KindMayFail || rep.Blocked {
		t.Errorf("report %+v", rep)
	}
	cl := check(t, rep, "clusters")
	if !strings.Contains(cl.Message, "dslab (kind)") || !strings.Contains(cl.Message, "다른 kind 클러스터 other") {
		t.Errorf("clusters %+v", cl)
	}
	var out bytes.Buffer
	writeDoctorText(textOut{w: &out}, rep)
	if !strings.Contains(out.String(), "kind 를 먼저 시도하고") {
		t.Errorf("result line:\n%s", out.String())
	}

	// all good
	rep = runDoctor(context.Background(), healthy(t, docker, fakeKind{image: "kindest/node:v1.37.0", present: true}))
	if rep.Blocked || rep.KindMayFail {
		t.Errorf("healthy machine: %+v", rep)
	}
	for _, c := range rep.Checks {
		if c.Status != checkOK {
			t.Errorf("%s: %+v", c.ID, c)
		}
	}
}

func TestDoctorBlocking(t *testing.T) {
	tests := map[string]struct {
		change func(d *doctorDeps)
		id     string
	}{
		"little memory": {func(d *doctorDeps) { d.memAvailable = func() (uint64, error) { return 512 << 20, nil } }, "memory"},
		"full disk":     {func(d *doctorDeps) { d.diskFree = func(string) (uint64, error) { return 100 << 20, nil } }, "disk"},
		"no loopback": {func(d *doctorDeps) {
			d.listen = func(string, string) (net.Listener, error) {
				return nil, errors.New("listen tcp 127.0.0.1:0: socket: operation not permitted")
			}
		}, "ports"},
		"kubeconfig is a directory": {func(d *doctorDeps) {
			if err := os.MkdirAll(d.paths.Kubeconfig(), 0o755); err != nil {
				panic(err)
			}
		}, "kubeconfig"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := healthy(t, noEngine, fakeKind{})
			tc.change(&d)
			rep := runDoctor(context.Background(), d)
			c := check(t, rep, tc.id)
			if !rep.Blocked || c.Status != checkFail || !c.Blocking || c.Fix == "" {
				t.Fatalf("%+v", c)
			}
			var ee *ExitError
			if err := doctorExit(rep); !errors.As(err, &ee) || ee.Code != ExitFailure || !strings.Contains(ee.Error(), "1개") {
				t.Errorf("exit %v", err)
			}
			for _, other := range rep.Checks {
				if other.ID != tc.id && other.Blocking {
					t.Errorf("%s also blocks: %+v", other.ID, other)
				}
			}
		})
	}
}

func TestDoctorTerminal(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		tty    bool
		cols   int
		rows   int
		status string
		want   string
	}{
		{"big tty", map[string]string{"TERM": "xterm-256color"}, true, 100, 30, checkOK, "100×30, 색: 256색"},
		{"small tty", map[string]string{"TERM": "xterm"}, true, 59, 20, checkFail, "60×12 이상"},
		{"short tty", map[string]string{"TERM": "xterm"}, true, 100, 11, checkFail, "60×12 이상"},
		{"the TUI's minimum", map[string]string{"TERM": "xterm"}, true, 60, 12, checkOK, "60×12, 색"},
		{"dumb", map[string]string{"TERM": "dumb"}, true, 100, 30, checkFail, "TERM=dumb"},
		{"no colour", map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}, true, 100, 30, checkOK, "끔 (NO_COLOR)"},
		{"pipe", map[string]string{"TERM": "xterm"}, false, 0, 0, checkSkip, "터미널이 아닙니다"},
		{"pipe with COLUMNS", map[string]string{"COLUMNS": "132", "LINES": "50", "TERM": "screen"}, false, 0, 0, checkOK, "132×50, 색: 16색 (TERM=screen)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := doctorDeps{
				getenv:   func(k string) string { return tc.env[k] },
				terminal: func() (int, int, bool) { return tc.cols, tc.rows, tc.tty },
			}
			c := checkTerminal(d)
			if c.Status != tc.status || !strings.Contains(c.Message, tc.want) || c.Blocking {
				t.Errorf("%+v", c)
			}
		})
	}
}

func TestParseMemAvailable(t *testing.T) {
	got, err := parseMemAvailable(strings.NewReader("MemTotal:       24732180 kB\nMemFree:        17000000 kB\nMemAvailable:   22000000 kB\n"))
	if err != nil || got != 22000000*1024 {
		t.Errorf("got %d, %v", got, err)
	}
	if _, err := parseMemAvailable(strings.NewReader("MemTotal: 1 kB\n")); err == nil {
		t.Error("no error without MemAvailable")
	}
}

// The real command on this machine: JSON that parses, and an exit code that
// agrees with it.
func TestDoctorCommandJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	p := testDoctorPaths(t)
	env := Env{
		Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut},
		Paths:   p,
		Getenv:  func(k string) string { return map[string]string{"TERM": "xterm"}[k] },
	}
	code := Run(context.Background(), env, []string{"doctor", "-o", "json"})
	var rep doctorReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if (code == ExitFailure) != rep.Blocked || (code != ExitOK && code != ExitFailure) {
		t.Errorf("exit %d with blocked=%v; stderr %s", code, rep.Blocked, errOut.String())
	}
	if len(rep.Checks) < 9 {
		t.Errorf("%d checks", len(rep.Checks))
	}
	for _, c := range rep.Checks {
		if c.ID == "" || c.Title == "" || c.Message == "" {
			t.Errorf("incomplete check %+v", c)
		}
		if c.Status == checkFail && c.Fix == "" {
			t.Errorf("failed check without a fix %+v", c)
		}
	}
	if code := Run(context.Background(), env, []string{"doctor", "-o", "yaml"}); code != ExitUsage {
		t.Errorf("-o yaml exit %d", code)
	}
}

func TestImagesCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	env := Env{
		Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut},
		Paths:   testDoctorPaths(t),
		Getenv:  unwrapped,
	}
	if code := Run(context.Background(), env, []string{"images", "list"}); code != ExitOK {
		t.Fatalf("list exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want, err := exercises.Images()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(lines[0], "kindest/node:") || strings.Join(lines[1:], " ") != strings.Join(want, " ") {
		t.Errorf("list:\n%s\nwant the node image and %q", out.String(), want)
	}
	out.Reset()
	if code := Run(context.Background(), env, []string{"images", "list", "--image", "example.org/node:v1"}); code != ExitOK || !strings.HasPrefix(out.String(), "example.org/node:v1\n") {
		t.Errorf("list --image: %d %q", code, out.String())
	}
	if code := Run(context.Background(), env, []string{"images", "save"}); code != ExitUsage {
		t.Errorf("save without FILE: exit %d", code)
	}
	errOut.Reset()
	if code := Run(context.Background(), env, []string{"images", "load", filepath.Join(t.TempDir(), "missing.tar")}); code != ExitFailure || !strings.Contains(errOut.String(), "열 수 없습니다") {
		t.Errorf("load missing: exit %d, %s", code, errOut.String())
	}
	if code := Run(context.Background(), env, []string{"images", "save", "/nonexistent-dir/kit.tar"}); code != ExitUsage {
		t.Errorf("save into a missing dir: exit %d", code)
	}
}

func TestDoctorExistingClusters(t *testing.T) {
	d := healthy(t, docker, fakeKind{image: "kindest/node:v1.37.0", present: true, clusters: []string{"dslab", "kind"}})
	for name, content := range map[string]string{"dslab": "embedded\n", "class-2": "kind\n", "ghost": ""} {
		dir := d.paths.ClusterDir(name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if content != "" {
			if err := os.WriteFile(filepath.Join(dir, "runtime"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := check(t, runDoctor(context.Background(), d), "clusters")
	want := "class-2 (kind), dslab (embedded) — dslab cluster status 로 상태를 보고, 새로 시작하려면 dslab cluster down; 다른 kind 클러스터 kind 도 자원을 쓰고 있습니다"
	if c.Status != checkOK || c.Message != want {
		t.Errorf("clusters %+v\nwant message %q", c, want)
	}
}

// TestDoctorOnWindows: on Windows the embedded runtime refuses, so without a
// container engine the doctor blocks and names WSL2; with one it says kind
// works and which exercises need WSL2. Other systems get no platform line.
func TestDoctorOnWindows(t *testing.T) {
	d := healthy(t, noEngine, fakeKind{})
	d.goos = "windows"
	rep := runDoctor(context.Background(), d)
	c := check(t, rep, "platform")
	if !rep.Blocked || doctorExit(rep) == nil || c.Status != checkFail || !c.Blocking ||
		!strings.Contains(c.Fix, "WSL2") || !strings.Contains(c.Fix, "wsl --install") || !strings.Contains(c.Fix, "kind") {
		t.Fatalf("Windows without an engine: blocked %v, platform %+v", rep.Blocked, c)
	}
	var out bytes.Buffer
	writeDoctorText(textOut{w: &out}, rep)
	if !strings.Contains(out.String(), "✗ 운영체제(Windows): Windows 에서는 embedded 런타임을 쓸 수 없고") {
		t.Errorf("text:\n%s", out.String())
	}

	d = healthy(t, docker, fakeKind{image: "kindest/node:v1.37.0", present: true})
	d.goos = "windows"
	rep = runDoctor(context.Background(), d)
	if c := check(t, rep, "platform"); rep.Blocked || rep.Runtime != "kind" || c.Status != checkOK || !strings.Contains(c.Message, "WSL2") {
		t.Fatalf("Windows with Docker: blocked %v, runtime %s, platform %+v", rep.Blocked, rep.Runtime, c)
	}

	for _, goos := range []string{"linux", "darwin"} {
		d = healthy(t, noEngine, fakeKind{})
		d.goos = goos
		for _, c := range runDoctor(context.Background(), d).Checks {
			if c.ID == "platform" {
				t.Errorf("%s: unexpected platform check %+v", goos, c)
			}
		}
	}
}

// A problem the lab works around is a warning (!), not ✗: a report that
// ends "실습할 수 있습니다" has no ✗, and no line nests parentheses
// (issue 14), with no engine and with an engine whose daemon is down.
func TestDoctorWarningsNotCrosses(t *testing.T) {
	down := engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Err: errors.New("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")}
	for name, info := range map[string]engine.Info{"no engine": noEngine, "daemon down": down} {
		rep := runDoctor(context.Background(), healthy(t, info, fakeKind{}))
		var out bytes.Buffer
		writeDoctorText(textOut{w: &out}, rep)
		text := out.String()
		if rep.Blocked || !strings.Contains(text, "결과: 실습할 수 있습니다") {
			t.Fatalf("%s: blocked:\n%s", name, text)
		}
		if strings.Contains(text, "✗") || !strings.Contains(text, "! 컨테이너 엔진(container engine): ") {
			t.Errorf("%s: ✗ in a report that can run the lab, or no ! on the engine line:\n%s", name, text)
		}
		for _, l := range strings.Split(text, "\n") {
			depth, deepest := 0, 0
			for _, r := range l {
				switch r {
				case '(':
					depth++
					deepest = max(deepest, depth)
				case ')':
					depth--
				}
			}
			if deepest > 1 {
				t.Errorf("%s: nested parentheses: %s", name, l)
			}
		}
	}
}
