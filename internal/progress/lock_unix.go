//go:build unix

package progress

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock(2)) on path+".lock",
// creating it (0600) if needed, and returns the function that releases it.
// It blocks until the lock is free.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
