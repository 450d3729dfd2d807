package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// BenchmarkBoardRefresh measures one board read after 1,000 students'
// 5,000 stored submissions plus a new one (the refresh an open board does
// per change, encoded as the handler does): incremental (the cache) against a full rebuild from the
// tables (what every refresh cost before the cache). The submission is
// outside the timer.
func BenchmarkBoardRefresh(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, _, err := Setup(ctx, st, "보드 수업", nil, filepath.Join(dir, InstructorTokenFile)); err != nil {
		b.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(ctx, Config{Store: st, Catalog: cat, GraderVersion: "test"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	snap, err := os.ReadFile(filepath.Join("..", "..", "..", "grader", "testdata", "exercises", "taints", "solution.json"))
	if err != nil {
		b.Fatal(err)
	}
	res, _ := json.Marshal(map[string]any{"status": "failed", "checks": []map[string]any{{"id": "pods", "message": "파드가 없습니다"}}})
	var ids []int64
	for i := range 1000 {
		x, err := st.CreateStudent(ctx, store.Student{RosterID: fmt.Sprintf("s%04d", i), Name: fmt.Sprintf("학생 %d", i), TokenHash: fmt.Sprint("h", i), Joined: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, x.ID)
	}
	n := 0
	submit := func() {
		x := ids[n%len(ids)]
		ex := []string{"ds-basics", "taints", "gpu-only"}[n%3]
		if _, _, err := st.AddSubmission(ctx, store.Submission{StudentID: x, IdempotencyKey: fmt.Sprint("k", n), Exercise: ex, Snapshot: snap,
			SnapshotSHA256: fmt.Sprint("sha", n), Result: res, Score: 1, MaxScore: 3, Status: api.StatusFailed, ReceivedAt: time.Now(),
			DaemonSetUID: fmt.Sprint("u", n)}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	for range 5000 {
		submit()
	}
	b.Run("incremental", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			submit()
			b.StartTimer()
			bd, err := s.BuildBoard(ctx)
			if err != nil {
				b.Fatal(err)
			}
			json.NewEncoder(io.Discard).Encode(bd)
		}
	})
	b.Run("full", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			submit()
			b.StartTimer()
			bd, err := s.buildBoardFull(ctx)
			if err != nil {
				b.Fatal(err)
			}
			json.NewEncoder(io.Discard).Encode(bd)
		}
	})
}
