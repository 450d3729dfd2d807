//go:build unix

package app

import (
	"strings"
	"testing"
)

// TestServeLockRefusesASecondServer: while one serve holds the data dir, a
// second is refused in Korean with the first one's pid; after release it
// may open.
func TestServeLockRefusesASecondServer(t *testing.T) {
	dir := t.TempDir()
	release, err := lockClassData(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockClassData(dir); err == nil || !strings.Contains(err.Error(), "이미 실행 중입니다") || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second lock: %v", err)
	}
	release()
	r2, err := lockClassData(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	r2()
}
