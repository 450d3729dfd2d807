package server_test

import (
	"bufio"
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
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// boardClient is a simulated web board (assets/board/board.js): it holds
// the event stream open and, like the page, re-reads the board 100 ms
// after an event when no re-read is pending, one read at a time. It records when each
// submission's event arrived and when a board whose lastSeq covers that
// event was in hand.
type boardClient struct {
	mu      sync.Mutex
	event   map[int64]time.Time // submission id → its SSE event arrived
	board   map[int64]time.Time // submission id → a board covering it arrived
	seqSub  map[int64]int64     // event seq → submission id (submitted events not yet on a board)
	pending bool                // a read is scheduled
	reading bool                // a read is in flight
	again   bool                // events came during the read
	errs    []error
}

func (c *boardClient) counts() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.event), len(c.board)
}

// run reads the stream until it ends; fetchBoard is called (on its own
// goroutine) as board.js's refresh.
func (c *boardClient) run(body *bufio.Scanner, fetchBoard func() (int64, error)) {
	var data string
	for body.Scan() {
		line := body.Text()
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			data = v
			continue
		}
		if line != "" || data == "" {
			continue
		}
		var e api.StreamEvent
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			c.fail(err)
			return
		}
		data = ""
		now := time.Now()
		c.mu.Lock()
		if e.Kind == "submitted" {
			c.event[e.SubmissionID] = now
			c.seqSub[e.Seq] = e.SubmissionID
		}
		c.mu.Unlock()
		c.schedule(fetchBoard)
	}
}

