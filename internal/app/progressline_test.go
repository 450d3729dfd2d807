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

	"github.com/dslab-kr/dslab/internal/kube"
)

// The status line redraws in place with whole elapsed seconds from the
// clock, and Done erases it; on a non-terminal it writes nothing.
func TestProgressLine(t *testing.T) {
	clock := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var buf bytes.Buffer
	p := newProgressLine(&buf, true, now)
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
	p = newProgressLine(&buf, false, now)
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
		"\r\x1b[2K연습 gpu-only 준비 중 · 데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 2초" +
		"\r\x1b[2K연습 gpu-only 준비 중 · 데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
		"\r\x1b[2K참고: 클러스터 안에 기준선(baseline) 사본을 저장하지 못했습니다\n" +
		"\r\x1b[2K연습 gpu-only 준비 중 · 데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
		"\r\x1b[2K기준선(baseline) 기록: 노드 4개\n" +
		"\r\x1b[2K연습 gpu-only 준비 중 · 데몬셋 dslab/gpu-monitor 의 파드를 기다리는 중: 준비 1/2 · 4초" +
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
	status := newProgressLine(&tty, true, func() time.Time { clock = clock.Add(time.Second); return clock })
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
	if err := writeGradeText(textOut{w: &out, width: 100}, results); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("요약: 통과한 연습 0/%d (시작 전 %d)", len(exs), len(exs))) {
		t.Errorf("the report lacks its summary line:\n%s", out.String())
	}
}
