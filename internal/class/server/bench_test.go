package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
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
	submitLoad(b, srv.url, srv.code, students)
	if kb, err := procStatusKB(srv.cmd.Process.Pid, "VmHWM"); err == nil {
		b.ReportMetric(float64(kb)/1024, "server-RSS-MB")
	} else {
		b.Logf("server RSS: %v", err)
	}
}

// pacedGap and pacedRounds shape the paced phase: every student submits
// once per pacedGap, pacedRounds times. 3 s is the most often a student's
// lab submits (client.AutoConfig.MinGap's default: one exercise's changed
// grade at most every 3 s; an unchanged one every 60 s).
const (
	pacedGap    = 3 * time.Second
	pacedRounds = 4
)

// submitLoad has `students` simulated students join the class at url and
// submit realistic snapshots (grader testdata of lab clusters, each
// re-graded by the server) concurrently, in two phases:
//
//   - saturation: b.N submissions, every student sending the next one as
//     soon as the last is acknowledged. Reports submissions/s (the
//     server's capacity) and sat-p50-ms/sat-p95-ms. In this closed loop
//     the latency is the queue's length over the throughput (Little's law:
//     200 students at 500/s wait 400 ms on average), so it measures
//     capacity, not what a student waits for in class.
//   - paced: every student submits once per pacedGap (the most often a lab
//     does), starting at random points of the first gap, pacedRounds
//     times. Reports p50-ms/p95-ms: the acknowledgement latency of a class
//     of this size, the "p95 ack ≤ 100 ms at 200 students".
func submitLoad(b *testing.B, url, code string, students int) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: students, MaxConnsPerHost: students}, Timeout: 5 * time.Minute}
	defer hc.CloseIdleConnections()
	post := func(path, token string, body []byte) (*http.Response, error) {
		req, _ := http.NewRequest("POST", url+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return hc.Do(req)
	}
	tokens, exs, snaps := joinBenchStudents(b, students, code, post)
	var sent atomic.Int64
	submit := func(w, k int) (time.Duration, bool) {
		i := sent.Add(1)
		body := submitBody(fmt.Sprintf("bench-%012d-key", i), exs[k], benchSnapshot(snaps[w][k], int(i)), time.Now())
		t0 := time.Now()
		resp, err := post(api.PathSubmissions, tokens[w], body)
		if err != nil {
			b.Error(err)
			return 0, false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != http.StatusCreated {
			b.Errorf("status %d", resp.StatusCode)
		}
		return d, true
	}
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
				d, ok := submit(w, i%len(exs))
				if !ok {
					return
				}
				lat[i] = d
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
	b.ReportMetric(float64(b.N)/el.Seconds(), "submissions/s")
	reportPercentiles(b, lat, "sat-")

	// Paced phase.
	paced := make([]time.Duration, students*pacedRounds)
	for w := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := time.Now().Add(time.Duration(mrand.Int64N(int64(pacedGap))))
			for r := range pacedRounds {
				time.Sleep(time.Until(at))
				d, ok := submit(w, r%len(exs))
				if !ok {
					return
				}
				paced[w*pacedRounds+r] = d
				at = at.Add(pacedGap)
			}
		}()
	}
	wg.Wait()
	reportPercentiles(b, paced, "")
}

// reportPercentiles reports the p50 and p95 of lat (in ms) as
// prefix+"p50-ms" and prefix+"p95-ms".
func reportPercentiles(b *testing.B, lat []time.Duration, prefix string) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, prefix+"p95-ms")
}

