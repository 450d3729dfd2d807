// Command buildprogress runs `go build -v` with the given arguments and
// shows, in Korean, what the build is doing and how long it has taken,
// instead of a silent terminal: the first build of dslab compiles
// Kubernetes (about 10 minutes on 2 cores) and every build links a large
// binary (about a minute and a half). Used by `make build`.
//
// Usage: go run ./tools/buildprogress [go build flags] PACKAGE
//
// Before building, `go list -deps` with the same build flags says which
// packages are in the build cache and which go build will compile (its
// Stale field), so the report reads "컴파일 12/26 · 캐시에서 2851개" rather
// than a count of compiled packages against all of them. While the linker
// runs, the report says so and keeps the time ticking.
//
// On a terminal the report is one line redrawn in place ("\r" and clear to
// the end of the line), fitted to the terminal's width in display cells: a
// line wider than the terminal wraps, and "\r" then only returns to its
// last row, leaving a new row behind at every redraw. The package path is
// shortened from the left at a "/" ("…/cluster/embedded"), never cut inside
// a name. Without a terminal (CI, a pipe, a log file) a line is written
// about every 10 seconds and when the link starts.
//
// Lines of `go build` that are not package names (compile errors) are
// passed through unchanged, after a Korean line saying the build failed.
// The exit code is go build's.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"
	"golang.org/x/term"
)

// logEvery is how often a line is written when the output is not a terminal.
const logEvery = 10 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stderr, terminalWidth(os.Stderr)))
}

// run builds with args and reports to out. width is nil when out is not a
// terminal, else it returns the terminal's current width in cells.
func run(args []string, out io.Writer, width func() int) int {
	if len(args) == 0 {
		fmt.Fprintln(out, "사용법: go run ./tools/buildprogress [go build 플래그] 패키지")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	gobin := os.Getenv("GO")
	if gobin == "" {
		gobin = "go"
	}
	flags, output := listFlags(args[:len(args)-1])
	// go list hashes every source file (and downloads missing modules on
	// a fresh machine): say so rather than stay silent.
	prepare := "빌드 준비 중 (go list): 필요한 패키지와 빌드 캐시를 확인합니다"
	if width != nil {
		fmt.Fprint(out, "\r\033[K"+fit([]string{prepare}, "", width()-1))
	} else {
		fmt.Fprintln(out, prepare)
	}
	plan := listPlan(ctx, gobin, flags, args[len(args)-1])
	if output == "" && plan.main != "" {
		output = path.Base(plan.main)
	}
	cmd := exec.CommandContext(ctx, gobin, append([]string{"build", "-v"}, args...)...)
	cmd.Stdout = os.Stdout
	erase := ""
	if width != nil {
		erase = "\r\033[K" // the go list line
	}
	pipe, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(out, "%s빌드를 시작하지 못했습니다: %v\n", erase, err)
		return 1
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(out, "%s빌드를 시작하지 못했습니다 (go build): %v\n", erase, err)
		return 1
	}
	pid := cmd.Process.Pid
	p := &progress{
		out: out, width: width, plan: plan, output: output, start: start, now: time.Now, dirty: width != nil,
		linkRunning: func() bool { return childNamed(pid, "link") },
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.tick()
			}
		}
	})
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		p.line(sc.Text())
	}
	err = cmd.Wait()
	close(done)
	wg.Wait()
	return p.finish(err)
}

// listFlags returns the build flags go list understands (all but -o and
// its value) and the -o value.
func listFlags(args []string) (flags []string, output string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "--o":
			if i+1 < len(args) {
				output = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--o="):
			output = a[strings.Index(a, "=")+1:]
		default:
			flags = append(flags, a)
		}
	}
	return flags, output
}

// plan is what go list says the build will do.
type plan struct {
	deps    map[string]bool // every package of the build
	compile map[string]bool // packages not in the build cache (go build compiles them)
	main    string          // the package built
}

// notInstalled is go list's StaleReason for a package whose build is in
// the cache but not installed: go build does not compile it again.
const notInstalled = "not installed but available in build cache"

// listPlan asks go list which packages the build needs and which of them
// are not in the build cache. On failure the plan is empty: the progress
// then shows counts without a total (go build reports the error itself).
func listPlan(ctx context.Context, gobin string, flags []string, pkg string) plan {
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}\t{{.Stale}}\t{{.StaleReason}}"}, flags...)
	b, err := exec.CommandContext(ctx, gobin, append(args, pkg)...).Output()
	if err != nil {
		return plan{}
	}
	return parsePlan(b)
}

