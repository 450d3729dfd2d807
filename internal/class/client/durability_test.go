package client_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// The durability test re-executes this test binary as a class server and
// as student clients (separate processes, so the server can be SIGKILLed).
func TestMain(m *testing.M) {
	switch os.Getenv("DSLAB_CLASS_HELPER") {
	case "server":
		os.Exit(helperServer())
	case "client":
		os.Exit(helperClient())
	}
	os.Exit(m.Run())
}

func helperServer() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	dir := os.Getenv("DATA")
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	cat, err := exercises.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: "durability"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", os.Getenv("ADDR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// helperClient enqueues N submissions one by one, sending each and
// retrying until every one is acknowledged; each acknowledged key is
// appended (synced) to ACKED.
func helperClient() int {
	n, _ := strconv.Atoi(os.Getenv("N"))
	snap, err := os.ReadFile(os.Getenv("SNAPSHOT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	acked, err := os.OpenFile(os.Getenv("ACKED"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c := client.New(client.Credentials{Server: os.Getenv("SERVER"), Token: os.Getenv("TOKEN")}, os.Getenv("DATA"))
	c.HTTP.Timeout = 5 * time.Second
	ctx := context.Background()
	deadline := time.Now().Add(3 * time.Minute)
	drain := func() (int, error) {
		items, err := c.Outbox.Pending()
		if err != nil {
			return 0, err
		}
		for _, it := range items {
			r, err := c.Send(ctx, it)
			if err != nil {
				var ae *client.APIError
				if errors.As(err, &ae) && ae.Status < 500 {
					return 0, fmt.Errorf("refused: %w", err)
				}
				return len(items), nil // server down: later
			}
			fmt.Fprintf(acked, "%s %d %v\n", it.IdempotencyKey, r.ID, r.Duplicate)
			if err := acked.Sync(); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}
	var doc map[string]any
	if err := json.Unmarshal(snap, &doc); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < n; i++ {
		// Each submission is another snapshot (hintsUsed i): the outbox
		// and the server keep one of the same snapshot (api.SameSnapshot).
		doc["hintsUsed"] = i
		snap, err := json.Marshal(doc)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := c.Outbox.Enqueue("ds-basics", snap, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := drain(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	for time.Now().Before(deadline) {
		left, err := drain()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if left == 0 {
			return 0
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "outbox did not drain")
	return 1
}

// TestDurabilityServerKilled runs several client processes submitting in a
// loop while the server process is SIGKILLed and restarted several times:
// afterwards every acknowledged submission is stored, none twice, and
// every outbox has drained.
func TestDurabilityServerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server and client processes")
	}
	const clients, perClient, kills = 4, 25, 6
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "server")
	st, err := store.OpenSQLite(ctx, filepath.Join(data, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	class, _, err := server.Setup(ctx, st, "durability", nil, filepath.Join(data, server.InstructorTokenFile))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "http://" + addr

	startServer := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DSLAB_CLASS_HELPER=server", "DATA="+data, "ADDR="+addr)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := http.Get(url + api.PathReadyz)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("server did not become ready: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	srv := startServer()

	hc := &http.Client{Timeout: 5 * time.Second}
	var procs []*exec.Cmd
	var clientDirs []string
	for i := range clients {
		j, err := client.Join(ctx, hc, url, api.JoinRequest{Code: class.JoinCode, Name: fmt.Sprintf("학생%d", i), StudentID: fmt.Sprintf("s%d", i), MachineID: fmt.Sprintf("machine-%04d", i)})
		if err != nil {
			t.Fatal(err)
		}
		cd := filepath.Join(dir, fmt.Sprintf("client%d", i))
		clientDirs = append(clientDirs, cd)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DSLAB_CLASS_HELPER=client", "DATA="+cd, "SERVER="+url, "TOKEN="+j.Token,
			"N="+strconv.Itoa(perClient), "ACKED="+filepath.Join(dir, fmt.Sprintf("acked%d.log", i)),
			"SNAPSHOT="+filepath.Join("..", "..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json"))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	clientErrs := make([]error, clients)
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); clientErrs[i] = p.Wait() }()
	}
	for k := range kills {
		time.Sleep(time.Duration(150+k*60) * time.Millisecond)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		time.Sleep(100 * time.Millisecond) // clients meet a dead server
		srv = startServer()
	}
	wg.Wait()
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	for i, err := range clientErrs {
		if err != nil {
			t.Errorf("client %d: %v", i, err)
		}
	}

	st, err = store.OpenSQLite(ctx, filepath.Join(data, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	subs, err := st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int64{}
	seen := map[string]bool{}
	for _, s := range subs {
		k := fmt.Sprintf("%d/%s", s.StudentID, s.IdempotencyKey)
		if seen[k] {
			t.Errorf("submission %s stored twice", k)
		}
		seen[k] = true
		stored[s.IdempotencyKey] = s.ID
		if s.Status != api.StatusPassed {
			t.Errorf("submission %d graded %s", s.ID, s.Status)
		}
	}
	if len(subs) != clients*perClient {
		t.Errorf("%d submissions stored, want %d (each client made %d)", len(subs), clients*perClient, perClient)
	}
	dupAcks := 0
	for i := range clients {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("acked%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			id, _ := strconv.ParseInt(fields[1], 10, 64)
			if got, ok := stored[fields[0]]; !ok || got != id {
				t.Errorf("acknowledged submission %s (id %d) is not stored (got %d, %v)", fields[0], id, got, ok)
			}
			if fields[2] == "true" {
				dupAcks++
			}
		}
		f.Close()
		pending, err := (client.Outbox{Dir: client.OutboxDir(clientDirs[i])}).Pending()
		if err != nil || len(pending) != 0 {
			t.Errorf("client %d outbox: %d pending (%v)", i, len(pending), err)
		}
		if rej, _ := (client.Outbox{Dir: client.OutboxDir(clientDirs[i])}).Rejected(); len(rej) != 0 {
			t.Errorf("client %d: %d submissions rejected", i, len(rej))
		}
	}
	t.Logf("%d submissions through %d SIGKILLs; %d acknowledgements were of retries already stored", len(subs), kills, dupAcks)
}
