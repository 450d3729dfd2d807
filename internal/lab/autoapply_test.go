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
