//go:build unix

package kube

import (
	"errors"
	"syscall"
)

// recorderSupported is nil: the background recorder runs on Unix.
func recorderSupported() error { return nil }

// processAlive reports whether pid exists (signal 0; EPERM means it exists
// under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// terminateProcess sends SIGTERM to pid.
func terminateProcess(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }

// sessionProcAttr detaches the recorder into a session of its own.
func sessionProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