// parsePlan reads go list's "path\tstale\treason" lines (dependencies
// first, the built package last).
func parsePlan(b []byte) plan {
	pl := plan{deps: map[string]bool{}, compile: map[string]bool{}}
	for _, l := range strings.Split(string(bytes.TrimSpace(b)), "\n") {
		f := strings.SplitN(l, "\t", 3)
		if f[0] == "" {
			continue
		}
		pl.deps[f[0]] = true
		pl.main = f[0]
		if len(f) == 3 && f[1] == "true" && f[2] != notInstalled {
			pl.compile[f[0]] = true
		}
	}
	return pl
}

// progress is the state of one build's report.
type progress struct {
	mu          sync.Mutex
	out         io.Writer
	width       func() int // nil: not a terminal
	plan        plan
	output      string // the binary written, as given to -o
	start       time.Time
	now         func() time.Time
	linkRunning func() bool // whether go build's linker runs now (nil: unknown)
	done        int         // packages compiled
	last        string      // last package compiled
	linkStart   time.Time   // zero until the link starts
	shown       time.Time   // last log line (not a terminal)
	failed      []string    // lines of go build that are not package names
	dirty       bool        // a \r status line is on screen
}

// line takes one stderr line of `go build -v`.
func (p *progress) line(l string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !isPackage(l, p.plan.deps) {
		p.failed = append(p.failed, l)
		return
	}
	p.done++
	p.last = l
	if l == p.plan.main {
		// The built package compiles after all of its dependencies;
		// the link follows at once.
		p.startLink()
	}
	if p.width != nil {
		p.status()
	}
}

// isPackage reports whether a `go build -v` line names a package (and is
// not a compiler message such as "# pkg" or "file.go:3:1: …").
func isPackage(l string, deps map[string]bool) bool {
	if deps != nil {
		return deps[l]
	}
	return l != "" && !strings.ContainsAny(l, " :#\t")
}

func (p *progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.linkStart.IsZero() && p.linkRunning != nil && p.linkRunning() {
		p.startLink()
	}
	if p.width != nil {
		p.status()
		return
	}
	last := p.shown
	if last.IsZero() {
		last = p.start
	}
	if p.now().Sub(last) >= logEvery {
		p.logLine()
	}
}

// startLink marks the start of the link; without a terminal it is logged.
func (p *progress) startLink() {
	if !p.linkStart.IsZero() {
		return
	}
	p.linkStart = p.now()
	if p.width == nil {
		p.logLine()
	}
}

func (p *progress) logLine() {
	p.shown = p.now()
	fmt.Fprintln(p.out, p.text())
}

// text is the whole report on one line (a log line).
func (p *progress) text() string {
	f, pkg := p.fields()
	if pkg != "" {
		f = append(f, pkg)
	}
	return strings.Join(f, " · ")
}

// status redraws the report on the terminal's line, one cell narrower than
// the terminal (a line that reaches the last column wraps on some).
func (p *progress) status() {
	f, pkg := p.fields()
	fmt.Fprintf(p.out, "\r\033[K%s", fit(f, pkg, p.width()-1))
	p.dirty = true
}

// fields is the report, most important first, and the package last
// compiled ("" during the link). E.g. "빌드 중 (go build): 컴파일 12/26", "캐시에서 2851개",
// "8초" and "k8s.io/apiserver/pkg/server"; during the link "링크 중 (link):
// bin/dslab", "42초", "캐시에서 2851개, 컴파일 26개".
func (p *progress) fields() ([]string, string) {
	if !p.linkStart.IsZero() {
		f := []string{"링크 중 (link): " + p.output, Elapsed(p.now().Sub(p.linkStart))}
		if s := p.summary(); s != "" {
			f = append(f, s)
		}
		return f, ""
	}
	count := fmt.Sprintf("컴파일 %d개", p.done)
	if n := len(p.plan.compile); n > 0 && p.done <= n {
		count = fmt.Sprintf("컴파일 %d/%d", p.done, n)
	}
	f := []string{"빌드 중 (go build): " + count}
	if c := p.cached(); c > 0 {
		f = append(f, fmt.Sprintf("캐시에서 %d개", c))
	}
	return append(f, Elapsed(p.now().Sub(p.start))), p.last
}

// cached is the number of packages taken from the build cache: go list's
// count before the build, what go build did not compile after it.
func (p *progress) cached() int {
	total := len(p.plan.deps)
	if total == 0 {
		return 0
	}
	if n := len(p.plan.compile); n >= p.done {
		return total - n
	}
	return total - p.done
}

