package app

import (
	"fmt"
	"io"
	"sync"
	"time"
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
	shown bool
	stop  chan struct{}
}

// newProgressLine returns a status line on w; tty says whether w is a
// terminal, now is the clock (time.Now outside tests).
func newProgressLine(w io.Writer, tty bool, now func() time.Time) *progressLine {
	return &progressLine{w: w, tty: tty, now: now, start: now()}
}

// stderrProgress is env's status line on stderr, ticking every second
// until Done; silent when stderr is not a terminal.
func stderrProgress(env Env) *progressLine {
	_, tty := terminalFile(env.Streams.Err)
	p := newProgressLine(env.Streams.Err, tty, time.Now)
	if tty {
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
	// \r and erase-line: the line is redrawn in place, never scrolls.
	fmt.Fprintf(p.w, "\r\x1b[2K%s %d초", p.msg, secs)
	p.shown = true
}
