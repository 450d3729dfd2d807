package supervisor

import (
	"os"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/internal/cluster/embedded"
)

// statusWriter keeps status.json current; every change is written at once
// (atomically) so that `dslab cluster up/status` can follow along.
type statusWriter struct {
	mu   sync.Mutex
	dir  embedded.Dir
	st   embedded.SupervisorStatus
	errf func(error)
}

func newStatusWriter(dir embedded.Dir, errf func(error)) *statusWriter {
	return &statusWriter{dir: dir, errf: errf, st: embedded.SupervisorStatus{PID: os.Getpid(), Phase: embedded.PhaseStarting}}
}

func (w *statusWriter) update(fn func(*embedded.SupervisorStatus)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fn(&w.st)
	w.st.Updated = time.Now()
	if err := w.dir.SaveStatus(w.st); err != nil && w.errf != nil {
		w.errf(err)
	}
}

func (w *statusWriter) step(phase embedded.Phase, step string) {
	w.update(func(s *embedded.SupervisorStatus) { s.Phase, s.Step = phase, step })
}

func (w *statusWriter) fail(err error) {
	w.update(func(s *embedded.SupervisorStatus) { s.Phase, s.Error = embedded.PhaseFailed, err.Error() })
}

func (w *statusWriter) component(name string, fn func(*embedded.ComponentStatus)) {
	w.update(func(s *embedded.SupervisorStatus) {
		for i := range s.Components {
			if s.Components[i].Name == name {
				fn(&s.Components[i])
				return
			}
		}
		s.Components = append(s.Components, embedded.ComponentStatus{Name: name})
		fn(&s.Components[len(s.Components)-1])
	})
}

func (w *statusWriter) started(name string, pid int) {
	w.component(name, func(c *embedded.ComponentStatus) { c.PID, c.Running, c.Started = pid, true, time.Now() })
}

func (w *statusWriter) exited(name, reason string) {
	w.component(name, func(c *embedded.ComponentStatus) { c.Running, c.Restarts, c.LastExit = false, c.Restarts+1, reason })
}

func (w *statusWriter) stopped(name string) {
	w.component(name, func(c *embedded.ComponentStatus) { c.Running = false })
}
