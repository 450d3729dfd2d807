package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// serveProc is a running `dslab class serve` process.
type serveProc struct {
	cmd  *exec.Cmd
	url  string
	code string
	data string
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

func (p *serveProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

var (
	urlLine  = regexp.MustCompile(`^\s+(http://127\.0\.0\.1:\d+)\s*$`)
	codeLine = regexp.MustCompile(`^(?:참가 코드: |\s+)(\d{6})\s*$`)
)

// startServe runs `dslab class serve` on a free loopback port with its
// data in dir (and args), and reads its URL and join code from what it
// prints. The process is interrupted when t ends if still running.
func startServe(t testing.TB, env *testcluster.Cluster, data string, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{data: data, done: make(chan error, 1)}
	p.cmd = exec.Command(env.Bin, append([]string{"class", "serve", "--listen", "127.0.0.1:0", "--data", data, "--title", "E2E 수업"}, args...)...)
	p.cmd.Env = env.Env
	var stderr bytes.Buffer
	p.cmd.Stderr = &stderr
	pipe, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.out.WriteString(line + "\n")
			if m := urlLine.FindStringSubmatch(line); m != nil && p.url == "" {
				p.url = m[1]
			}
			if m := codeLine.FindStringSubmatch(line); m != nil {
				p.code = m[1]
			}
			if strings.HasPrefix(line, "Ctrl-C") {
				close(ready)
			}
			p.mu.Unlock()
		}
		io.Copy(io.Discard, pipe)
		p.done <- p.cmd.Wait()
	}()
	select {
	case <-ready:
	case err := <-p.done:
		t.Fatalf("class serve exited: %v\n%s\n%s", err, p.output(), stderr.String())
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("class serve did not start:\n%s\n%s", p.output(), stderr.String())
	}
	if p.url == "" || p.code == "" {
		t.Fatalf("no URL or join code in:\n%s", p.output())
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
		}
	})
	return p
}

// stop interrupts the server (Ctrl-C) and waits for a clean exit.
func (p *serveProc) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("class serve after Ctrl-C: %v\n%s", err, p.output())
		}
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		t.Fatal("class serve did not stop on Ctrl-C")
	}
	if !strings.Contains(p.output(), "수업 서버를 멈췄습니다") {
		t.Fatalf("no goodbye:\n%s", p.output())
	}
}

// student is a dslab environment of its own (XDG dirs, HOME) talking to
// the shared lab cluster through a copy of its kubeconfig.
func newStudent(t *testing.T, c *testcluster.Cluster) *testcluster.Cluster {
	t.Helper()
	s := testcluster.NewEnv(t)
	b, err := os.ReadFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(s.Kubeconfig), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Kubeconfig, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Client, s.Rest = c.Client, c.Rest
	return s
}

func run(t *testing.T, ctx context.Context, c *testcluster.Cluster, args ...string) string {
	t.Helper()
	out, stderr, err := c.Run(ctx, args...)
	if err != nil {
		t.Fatalf("dslab %s: %v\n%s\n%s", strings.Join(args, " "), err, out, stderr)
	}
	return out + stderr
}