// summary says where the packages came from ("캐시에서 2851개, 컴파일 26개").
func (p *progress) summary() string {
	var s []string
	if c := p.cached(); c > 0 {
		s = append(s, fmt.Sprintf("캐시에서 %d개", c))
	}
	if p.done > 0 {
		s = append(s, fmt.Sprintf("컴파일 %d개", p.done))
	}
	return strings.Join(s, ", ")
}

// fit joins fields and then pkg (if not "") with " · " in at most width
// display cells. The package path is shortened from the left at a "/" with
// "…", or left out; then fields are left out from the end. A path or a word
// is never cut (but for a terminal narrower than the first field).
func fit(fields []string, pkg string, width int) string {
	join := func(f []string) string { return strings.Join(f, " · ") }
	s := join(fields)
	if pkg != "" {
		if p := shortenPath(pkg, width-cells(s+" · ")); p != "" {
			return s + " · " + p
		}
	}
	for len(fields) > 1 && cells(join(fields)) > width {
		fields = fields[:len(fields)-1]
	}
	s = join(fields)
	if cells(s) > width {
		// A terminal narrower than the first field: cut it rather than
		// wrap (the in-place redraw needs one row).
		s = wide().Truncate(s, max(width, 0), "…")
	}
	return s
}

// wide counts East Asian ambiguous characters ("·", "…") as two cells,
// whatever the locale: some terminals draw them two cells wide, and a line
// a cell too wide wraps (a shorter one costs nothing).
func wide() *runewidth.Condition {
	c := runewidth.NewCondition()
	c.EastAsianWidth = true
	return c
}

// cells is the display width of s (see wide).
func cells(s string) int { return wide().StringWidth(s) }

// shortenPath returns p in at most width cells, dropping leading elements
// ("…/cluster/embedded"), or "" when not even its last element fits.
func shortenPath(p string, width int) string {
	if cells(p) <= width {
		return p
	}
	for i := strings.Index(p, "/"); i >= 0; {
		s := "…" + p[i:]
		if cells(s) <= width {
			return s
		}
		j := strings.Index(p[i+1:], "/")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

func (p *progress) finish(err error) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprint(p.out, "\r\033[K")
	}
	d := Elapsed(p.now().Sub(p.start))
	if err == nil {
		var what []string
		if s := p.summary(); s != "" {
			what = append(what, s)
		}
		if !p.linkStart.IsZero() {
			what = append(what, "링크 (link) "+Elapsed(p.now().Sub(p.linkStart)))
		}
		sep := ""
		if len(what) > 0 {
			sep = ": "
		}
		fmt.Fprintf(p.out, "빌드 완료 (%s)%s%s → %s\n", d, sep, strings.Join(what, ", "), p.output)
		for _, l := range p.failed { // warnings, if any
			fmt.Fprintln(p.out, l)
		}
		return 0
	}
	fmt.Fprintf(p.out, "빌드에 실패했습니다 (%s). go build 가 남긴 메시지:\n", d)
	for _, l := range p.failed {
		fmt.Fprintln(p.out, l)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	fmt.Fprintln(p.out, err)
	return 1
}

// Elapsed formats d in Korean minutes and seconds ("2분 13초", "8초").
func Elapsed(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s < 60 {
		return fmt.Sprintf("%d초", s)
	}
	return fmt.Sprintf("%d분 %d초", s/60, s%60)
}

// terminalWidth returns nil when f is not a terminal, else a function
// returning its current width (read at every redraw: the window may be
// resized; 80 when the size is unknown).
func terminalWidth(f *os.File) func() int {
	fd := int(f.Fd())
	if !term.IsTerminal(fd) {
		return nil
	}
	return func() int {
		w, _, err := term.GetSize(fd)
		if err != nil || w <= 0 {
			return 80
		}
		return w
	}
}

// childNamed reports whether a child process of pid runs the program name
// (Linux /proc, every thread's children: go build starts its tools from any
// thread; false elsewhere or when /proc cannot be read).
func childNamed(pid int, name string) bool {
	tasks, _ := filepath.Glob(filepath.Join("/proc", fmt.Sprint(pid), "task", "*", "children"))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, c := range strings.Fields(string(b)) {
			comm, err := os.ReadFile(filepath.Join("/proc", c, "comm"))
			if err == nil && strings.TrimSpace(string(comm)) == name {
				return true
			}
		}
	}
	return false
}
