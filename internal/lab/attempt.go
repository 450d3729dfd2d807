package lab

import (
	"context"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// NewAttempt is the attempt record (kube.Attempt) of a failing grade: the
// snapshot, the time, and hints used and attempts from store (nil: 0).
func NewAttempt(store *progress.Store, res grader.Result, snap grader.Snapshot, at time.Time) kube.Attempt {
	var ep progress.ExerciseProgress
	if store != nil {
		ep = store.Exercise(res.Exercise)
	}
	return kube.Attempt{Exercise: res.Exercise, GradedAt: at.UTC(), HintsUsed: ep.HintsUsed, Attempts: ep.Attempts,
		Score: res.Score, MaxScore: res.MaxScore, Snapshot: snap}
}

// DefaultAttemptInterval is the shortest time between two attempt records
// written by the live lab.
const DefaultAttemptInterval = 5 * time.Second

// attemptWrite is one pending record: where to write it and what.
type attemptWrite struct {
	client  kubernetes.Interface
	attempt kube.Attempt
}

// AttemptWriter writes the live lab's failing grades as attempt records
// (kube.RecordAttempt) without hammering the API server: at most one write
// per interval, always the latest grade, and the last grade of a burst is
// written once the interval has passed (so the record ends on what the
// learner last saw). Offer never blocks. Build it with NewAttemptWriter
// and run it with Run.
type AttemptWriter struct {
	interval time.Duration
	// write stores a record (kube.RecordAttempt; tests replace it).
	write func(ctx context.Context, client kubernetes.Interface, a kube.Attempt) error
	// after is time.After (tests replace it).
	after func(time.Duration) <-chan time.Time
	warn  func(error)

	mu      sync.Mutex
	pending *attemptWrite
	kick    chan struct{}
}

// NewAttemptWriter returns a writer with at least interval between writes
// (DefaultAttemptInterval when 0); warn receives failed writes (nil:
// ignored).
func NewAttemptWriter(interval time.Duration, warn func(error)) *AttemptWriter {
	if interval <= 0 {
		interval = DefaultAttemptInterval
	}
	if warn == nil {
		warn = func(error) {}
	}
	return &AttemptWriter{interval: interval, write: kube.RecordAttempt, after: time.After, warn: warn, kick: make(chan struct{}, 1)}
}

// Offer queues a record, replacing one not yet written.
func (w *AttemptWriter) Offer(client kubernetes.Interface, a kube.Attempt) {
	w.mu.Lock()
	w.pending = &attemptWrite{client: client, attempt: a}
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *AttemptWriter) take() *attemptWrite {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.pending
	w.pending = nil
	return p
}

func (w *AttemptWriter) flush(ctx context.Context) {
	p := w.take()
	if p == nil {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.write(wctx, p.client, p.attempt); err != nil {
		w.warn(err)
	}
}

// Run writes offered records until ctx ends; a record still pending then
// is written with a short timeout of its own.
func (w *AttemptWriter) Run(ctx context.Context) {
	defer func() {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		w.flush(fctx)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		}
		w.flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-w.after(w.interval):
		}
	}
}

// SetupMakesTarget reports whether exercise start creates the exercise's
// target DaemonSet itself (a manifest of ex.Setup applies it: the
// exercises that start broken, e.g. troubleshoot): then its mere presence
// is the set-up state, not the learner's work.
func SetupMakesTarget(ex exercises.Exercise) bool {
	t := ex.Spec.Target
	for _, f := range ex.Setup.Files() {
		dss, _ := exercises.DaemonSets(ex.Files[f])
		for _, d := range dss {
			if d.Namespace == t.Namespace && d.Name == t.Name {
				return true
			}
		}
	}
	return false
}

// HandAttempt reports whether a failing grade res of the started exercise
// ex shows work of the learner's that no counter saw (kubectl from a shell
// the lab does not watch): the target DaemonSet ds (nil: absent) exists
// although setup does not make it, or was last written by neither setup
// (kube.FieldManager) nor the lab (LabFieldManager), or the grade found
// an attempt beside it (a DaemonSet of the same name in another namespace
// or of a near name, grader's not-started rule). A grade of the state
// exercise start left is no attempt (issue 14: troubleshoot opened only
// was 진행 중 and graded from an "attempt" record of its set-up state).
func HandAttempt(ex exercises.Exercise, res grader.Result, ds *appsv1.DaemonSet) bool {
	if res.Passed || res.Status == grader.StatusNotStarted {
		return false
	}
	if ds == nil {
		return true // graded failed without the target: an attempt beside it
	}
	if !SetupMakesTarget(ex) {
		return true
	}
	switch lastWriter(ds.ManagedFields) {
	case LabFieldManager, kube.FieldManager, "":
		return false
	}
	return true
}
