package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
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

func TestProgressCountsPackagesAndKeepsErrors(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	deps := map[string]bool{"fmt": true, "k8s.io/api/core/v1": true, "github.com/dslab-kr/dslab/cmd/dslab": true}
	p := &progress{out: &b, total: len(deps), deps: deps, start: clock, now: func() time.Time { return clock }}
	p.line("fmt")
	p.line("k8s.io/api/core/v1")
	p.line("# github.com/dslab-kr/dslab/cmd/dslab")
	p.line("cmd/dslab/main.go:3:1: syntax error")
	clock = clock.Add(95 * time.Second)
	if got, want := p.text(), "빌드 중 (go build): 패키지 2/3 · 1분 35초 · k8s.io/api/core/v1"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	p.tick() // not a terminal: a plain line
	if !strings.Contains(b.String(), "패키지 2/3") || strings.Contains(b.String(), "\r") {
		t.Errorf("log line: %q", b.String())
	}
	code := p.finish(&exec.ExitError{})
	out := b.String()
	if !strings.Contains(out, "빌드에 실패했습니다 (1분 35초)") || !strings.Contains(out, "cmd/dslab/main.go:3:1: syntax error") || !strings.Contains(out, "# github.com/dslab-kr/dslab/cmd/dslab") {
		t.Errorf("failure report:\n%s", out)
	}
	if code == 0 {
		t.Error("a failed build exits 0")
	}
}

func TestProgressSuccessAndNoTotal(t *testing.T) {
	var b strings.Builder
	now := time.Now()
	p := &progress{out: &b, start: now, now: func() time.Time { return now.Add(3 * time.Second) }}
	p.line("example.com/a")
	p.line("x.go:1:1: oops")
	if got := p.text(); !strings.HasPrefix(got, "빌드 중 (go build): 패키지 1 · 3초") {
		t.Errorf("no total: %q", got)
	}
	if code := p.finish(nil); code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(b.String(), "빌드 완료: 패키지 1개를 컴파일했습니다 (3초).") {
		t.Errorf("success: %q", b.String())
	}
}

func TestRunBuildsAndFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dir := t.TempDir()
	var b strings.Builder
	if code := run([]string{"-o", dir + "/x", "./testdata/nope"}, &b, false); code == 0 {
		t.Errorf("a missing package built:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "빌드에 실패했습니다") {
		t.Errorf("no Korean failure line:\n%s", b.String())
	}
	b.Reset()
	if code := run([]string{"-o", dir + "/hello", "./testdata/hello"}, &b, false); code != 0 {
		t.Fatalf("exit %d:\n%s", code, b.String())
	}
	if out, err := exec.Command(dir + "/hello").Output(); err != nil || string(out) != "안녕\n" {
		t.Errorf("built binary: %q %v", out, err)
	}
}
