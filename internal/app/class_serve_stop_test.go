package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassServeLogsStop: Ctrl-C (the context ends) on `dslab class serve`
// leaves its shutdown in server.log, in order — the start of the shutdown
// with its cause, the connections drained, and "class server stopped" as
// the last line (issue 12: the log ended at "listening", so a stopped
// server looked like one that had died).
func TestClassServeLogsStop(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	serveUntilReady(t, paths.Under(filepath.Join(dir, "home")), "--data", data)
	b, err := os.ReadFile(filepath.Join(data, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	var shutdown map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("server.log line %q: %v", line, err)
		}
		msg, _ := rec["msg"].(string)
		msgs = append(msgs, msg)
		if msg == "class server shutting down" {
			shutdown = rec
		}
	}
	want := []string{"class server listening", "class server shutting down", "class server connections drained", "class server stopped"}
	at := 0
	for _, m := range msgs {
		if at < len(want) && m == want[at] {
			at++
		}
	}
	if at < len(want) || msgs[len(msgs)-1] != "class server stopped" {
		t.Fatalf("server.log messages %q, want %q in order and \"class server stopped\" last", msgs, want)
	}
	if c, _ := shutdown["cause"].(string); c == "" {
		t.Errorf("the shutdown line has no cause: %v", shutdown)
	}
	if _, ok := shutdown["activeConnections"]; !ok {
		t.Errorf("the shutdown line does not count connections: %v", shutdown)
	}
}
