package lab

import (
	"crypto/sha256"
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/progress"
)

// Issue 14: one bad save and `a a` on the unchanged file counted three
// attempts. A failed apply of the content of the failed apply on record is
// not a new attempt; a changed file, or the same file after a success, is.
func TestSameFailingFileIsOneAttempt(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	bad := &ApplyError{Summary: "API 서버가 매니페스트를 거부했습니다", Detail: "invalid"}
	sumA, sumB := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	steps := []struct {
		err       error
		unchanged bool
		sum       [sha256.Size]byte
		counted   bool
		attempts  int
	}{
		{bad, false, sumA, true, 1},  // the bad save
		{bad, false, sumA, false, 1}, // a
		{bad, false, sumA, false, 1}, // a
		{bad, false, sumB, true, 2},  // edited, still failing
		{nil, false, sumA, true, 3},  // fixed and applied
		{bad, false, sumB, true, 4},  // broken again after a success
	}
	for i, s := range steps {
		at := t0.Add(time.Duration(i) * time.Minute)
		if got := RecordApplyOutcome(store, "ds-basics", at, s.err, s.unchanged, s.sum); got != s.counted {
			t.Errorf("step %d: counted = %v, want %v", i, got, s.counted)
		}
		e := store.Exercise("ds-basics")
		if e.Attempts != s.attempts {
			t.Errorf("step %d: attempts = %d, want %d", i, e.Attempts, s.attempts)
		}
		if e.LastApply == nil || !e.LastApply.At.Equal(at) {
			t.Errorf("step %d: the last apply's time did not move: %+v", i, e.LastApply)
		}
	}
}
