//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// lockClassData takes the data dir's serve lock, or says in Korean which
// server (pid, address from server-addr) already has it. The lock goes
// with the process: release closes it, and a killed server leaves none.
func lockClassData(dataDir string) (release func(), err error) {
	path := filepath.Join(dataDir, ServeLockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("수업 데이터 디렉터리를 잠글 수 없습니다: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("수업 데이터 디렉터리를 잠글 수 없습니다: %w", err)
		}
		addr, _ := localServerURL(dataDir)
		return nil, usageError("이 데이터 디렉터리(%s)로 수업 서버가 이미 실행 중입니다 (pid %s, %s): 한 수업에 서버는 하나입니다. 그 서버를 쓰거나 멈춘 뒤 다시 여세요 (다른 수업이면 --data 를 다르게)",
			dataDir, strings.TrimSpace(string(b)), addr)
	}
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("%d\n", os.Getpid())), 0)
	return func() { f.Close() }, nil
}

// serveLockHeld reports whether a `dslab class serve` holds dataDir's
// serve lock now (lockClassData): the lock file exists and cannot be
// locked. It takes no lock itself.
func serveLockHeld(dataDir string) bool {
	f, err := os.Open(filepath.Join(dataDir, ServeLockFile))
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}
