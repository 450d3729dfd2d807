package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/paths"

	"github.com/dslab-kr/dslab/internal/kube"
)

// The status line redraws in place with whole elapsed seconds from the
// clock, and Done erases it; on a non-terminal it writes nothing.
func TestProgressLine(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var buf bytes.Buffer
	p := newProgressLine(&buf, true, 0, now)
	p.Set("클러스터 상태를 읽는 중…")
	clock = clock.Add(3*time.Second + 400*time.Millisecond)
	p.Tick()
	p.Set("채점하는 중… 3/17")
	p.Done()
	p.Tick() // after Done: nothing more
	want := "\r\x1b[2K클러스터 상태를 읽는 중… · 0초" +
		"\r\x1b[2K클러스터 상태를 읽는 중… · 3초" +
		"\r\x1b[2K채점하는 중… 3/17 · 3초" +
		"\r\x1b[2K"
	if got := buf.String(); got != want {
		t.Errorf("terminal:\n got %q\nwant %q", got, want)
	}

	buf.Reset()
	p = newProgressLine(&buf, false, 0, now)
	p.Set("클러스터 상태를 읽는 중…")
	p.Tick()
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("not a terminal, wrote %q", buf.String())
	}
	var nilLine *progressLine
	nilLine.Set("x")
	nilLine.Done()
}

// grade writes no status line when stderr is not a terminal: the CLI
// tests' buffers see only the result or the error.
func TestGradeNoProgressWithoutTerminal(t *testing.T) {
	_, _, errOut := runCLI(t, "grade", "ds-basics")
	if strings.Contains(errOut, "중…") || strings.Contains(errOut, "\r") {
		t.Errorf("status line on a non-terminal: %q", errOut)
	}
}

// exercise start/reset show their setup steps (issue 14: seconds of
// silence): on a terminal one line "<what> · <step> · N초" redrawn in
// place, a note kept above it, the line erased at the end; elsewhere one
// plain line per step, with no escape sequences.
func TestStepReporter(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var buf bytes.Buffer
	r := newStepReporter(&buf, true, now, textOut{w: &buf, width: 80}, "연습 gpu-only 준비 중", false)
	r.Step("네임스페이스 dslab 준비")
	clock = clock.Add(2 * time.Second)
	r.Step("데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2")
	clock = clock.Add(2 * time.Second)
	r.line.Tick()
	r.Step("참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다")
	r.Note("기준선(baseline) 기록: 노드 4개")
	r.Done()
	want := "\r\x1b[2K연습 gpu-only 준비 중 · 네임스페이스 dslab 준비 · 0초" +
		"\r\x1b[2K데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 2초" +
		"\r\x1b[2K데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
		"\r\x1b[2K참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다\n" +
		"\r\x1b[2K데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
		"\r\x1b[2K기준선(baseline) 기록: 노드 4개\n" +
		"\r\x1b[2K데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
		"\r\x1b[2K"
	if got := buf.String(); got != want {
		t.Errorf("terminal:\n got %q\nwant %q", got, want)
	}

	buf.Reset()
	clock = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	r = newStepReporter(&buf, false, now, textOut{w: &buf, width: 80}, "연습 gpu-only 준비 중", false)
	r.Step("네임스페이스 dslab 준비")
	clock = clock.Add(1500 * time.Millisecond)
	r.Step("데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2")
	r.Note("기준선(baseline) 기록: 노드 4개")
	r.Done()
	want = " • [  0.0s] 네임스페이스 dslab 준비\n" +
		" • [  1.5s] 데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2\n" +
		" • [  1.5s] 기준선(baseline) 기록: 노드 4개\n"
	if got := buf.String(); got != want {
		t.Errorf("not a terminal:\n got %q\nwant %q", got, want)
	}
}

