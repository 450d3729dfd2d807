package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// benchSubmit has `students` simulated students submit realistic snapshots
// (grader testdata, re-graded by the server) concurrently, b.N submissions
// in all, and reports submissions/s and acknowledgement latency p50/p95.
func benchSubmit(b *testing.B, st store.Store, students int) {
	ctx := context.Background()
	c, _, err := server.Setup(ctx, st, "bench", nil, b.TempDir()+"/"+server.InstructorTokenFile)
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := exercises.Load()
	srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	f := &fixture{t: b, st: st, srv: hs, code: c.JoinCode}
	tokens := make([]string, students)
	for i := range tokens {
		tokens[i] = f.join(fmt.Sprintf("b%04d", i), fmt.Sprintf("machine-%04d", i)).Token
	}
	snaps := []json.RawMessage{snapshot(b, "ds-basics", "solution"), snapshot(b, "taints", "solution"), snapshot(b, "gpu-only", "solution")}
	exs := []string{"ds-basics", "taints", "gpu-only"}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: students}}
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	next := make(chan int)
	b.ResetTimer()
	start := time.Now()
	for w := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				k := i % len(snaps)
				body := submitBody(fmt.Sprintf("bench-%012d-key", i), exs[k], snaps[k], time.Now())
				req, _ := http.NewRequest("POST", hs.URL+api.PathSubmissions, bytesReader(body))
				req.Header.Set("Authorization", "Bearer "+tokens[w])
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/el.Seconds(), "submissions/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

func BenchmarkSubmitSQLite(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			st, err := store.OpenSQLite(context.Background(), b.TempDir()+"/"+store.SQLiteFile)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			benchSubmit(b, st, n)
		})
	}
}

func BenchmarkSubmitPostgres(b *testing.B) {
	pg := classtest.StartPostgres(b)
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			st, err := store.OpenPostgres(context.Background(), pg.NewDatabase(b))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			benchSubmit(b, st, n)
		})
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
