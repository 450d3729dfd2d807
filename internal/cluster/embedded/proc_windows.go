package embedded

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// platformSupported refuses: the embedded runtime needs Unix process control
// (sessions, signals, process groups), so Runtime.Up stops before it creates
// anything and names WSL2 and kind instead.
func platformSupported() error { return WindowsUnsupported() }

// The process helpers below are never reached on Windows (Up refuses before
// a supervisor exists); they exist so the package compiles.

func sessionProcAttr() *syscall.SysProcAttr { return nil }

func terminateProcess(int) error { return errors.ErrUnsupported }

func killProcessGroup(int) error { return errors.ErrUnsupported }

func killProcess(int) error { return errors.ErrUnsupported }

// TryLock takes the supervisor lock (LockFileEx, exclusive, fail
// immediately) without blocking. It returns the open file holding the lock,
// or ErrLocked when another process holds it.
func (d Dir) TryLock() (*os.File, error) {
	f, err := os.OpenFile(d.Lock(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if err != nil {
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return f, nil
}
