package tui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
)

// stoppingOps is an embedded cluster that runs until Down, which blocks
// until released; then it is stopped (data kept).
type stoppingOps struct {
	release chan struct{}
	once    sync.Once
	stopped atomic.Bool
}

func (o *stoppingOps) Up(context.Context, cluster.Progress) (cluster.Status, error) {
	return o.Status(context.Background())
}
func (o *stoppingOps) Down(context.Context, bool) error {
	<-o.release
	o.stopped.Store(true)
	return nil
}
func (o *stoppingOps) Status(context.Context) (cluster.Status, error) {
	st := cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning, Context: "dslab"}
	if o.stopped.Load() {
		st.State = cluster.StateStopped
	}
	return st, nil
}
func (o *stoppingOps) done() { o.once.Do(func() { close(o.release) }) }

// TestClusterStopShownAtOnce: d says 멈추는 중 in the state line at once
// (not 실행 중 / 연결됨 above it), and a stopped embedded cluster is offered
// a restart of itself, not the runtime auto-selection of a new one.
func TestClusterStopShownAtOnce(t *testing.T) {
	ops := &stoppingOps{release: make(chan struct{})}
	t.Cleanup(ops.done)
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	tm := startProgram(t, m, 80, 24)
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
	tm.Send(keyRunes("c"))
	waitFor(t, tm, "the running cluster", func(s snapshot) bool {
		return s.state == stateCluster && strings.Contains(s.view, "실행 중 (running)") && strings.Contains(s.view, "연결됨")
	})
	tm.Send(keyRunes("d"))
	s := waitFor(t, tm, "stopping", func(s snapshot) bool { return strings.Contains(s.view, "멈추는 중… (stopping)") })
	for _, stale := range []string{"실행 중 (running)", "연결됨 ·"} {
		if strings.Contains(s.view, stale) {
			t.Errorf("while stopping the panel still says %q:\n%s", stale, s.view)
		}
	}
	ops.done()
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 2, State: lab.StateDisconnected, Problem: "connection refused", Exercise: "ds-basics"}})
	s = waitFor(t, tm, "stopped", func(s snapshot) bool { return strings.Contains(s.view, "중지됨 (stopped)") })
	if !strings.Contains(flat(s.view), "u 로 멈춰 둔 embedded 클러스터 dslab 을 다시 시작합니다") || strings.Contains(s.view, "런타임 자동 선택") {
		t.Errorf("a stopped embedded cluster is not offered its restart:\n%s", s.view)
	}
}

// startingOps is a stopped embedded cluster whose Up blocks until released.
type startingOps struct {
	stoppingOps
}

func (o *startingOps) Up(context.Context, cluster.Progress) (cluster.Status, error) {
	<-o.release
	return cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning, Context: "dslab"}, nil
}

// TestClusterStartDoesNotSayPressU: while the cluster starts, the
// connection line does not still say "u 로 시작하세요" (trainee trial).
func TestClusterStartDoesNotSayPressU(t *testing.T) {
	ops := &startingOps{stoppingOps{release: make(chan struct{})}}
	ops.stopped.Store(true)
	t.Cleanup(ops.done)
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	tm := startProgram(t, m, 80, 24)
	problem := `kubeconfig 에 컨텍스트(context) "dslab" 이 없습니다 — dslab cluster up 으로 시작하세요 (컨텍스트가 하나도 없습니다)`
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 1, State: lab.StateDisconnected, Problem: problem, Exercise: "ds-basics"}})
	tm.Send(keyRunes("c"))
	waitFor(t, tm, "the stopped cluster", func(s snapshot) bool {
		return s.state == stateCluster && strings.Contains(s.view, "중지됨 (stopped)") && strings.Contains(flat(s.view), "u 로 시작하세요")
	})
	tm.Send(keyRunes("u"))
	s := waitFor(t, tm, "starting", func(s snapshot) bool { return strings.Contains(s.view, "시작하는 중… (starting)") })
	if strings.Contains(flat(s.view), "u 로 시작하세요") {
		t.Errorf("while starting the panel still says to press u:\n%s", s.view)
	}
}

