package tui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
)

// externalStartOps is an embedded cluster started by another process
// (`dslab cluster up` in another terminal): its state is whatever the
// test sets, and reads are counted.
type externalStartOps struct {
	state atomic.Value // cluster.State
	reads atomic.Int32
}

func newExternalStartOps(s cluster.State) *externalStartOps {
	o := &externalStartOps{}
	o.state.Store(s)
	return o
}

func (o *externalStartOps) Up(context.Context, cluster.Progress) (cluster.Status, error) {
	return o.Status(context.Background())
}
func (o *externalStartOps) Down(context.Context, bool) error { return nil }
func (o *externalStartOps) Status(context.Context) (cluster.Status, error) {
	o.reads.Add(1)
	st := cluster.Status{Name: "dslab", Runtime: "embedded", State: o.state.Load().(cluster.State), Context: "dslab"}
	if st.State == cluster.StateDegraded {
		st.Message = `API 서버(kube-apiserver)에 연결할 수 없습니다: Get "https://127.0.0.1:6443/api/v1/nodes": dial tcp 127.0.0.1:6443: connect: connection refused`
	}
	return st, nil
}

// set changes the state and waits for the TUI to have read it.
func (o *externalStartOps) set(t *testing.T, s cluster.State) {
	t.Helper()
	o.state.Store(s)
	n := o.reads.Load()
	deadline := time.Now().Add(15 * time.Second)
	for o.reads.Load() < n+2 { // a read that began before the change may report the old state
		if time.Now().After(deadline) {
			t.Fatalf("the TUI did not read the runtime's status again (state %s)", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fakeClock is Lab.Now under the test's control.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// noContextProblem is what the watcher reports while a start has not yet
// written the kubeconfig's context.
const noContextProblem = `클러스터에 연결할 수 없습니다: kubeconfig /home/u/.kube/config 에 컨텍스트(context) "dslab" 이 없습니다 — dslab cluster up 으로 시작하세요 (컨텍스트가 하나도 없습니다)`

// TestExternalStartFollowed: with an exercise open at 80×24, the cluster
// is started from another terminal. While the runtime says starting, the
// panel says so with the status bar's word and the seconds, not the
// kubeconfig error of a context not written yet; when the runtime says
// running before the watcher connects, nothing says 연결 끊김 (trainee
// trial: 시작 중 → 연결 끊김 → 실행 중). Only a running cluster the
// watcher still does not reach startGrace later is 연결 끊김, Korean first
// and the error after.
func TestExternalStartFollowed(t *testing.T) {
	ops := newExternalStartOps(cluster.StateStopped)
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).UnixNano())
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Now = clock.now
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}}) // never run: the test sends the updates
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 1, State: lab.StateDisconnected, Problem: noContextProblem, Exercise: "ds-basics"}})
	waitFor(t, tm, "the stopped cluster", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), "중지됨")
	})

	// `dslab cluster up` elsewhere: the runtime says starting.
	ops.set(t, cluster.StateStarting)
	clock.add(7 * time.Second)
	tm.Send(opTickMsg{})
	s := waitFor(t, tm, "시작하는 중 in the status bar and the panel", func(s snapshot) bool {
		return strings.Contains(statusLine(s.view), wordStarting+" 7초") && strings.Contains(flat(s.view), "클러스터를 "+wordStarting+" 7초")
	})
	for _, wrong := range []string{"컨텍스트(context)", "연결 끊김", "u 로 시작", "중지됨"} {
		if strings.Contains(flat(s.view), wrong) {
			t.Errorf("while the cluster starts the screen says %q:\n%s", wrong, s.view)
		}
	}
	checkFrame(t, s)

	// The runtime says running before the watcher has connected.
	ops.set(t, cluster.StateRunning)
	clock.add(time.Second)
	tm.Send(opTickMsg{})
	s = waitFor(t, tm, "still starting", func(s snapshot) bool { return strings.Contains(statusLine(s.view), wordStarting+" 8초") })
	if strings.Contains(s.view, "연결 끊김") || strings.Contains(s.view, "컨텍스트(context)") {
		t.Errorf("between starting and connected the screen flips:\n%s", s.view)
	}

	// The cluster screen says the same word.
	tm.Send(keyRunes("c"))
	s = waitFor(t, tm, "the cluster screen", func(s snapshot) bool { return s.state == stateCluster })
	if !strings.Contains(s.view, wordStarting+" (starting)") || strings.Contains(s.view, "u 로 시작하세요") {
		t.Errorf("the cluster screen does not say %s:\n%s", wordStarting, s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})

	// The watcher connects.
	u := simulatedUpdate(t, "ds-basics", nil)
	u.Seq = 2
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "실행 중", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), "실행 중") && !strings.Contains(s.view, wordStarting)
	})
}

