package main

import (
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
)

func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		8 * time.Second:                       "8초",
		59*time.Second + 600*time.Millisecond: "1분 0초",
		133 * time.Second:                     "2분 13초",
	} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestListFlagsDropsOutput(t *testing.T) {
	flags, out := listFlags([]string{"-ldflags", "-s -w", "-o", "bin/dslab", "-trimpath"})
	if !reflect.DeepEqual(flags, []string{"-ldflags", "-s -w", "-trimpath"}) || out != "bin/dslab" {
		t.Errorf("flags %q, output %q", flags, out)
	}
	if _, out := listFlags([]string{"-o=x/y"}); out != "x/y" {
		t.Errorf("-o=: %q", out)
	}
}

func TestParsePlanCountsOnlyPackagesNotInTheCache(t *testing.T) {
	pl := parsePlan([]byte("fmt\tfalse\t\n" +
		"example.com/a\ttrue\tbuild ID mismatch\n" +
		"example.com/b\ttrue\tstale dependency: example.com/a\n" +
		"example.com/cmd/x\ttrue\t" + notInstalled + "\n"))
	if len(pl.deps) != 4 || pl.main != "example.com/cmd/x" {
		t.Errorf("deps %v main %q", pl.deps, pl.main)
	}
	if !reflect.DeepEqual(pl.compile, map[string]bool{"example.com/a": true, "example.com/b": true}) {
		t.Errorf("compile %v", pl.compile)
	}
}

// testPlan is a warm build: 5 packages, 2 of them to compile.
func testPlan() plan {
	return plan{
		deps:    map[string]bool{"fmt": true, "os": true, "k8s.io/api/core/v1": true, "example.com/internal/cluster/embedded": true, "example.com/cmd/dslab": true},
		compile: map[string]bool{"k8s.io/api/core/v1": true, "example.com/internal/cluster/embedded": true},
		main:    "example.com/cmd/dslab",
	}
}

// A warm build says how many packages come from the cache and how many
// are compiled, not "compiled/all" (26/2877 read as a build at 1%).
func TestWarmBuildSaysCachedAndCompiled(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	p := &progress{out: &b, plan: testPlan(), output: "bin/dslab", start: clock, now: func() time.Time { return clock }}
	p.line("k8s.io/api/core/v1")
	clock = clock.Add(3 * time.Second)
	if got, want := p.text(), "빌드 중 (go build): 컴파일 1/2 · 캐시에서 3개 · 3초 · k8s.io/api/core/v1"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}

// The link (a minute and a half for dslab) is reported with its time
// ticking, whether the linker is seen running or the main package compiles.
func TestLinkIsReportedWithElapsedTime(t *testing.T) {
	for _, how := range []string{"linker seen", "main package"} {
		var b strings.Builder
		clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
		linking := false
		p := &progress{out: &b, plan: testPlan(), output: "bin/dslab", start: clock, now: func() time.Time { return clock },
			linkRunning: func() bool { return linking }}
		p.line("k8s.io/api/core/v1")
		p.line("example.com/internal/cluster/embedded")
		clock = clock.Add(20 * time.Second)
		p.tick()
		if strings.Contains(p.text(), "링크") {
			t.Fatalf("%s: link before it runs: %q", how, p.text())
		}
		if how == "main package" {
			p.line("example.com/cmd/dslab")
		} else {
			linking = true
			p.tick()
		}
		clock = clock.Add(42 * time.Second)
		p.tick()
		want := "링크 중 (link): bin/dslab · 42초 · 캐시에서 3개, 컴파일 2개"
		if how == "main package" {
			want = "링크 중 (link): bin/dslab · 42초 · 캐시에서 2개, 컴파일 3개"
		}
		if got := p.text(); got != want {
			t.Errorf("%s: text %q, want %q", how, got, want)
		}
		if !strings.Contains(b.String(), "링크 중 (link): bin/dslab · 0초") {
			t.Errorf("%s: the log has no line when the link starts:\n%s", how, b.String())
		}
		p.finish(nil)
		if !strings.Contains(b.String(), "빌드 완료 (1분 2초): ") || !strings.Contains(b.String(), "링크 (link) 42초 → bin/dslab") {
			t.Errorf("%s: final line:\n%s", how, b.String())
		}
	}
}

// Without a terminal (CI, a pipe) a line is written about every 10 s, not
// every second, and never with "\r".
func TestLogWritesALineAboutEveryTenSeconds(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	p := &progress{out: &b, plan: testPlan(), output: "bin/dslab", start: clock, now: func() time.Time { return clock }}
	for i := range 35 {
		clock = clock.Add(time.Second)
		if i%5 == 0 {
			p.line("k8s.io/api/core/v1")
		}
		p.tick()
	}
	out := b.String()
	if n := strings.Count(out, "\n"); n != 3 || strings.Contains(out, "\r") {
		t.Errorf("%d lines in 35 s:\n%q", n, out)
	}
}

