package embedded

import (
	"context"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestStatusFollowsTheSupervisorPhase checks what `dslab cluster status`
// reports from the files a running supervisor leaves: the lock it holds
// (held here by the test, as flock locks conflict between two open files of
// one process) and the phase in status.json. While `cluster down` stops the
// supervisor (phase stopping, then stopped until the lock is released), the
// cluster is stopping, not degraded: its components are going away on
// purpose, and no API server call is made.
func TestStatusFollowsTheSupervisorPhase(t *testing.T) {
	r := New(paths.Under(t.TempDir()), "/nonexistent/dslab")
	const name = "dslab"
	d := r.Dir(name)
	if err := d.SaveConfig(Config{Name: name, Runtime: cluster.RuntimeEmbedded}); err != nil {
		t.Fatal(err)
	}
	status := func() cluster.Status {
		t.Helper()
		s, err := r.Status(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := status(); s.State != cluster.StateStopped {
		t.Fatalf("no supervisor: state %q, want stopped", s.State)
	}
	lock, err := d.TryLock()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	// A component that has already exited while stopping must not turn
	// the state into degraded.
	comps := []ComponentStatus{{Name: "etcd", Running: true}, {Name: "kube-apiserver", Running: false}}
	cases := []struct {
		phase   Phase
		want    cluster.State
		message string
	}{
		{PhaseStarting, cluster.StateStarting, ""},
		{PhaseStopping, cluster.StateStopping, "멈추는 중"},
		{PhaseStopped, cluster.StateStopping, "멈추는 중"},
		{PhaseFailed, cluster.StateDegraded, "etcd 가 끝났습니다"},
		// Running with a component down is degraded (here the API
		// server cannot even be asked: there is no kubeconfig).
		{PhaseRunning, cluster.StateDegraded, ""},
	}
	for _, c := range cases {
		if err := d.SaveStatus(SupervisorStatus{Phase: c.phase, Components: comps, Error: "etcd 가 끝났습니다"}); err != nil {
			t.Fatal(err)
		}
		s := status()
		if s.State != c.want {
			t.Errorf("phase %s: state %q (%s), want %q", c.phase, s.State, s.Message, c.want)
		}
		if !strings.Contains(s.Message, c.message) {
			t.Errorf("phase %s: message %q, want it to say %q", c.phase, s.Message, c.message)
		}
	}
}