// TestRecheckTimeShown: a grade that time alone will change
// (grader.Result.RecheckAt) says when the lab grades again, so the
// "만들어진 지 1초" of a frozen check is not a mystery (trainee trial).
func TestRecheckTimeShown(t *testing.T) {
	m := labCourseModel(t)
	tm := startProgram(t, m, 100, 70)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })
	u := simulatedUpdate(t, "ds-basics", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	res := *u.Result
	res.RecheckAt = u.At.Add(42 * time.Second)
	u.Result = &res
	tm.Send(labUpdateMsg{u: u})
	want := res.RecheckAt.Local().Format("15:04:05") + " 에 저절로 다시 채점합니다"
	waitFor(t, tm, "the recheck time", func(s snapshot) bool { return strings.Contains(flat(s.view), want) })
}

// externalStopOps is an embedded cluster stopped by another process: once
// stopping, its first status read finds it degraded (the supervisor
// stopping its components), the later ones stopped.
type externalStopOps struct {
	stopping atomic.Bool
	reads    atomic.Int32 // since stopping
	total    atomic.Int32
}

func (o *externalStopOps) Up(context.Context, cluster.Progress) (cluster.Status, error) {
	return o.Status(context.Background())
}
func (o *externalStopOps) Down(context.Context, bool) error { return nil }
func (o *externalStopOps) Status(context.Context) (cluster.Status, error) {
	o.total.Add(1)
	st := cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning, Context: "dslab"}
	switch {
	case !o.stopping.Load():
		o.reads.Store(0)
	case o.reads.Add(1) == 1:
		st.State = cluster.StateDegraded
	default:
		st.State = cluster.StateStopped
	}
	return st, nil
}

// statusLine is the status bar of a frame (the line above the key help).
func statusLine(view string) string {
	lines := strings.Split(view, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2]
}

// TestExternalStopFollowed: with an exercise open at 80×24, the cluster
// is stopped from another terminal (`dslab cluster down`): the watcher
// reports the API server shutting down, the status bar says 멈추는 중…
// at once; when the runtime has stopped, the status bar, the node map and
// the exercise's banner all say 중지됨 (the cluster screen's word) with
// no key pressed — the TUI reads the runtime again by itself — and all
// recover when the cluster is back (trainee trial: 35 s of 실행 중).
func TestExternalStopFollowed(t *testing.T) {
	ops := &externalStopOps{}
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}}) // never run: the test sends the updates
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	u := simulatedUpdate(t, "ds-basics", nil)
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the running cluster", func(s snapshot) bool {
		// Read at the start and at the connection.
		return s.state == stateExercise && s.connected && strings.Contains(statusLine(s.view), "실행 중") && ops.total.Load() >= 2
	})

	// `dslab cluster down` elsewhere: the probe sees the API server shut
	// down; the runtime's next read is degraded (its supervisor stopping),
	// the ones after it stopped.
	ops.stopping.Store(true)
	tm.Send(labUpdateMsg{u: lab.Update{Seq: u.Seq + 1, State: lab.StateDisconnected, Stopping: true, Exercise: "ds-basics",
		Problem: "API 서버(kube-apiserver)가 멈추는 중입니다 — 클러스터가 멈추고 있습니다"}})
	s := waitFor(t, tm, "멈추는 중 in the status bar", func(s snapshot) bool { return strings.Contains(statusLine(s.view), "멈추는 중…") })
	if strings.Contains(s.view, "실행 중") {
		t.Errorf("the screen still says 실행 중:\n%s", s.view)
	}

	// Nothing is sent when the runtime has stopped: the TUI finds out.
	s = waitWithin(t, tm, 15*time.Second, "중지됨 everywhere", func(s snapshot) bool {
		return strings.Contains(statusLine(s.view), "중지됨") && strings.Contains(s.view, "중지됨 · 마지막으로 본 상태")
	})
	if !strings.Contains(flat(s.view), "클러스터 상태: 중지됨 (stopped)") {
		t.Errorf("the exercise does not say the cluster is stopped:\n%s", s.view)
	}
	for _, stale := range []string{"실행 중", "멈추는 중", "일부 이상"} {
		if strings.Contains(s.view, stale) {
			t.Errorf("a stopped cluster is still shown %q:\n%s", stale, s.view)
		}
	}
	checkFrame(t, s)

	// Back (`dslab cluster up` elsewhere): the watcher reconnects.
	ops.stopping.Store(false)
	u.Seq += 2
	tm.Send(labUpdateMsg{u: u})
	s = waitWithin(t, tm, 15*time.Second, "실행 중 again", func(s snapshot) bool {
		return strings.Contains(statusLine(s.view), "실행 중") && !strings.Contains(s.view, "마지막으로 본 상태")
	})
	if strings.Contains(s.view, "중지됨") {
		t.Errorf("still stopped after the cluster came back:\n%s", s.view)
	}
}
