package tui

import (
	"errors"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/cluster"
)

// TestExternalOperationClearsOldLog: when another terminal starts or
// stops the cluster, the log and error of this TUI's previous operation
// are cleared, so the cluster screen describes the current operation only
// (issue 14: a stop from another terminal showed the previous stop's log);
// the log of the external operation's own time is kept while it runs.
func TestExternalOperationClearsOldLog(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	l := &Live{}
	l.followStatus(cluster.Status{State: cluster.StateRunning}, nil, now)
	l.OpLog = []opLine{{at: time.Second, text: "이전 멈춤: API 서버를 멈추는 중"}, {at: time.Second, text: "완료"}}
	l.OpErr = errors.New("previous failure")

	l.followStatus(cluster.Status{State: cluster.StateStopping}, nil, now.Add(time.Second))
	if len(l.OpLog) != 0 || l.OpErr != nil {
		t.Errorf("a stop from another terminal keeps the previous log %v / error %v", l.OpLog, l.OpErr)
	}
	// Lines added during that stop stay while it goes on.
	l.OpLog = append(l.OpLog, opLine{at: time.Second, text: "지금의 멈춤"})
	l.followStatus(cluster.Status{State: cluster.StateStopping}, nil, now.Add(2*time.Second))
	if len(l.OpLog) != 1 {
		t.Errorf("the current operation's log was cleared: %v", l.OpLog)
	}

	l.followStatus(cluster.Status{State: cluster.StateStopped}, nil, now.Add(3*time.Second))
	l.OpLog = []opLine{{at: time.Second, text: "멈춤 로그"}}
	l.followStatus(cluster.Status{State: cluster.StateStarting}, nil, now.Add(4*time.Second))
	if len(l.OpLog) != 0 {
		t.Errorf("a start from another terminal keeps the stop's log: %v", l.OpLog)
	}
}