// BenchmarkSubmitInProcess runs the same load against a server in the
// benchmark's own process (httptest, SQLite in a temporary directory), so
// that `go test -bench SubmitInProcess -cpuprofile` profiles the server.
// The load generator shares the process and its CPU: the numbers are for
// profiles, BenchmarkSubmitSQLite's are the ones that count.
func BenchmarkSubmitInProcess(b *testing.B) {
	b.Run("store=sqlite", func(b *testing.B) {
		f := newFixture(b)
		submitLoad(b, f.srv.URL, f.code, 200)
	})
	// PostgreSQL at 1,000 students: BenchmarkSubmitPostgres's slow case,
	// for -cpuprofile and -trace.
	b.Run("store=postgres/students=1000", func(b *testing.B) {
		pg := classtest.StartPostgres(b)
		st, err := store.OpenPostgres(context.Background(), pg.NewDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		f := serveFixture(b, st, b.TempDir(), "벤치 수업")
		submitLoad(b, f.srv.URL, f.code, 1000)
	})
}

// ownCluster rewrites a snapshot as if student w had captured it on a
// cluster of their own: every object UID (DaemonSets, pods, their owner
// references) gets a student-specific suffix and clusterUID is set.
func ownCluster(b *testing.B, raw json.RawMessage, w int) json.RawMessage {
	var snap struct {
		DaemonSets []struct{ UID string } `json:"daemonSets"`
		Pods       []struct{ UID string } `json:"pods"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		b.Fatal(err)
	}
	out := string(raw)
	for _, d := range snap.DaemonSets {
		out = strings.ReplaceAll(out, `"`+d.UID+`"`, fmt.Sprintf(`"%s-%04d"`, d.UID, w))
	}
	for _, p := range snap.Pods {
		if p.UID != "" {
			out = strings.ReplaceAll(out, `"`+p.UID+`"`, fmt.Sprintf(`"%s-%04d"`, p.UID, w))
		}
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		b.Fatal(err)
	}
	m["clusterUID"] = fmt.Sprintf("kube-system-uid-%04d", w)
	dss, _ := m["daemonSets"].([]any)
	for _, d := range dss {
		d := d.(map[string]any)
		d["generation"] = benchGenerationMark
		if st, ok := d["status"].(map[string]any); ok {
			st["observedGeneration"] = benchGenerationMark
		}
	}
	out2 := mustJSON(m)
	if !bytes.Contains(out2, []byte(strconv.Itoa(benchGenerationMark))) {
		b.Fatalf("snapshot has no DaemonSet whose generation can change:\n%s", out2)
	}
	return out2
}

// benchGenerationMark stands for the DaemonSets' generation in the
// benches' snapshots until benchSnapshot puts a number there.
const benchGenerationMark = 987654321

// benchSnapshot is the snapshot a bench student sends as its i-th
// submission: raw (from ownCluster) with every DaemonSet at generation i+1
// (and observed), as if the student had edited the DaemonSet before each
// submission. The server does not store a snapshot the same as the
// student's previous one (sameAsPrevious: answered 200 Unchanged, no
// event), so without a change per submission the benches measured nothing.
func benchSnapshot(raw json.RawMessage, i int) json.RawMessage {
	return bytes.ReplaceAll(raw, []byte(strconv.Itoa(benchGenerationMark)), []byte(strconv.Itoa(i+1)))
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

// joinBenchStudents joins n students with the class code through post and
// gives each a cluster of its own (its own identity and object UIDs, so
// the copy checks find nothing, as in an honest class) with the reference
// solutions of three exercises: tokens[i] and snaps[i] are student i's,
// snaps[i][k] the snapshot of exs[k].
func joinBenchStudents(b *testing.B, n int, code string, post func(path, token string, body []byte) (*http.Response, error)) (tokens, exs []string, snaps [][]json.RawMessage) {
	tokens = make([]string, n)
	for i := range tokens {
		resp, err := post(api.PathJoin, "", mustJSON(api.JoinRequest{Code: code, Name: fmt.Sprintf("학생%04d", i), StudentID: fmt.Sprintf("b%04d", i), MachineID: fmt.Sprintf("machine-%04d", i)}))
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
	exs = []string{"ds-basics", "taints", "gpu-only"}
	snaps = make([][]json.RawMessage, n)
	for w := range snaps {
		for _, ex := range exs {
			snaps[w] = append(snaps[w], ownCluster(b, snapshot(b, ex, "solution"), w))
		}
	}
	return tokens, exs, snaps
}
