package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// benchAdd measures the store's write path alone: 200 goroutines
// (students) adding submissions at once, each carrying a realistic
// snapshot (a lab cluster's, from the grader's testdata), so that the group
// commit's cost per row shows apart from HTTP and grading.
func benchAdd(b *testing.B, s store.Store) {
	ctx := context.Background()
	snap, err := os.ReadFile(filepath.Join("..", "..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json"))
	if err != nil {
		b.Fatal(err)
	}
	const students = 200
	ids := make([]int64, students)
	for i := range ids {
		st, err := s.CreateStudent(ctx, store.Student{RosterID: fmt.Sprintf("r%04d", i), Name: "학생", TokenHash: fmt.Sprintf("t%04d", i)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = st.ID
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				sb := sub(ids[w], fmt.Sprintf("bench-%012d", i), "ds-basics", fmt.Sprintf("uid-%04d", w))
				sb.ClusterUID = fmt.Sprintf("cluster-%04d", w)
				sb.Snapshot = snap
				if _, _, err := s.AddSubmission(ctx, sb); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

func BenchmarkAddSubmissionSQLite(b *testing.B) {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), store.SQLiteFile))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchAdd(b, s)
}

func BenchmarkAddSubmissionPostgres(b *testing.B) {
	pg := classtest.StartPostgres(b)
	s, err := store.OpenPostgres(context.Background(), pg.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchAdd(b, s)
}
