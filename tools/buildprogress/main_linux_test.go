package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols×rows and returns its terminal
// side (what `make run` in tmux writes to).
func openPTY(t *testing.T, cols, rows uint16) *os.File {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: cols, Row: rows}); err != nil {
		t.Fatal(err)
	}
	return s
}

// A real terminal is recognised and its width read at every redraw (tmux
// at 80×24, then resized).
func TestTerminalWidthOfAPTY(t *testing.T) {
	s := openPTY(t, 80, 24)
	width := terminalWidth(s)
	if width == nil {
		t.Fatal("a pseudo-terminal is not taken for a terminal")
	}
	if w := width(); w != 80 {
		t.Errorf("width %d, want 80", w)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: 52, Row: 24}); err != nil {
		t.Fatal(err)
	}
	if w := width(); w != 52 {
		t.Errorf("after a resize: width %d, want 52", w)
	}
}

// The linker is found among go build's children (any thread's).
func TestChildNamed(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if !childNamed(os.Getpid(), "sleep") {
		t.Error("the child sleep is not found")
	}
	if childNamed(os.Getpid(), "link") {
		t.Error("a link child is found where there is none")
	}
}
