package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/cluster"
)

func TestClusterNodeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"cluster", "node", "stop"},
		{"cluster", "node", "start", "a", "b"},
		{"cluster", "node", "stop", "Bad_Name"},
		{"cluster", "node", "stop", "dslab-worker2", "--timeout", "0s"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != ExitUsage || !hasHangulText(errOut) {
			t.Errorf("%v: exit %d, stderr %q; want usage error in Korean", args, code, errOut)
		}
	}
}

func TestClusterNodeStopWithoutCluster(t *testing.T) {
	code, out, errOut := runCLI(t, "cluster", "node", "stop", "dslab-worker2", "--name", "nodefail-test")
	if code != ExitFailure || !strings.Contains(errOut, "실행 중이 아닙니다") || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want a Korean 'not running' failure", code, out, errOut)
	}
}

func TestPrintStatusMarksStoppedNodes(t *testing.T) {
	var b bytes.Buffer
	printStatus(textOut{w: &b}, cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning, Nodes: []cluster.NodeStatus{
		{Name: "dslab-worker", Ready: true, Roles: []string{"worker"}},
		{Name: "dslab-worker2", Ready: false, Stopped: true, Roles: []string{"worker"}, Taints: []cluster.Taint{{Key: "node.kubernetes.io/unreachable", Effect: "NoExecute"}}},
		{Name: "dslab-worker3", Ready: true, Stopped: true, Roles: []string{"worker"}},
	}})
	out := b.String()
	if !strings.Contains(out, "NotReady (멈춤: node stop)") || !strings.Contains(out, "Ready (멈춤: node stop)") {
		t.Fatalf("stopped nodes not marked:\n%s", out)
	}
	// Korean column headers, none of kubectl's English ones.
	for _, english := range []string{"NAME", "STATUS", "ROLES", "LABELS", "TAINTS", "<none>"} {
		if strings.Contains(out, english) {
			t.Errorf("English %q in cluster status:\n%s", english, out)
		}
	}
	// The 역할 (roles) column starts at the same cell on every row.
	col := -1
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "dslab-") && !strings.HasPrefix(line, "노드") {
			continue
		}
		i := strings.Index(line, "  worker  ") + 2
		if strings.HasPrefix(line, "노드") {
			i = strings.Index(line, "역할")
		}
		c := ansi.StringWidth(line[:i])
		if col >= 0 && c != col {
			t.Errorf("역할 at cell %d, earlier %d:\n%s", c, col, out)
		}
		col = c
	}
	if col < 0 {
		t.Errorf("no header:\n%s", out)
	}
}

func hasHangulText(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}
