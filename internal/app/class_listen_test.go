package app

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassServePortTakenLeavesNothing is issue 12's instructor trial
// finding: `dslab class serve` on a port another program held failed only
// after it had created a new class (database, instructor token) in its
// data dir, which the next serve then resumed. It binds first: the error
// names the port and how to find the process, and the data dir is not
// created.
func TestClassServePortTakenLeavesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	dir := t.TempDir()
	data := filepath.Join(dir, "class-data")
	code, _, errs := runClassCLI(t, paths.Under(filepath.Join(dir, "teacher")), "class", "serve", "--listen", ln.Addr().String(), "--data", data)
	if code == 0 {
		t.Fatalf("serve on a taken port exited 0: %s", errs)
	}
	for _, want := range []string{"들을 수 없어 아무것도 만들지 않았습니다", "이 포트(" + port + ")", "ss -ltnp 'sport = :" + port + "'", "lsof", "--listen 127.0.0.1:" + nextPort(t, port)} {
		if !strings.Contains(errs, want) {
			t.Errorf("error lacks %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(data)
		t.Fatalf("the failed serve left its data dir (%v): %v", err, entries)
	}
}

// nextPort is port+1: the taken-port advice keeps the instructor's host
// (issue 12: 127.0.0.1:7070 was told --listen :7071, every interface).
func nextPort(t *testing.T, port string) string {
	t.Helper()
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(n + 1)
}