// grade --all's status line says which exercise of how many is being
// graded, by name, as it is graded: "연습 3/16 · new-node 채점 중 · N초"
// (issue 14: the counter raced to the end before any grading), and is
// erased before the report, whose summary line stays.
func TestGradeAllCounter(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	exs := c.All()
	path := filepath.Join(t.TempDir(), "bundle.json")
	data, err := json.Marshal(kube.Bundle{Kind: kube.BundleKind, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	var tty bytes.Buffer
	status := newProgressLine(&tty, true, 0, func() time.Time { clock = clock.Add(time.Second); return clock })
	results, err := gradeAll(context.Background(), Env{}, gradeOptions{all: true, snapshotIn: path, status: status}, exs)
	status.Done()
	if err != nil {
		t.Fatal(err)
	}
	frames := strings.Split(strings.TrimPrefix(tty.String(), "\r\x1b[2K"), "\r\x1b[2K")
	if len(frames) != len(exs)+1 || frames[len(frames)-1] != "" {
		t.Fatalf("want one frame per exercise then the erase, got %q", frames)
	}
	for i, ex := range exs {
		want := fmt.Sprintf("연습 %d/%d · %s 채점 중 · %d초", i+1, len(exs), ex.ID, i+1)
		if frames[i] != want {
			t.Errorf("frame %d = %q, want %q", i, frames[i], want)
		}
	}
	var out bytes.Buffer
	if err := writeGradeText(textOut{w: &out, width: 100}, results, paths.Paths{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("요약: 통과한 연습 0/%d (시작 전 %d)", len(exs), len(exs))) {
		t.Errorf("the report lacks its summary line:\n%s", out.String())
	}
}

// fakeTerminal is a cols-wide terminal screen for tests: it prints cells
// (Hangul two wide) with auto-wrap at the right edge, and understands "\r",
// "\n" and the erase-line "\x1b[2K" that progressLine writes — enough to
// see what a learner's terminal shows after a live line is redrawn.
type fakeTerminal struct {
	cols     int
	rows     [][]string
	row, col int
}

func (f *fakeTerminal) cell(r int) []string {
	for len(f.rows) <= r {
		f.rows = append(f.rows, make([]string, f.cols))
	}
	return f.rows[r]
}

func (f *fakeTerminal) Write(p []byte) (int, error) {
	s := string(p)
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "\x1b[2K"):
			row := f.cell(f.row)
			for i := range row {
				row[i] = ""
			}
			s = s[len("\x1b[2K"):]
			continue
		case s[0] == '\r':
			f.col = 0
		case s[0] == '\n':
			f.row, f.col = f.row+1, 0
		default:
			r := []rune(s)[0]
			w := ansi.StringWidth(string(r))
			if f.col+w > f.cols {
				f.row, f.col = f.row+1, 0
			}
			row := f.cell(f.row)
			row[f.col] = string(r)
			f.col += w
			s = s[len(string(r)):]
			continue
		}
		s = s[1:]
	}
	return len(p), nil
}

