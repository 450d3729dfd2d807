// Command buildprogress runs `go build -v` with the given arguments and
// shows, in Korean, how many packages are compiled out of how many and how
// long it has taken, instead of a silent terminal: the first build of dslab
// compiles Kubernetes (about 15 minutes on 2 cores). Used by `make build`.
//
// Usage: go run ./tools/buildprogress [go build flags] PACKAGE
//
// The total is the number of packages `go list -deps PACKAGE` reports;
// packages already in the build cache are not printed by `go build -v`, so a
// warm build finishes below the total. Lines of `go build` that are not
// package names (compile errors) are passed through unchanged, after a
// Korean line saying the build failed. The exit code is go build's.
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
	"strings"
	"sync"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr, isTerminal(os.Stderr)))
}

func run(args []string, out io.Writer, tty bool) int {
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
	deps := listDeps(ctx, gobin, args[len(args)-1])
	cmd := exec.CommandContext(ctx, gobin, append([]string{"build", "-v"}, args...)...)
	cmd.Stdout = os.Stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(out, "빌드를 시작하지 못했습니다: %v\n", err)
		return 1
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(out, "빌드를 시작하지 못했습니다 (go build): %v\n", err)
		return 1
	}
	p := &progress{out: out, tty: tty, total: len(deps), deps: deps, start: start, now: time.Now}
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

// listDeps returns the import paths the build may compile (nil when go list
// fails: the progress then shows counts without a total).
func listDeps(ctx context.Context, gobin, pkg string) map[string]bool {
	b, err := exec.CommandContext(ctx, gobin, "list", "-deps", pkg).Output()
	if err != nil {
		return nil
	}
	m := map[string]bool{}
	for _, l := range strings.Split(string(bytes.TrimSpace(b)), "\n") {
		if l != "" {
			m[l] = true
		}
	}
	return m
}

// progress is the state of one build's report.
type progress struct {
	mu     sync.Mutex
	out    io.Writer
	tty    bool
	total  int
	deps   map[string]bool
	start  time.Time
	now    func() time.Time
	done   int
	last   string // last package compiled
	shown  time.Time
	failed []string // lines of go build that are not package names
	dirty  bool     // a \r status line is on screen
}

// line takes one stderr line of `go build -v`.
func (p *progress) line(l string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if isPackage(l, p.deps) {
		p.done++
		p.last = l
		if p.tty {
			p.status()
		}
		return
	}
	p.failed = append(p.failed, l)
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
	if p.tty {
		p.status()
		return
	}
	// Not a terminal (CI, a log): one line every 30 s.
	if p.now().Sub(p.shown) >= 30*time.Second {
		p.shown = p.now()
		fmt.Fprintln(p.out, p.text())
	}
}

func (p *progress) status() {
	fmt.Fprintf(p.out, "\r\033[K%s", p.text())
	p.dirty = true
}

// text is the one-line report, e.g.
// "빌드 중: 패키지 312/1843 · 2분 13초 · k8s.io/apiserver/pkg/server".
func (p *progress) text() string {
	count := fmt.Sprintf("패키지 %d", p.done)
	if p.total > 0 {
		count = fmt.Sprintf("패키지 %d/%d", p.done, p.total)
	}
	s := fmt.Sprintf("빌드 중 (go build): %s · %s", count, Elapsed(p.now().Sub(p.start)))
	if p.last != "" {
		s += " · " + p.last
	}
	return s
}

func (p *progress) finish(err error) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprint(p.out, "\r\033[K")
	}
	d := Elapsed(p.now().Sub(p.start))
	if err == nil {
		if p.done > 0 {
			fmt.Fprintf(p.out, "빌드 완료: 패키지 %d개를 컴파일했습니다 (%s).\n", p.done, d)
		}
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

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
