package lab

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/internal/progress"
)

// ApplyFunc applies the work file at path to the cluster t names
// (ApplyFile in the lab; a fake in unit tests).
type ApplyFunc func(ctx context.Context, t ApplyTarget, path string) (ApplyResult, error)

// NotConnectedError: a work file was not applied because no cluster was
// connected. The file itself was not the cause (it parsed); it was never
// sent to the API server, so it should be applied once the cluster is
// ready.
type NotConnectedError struct {
	// Path is the work file.
	Path string
}

func (e *NotConnectedError) Error() string {
	return fmt.Sprintf("클러스터에 연결되어 있지 않아 적용하지 못했습니다 (파일은 저장되어 있습니다: %s)", e.Path)
}

// AutoApplied is the outcome of one apply of a work file made by an
// AutoApplier.
type AutoApplied struct {
	// Path is the work file (filepath.Clean'd).
	Path string
	// Stamp is the file as it was applied (or found unchanged).
	Stamp Stamp
	// Result is what kubectl apply printed (empty on error).
	Result ApplyResult
	// Err is the apply's error, whole (*ApplyError, *ManifestError, or a
	// Korean "not connected" error); nil when applied.
	Err error
	// Attempted: the file went to the API server (an attempt, counted in
	// the progress whether it was accepted or not).
	Attempted bool
	// Skipped: the file had not changed since its last apply; nothing was
	// done.
	Skipped bool
	// Recorded: the applier's recorder (SetRecorder) has recorded this
	// attempt already, at the apply; the reader of the outcome must not
	// count it again.
	Recorded bool
	// Starter: the file is still the starter manifest dslab wrote
	// (UntouchedStarter); nothing was applied or counted (Err is a
	// *StarterUnchangedError).
	Starter bool
}

// AutoApplier applies the open exercise's work file on every save, in its
// own goroutine (Run), so a save is applied while the TUI is suspended in
// the learner's editor or lab shell (bubbletea processes no message while
// tea.ExecProcess runs). The outcomes wait in a queue (Ready, Take) for the
// TUI to report them and count the attempts when it resumes. Applies are
// serialised, and a file is applied only when it changed since its last
// apply (Stamp.Saved), so the apply when the editor closes (ApplyIfSaved)
// never repeats one made on a save. Safe for concurrent use.
type AutoApplier struct {
	ctx   context.Context
	apply ApplyFunc
	// timeout bounds one apply.
	timeout time.Duration

	applyMu sync.Mutex // held during an apply: one at a time

	mu        sync.Mutex
	active    string // the work file applied on save ("" when none)
	target    ApplyTarget
	hasTarget bool
	last      map[string]Stamp // per path: the stamp last applied
	record    func(AutoApplied)
	queue     []AutoApplied
	ready     chan struct{} // capacity 1: the queue is not empty
}

// NewAutoApplier returns an applier whose applies run under ctx (30 s each)
// with apply (ApplyFile when nil).
func NewAutoApplier(ctx context.Context, apply ApplyFunc) *AutoApplier {
	if apply == nil {
		apply = ApplyFile
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return &AutoApplier{ctx: ctx, apply: apply, timeout: 30 * time.Second, last: map[string]Stamp{}, ready: make(chan struct{}, 1)}
}

// SetActive makes path the work file applied on save, with baseline as the
// file last applied (the file when the editor opened: an unchanged file is
// not applied). An empty path applies nothing on save.
func (a *AutoApplier) SetActive(path string, baseline Stamp) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if path == "" {
		a.active = ""
		return
	}
	a.active = filepath.Clean(path)
	a.last[a.active] = baseline
}

// SetRecorder sets what is done with every attempt (an apply that went to
// the API server) right after it, on the applying goroutine: the progress
// record of the attempt (RecordApplied), so that a save made while the TUI
// is suspended in the editor counts at that save, not when the editor
// closes. nil records nothing (the reader of the outcomes does).
func (a *AutoApplier) SetRecorder(record func(AutoApplied)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.record = record
}

