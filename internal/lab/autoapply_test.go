package lab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/progress"
)

// fakeApply records the files it was asked to apply.
type fakeApply struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (f *fakeApply) apply(_ context.Context, t ApplyTarget, path string) (ApplyResult, error) {
	data, _ := os.ReadFile(path)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, t.Context+":"+string(data))
	if f.err != nil {
		return ApplyResult{}, f.err
	}
	return ApplyResult{Lines: []string{"daemonset.apps/x configured"}}, nil
}

func TestAutoApplierAppliesEachSaveWithoutTheTUI(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ww, err := WatchWorkDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ww.Close()
	f := &fakeApply{}
	a := NewAutoApplier(ctx, f.apply)
	path := filepath.Join(dir, "ex.yaml")
	other := filepath.Join(dir, "other.yaml")
	a.SetActive(path, StampFile(path))
	a.SetTarget(ApplyTarget{Context: "dslab"}, true)
	go a.Run(ww.Saves())

	for i, body := range []string{"one", "two"} {
		if err := os.WriteFile(other, []byte("ignored"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		<-a.Ready()
		got := a.Take()
		if len(got) != 1 || got[0].Err != nil || !got[0].Attempted || got[0].Path != path {
			t.Fatalf("save %d: outcomes %+v", i, got)
		}
	}
	f.mu.Lock()
	calls := append([]string(nil), f.calls...)
	f.mu.Unlock()
	if want := []string{"dslab:one", "dslab:two"}; len(calls) != 2 || calls[0] != want[0] || calls[1] != want[1] {
		t.Fatalf("applies = %q, want %q (other.yaml is not the active file)", calls, want)
	}
	// The editor closes: the file was applied on its save, no second apply.
	if r := a.ApplyIfSaved(path); !r.Skipped {
		t.Fatalf("ApplyIfSaved after the save's apply = %+v, want Skipped", r)
	}
	if r := a.ApplyNow(path); r.Skipped || !r.Attempted {
		t.Fatalf("ApplyNow = %+v, want an attempt", r)
	}
}

func TestAutoApplierKeepsErrorsWholeAndNeedsACluster(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ex.yaml")
	if err := os.WriteFile(path, []byte("kind: DaemonSet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := errors.New("DaemonSet.apps \"fluentd-elasticsearch\" is invalid: spec.selector: Invalid value: selector does not match template labels")
	f := &fakeApply{err: long}
	a := NewAutoApplier(context.Background(), f.apply)
	a.SetActive(path, Stamp{})
	r := a.ApplyIfSaved(path)
	if r.Attempted || r.Err == nil || len(f.calls) != 0 {
		t.Fatalf("without a cluster: %+v, calls %q", r, f.calls)
	}
	if err := os.WriteFile(path, []byte("kind: DaemonSet\nmetadata: {name: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.SetTarget(ApplyTarget{Context: "dslab"}, true)
	r = a.ApplyIfSaved(path)
	if !r.Attempted || !errors.Is(r.Err, long) || r.Err.Error() != long.Error() {
		t.Fatalf("error = %v, want the apply's error whole", r.Err)
	}
}

// TestAutoApplierRecordsEachSaveAtTheSave: with the recorder the TUI sets
// (RecordApplied), every save applied while nobody reads the outcomes (the
// TUI suspended in the editor: vi's :w, twice, the second rejected) is in
// progress.json — attempts and the last apply — before the outcomes are
// taken, and the outcomes say so (the TUI must not count them again).
func TestAutoApplierRecordsEachSaveAtTheSave(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ww, err := WatchWorkDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ww.Close()
	f := &fakeApply{}
	a := NewAutoApplier(ctx, f.apply)
	store := progress.New(filepath.Join(dir, "state", "progress.json"))
	at := time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC)
	a.SetRecorder(func(r AutoApplied) {
		if err := RecordApplied(store, r, at); err != nil {
			t.Error(err)
		}
	})
	path := filepath.Join(dir, "ds-basics.yaml")
	a.SetActive(path, StampFile(path))
	a.SetTarget(ApplyTarget{Context: "dslab"}, true)
	go a.Run(ww.Saves())

	for i, body := range []string{"one", "two"} {
		if i == 1 {
			f.mu.Lock()
			f.err = errors.New(`DaemonSet.apps "fluentd-elasticsearch" is invalid`)
			f.mu.Unlock()
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		<-a.Ready() // applied; the outcome is not taken yet
		saved, err := progress.Read(store.Path())
		if err != nil {
			t.Fatal(err)
		}
		ep := saved.Exercises["ds-basics"]
		if ep.Attempts != i+1 || ep.LastApply == nil || !ep.LastApply.At.Equal(at) || ep.LastApply.Failed != (i == 1) {
			t.Fatalf("save %d: progress.json before the outcome was read: %+v (last apply %+v)", i+1, ep, ep.LastApply)
		}
		if got := a.Take(); len(got) != 1 || !got[0].Recorded {
			t.Fatalf("save %d: outcomes %+v", i+1, got)
		}
	}
}

// A starter written by dslab (here `dslab exercise start` in another
// terminal, EnsureWorkFile) is not a learner's save: the applier neither
// applies nor counts it, on save or on a, until the learner changes it.
func TestAutoApplierNeverAppliesTheStarterDslabWrote(t *testing.T) {
	p := testPaths(t)
	ex := exercise(t, "taints")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := os.MkdirAll(WorkDir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	ww, err := WatchWorkDir(WorkDir(p))
	if err != nil {
		t.Fatal(err)
	}
	defer ww.Close()
	f := &fakeApply{}
	a := NewAutoApplier(ctx, f.apply)
	store := progress.New("")
	a.SetRecorder(func(r AutoApplied) { RecordApply(store, ex.ID) })
	path := WorkFile(p, ex.ID)
	a.SetActive(path, StampFile(path)) // no file yet: the TUI showed the exercise first
	a.SetTarget(ApplyTarget{Context: "dslab"}, true)
	go a.Run(ww.Saves())

	if _, created, err := EnsureWorkFile(p, ex); err != nil || !created {
		t.Fatalf("EnsureWorkFile = %v, %v", created, err)
	}
	// The learner's save after it: the one outcome the queue must hold.
	edited := append(StarterManifest(ex), []byte("# edited\n")...)
	r := a.ApplyNow(path)
	var su *StarterUnchangedError
	if !r.Starter || r.Attempted || !errors.As(r.Err, &su) || !NotApplicable(r.Err) {
		t.Fatalf("a on the untouched starter = %+v, want Starter, no attempt, *StarterUnchangedError", r)
	}
	time.Sleep(3 * saveQuiet) // let the watcher report the starter's write
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	<-a.Ready()
	got := a.Take()
	if len(got) != 1 || !got[0].Attempted || got[0].Starter {
		t.Fatalf("outcomes = %+v, want the learner's save alone", got)
	}
	f.mu.Lock()
	calls := len(f.calls)
	f.mu.Unlock()
	if calls != 1 {
		t.Fatalf("applies = %d, want 1 (the starter is never applied)", calls)
	}
	if n := store.Exercise(ex.ID).Attempts; n != 1 {
		t.Fatalf("attempts = %d, want 1", n)
	}
}

func TestNoWorkFileIsANoteNotAFailure(t *testing.T) {
	a := NewAutoApplier(context.Background(), (&fakeApply{}).apply)
	r := a.ApplyNow(filepath.Join(t.TempDir(), "ex.yaml"))
	var nw *NoWorkFileError
	if r.Attempted || !errors.As(r.Err, &nw) || !NotApplicable(r.Err) {
		t.Fatalf("ApplyNow without a file = %+v", r)
	}
}