// settle waits until the exercise's DaemonSet has rolled out.
func settle(t *testing.T, ctx context.Context, c *testcluster.Cluster, ex exercises.Exercise) {
	t.Helper()
	for {
		ds, err := c.Client.AppsV1().DaemonSets(ex.Spec.Target.Namespace).Get(ctx, ex.Spec.Target.Name, metav1.GetOptions{})
		if err == nil && rolledOut(ds) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s did not roll out: %v", ex.Spec.Target, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func rolledOut(ds *appsv1.DaemonSet) bool {
	s := ds.Status
	return s.ObservedGeneration >= ds.Generation && s.UpdatedNumberScheduled == s.DesiredNumberScheduled &&
		s.NumberReady == s.DesiredNumberScheduled && s.NumberMisscheduled == 0
}

// gradeUntil runs `dslab grade ID` (which submits to the class) until its
// exit code is want, a few times at most (pods may still be settling).
func gradeUntil(t *testing.T, ctx context.Context, s *testcluster.Cluster, id string, want int) string {
	t.Helper()
	var out, stderr string
	var err error
	for i := 0; i < 20; i++ {
		out, stderr, err = s.Run(ctx, "grade", id)
		if testcluster.ExitCode(err) == want {
			return out + stderr
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("dslab grade %s: exit %d, want %d\n%s\n%s", id, testcluster.ExitCode(err), want, out, stderr)
	return ""
}

// TestIntegrationClassEndToEnd is a class with real processes on one
// embedded cluster: `dslab class serve` (SQLite, then PostgreSQL when the
// test PostgreSQL is available), three students each with their own dslab
// environment join, start exercises and solve them with the reference
// solutions; `dslab grade` submits by itself. The export (CLI and
// instructor API) shows the server's grading of every student. The
// students share one cluster, so the server flags every submission
// copied-cluster — the cluster identity works end to end.
func TestIntegrationClassEndToEnd(t *testing.T) {
	c := testcluster.Start(t)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sqlite", func(t *testing.T) {
		classEndToEnd(t, c, cat, nil)
	})
	t.Run("postgres", func(t *testing.T) {
		pg := classtest.StartPostgres(t)
		classEndToEnd(t, c, cat, []string{"--db", pg.NewDatabase(t)})
	})
}

func classEndToEnd(t *testing.T, c *testcluster.Cluster, cat *exercises.Catalog, serveArgs []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	instructor := testcluster.NewEnv(t)
	data := filepath.Join(instructor.Root, "class")
	srv := startServe(t, instructor, data, serveArgs...)

	// Three students join with their own config dirs.
	names := []string{"김민준", "이서연", "박지호"}
	plan := []string{"ds-basics", "gpu-only", "control-plane"}
	students := make([]*testcluster.Cluster, len(names))
	for i, name := range names {
		students[i] = newStudent(t, c)
		out := run(t, ctx, students[i], "class", "join", srv.url, "--code", srv.code, "--name", name, "--student-id", fmt.Sprintf("2026%03d", i+1))
		if !strings.Contains(out, "참가했습니다") {
			t.Fatalf("join: %s", out)
		}
	}

	// One after another on the shared cluster: start, (the third grades
	// the broken start first: a failure reaches the server too), solve
	// with the reference solution, grade.
	for i, s := range students {
		ex, err := cat.Get(plan[i])
		if err != nil {
			t.Fatal(err)
		}
		run(t, ctx, s, "exercise", "start", ex.ID)
		if ex.ID == "control-plane" {
			out := gradeUntil(t, ctx, s, ex.ID, 1)
			// The server's verdict in dslab grade's words (a failed
			// snapshot is 진행 중 with its score).
			if !strings.Contains(out, "수업 서버에 제출했습니다: control-plane … 진행 중 · 3/10점 (서버 채점)") {
				t.Fatalf("grade of the broken start was not submitted:\n%s", out)
			}
		}
		if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
			t.Fatal(err)
		}
		settle(t, ctx, c, ex)
		out := gradeUntil(t, ctx, s, ex.ID, 0)
		if !strings.Contains(out, "수업 서버에 제출했습니다: "+ex.ID+" ✔ 통과") {
			t.Fatalf("%s's grade was not submitted:\n%s", names[i], out)
		}
		st := run(t, ctx, s, "class", "status")
		if !strings.Contains(st, "연결: 정상") || !strings.Contains(st, "보낼 제출 0개") || !regexp.MustCompile(ex.ID+`\s+✔ 통과`).MatchString(st) {
			t.Fatalf("class status:\n%s", st)
		}
	}

	// The export through the CLI (the server, instructor token from
	// --data) and straight from the instructor API agree.
	out := run(t, ctx, instructor, "class", "export", "-o", "json", "--server", srv.url, "--data", data)
	var exp api.Export
	if err := json.Unmarshal([]byte(out), &exp); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	tok, err := os.ReadFile(filepath.Join(data, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.url+api.PathExport, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var viaAPI api.Export
	json.NewDecoder(resp.Body).Decode(&viaAPI)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(viaAPI.Submissions) != len(exp.Submissions) || len(viaAPI.Students) != 3 {
		t.Fatalf("instructor API: %d, %d submissions (CLI %d), %d students", resp.StatusCode, len(viaAPI.Submissions), len(exp.Submissions), len(viaAPI.Students))
	}
	if len(exp.Students) != 3 || len(exp.Report.Students) != 3 {
		t.Fatalf("export students: %+v", exp.Students)
	}
	for i, sr := range exp.Report.Students {
		roster := fmt.Sprintf("2026%03d", i+1)
		if sr.Source != roster {
			t.Fatalf("report row %d is %s, want %s", i, sr.Source, roster)
		}
		status := "(none)"
		for _, r := range sr.Results {
			if r.Exercise == plan[i] {
				status = r.Status
			}
		}
		if status != api.StatusPassed {
			t.Errorf("%s: the class table's %s is %s, want passed", roster, plan[i], status)
		}
	}
	sawFailure := false
	for _, s := range exp.Submissions {
		if !strings.HasPrefix(s.GraderVersion, "dslab ") {
			t.Errorf("submission %d graded by %q, not the server's grader", s.ID, s.GraderVersion)
		}
		if !slices.Contains(s.Flags, store.FlagCopiedCluster) {
			t.Errorf("submission %d of %s on the shared cluster not flagged copied-cluster: %v", s.ID, s.RosterID, s.Flags)
		}
		// Snapshots dslab captured from a real cluster pass every
		// consistency check: only the copy flags (a shared cluster).
		for _, f := range s.Flags {
			if f != store.FlagCopiedCluster && f != store.FlagCopiedDaemonSet {
				t.Errorf("submission %d of %s (%s) flagged %s on a real capture", s.ID, s.RosterID, s.Exercise, f)
			}
		}
		if s.RosterID == "2026003" && s.Exercise == "control-plane" && s.Status == api.StatusFailed {
			sawFailure = true
		}
	}
	if !sawFailure {
		t.Error("the failing grade of the broken start is not in the export")
	}

	// CSV for Excel: a byte-order mark, the roster ids.
	csvFile := filepath.Join(instructor.Root, "class.csv")
	run(t, ctx, instructor, "class", "export", "-o", "csv", "--server", srv.url, "--data", data, "--out", csvFile)
	b, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(server.UTF8BOM)) || !strings.Contains(string(b), "2026003") {
		t.Fatalf("CSV:\n%s", b)
	}
	srv.stop(t)
}