// schedule is board.js's schedule/refresh: a read 100 ms after an event,
// one read at a time, and one more after a read during which events came.
func (c *boardClient) schedule(fetchBoard func() (int64, error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending {
		return
	}
	c.pending = true
	time.AfterFunc(100*time.Millisecond, func() {
		c.mu.Lock()
		c.pending = false
		if c.reading {
			c.again = true
			c.mu.Unlock()
			return
		}
		c.reading = true
		c.mu.Unlock()
		last, err := fetchBoard()
		at := time.Now()
		c.mu.Lock()
		c.reading = false
		again := c.again
		c.again = false
		if err != nil {
			c.errs = append(c.errs, err)
		}
		for seq, sub := range c.seqSub {
			if err == nil && seq <= last {
				c.board[sub] = at
				delete(c.seqSub, seq)
			}
		}
		c.mu.Unlock()
		if again {
			c.schedule(fetchBoard)
		}
	})
}

func (c *boardClient) fail(err error) {
	c.mu.Lock()
	c.errs = append(c.errs, err)
	c.mu.Unlock()
}

// submitGap is how often each simulated student submits: the class
// client's AutoConfig.MinGap default, the most often a lab sends an
// exercise whose grade keeps changing (200 students: ~67 submissions/s,
// 1,000: ~330/s).
const submitGap = 3 * time.Second

// benchBoard runs `dslab class serve` as its own process, has `students`
// simulated students join, opens one board (event stream + board reads as
// the web page does), then has the students submit realistic snapshots,
// each one every submitGap (b.N submissions in all, each re-graded by the
// server). It
// reports, from each submission's acknowledgement at the student: the
// time until its event reached the board's stream (event-p50/p95-ms) and
// until a board read covering it was in hand (board-p50/p95-ms; includes
// board.js's 100 ms coalescing delay), and how long one board read took
// (read-p50/p95-ms), and the submissions/s the server kept up with. An event that arrives before the
// student has the acknowledgement counts as 0.
func benchBoard(b *testing.B, students int, serveArgs ...string) {
	env := testcluster.NewEnv(b)
	data := filepath.Join(env.Root, "class")
	srv := startServe(b, env, data, serveArgs...)
	defer srv.stop(b)
	tokb, err := os.ReadFile(filepath.Join(data, server.InstructorTokenFile))
	if err != nil {
		b.Fatal(err)
	}
	instructor := strings.TrimSpace(string(tokb))
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: students + 4, MaxConnsPerHost: students + 4}, Timeout: 5 * time.Minute}
	do := func(method, path, token string, body []byte) (*http.Response, error) {
		req, _ := http.NewRequest(method, srv.url+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return hc.Do(req)
	}
	tokens, exs, snaps := joinBenchStudents(b, students, srv.code, func(path, token string, body []byte) (*http.Response, error) {
		return do("POST", path, token, body)
	})

	var fetchMu sync.Mutex
	var fetches []time.Duration
	fetchBoard := func() (int64, error) {
		t0 := time.Now()
		defer func() {
			fetchMu.Lock()
			fetches = append(fetches, time.Since(t0))
			fetchMu.Unlock()
		}()
		resp, err := do("GET", api.PathBoard, instructor, nil)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var bd api.Board
		if err := json.NewDecoder(resp.Body).Decode(&bd); err != nil {
			return 0, err
		}
		if len(bd.Students) != students {
			return 0, fmt.Errorf("board has %d students, want %d", len(bd.Students), students)
		}
		return bd.LastSeq, nil
	}
	start, err := fetchBoard() // the page's first read
	if err != nil {
		b.Fatal(err)
	}
	bc := &boardClient{event: map[int64]time.Time{}, board: map[int64]time.Time{}, seqSub: map[int64]int64{}}
	stream, err := do("GET", api.PathEvents+"?after="+strconv.FormatInt(start, 10), instructor, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer stream.Body.Close()
	sc := bufio.NewScanner(stream.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	go bc.run(sc, fetchBoard)

	ack := make([]time.Time, b.N)
	ids := make([]int64, b.N)
	var wg sync.WaitGroup
	next := make(chan int)
	b.ResetTimer()
	began := time.Now()
	for w := range students {
		wg.Go(func() {
			// A random phase, then one submission per submitGap.
			time.Sleep(time.Duration(w) * submitGap / time.Duration(students))
			for i := range next {
				t0 := time.Now()
				k := i % len(exs)
				body := submitBody(fmt.Sprintf("board-%012d-key", i), exs[k], benchSnapshot(snaps[w][k], i), time.Now())
				resp, err := do("POST", api.PathSubmissions, tokens[w], body)
				if err != nil {
					b.Error(err)
					return
				}
				var r api.SubmitResponse
				json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				ack[i], ids[i] = time.Now(), r.ID
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("status %d", resp.StatusCode)
				}
				time.Sleep(submitGap - time.Since(t0))
			}
		})
	}
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	served := float64(b.N) / time.Since(began).Seconds()
	// Every acknowledged submission must reach the board.
	deadline := time.Now().Add(60 * time.Second)
	for {
		ne, nb := bc.counts()
		if ne >= b.N && nb >= b.N {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("after 60 s the board has %d events and %d boards of %d submissions", ne, nb, b.N)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if len(bc.errs) > 0 {
		b.Fatal(bc.errs[0])
	}
	evLat := make([]time.Duration, b.N)
	boardLat := make([]time.Duration, b.N)
	for i, id := range ids {
		evLat[i] = max(bc.event[id].Sub(ack[i]), 0)
		boardLat[i] = max(bc.board[id].Sub(ack[i]), 0)
	}
	report := func(lat []time.Duration, name string) {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, name+"-p95-ms")
	}
	// Below the offered rate (students / submitGap) the server is
	// saturated and every request, board reads too, waits for CPU.
	b.ReportMetric(served, "submissions/s")
	report(evLat, "event")
	report(boardLat, "board")
	fetchMu.Lock()
	report(fetches, "read")
	fetchMu.Unlock()
}

func BenchmarkBoardLatencySQLite(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) { benchBoard(b, n) })
	}
}

func BenchmarkBoardLatencyPostgres(b *testing.B) {
	pg := classtest.StartPostgres(b)
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) { benchBoard(b, n, "--db", pg.NewDatabase(b)) })
	}
}
