package app

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/render"
)

// progressLine is a one-line "클러스터 상태를 읽는 중… 3초" status for
// commands that can be silent for seconds (the first grade under load):
// written to a terminal's stderr, redrawn in place with the elapsed whole
// seconds, and erased by Done before the result is printed. When the
// writer is not a terminal (tty false) it writes nothing at all, so pipes,
// files and tests see only the result.
//
// A nil *progressLine is valid and does nothing.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	now   func() time.Time
	start time.Time
	msg   string
	width int // terminal width in cells; 0 when unknown
	shown bool
	stop  chan struct{}
}

// newProgressLine returns a status line on w; tty says whether w is a
// terminal, width is its width in display cells (0 when unknown: the line
// is not trimmed), now is the clock (time.Now outside tests).
//
// The live line is trimmed to width-1 cells: a line that wraps on the
// terminal leaves its upper rows behind, because "\r\x1b[2K" clears only
// the row the cursor is on (issue 14: stale half-lines at 80 columns).
func newProgressLine(w io.Writer, tty bool, width int, now func() time.Time) *progressLine {
	return &progressLine{w: w, tty: tty, width: width, now: now, start: now()}
}

// startTicking redraws the line every second (Tick) on its own goroutine
// until Done closes p.stop.
func (p *progressLine) startTicking() {
	p.stop = make(chan struct{})
	go func(stop chan struct{}) {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.Tick()
			}
		}
	}(p.stop)
}

// stderrProgress is env's status line on stderr, ticking every second
// until Done; silent when stderr is not a terminal.
func stderrProgress(env Env) *progressLine {
	_, tty := terminalFile(env.Streams.Err)
	width, _ := terminalWidth(env.Streams.Err)
	p := newProgressLine(env.Streams.Err, tty, width, time.Now)
	if tty {
		p.startTicking()
	}
	return p
}

// Set shows msg (Korean, e.g. "클러스터 상태를 읽는 중…") with the seconds
// since the line was made.
func (p *progressLine) Set(msg string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msg = msg
	p.draw()
}

// Tick redraws the line with the current elapsed time.
func (p *progressLine) Tick() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw()
}

// Done erases the line and stops the ticking; the line stays erased.
func (p *progressLine) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.shown = false
	}
	p.tty = false
}

func (p *progressLine) draw() {
	if !p.tty || p.msg == "" {
		return
	}
	secs := int(p.now().Sub(p.start) / time.Second)
	// \r and erase-line: the line is redrawn in place, never scrolls;
	// it must stay on one row for the erase to clear all of it.
	fmt.Fprintf(p.w, "\r\x1b[2K%s", fitLive(p.msg, fmt.Sprintf(" · %d초", secs), p.width))
	p.shown = true
}

// Note writes line (ending without a newline) as a lasting line above the
// status line: the status line is erased, line written with a newline,
// and the status line drawn again below it. On a non-terminal it writes
// line alone.
func (p *progressLine) Note(line string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.shown = false
	}
	if p.width > 0 {
		// Wrapped at spaces by dslab, not by the terminal, so that a
		// path or name is never split mid-word.
		line = render.WrapWhole(line, p.width)
	}
	fmt.Fprintln(p.w, line)
	p.draw()
}

// fitLive is msg followed by suffix (" · 7초"), trimmed to fit width-1
// display cells on one terminal row: while msg is too wide its leading
// " · "-separated parts (the command's prefix, "연습 3/16") are dropped,
// so that the step now running stays readable; the last part is then cut
// with "…". The elapsed seconds always stay visible. width <= 0 returns
// them whole.
func fitLive(msg, suffix string, width int) string {
	if width <= 0 {
		return msg + suffix
	}
	room := width - 1 - ansi.StringWidth(suffix)
	if room < 2 {
		return ansi.Truncate(msg+suffix, max(width-1, 0), "")
	}
	parts := strings.Split(msg, " · ")
	for len(parts) > 1 && ansi.StringWidth(strings.Join(parts, " · ")) > room {
		parts = parts[1:]
	}
	return ansi.Truncate(strings.Join(parts, " · "), room, "…") + suffix
}

// stepReporter reports the steps of a slow command that has no result
// until the end (exercise start/reset): on a terminal one status line
// (progressLine) "<prefix> · <step> · N초", redrawn every second, with
// notes ("참고: …") kept as lines above it; on anything else each step as
// its own plain line after its elapsed time (" • [  1.2s] step", as
// cluster up prints them), nothing redrawn.
type stepReporter struct {
	line   *progressLine // nil when not a terminal
	plain  func(string)
	prefix string
}

// newStepReporter is a stepReporter on w: tty says whether w is a
// terminal; t prints the plain lines (and its width, the terminal's, trims
// the live line); now is the clock. A terminal's line
// ticks every second when tick is true (false in tests, which call Tick).
func newStepReporter(w io.Writer, tty bool, now func() time.Time, t textOut, prefix string, tick bool) *stepReporter {
	if !tty {
		start := now()
		return &stepReporter{plain: func(line string) {
			t.Hanging(fmt.Sprintf(" • [%5.1fs] ", now().Sub(start).Seconds()), line)
		}}
	}
	l := newProgressLine(w, true, t.width, now)
	if tick {
		l.startTicking()
	}
	return &stepReporter{line: l, prefix: prefix}
}

// Step shows the step now running ("데몬셋 dslab/gpu-monitor 의 파드가
// 준비되기를 기다리는 중"); a Korean note ("참고: …") stays as a line.
func (r *stepReporter) Step(msg string) {
	switch {
	case r.line == nil:
		r.plain(msg)
	case strings.HasPrefix(msg, "참고:"):
		r.line.Note(msg)
	default:
		r.line.Set(r.prefix + " · " + msg)
	}
}

// Note writes a lasting line (a result worth keeping, such as where the
// baseline was saved) in either mode.
func (r *stepReporter) Note(msg string) {
	if r.line == nil {
		r.plain(msg)
		return
	}
	r.line.Note(msg)
}

// Done erases the status line (nothing on a non-terminal).
func (r *stepReporter) Done() { r.line.Done() }