// On a terminal the report is one line redrawn in place, never wider than
// the terminal (a wrapped line leaves a row behind at every redraw), and
// the package path is shortened from the left at a "/", never cut inside
// a name.
func TestTerminalRedrawsOneLineThatFits(t *testing.T) {
	pkg := "github.com/dslab-kr/dslab/internal/cluster/embedded"
	pl := testPlan()
	pl.deps[pkg] = true
	for width := 10; width <= 130; width++ {
		var b strings.Builder
		clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
		p := &progress{out: &b, width: func() int { return width }, plan: pl, output: "bin/dslab", start: clock, now: func() time.Time { return clock }}
		p.line(pkg)
		for range 3 {
			clock = clock.Add(time.Second)
			p.tick()
		}
		out := b.String()
		if strings.Contains(out, "\n") {
			t.Fatalf("width %d: a new line while compiling: %q", width, out)
		}
		draws := strings.Split(out, "\r\033[K")
		if draws[0] != "" || len(draws) != 5 {
			t.Fatalf("width %d: not redrawn in place: %q", width, out)
		}
		for _, d := range draws[1:] {
			if w := runewidth.StringWidth(d); w > width-1 {
				t.Errorf("width %d: %d cells: %q", width, w, d)
			}
			// head · cache · elapsed · package
			fields := strings.Split(d, " · ")
			if len(fields) == 4 {
				last := fields[3]
				if last != pkg && !(strings.HasPrefix(last, "…/") && strings.HasSuffix(pkg, last[len("…"):])) {
					t.Errorf("width %d: package cut inside a name: %q", width, d)
				}
			} else if strings.Contains(d, "embedded") || strings.Contains(d, "github") {
				t.Errorf("width %d: package cut: %q", width, d)
			}
		}
		if width >= 80 && !strings.Contains(draws[len(draws)-1], "cluster/embedded") {
			t.Errorf("width %d: the package's last names are left out: %q", width, draws[len(draws)-1])
		}
	}
}

func TestShortenPath(t *testing.T) {
	p := "github.com/dslab-kr/dslab/internal/cluster/embedded"
	for width, want := range map[int]string{
		100: p,
		30:  "…/internal/cluster/embedded",
		20:  "…/cluster/embedded",
		11:  "…/embedded",
		10:  "", // "…" counts as two cells (ambiguous width, see wide)
	} {
		if got := shortenPath(p, width); got != want {
			t.Errorf("shortenPath(%d) = %q, want %q", width, got, want)
		}
	}
}

func TestProgressKeepsErrors(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	p := &progress{out: &b, plan: testPlan(), start: clock, now: func() time.Time { return clock }}
	p.line("k8s.io/api/core/v1")
	p.line("# example.com/cmd/dslab")
	p.line("cmd/dslab/main.go:3:1: syntax error")
	clock = clock.Add(95 * time.Second)
	code := p.finish(&exec.ExitError{})
	out := b.String()
	if !strings.Contains(out, "빌드에 실패했습니다 (1분 35초)") || !strings.Contains(out, "cmd/dslab/main.go:3:1: syntax error") || !strings.Contains(out, "# example.com/cmd/dslab") {
		t.Errorf("failure report:\n%s", out)
	}
	if code == 0 {
		t.Error("a failed build exits 0")
	}
}

func TestProgressWithoutPlan(t *testing.T) {
	var b strings.Builder
	now := time.Now()
	p := &progress{out: &b, output: "x", start: now, now: func() time.Time { return now.Add(3 * time.Second) }}
	p.line("example.com/a")
	p.line("x.go:1:1: oops")
	if got := p.text(); got != "빌드 중 (go build): 컴파일 1개 · 3초 · example.com/a" {
		t.Errorf("no plan: %q", got)
	}
	if code := p.finish(nil); code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(b.String(), "빌드 완료 (3초): 컴파일 1개 → x") {
		t.Errorf("success: %q", b.String())
	}
}

// A pipe or /dev/null (a character device, what the old check took for a
// terminal) is not a terminal: no "\r" redraws into a log.
func TestTerminalWidthOfANonTerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if terminalWidth(f) != nil {
		t.Error("/dev/null is taken for a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if terminalWidth(w) != nil {
		t.Error("a pipe is taken for a terminal")
	}
}

func TestRunBuildsAndFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dir := t.TempDir()
	var b strings.Builder
	if code := run([]string{"-o", dir + "/x", "./testdata/nope"}, &b, nil); code == 0 {
		t.Errorf("a missing package built:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "빌드에 실패했습니다") {
		t.Errorf("no Korean failure line:\n%s", b.String())
	}
	b.Reset()
	if code := run([]string{"-o", dir + "/hello", "./testdata/hello"}, &b, nil); code != 0 {
		t.Fatalf("exit %d:\n%s", code, b.String())
	}
	if !strings.HasPrefix(b.String(), "빌드 준비 중 (go list)") || strings.Contains(b.String(), "\r") {
		t.Errorf("log output:\n%q", b.String())
	}
	if !strings.Contains(b.String(), "빌드 완료 (") || !strings.Contains(b.String(), "→ "+dir+"/hello") {
		t.Errorf("no Korean success line:\n%s", b.String())
	}
	if out, err := exec.Command(dir + "/hello").Output(); err != nil || string(out) != "안녕\n" {
		t.Errorf("built binary: %q %v", out, err)
	}
}

// On a terminal the whole build, from go list to the last redraw, is one
// line redrawn in place; only the final report ends with a new line.
func TestRunOnATerminalRedrawsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dir := t.TempDir()
	var b strings.Builder
	if code := run([]string{"-o", dir + "/hello", "./testdata/hello"}, &b, func() int { return 40 }); code != 0 {
		t.Fatalf("exit %d:\n%q", code, b.String())
	}
	out := b.String()
	if !strings.HasPrefix(out, "\r\033[K빌드 준비 중 (go list)") || strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Errorf("not one line redrawn:\n%q", out)
	}
	for _, d := range strings.Split(strings.TrimSuffix(out, "\n"), "\r\033[K")[1:] {
		if strings.HasPrefix(d, "빌드 완료") {
			continue // the final report is a line of its own
		}
		if w := runewidth.StringWidth(d); w > 39 {
			t.Errorf("%d cells at width 40: %q", w, d)
		}
	}
}