// TestRunningButUnreachableAfterStart: a cluster the runtime reports
// running that the watcher still does not reach startGrace after its start
// is unexpected: 연결 끊김, the Korean sentence first and the watcher's
// error after it.
func TestRunningButUnreachableAfterStart(t *testing.T) {
	ops := newExternalStartOps(cluster.StateStarting)
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).UnixNano())
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Now = clock.now
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	refused := `클러스터에 연결할 수 없습니다: 컨텍스트(context) "dslab" 의 API 서버가 응답하지 않습니다 (Get "https://127.0.0.1:6443/readyz": dial tcp 127.0.0.1:6443: connect: connection refused)`
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 1, State: lab.StateDisconnected, Problem: refused, Exercise: "ds-basics"}})
	waitFor(t, tm, "starting", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), wordStarting)
	})
	ops.set(t, cluster.StateRunning)
	clock.add(startGrace + time.Second)
	tm.Send(opTickMsg{})
	ops.set(t, cluster.StateRunning) // a read after the grace
	s := waitFor(t, tm, "연결 끊김", func(s snapshot) bool { return strings.Contains(statusLine(s.view), "연결 끊김") })
	text := flat(s.view)
	ko, raw := strings.Index(text, "클러스터에 연결되어 있지 않습니다"), strings.Index(text, "connection refused")
	if ko < 0 || raw < 0 || raw < ko {
		t.Errorf("an unexpected failure is not Korean first, the error after:\n%s", s.view)
	}
}

// refusedProblem is the watcher's problem once the API server is gone.
const refusedProblem = `API 서버(kube-apiserver)와 연결이 끊겼습니다 (Get "https://127.0.0.1:6443/api/v1/nodes": dial tcp 127.0.0.1:6443: connect: connection refused)`

// noRawError fails when view shows a raw transport error.
func noRawError(t *testing.T, when, view string) {
	t.Helper()
	for _, raw := range []string{"dial tcp", "connection refused"} {
		if strings.Contains(view, raw) {
			t.Errorf("%s the screen shows the raw error %q:\n%s", when, raw, view)
		}
	}
}

// TestStopOnPurposeSaysNoRawError: the cluster stopped with c → d while
// an exercise is open (80×24): while it stops and once it has stopped,
// the exercise panel and the cluster screen say the state (멈추는 중…,
// 중지됨) and the next step (u 로 다시 시작), never the refused
// connections of the API server going away (trainee trial).
func TestStopOnPurposeSaysNoRawError(t *testing.T) {
	ops := &stoppingOps{release: make(chan struct{})}
	t.Cleanup(ops.done)
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	u := simulatedUpdate(t, "ds-basics", nil)
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the running cluster", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), "실행 중")
	})
	tm.Send(keyRunes("c"))
	tm.Send(keyRunes("d"))
	waitFor(t, tm, "stopping", func(s snapshot) bool { return strings.Contains(s.view, "멈추는 중… (stopping)") })
	tm.Send(labUpdateMsg{u: lab.Update{Seq: u.Seq + 1, State: lab.StateDisconnected, Problem: refusedProblem, Exercise: "ds-basics"}})
	s := waitFor(t, tm, "disconnected while stopping", func(s snapshot) bool { return !s.connected && s.state == stateCluster })
	noRawError(t, "while stopping, on the cluster screen,", s.view)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	s = waitFor(t, tm, "the exercise while stopping", func(s snapshot) bool { return s.state == stateExercise })
	noRawError(t, "while stopping, on the exercise,", s.view)
	if v := flat(s.view); !strings.Contains(v, "멈추는 중…") || !strings.Contains(v, "u 로 다시 시작") {
		t.Errorf("while stopping the exercise does not say the state and the next step:\n%s", s.view)
	}

	ops.done()
	s = waitFor(t, tm, "stopped", func(s snapshot) bool { return strings.Contains(statusLine(s.view), "중지됨") })
	noRawError(t, "once stopped, on the exercise,", s.view)
	if v := flat(s.view); !strings.Contains(v, "중지됨") || !strings.Contains(v, "u 로") {
		t.Errorf("once stopped the exercise does not say the state and the next step:\n%s", s.view)
	}
	tm.Send(keyRunes("c"))
	s = waitFor(t, tm, "the cluster screen once stopped", func(s snapshot) bool { return s.state == stateCluster })
	noRawError(t, "once stopped, on the cluster screen,", s.view)
}

