package app

import (
	"bytes"
	"strings"
	"testing"
	"time"
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
	want := "\r\x1b[2K클러스터 상태를 읽는 중… 0초" +
		"\r\x1b[2K클러스터 상태를 읽는 중… 3초" +
		"\r\x1b[2K채점하는 중… 3/17 3초" +
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
