package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/cluster/kind"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/tui"
)

// Check statuses.
const (
	checkOK   = "ok"
	checkFail = "fail"
	checkSkip = "skip"
)

// Thresholds of the preflight.
const (
	minMemEmbedded = 1 << 30 // the embedded control plane needs about 1 GiB
	minMemKind     = 4 << 30 // four kind nodes need about 4 GiB
	minDiskData    = 1 << 30 // state, logs
	minDiskKind    = 5 << 30 // node image and four node containers
	// The TUI's own minimum (below it the TUI shows only a Korean
	// message): one constant, so doctor never asks for more or less
	// (issue 14: doctor said 80×24, the TUI and README 60×12).
	minTermCols     = tui.MinWidth
	minTermRows     = tui.MinHeight
	privilegedProbe = 60 * time.Second
)

// doctorCheck is one line of `dslab doctor`.
type doctorCheck struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"` // ok, fail, skip
	// Blocking is true when the failure keeps the lab from running at all.
	Blocking bool   `json:"blocking"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// doctorReport is the whole preflight.
type doctorReport struct {
	Checks []doctorCheck `json:"checks"`
	// Blocked is true when some check blocks the lab.
	Blocked bool `json:"blocked"`
	// Runtime is what `dslab cluster up --runtime auto` will use.
	Runtime string `json:"runtime"`
	// KindMayFail is true when auto picks kind but a failed check says kind
	// will likely fail (and the cluster fall back to embedded).
	KindMayFail bool `json:"kindMayFail,omitempty"`
}

// kindInspector is what the doctor asks the kind runtime.
type kindInspector interface {
	NodeImagePresent(ctx context.Context) (string, bool, error)
	Clusters(ctx context.Context) ([]string, error)
}

// doctorDeps are the doctor's views of the machine (fakes in tests).
type doctorDeps struct {
	paths        paths.Paths
	getenv       func(string) string
	probe        engine.Prober
	kind         func(engine.Info) kindInspector
	memAvailable func() (uint64, error)
	diskFree     func(path string) (uint64, error)
	listen       func(network, addr string) (net.Listener, error)
	// terminal returns the size of the terminal on stdout; ok is false
	// when stdout is not a terminal.
	terminal func() (cols, rows int, ok bool)
	// privileged runs a privileged container from image (nil: not checked).
	privileged func(ctx context.Context, info engine.Info, image string) error
	// goos is the operating system dslab runs on (runtime.GOOS).
	goos string
}

func defaultDoctorDeps(env Env, image string) doctorDeps {
	return doctorDeps{
		paths:  env.Paths,
		getenv: env.Getenv,
		probe:  engine.NewProber(),
		kind: func(info engine.Info) kindInspector {
			return kind.New(env.Paths, kind.WithImage(image), kind.WithLogger(env.Logger()),
				kind.WithProber(engine.ProberFunc(func(context.Context) engine.Info { return info })))
		},
		memAvailable: memAvailable,
		diskFree:     diskFree,
		listen:       net.Listen,
		terminal: func() (int, int, bool) {
			f, ok := env.Streams.Out.(*os.File)
			if !ok || !term.IsTerminal(int(f.Fd())) {
				return 0, 0, false
			}
			w, h, err := term.GetSize(int(f.Fd()))
			return w, h, err == nil
		},
		privileged: runPrivileged,
		goos:       runtime.GOOS,
	}
}

func newDoctorCommand(env Env) *cobra.Command {
	var output, image string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "워크숍 사전 점검: 컨테이너 엔진, 노드 이미지, 메모리, 디스크, 포트, kubeconfig, 클러스터, 터미널",
		Long: "실습 전에 이 컴퓨터를 점검합니다. 항목마다 한 줄로 ✓, ! (실습은 가능한 문제) 또는 ✗ (실습을 막는 문제)와 해결 방법을 보여 줍니다.\n" +
			"컨테이너 엔진(Docker/Podman)이 없어도 embedded 런타임으로 실습할 수 있으므로 실습을 막는 문제로 치지 않습니다.\n" +
			"실습을 막는 문제가 있으면 종료 코드(exit code) 1 로 끝납니다.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return badFlagValue("--output(-o)", output, "text 또는 json 을 쓰세요")
			}
			rep := runDoctor(cmd.Context(), defaultDoctorDeps(env, image))
			if output == "json" {
				enc := json.NewEncoder(env.Streams.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				writeDoctorText(env.textOut(), rep)
			}
			return doctorExit(rep)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "출력 형식: text, json")
	cmd.Flags().StringVar(&image, "image", "", "확인할 kind 노드 이미지(node image) (기본값: kind 의 기본 이미지)")
	return cmd
}

// doctorExit is nil, or an exit-code-1 error when something blocks the lab.
func doctorExit(rep doctorReport) error {
	if !rep.Blocked {
		return nil
	}
	n := 0
	for _, c := range rep.Checks {
		if c.Status == checkFail && c.Blocking {
			n++
		}
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("실습을 막는 문제가 %d개 있습니다 (✗ 항목의 해결 방법을 따르세요)", n)}
}

func writeDoctorText(w textOut, rep doctorReport) {
	w.Println("dslab doctor — 워크숍 사전 점검")
	for _, c := range rep.Checks {
		mark := "✓"
		switch c.Status {
		case checkFail:
			// ✗ only for what blocks the lab; a problem the lab works
			// around (no container engine: embedded) is a warning.
			mark = "✗"
			if !c.Blocking {
				mark = "!"
			}
		case checkSkip:
			mark = "–"
		}
		line := fmt.Sprintf("%s %s: %s", mark, c.Title, c.Message)
		if c.Status == checkFail && !c.Blocking {
			line += " (실습은 가능)"
		}
		if c.Status == checkFail && c.Fix != "" {
			line += " → 해결: " + c.Fix
		}
		w.Println(line)
	}
	if rep.Blocked {
		w.Println("결과: 실습을 막는 문제가 있습니다. ✗ 항목을 해결한 뒤 dslab doctor 를 다시 실행하세요.")
		return
	}
	if rep.KindMayFail {
		w.Println("결과: 실습할 수 있습니다. dslab cluster up 은 kind 를 먼저 시도하고, 위의 ! 항목 때문에 실패하면 embedded 런타임으로 바꿉니다.")
		return
	}
	w.Printf("결과: 실습할 수 있습니다. dslab cluster up 은 %s 런타임을 씁니다.\n", rep.Runtime)
}

// runDoctor runs every check.
func runDoctor(ctx context.Context, d doctorDeps) doctorReport {
	info := d.probe.Probe(ctx)
	var rep doctorReport
	rep.Runtime = cluster.RuntimeEmbedded
	if info.Answers() {
		rep.Runtime = cluster.RuntimeKind
	}
	var ki kindInspector
	if d.kind != nil {
		ki = d.kind(info)
	}
	add := func(c doctorCheck) {
		rep.Checks = append(rep.Checks, c)
		if c.Status == checkFail && c.Blocking {
			rep.Blocked = true
		}
	}
	if d.goos == "windows" {
		add(checkWindows(info))
	}
	add(checkEngine(info))
	image, present := "", false
	if ki != nil && info.Answers() {
		var c doctorCheck
		c, image, present = checkNodeImage(ctx, ki)
		add(c)
	} else {
		add(doctorCheck{ID: "node-image", Title: "노드 이미지(node image)", Status: checkSkip,
			Message: "컨테이너 엔진이 없어 확인하지 않았습니다 (embedded 런타임에는 필요 없음)"})
	}
	if info.Answers() && present && d.privileged != nil {
		add(checkPrivileged(ctx, d, info, image))
	}
	add(checkMemory(d, info))
	add(checkDisk(d, info, present))
	add(checkPorts(d))
	add(checkKubeconfig(d))
	add(checkDataDir(d))
	add(checkClusters(ctx, d, info, ki))
	add(checkTerminal(d))
	if info.Answers() {
		for _, c := range rep.Checks {
			switch c.ID {
			case "node-image", "privileged", "memory", "disk":
				if c.Status == checkFail {
					rep.KindMayFail = true
				}
			}
		}
	}
	return rep
}

// checkWindows says what works on Windows: the embedded runtime and the
// rollout recorder refuse there (they need Unix process control, see
// embedded.WindowsUnsupported), so without a container engine nothing can
// run a cluster and the way out is WSL2.
func checkWindows(info engine.Info) doctorCheck {
	c := doctorCheck{ID: "platform", Title: "운영체제(Windows)"}
	if info.Answers() {
		c.Status = checkOK
		c.Message = "kind 런타임으로 실습합니다 (embedded 런타임과 롤아웃 기록기(rollout recorder)는 Windows 에서 돌지 않으니 그 연습은 WSL2 에서 하세요)"
		return c
	}
	c.Status = checkFail
	c.Blocking = true
	c.Message = "Windows 에서는 embedded 런타임을 쓸 수 없고, kind 에 필요한 컨테이너 엔진도 없습니다"
	c.Fix = "WSL2 (PowerShell 에서 wsl --install) 안에서 Linux 용 dslab 을 설치해 쓰거나 (권장), Docker Desktop 을 설치하고 kind 런타임을 쓰세요"
	return c
}

func checkEngine(info engine.Info) doctorCheck {
	c := doctorCheck{ID: "engine", Title: "컨테이너 엔진(container engine)"}
	if info.Answers() {
		c.Status = checkOK
		c.Message = fmt.Sprintf("%s %s %s 응답합니다", info.Engine, info.ServerVersion, hangul.IGa(info.ServerVersion))
		if info.CgroupVersion != "" {
			c.Message += fmt.Sprintf(" (cgroup v%s", info.CgroupVersion)
			if info.Rootless {
				c.Message += ", rootless"
			}
			c.Message += ")"
		}
		c.Message += " → kind 런타임을 쓸 수 있습니다"
		return c
	}
	p := info.Problem()
	c.Status = checkFail
	c.Message = p.Cause + " — kind 대신 embedded 런타임을 씁니다"
	c.Fix = p.Fix
	return c
}

func checkNodeImage(ctx context.Context, ki kindInspector) (doctorCheck, string, bool) {
	c := doctorCheck{ID: "node-image", Title: "노드 이미지(node image)"}
	image, ok, err := ki.NodeImagePresent(ctx)
	switch {
	case err != nil:
		c.Status = checkFail
		c.Message = fmt.Sprintf("확인하지 못했습니다: %v", firstLineOf(err.Error()))
	case ok:
		c.Status = checkOK
		c.Message = image + " " + hangul.IGa(image) + " 로컬에 있습니다 (오프라인에서도 kind 클러스터를 만들 수 있음)"
	default:
		c.Status = checkFail
		c.Message = image + " " + hangul.IGa(image) + " 로컬에 없습니다. kind 가 처음 만들 때 내려받는데(pull), 오프라인이면 실패하고 embedded 로 바뀝니다"
		c.Fix = "네트워크가 될 때 docker pull " + image + " 하거나, 강사가 준 이미지 묶음을 dslab images load <파일> 로 적재하세요"
	}
	return c, image, ok
}

func checkPrivileged(ctx context.Context, d doctorDeps, info engine.Info, image string) doctorCheck {
	c := doctorCheck{ID: "privileged", Title: "특권 컨테이너(privileged container)"}
	ctx, cancel := context.WithTimeout(ctx, privilegedProbe)
	defer cancel()
	if err := d.privileged(ctx, info, image); err != nil {
		ce := engine.Classify(err, "")
		c.Status = checkFail
		c.Message = ce.Cause
		c.Fix = ce.Fix
		return c
	}
	c.Status = checkOK
	c.Message = "엔진이 kind 노드에 필요한 특권 컨테이너를 실행합니다"
	return c
}

// runPrivileged starts a privileged container of the node image, as kind
// does, and returns the engine's own words on failure.
func runPrivileged(ctx context.Context, info engine.Info, image string) error {
	cmd := info.Command(ctx, "run", "--rm", "--privileged", "--entrypoint", "true", image)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s run --privileged: %w: %s", info.Engine, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func checkMemory(d doctorDeps, info engine.Info) doctorCheck {
	c := doctorCheck{ID: "memory", Title: "메모리(memory)"}
	avail, err := d.memAvailable()
	if err != nil {
		c.Status = checkSkip
		c.Message = "사용 가능한 메모리를 알 수 없습니다 (" + runtime.GOOS + ")"
		return c
	}
	c.Message = "사용 가능 " + humanBytes(avail)
	switch {
	case avail < minMemEmbedded:
		c.Status = checkFail
		c.Blocking = true
		c.Message += fmt.Sprintf(": 클러스터에 최소 %s %s 필요합니다", humanBytes(minMemEmbedded), hangul.IGa(humanBytes(minMemEmbedded)))
		c.Fix = "다른 프로그램(브라우저 탭, IDE, 다른 클러스터)을 닫아 메모리를 확보하세요"
	case info.Answers() && avail < minMemKind:
		c.Status = checkFail
		c.Message += fmt.Sprintf(": kind 노드 4개에는 약 %s %s 필요합니다", humanBytes(minMemKind), hangul.IGa(humanBytes(minMemKind)))
		c.Fix = "메모리를 확보하거나 dslab cluster up --runtime embedded 로 가볍게 실습하세요"
	default:
		c.Status = checkOK
	}
	return c
}

func checkDisk(d doctorDeps, info engine.Info, imagePresent bool) doctorCheck {
	c := doctorCheck{ID: "disk", Title: "디스크(disk)"}
	dir := existingAncestor(d.paths.DataDir)
	free, err := d.diskFree(dir)
	if err != nil {
		c.Status = checkSkip
		c.Message = fmt.Sprintf("%s 의 여유 공간을 알 수 없습니다: %v", dir, err)
		return c
	}
	c.Message = fmt.Sprintf("%s 여유 %s", dir, humanBytes(free))
	if free < minDiskData {
		c.Status = checkFail
		c.Blocking = true
		c.Message += fmt.Sprintf(": 클러스터 상태와 로그에 최소 %s %s 필요합니다", humanBytes(minDiskData), hangul.IGa(humanBytes(minDiskData)))
		c.Fix = "필요 없는 파일을 지워 공간을 확보하세요"
		return c
	}
	c.Status = checkOK
	if info.Answers() && info.RootDir != "" {
		if efree, err := d.diskFree(existingAncestor(info.RootDir)); err == nil {
			c.Message += fmt.Sprintf(", %s 여유 %s", info.RootDir, humanBytes(efree))
			if efree < minDiskKind && !imagePresent {
				c.Status = checkFail
				c.Message += fmt.Sprintf(": kind 노드 이미지와 노드 컨테이너에 약 %s %s 필요합니다", humanBytes(minDiskKind), hangul.IGa(humanBytes(minDiskKind)))
				c.Fix = "docker system prune 으로 쓰지 않는 이미지와 컨테이너를 지우거나 --runtime embedded 를 쓰세요"
			}
		}
	}
	return c
}

func checkPorts(d doctorDeps) doctorCheck {
	c := doctorCheck{ID: "ports", Title: "포트(port)"}
	l, err := d.listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.Status = checkFail
		c.Blocking = true
		c.Message = fmt.Sprintf("루프백(loopback, 127.0.0.1)에 포트를 열 수 없습니다: %v", err)
		c.Fix = "보안 프로그램이나 컨테이너 설정이 로컬 포트를 막고 있지 않은지 확인하세요 (API 서버(API server)가 127.0.0.1 의 포트를 씁니다)"
		return c
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	c.Status = checkOK
	c.Message = fmt.Sprintf("127.0.0.1 에 포트를 열 수 있습니다 (시험한 포트 %d)", port)
	return c
}

func checkKubeconfig(d doctorDeps) doctorCheck {
	c := doctorCheck{ID: "kubeconfig", Title: "kubeconfig 쓰기"}
	path := d.paths.Kubeconfig()
	if err := writable(path); err != nil {
		c.Status = checkFail
		c.Blocking = true
		c.Message = fmt.Sprintf("%s 에 쓸 수 없습니다: %v", path, err)
		c.Fix = fmt.Sprintf("파일과 디렉터리의 권한(permission)을 고치거나 (chmod u+w %s), KUBECONFIG 를 쓸 수 있는 파일로 지정하세요", path)
		return c
	}
	c.Status = checkOK
	c.Message = path + " 에 컨텍스트(context)를 쓸 수 있습니다"
	return c
}

func checkDataDir(d doctorDeps) doctorCheck {
	c := doctorCheck{ID: "data-dir", Title: "dslab 데이터 디렉터리(directory)"}
	dir := d.paths.DataDir
	if err := writableDir(dir); err != nil {
		c.Status = checkFail
		c.Blocking = true
		c.Message = fmt.Sprintf("%s 에 쓸 수 없습니다: %v", dir, err)
		c.Fix = "디렉터리 권한(permission)을 고치거나 XDG_DATA_HOME 을 쓸 수 있는 곳으로 지정하세요"
		return c
	}
	c.Status = checkOK
	c.Message = dir + " 에 클러스터 상태를 저장할 수 있습니다"
	return c
}

func checkClusters(ctx context.Context, d doctorDeps, info engine.Info, ki kindInspector) doctorCheck {
	c := doctorCheck{ID: "clusters", Title: "기존 dslab 클러스터", Status: checkOK}
	var found []string
	entries, _ := os.ReadDir(filepath.Join(d.paths.DataDir, "clusters"))
	recorded := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if inside, err := os.ReadDir(filepath.Join(d.paths.DataDir, "clusters", e.Name())); err != nil || len(inside) == 0 {
			continue
		}
		rt := "embedded"
		if b, err := os.ReadFile(filepath.Join(d.paths.ClusterDir(e.Name()), cluster.RuntimeFile)); err == nil {
			rt = strings.TrimSpace(string(b))
		}
		recorded[e.Name()] = rt
		found = append(found, fmt.Sprintf("%s (%s)", e.Name(), rt))
	}
	var others []string
	if ki != nil && info.Answers() {
		if names, err := ki.Clusters(ctx); err == nil {
			for _, n := range names {
				if _, ok := recorded[n]; ok {
					continue
				}
				if n == cluster.DefaultName {
					found = append(found, n+" (kind)")
				} else {
					others = append(others, n)
				}
			}
		}
	}
	sort.Strings(found)
	if len(found) == 0 {
		c.Message = "없습니다 (dslab cluster up 이 새로 만듭니다)"
	} else {
		c.Message = strings.Join(found, ", ") + " — dslab cluster status 로 상태를 보고, 새로 시작하려면 dslab cluster down"
	}
	if len(others) > 0 {
		c.Message += fmt.Sprintf("; 다른 kind 클러스터 %s 도 자원을 쓰고 있습니다", strings.Join(others, ", "))
	}
	return c
}

func checkTerminal(d doctorDeps) doctorCheck {
	c := doctorCheck{ID: "terminal", Title: "터미널(terminal)"}
	cols, rows, tty := d.terminal()
	if !tty {
		cols, _ = strconv.Atoi(d.getenv("COLUMNS"))
		rows, _ = strconv.Atoi(d.getenv("LINES"))
	}
	colours := terminalColours(d.getenv)
	if !tty && cols == 0 {
		c.Status = checkSkip
		c.Message = "출력이 터미널이 아닙니다 (파이프(pipe)나 CI); TUI 는 터미널에서 dslab 으로 여세요. 색: " + colours
		return c
	}
	size := "크기를 알 수 없음"
	if cols > 0 && rows > 0 {
		size = fmt.Sprintf("%d×%d", cols, rows)
	} else if cols > 0 {
		size = fmt.Sprintf("너비 %d", cols)
	}
	c.Message = size + ", 색: " + colours
	small := (cols > 0 && cols < minTermCols) || (rows > 0 && rows < minTermRows)
	noColour := d.getenv("TERM") == "dumb"
	switch {
	case small:
		c.Status = checkFail
		c.Message += fmt.Sprintf(": TUI 에는 %d×%d 이상이 필요합니다 (한글은 두 칸을 차지합니다)", minTermCols, minTermRows)
		c.Fix = "터미널 창을 키우거나 글꼴을 줄이세요"
	case noColour:
		c.Status = checkFail
		c.Message += ": TERM=dumb 이라 TUI 를 제대로 그릴 수 없습니다"
		c.Fix = "TERM=xterm-256color 처럼 색을 지원하는 터미널 종류로 실행하세요"
	default:
		c.Status = checkOK
	}
	return c
}

func terminalColours(getenv func(string) string) string {
	termName := getenv("TERM")
	switch {
	case getenv("NO_COLOR") != "":
		return "끔 (NO_COLOR)"
	case strings.Contains(getenv("COLORTERM"), "truecolor") || strings.Contains(getenv("COLORTERM"), "24bit"):
		return "트루컬러(truecolor)"
	case strings.Contains(termName, "256color"):
		return "256색"
	case termName == "" || termName == "dumb":
		return "없음 (TERM=" + termName + ")"
	default:
		return "16색 (TERM=" + termName + ")"
	}
}

// writable checks that path can be written (or created) without changing it:
// an existing file opens for appending, and its directory (or the nearest
// existing ancestor) takes a new file, as kubeconfig locking needs.
func writable(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return errors.New("디렉터리입니다")
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		f.Close()
	}
	return writableDir(filepath.Dir(path))
}

// writableDir checks that dir (or the nearest existing ancestor, where dir
// would be created) takes a new file.
func writableDir(dir string) error {
	base := existingAncestor(dir)
	f, err := os.CreateTemp(base, ".dslab-doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func existingAncestor(dir string) string {
	dir = filepath.Clean(dir)
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// memAvailable reads MemAvailable from /proc/meminfo.
func memAvailable() (uint64, error) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseMemAvailable(f)
}

func parseMemAvailable(r io.Reader) (uint64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				return 0, err
			}
			return kb * 1024, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no MemAvailable in /proc/meminfo")
}

func humanBytes(b uint64) string {
	const gib = 1 << 30
	if b >= gib {
		return fmt.Sprintf("%.1f GiB", float64(b)/gib)
	}
	return fmt.Sprintf("%d MiB", b>>20)
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