// TestExternalStopSaysNoRawError: `dslab cluster down` in another terminal
// while the cluster screen is open: the runtime reports degraded with the
// refused connection as its message while its supervisor stops; the
// screen says 멈추는 중… (the status bar's word) without the raw error,
// then 중지됨.
func TestExternalStopSaysNoRawError(t *testing.T) {
	ops := newExternalStartOps(cluster.StateRunning)
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	u := simulatedUpdate(t, "ds-basics", nil)
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the running cluster", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), "실행 중")
	})
	tm.Send(keyRunes("c"))
	tm.Send(labUpdateMsg{u: lab.Update{Seq: u.Seq + 1, State: lab.StateDisconnected, Stopping: true, Exercise: "ds-basics",
		Problem: "API 서버(kube-apiserver)가 멈추는 중입니다 — 클러스터가 멈추고 있습니다"}})
	tm.Send(labUpdateMsg{u: lab.Update{Seq: u.Seq + 2, State: lab.StateDisconnected, Stopping: true, Exercise: "ds-basics", Problem: refusedProblem}})
	ops.set(t, cluster.StateDegraded)
	s := waitFor(t, tm, "멈추는 중 on the cluster screen", func(s snapshot) bool {
		return s.state == stateCluster && strings.Contains(s.view, wordStopping+" (stopping)") && strings.Contains(statusLine(s.view), wordStopping)
	})
	noRawError(t, "while stopped elsewhere, on the cluster screen,", s.view)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	noRawError(t, "while stopped elsewhere, on the exercise,", s.view)
	if !strings.Contains(flat(s.view), wordStopping) {
		t.Errorf("the exercise does not say %s:\n%s", wordStopping, s.view)
	}
	ops.set(t, cluster.StateStopped)
	s = waitFor(t, tm, "중지됨", func(s snapshot) bool { return strings.Contains(statusLine(s.view), "중지됨") })
	noRawError(t, "once stopped elsewhere, on the exercise,", s.view)
}

// TestRuntimeStoppingSaysStopping: the embedded runtime reports
// cluster.StateStopping while `dslab cluster down` runs in another
// terminal; once the watcher has lost the API server, the status line
// says 멈추는 중… from that report (not the raw state or 연결 끊김).
func TestRuntimeStoppingSaysStopping(t *testing.T) {
	ops := newExternalStartOps(cluster.StateRunning)
	m := labCourseModel(t)
	m.common.Lab.Cluster = ops
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	u := simulatedUpdate(t, "ds-basics", nil)
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the running cluster", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(statusLine(s.view), "실행 중")
	})
	// The watcher loses the API server without having seen it shut down
	// (refused at once), and the runtime reports stopping.
	tm.Send(labUpdateMsg{u: lab.Update{Seq: u.Seq + 1, State: lab.StateDisconnected, Exercise: "ds-basics", Problem: refusedProblem}})
	ops.set(t, cluster.StateStopping)
	s := waitFor(t, tm, "멈추는 중 from the runtime's report", func(s snapshot) bool {
		return strings.Contains(statusLine(s.view), wordStopping)
	})
	noRawError(t, "while the runtime says stopping", s.view)
}