// Screen is the non-empty rows as text, trailing spaces dropped.
func (f *fakeTerminal) Screen() []string {
	var out []string
	for _, row := range f.rows {
		l := strings.TrimRight(strings.Join(row, ""), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// At 80 columns a live step longer than the terminal used to wrap, and the
// erase cleared only its last row: `exercise reset quota-limits` left
// "… 네임스페이스 team-a 가 아직 삭제되는 중(Terminat" seven times (issue 14).
// The live line now fits one row, so that nothing of it stays after Done,
// and a note with a path is wrapped by dslab with the path whole on a line.
func TestStepReporterFitsTerminal(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	term := &fakeTerminal{cols: 80}
	r := newStepReporter(term, true, now, textOut{w: term, width: 80}, "연습 quota-limits 되돌리는 중", false)
	for i := range 7 {
		r.Step("네임스페이스 team-a 가 아직 삭제되는 중(Terminating)입니다: 파이널라이저(finalizer)를 기다리는 중")
		clock = clock.Add(time.Second)
		r.line.Tick()
		if i == 3 {
			r.Step("참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다")
		}
	}
	path := "(/tmp/dslab-trial-trainee/data/dslab/exercises/quota-limits/baseline.json)"
	r.Note("기준선(baseline) 기록: 노드 4개 " + path)
	r.Done()
	want := []string{
		"참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다",
		"기준선(baseline) 기록: 노드 4개",
		path,
	}
	if got := term.Screen(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen after reset at 80 columns:\n got %q\nwant %q", got, want)
	}
}

// The live line keeps its elapsed seconds when it is cut.
func TestFitLive(t *testing.T) {
	got := fitLive("연습 quota-limits 되돌리는 중 · 네임스페이스 team-a 가 아직 삭제되는 중(Terminating)", " · 12초", 40)
	if w := ansi.StringWidth(got); w > 39 {
		t.Errorf("fitLive width %d > 39: %q", w, got)
	}
	if !strings.HasPrefix(got, "네임스페이스") || !strings.HasSuffix(got, "… · 12초") {
		t.Errorf("fitLive kept the prefix, lost the seconds or the ellipsis: %q", got)
	}
	if got := fitLive("짧은 줄", " · 1초", 80); got != "짧은 줄 · 1초" {
		t.Errorf("short line changed: %q", got)
	}
}

// cluster up was silent for seconds between two step lines (2.6 s → 10.2 s
// in the trial, issue 14): on a terminal the steps stay as lines and a live
// "… 진행 중: <step> · N초" below them (naming what it waits for) ticks
// until done erases it; elsewhere only the plain step lines are written.
func TestLiveProgress(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	term := &fakeTerminal{cols: 80}
	progress, live := liveProgress(term, true, 80, now, false)
	clock = clock.Add(2600 * time.Millisecond)
	progress("kube-apiserver, kube-controller-manager, kube-scheduler 시작")
	clock = clock.Add(7 * time.Second)
	live.Tick()
	if got, want := term.Screen(), []string{
		" • [  2.6s] kube-apiserver, kube-controller-manager, kube-scheduler 시작",
		"… 진행 중: kube-apiserver, kube-controller-manager, kube-scheduler 시작 · 9초",
	}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("while waiting:\n got %q\nwant %q", got, want)
	}
	clock = clock.Add(600 * time.Millisecond)
	progress("노드 등록")
	live.Done()
	if got, want := term.Screen(), []string{
		" • [  2.6s] kube-apiserver, kube-controller-manager, kube-scheduler 시작",
		" • [ 10.2s] 노드 등록",
	}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after done:\n got %q\nwant %q", got, want)
	}

	var buf bytes.Buffer
	clock = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	progress, live = liveProgress(&buf, false, 80, now, false)
	clock = clock.Add(2600 * time.Millisecond)
	progress("노드 등록")
	live.Done()
	if got, want := buf.String(), " • [  2.6s] 노드 등록\n"; got != want {
		t.Errorf("not a terminal: got %q want %q", got, want)
	}
}

// A two-line notice of the runtime ("알림: …" then "  까닭: …") keeps its
// shape on a terminal: the first line hangs after the time, the reason
// line keeps its indentation under it and is not cut early (issue 14), and
// the live line names only the first line.
func TestLiveProgressTwoLineNotice(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	term := &fakeTerminal{cols: 80}
	progress, live := liveProgress(term, true, 80, now, false)
	clock = clock.Add(400 * time.Millisecond)
	progress("알림: 컨테이너 엔진(Docker/Podman)이 응답하지 않아 embedded 런타임으로 클러스터를 만듭니다.\n  까닭: 컨테이너 엔진(docker/podman)은 설치되어 있지만 데몬(daemon)이 응답하지 않습니다: Cannot connect to the Docker daemon at unix:///var/run/docker.sock")
	live.Tick()
	got := term.Screen()
	want := []string{
		" • [  0.4s] 알림: 컨테이너 엔진(Docker/Podman)이 응답하지 않아 embedded",
		"            런타임으로 클러스터를 만듭니다.",
		"              까닭: 컨테이너 엔진(docker/podman)은 설치되어 있지만",
		"              데몬(daemon)이 응답하지 않습니다: Cannot connect to the Docker",
		"              daemon at unix:///var/run/docker.sock",
	}
	if len(got) < len(want)+1 || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
		t.Errorf("notice:\n got %q\nwant %q", got, want)
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "… 진행 중: 알림: 컨테이너 엔진") || strings.Contains(last, "까닭") {
		t.Errorf("live line %q", last)
	}
}
