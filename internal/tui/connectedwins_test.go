package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/lessons"
)

// reportsStartingOps is a runtime that still reports starting (`dslab cluster
// up` in another terminal, finishing its last steps).
type reportsStartingOps struct{ runningOps }

func (reportsStartingOps) Status(context.Context) (cluster.Status, error) {
	return cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateStarting, Context: "dslab"}, nil
}

// TestConnectedWinsOverStarting: once the API server answers the watcher
// and every node is Ready, the cluster screen says 실행 중, as the status
// bar does — not 시작하는 중… beside 연결됨 · 노드 4/4 (issue 14, tui10's
// leftover).
func TestConnectedWinsOverStarting(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, nil)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Cluster: reportsStartingOps{},
		Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 100, 30)
	tm.Send(keyRunes("c"))
	waitFor(t, tm, "the cluster screen, starting", func(s snapshot) bool {
		return s.state == stateCluster && strings.Contains(s.view, "시작하는 중")
	})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
	s := waitFor(t, tm, "connected", func(s snapshot) bool { return s.connected && strings.Contains(s.view, "연결됨 · 노드 4/4") })
	if strings.Contains(s.view, "시작하는 중") {
		t.Errorf("시작하는 중 beside 연결됨 · 노드 4/4:\n%s", s.view)
	}
	if !strings.Contains(s.view, "실행 중 (running)") {
		t.Errorf("the cluster screen does not say 실행 중:\n%s", s.view)
	}
}
