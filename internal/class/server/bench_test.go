package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// benchSubmit runs `dslab class serve` as its own process (so that its
// memory is the server's alone), has `students` simulated students join
// and submit realistic snapshots (grader testdata of lab clusters, each
// re-graded by the server) concurrently, b.N submissions in all, and
// reports submissions/s, acknowledgement latency p50/p95 and the server's
// peak RSS (VmHWM of /proc/PID/status).
func benchSubmit(b *testing.B, students int, serveArgs ...string) {
	env := testcluster.NewEnv(b)
	srv := startServe(b, env, filepath.Join(env.Root, "class"), serveArgs...)
	defer srv.stop(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: students, MaxConnsPerHost: students}, Timeout: time.Minute}
	post := func(path, token string, body []byte) (*http.Response, error) {
		req, _ := http.NewRequest("POST", srv.url+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return hc.Do(req)
	}
	tokens := make([]string, students)
	for i := range tokens {
		resp, err := post(api.PathJoin, "", mustJSON(api.JoinRequest{Code: srv.code, Name: fmt.Sprintf("학생%04d", i), StudentID: fmt.Sprintf("b%04d", i), MachineID: fmt.Sprintf("machine-%04d", i)}))
		if err != nil {
			b.Fatal(err)
		}
		var r api.JoinResponse
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if r.Token == "" {
			b.Fatalf("join %d: HTTP %d", i, resp.StatusCode)
		}
		tokens[i] = r.Token
	}
	exs := []string{"ds-basics", "taints", "gpu-only"}
	snaps := []json.RawMessage{snapshot(b, "ds-basics", "solution"), snapshot(b, "taints", "solution"), snapshot(b, "gpu-only", "solution")}
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
				t0 := time.Now()
				resp, err := post(api.PathSubmissions, tokens[w], body)
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
	if kb, err := procStatusKB(srv.cmd.Process.Pid, "VmHWM"); err == nil {
		b.ReportMetric(float64(kb)/1024, "server-RSS-MB")
	} else {
		b.Logf("server RSS: %v", err)
	}
}

// procStatusKB reads a "kB" field of /proc/PID/status (Linux).
func procStatusKB(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

func BenchmarkSubmitSQLite(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) { benchSubmit(b, n) })
	}
}

func BenchmarkSubmitPostgres(b *testing.B) {
	pg := classtest.StartPostgres(b)
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) { benchSubmit(b, n, "--db", pg.NewDatabase(b)) })
	}
}
