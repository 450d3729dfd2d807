package kube

import (
	"errors"
	"syscall"
)

// recorderSupported refuses: the background recorder is a detached process
// stopped by a signal, which needs Unix process control.
func recorderSupported() error { return RecorderWindowsUnsupported() }

// processAlive is false: no recorder can have started on Windows.
func processAlive(int) bool { return false }

func terminateProcess(int) error { return errors.ErrUnsupported }

func sessionProcAttr() *syscall.SysProcAttr { return nil }