// RecordApplied records the attempt r of the exercise whose work file is
// r.Path in store (RecordApplyOutcome at at: an apply kubectl found
// unchanged is not counted) and saves it;
// a recorder for SetRecorder.
func RecordApplied(store *progress.Store, r AutoApplied, at time.Time) error {
	id := strings.TrimSuffix(filepath.Base(r.Path), ".yaml")
	RecordApplyOutcome(store, id, at, r.Err, r.Err == nil && r.Result.Unchanged(), r.Stamp.Sum)
	return store.Save()
}

// SetTarget sets the cluster saves are applied to (ok false: not
// connected; a save then fails with a Korean error and the file stays).
func (a *AutoApplier) SetTarget(t ApplyTarget, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.target, a.hasTarget = t, ok
}

// Run applies the active work file on each path from saves (a
// WorkWatcher's Saves) and queues the outcome, until saves is closed or
// the applier's context is done. Saves of other files are ignored.
func (a *AutoApplier) Run(saves <-chan string) {
	for {
		select {
		case <-a.ctx.Done():
			return
		case p, ok := <-saves:
			if !ok {
				return
			}
			p = filepath.Clean(p)
			a.mu.Lock()
			active := a.active
			a.mu.Unlock()
			if p != active {
				continue
			}
			// A starter written by dslab (another terminal's
			// `dslab exercise start`) is not a save: say nothing.
			if r := a.ApplyIfSaved(p); !r.Skipped && !r.Starter {
				a.push(r)
			}
		}
	}
}

// Ready is signalled when outcomes are waiting (Take them).
func (a *AutoApplier) Ready() <-chan struct{} { return a.ready }

// Take returns and removes the waiting outcomes, oldest first.
func (a *AutoApplier) Take() []AutoApplied {
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queue
	a.queue = nil
	return q
}

func (a *AutoApplier) push(r AutoApplied) {
	a.mu.Lock()
	a.queue = append(a.queue, r)
	a.mu.Unlock()
	select {
	case a.ready <- struct{}{}:
	default:
	}
}

// ApplyIfSaved applies path if it changed since its last apply (Skipped
// otherwise) and returns the outcome (not queued).
func (a *AutoApplier) ApplyIfSaved(path string) AutoApplied { return a.applyPath(path, false) }

// ApplyNow applies path whether or not it changed and returns the outcome
// (not queued).
func (a *AutoApplier) ApplyNow(path string) AutoApplied { return a.applyPath(path, true) }

func (a *AutoApplier) applyPath(path string, force bool) AutoApplied {
	path = filepath.Clean(path)
	a.applyMu.Lock()
	defer a.applyMu.Unlock()
	after := StampFile(path)
	r := AutoApplied{Path: path, Stamp: after}
	if !after.Exists {
		r.Err = &NoWorkFileError{Path: path}
		return r
	}
	if UntouchedStarter(path, after) {
		// dslab wrote this file (start, reset, e): not a learner's save.
		r.Err, r.Starter = &StarterUnchangedError{Path: path}, true
		return r
	}
	a.mu.Lock()
	before, t, ok := a.last[path], a.target, a.hasTarget
	a.mu.Unlock()
	if !force && !before.Saved(after) {
		r.Skipped = true
		return r
	}
	defer func() {
		a.mu.Lock()
		a.last[path] = after
		a.mu.Unlock()
	}()
	if !ok {
		if _, err := ReadManifest(path); err != nil {
			r.Err = err
			return r
		}
		r.Err = &NotConnectedError{Path: path}
		return r
	}
	ctx, cancel := context.WithTimeout(a.ctx, a.timeout)
	defer cancel()
	r.Result, r.Err = a.apply(ctx, t, path)
	r.Attempted = true
	a.mu.Lock()
	record := a.record
	a.mu.Unlock()
	if record != nil {
		record(r)
		r.Recorded = true
	}
	return r
}
