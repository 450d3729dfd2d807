//go:build unix

package embedded

import (
	"errors"
	"os"
	"syscall"
)

// platformSupported is nil: the embedded runtime runs on Unix.
func platformSupported() error { return nil }

// sessionProcAttr starts the supervisor in a session of its own: the cluster
// outlives the CLI or TUI, ^C in the terminal does not reach it, and its
// components share its process group.
func sessionProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

// terminateProcess sends SIGTERM to pid.
func terminateProcess(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }

// killProcessGroup sends SIGKILL to the process group led by pid.
func killProcessGroup(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }

// killProcess sends SIGKILL to pid.
func killProcess(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// TryLock takes the supervisor lock (flock(2), exclusive) without blocking.
// It returns the open file holding the lock, or ErrLocked when another
// process holds it.
func (d Dir) TryLock() (*os.File, error) {
	f, err := os.OpenFile(d.Lock(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return f, nil
}
