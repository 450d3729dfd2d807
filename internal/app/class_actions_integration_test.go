package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/testcluster"
	"github.com/dslab-kr/dslab/internal/tui"
	"github.com/dslab-kr/dslab/lessons"
)

// classServe is a running `dslab class serve` process.
type classServe struct {
	cmd        *exec.Cmd
	url, code  string
	data       string
	mu         sync.Mutex
	out        bytes.Buffer
	ready, end chan struct{}
}

// startClassServe runs `dslab class serve` on a free loopback port of
// the environment env and reads its URL and join code.
func startClassServe(t *testing.T, env *testcluster.Cluster) *classServe {
	t.Helper()
	urlLine := regexp.MustCompile(`^\s+(http://127\.0\.0\.1:\d+)\s*$`)
	codeLine := regexp.MustCompile(`^(?:참가 코드: |\s+)(\d{6})\s*$`)
	s := &classServe{data: filepath.Join(t.TempDir(), "class"), ready: make(chan struct{}), end: make(chan struct{})}
	s.cmd = exec.Command(env.Bin, "class", "serve", "--listen", "127.0.0.1:0", "--data", s.data, "--title", "동작 수업")
	s.cmd.Env = env.Env
	s.cmd.Stderr = io.Discard
	pipe, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(s.end)
		sc := bufio.NewScanner(pipe)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.out.WriteString(line + "\n")
			if m := urlLine.FindStringSubmatch(line); m != nil && s.url == "" {
				s.url = m[1]
			}
			if m := codeLine.FindStringSubmatch(line); m != nil {
				s.code = m[1]
			}
			s.mu.Unlock()
			if strings.HasPrefix(line, "Ctrl-C") {
				once.Do(func() { close(s.ready) })
			}
		}
		io.Copy(io.Discard, pipe)
		s.cmd.Wait()
	}()
	t.Cleanup(func() {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.end:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	select {
	case <-s.ready:
	case <-s.end:
		t.Fatalf("class serve exited:\n%s", s.out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("class serve did not start:\n%s", s.out.String())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.url == "" || s.code == "" {
		t.Fatalf("no URL or join code in:\n%s", s.out.String())
	}
	return s
}

// studentTUI is the lab TUI as runTUI builds it (watcher, progress,
// class hook polling every poll), under teatest with the Ascii profile.
type studentTUI struct {
	tm      *teatest.TestModel
	store   *progress.Store
	stop    context.CancelFunc
	stopped chan struct{}
}

func startStudentTUI(t *testing.T, ctx context.Context, env Env, cat *exercises.Catalog, poll time.Duration) *studentTUI {
	t.Helper()
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	store, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	lctx, stop := context.WithCancel(ctx)
	watcher := lab.NewWatcher(lab.WatcherConfig{Connect: labConnect(env), Paths: env.Paths, Progress: store})
	stopped := make(chan struct{})
	go func() { watcher.Run(lctx); close(stopped) }()
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	md, err := render.New(render.Options{Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	class := tuiClassPoll(env, cat, store, watcher, poll)
	if class == nil {
		t.Fatal("joined, but no class hook")
	}
	m, err := tui.New(tui.Options{Course: course, Progress: store, Lipgloss: lr, Markdown: md, Paths: env.Paths,
		Lab: &tui.Lab{Context: lctx, Catalog: cat, Watcher: watcher, Executable: env.Executable, Getenv: env.Getenv, Class: class}})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 40))
	return &studentTUI{tm: tm, store: store, stop: stop, stopped: stopped}
}

// waitScreen waits until one read of the TUI's output holds every want
// (the status area is drawn whole on each change).
func (s *studentTUI) waitScreen(t *testing.T, want ...string) {
	t.Helper()
	teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	},
		teatest.WithDuration(4*time.Minute), teatest.WithCheckInterval(50*time.Millisecond))
}

// waitNotes is waitScreen over several class lines, shown one at a time
// with the newest in front ("공지 2/2 … (i 이전 공지)"): it presses the
// class key (i) every half second meanwhile, so every line of the queue
// comes into view (with none shown, i opens the session's lines again).
func (s *studentTUI) waitNotes(t *testing.T, want ...string) {
	t.Helper()
	done := make(chan struct{})
	pressed := make(chan struct{})
	go func() {
		defer close(pressed)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				s.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("i")})
			}
		}
	}()
	defer func() { close(done); <-pressed }()
	s.waitScreen(t, want...)
}

func (s *studentTUI) quit(t *testing.T) {
	t.Helper()
	s.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	s.tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	s.stop()
	<-s.stopped
}

// TestIntegrationClassActions: a real `dslab class serve`, a student
// joined with its lab on a real embedded cluster and the TUI polling;
// the instructor broadcasts, opens a hint and resets the student's
// exercise while it is connected, then broadcasts and opens a hint while
// its lab is closed (not polling). The broadcast shows in the TUI's
// status area, the hints are open in progress.json, the exercise was
// really reset (the solved DaemonSet gone, as after `exercise start`),
// and what was sent while away arrives when the lab opens again.
func TestIntegrationClassActions(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	srv := startClassServe(t, testcluster.NewEnv(t))
	run := func(args ...string) string {
		t.Helper()
		out, errs, err := c.Run(ctx, args...)
		if err != nil {
			t.Fatalf("dslab %s: %v\n%s\n%s", strings.Join(args, " "), err, out, errs)
		}
		return out + errs
	}
	send := func(args ...string) {
		t.Helper()
		run(append([]string{"class", "send", "--server", srv.url, "--data", srv.data}, args...)...)
	}
	run("class", "join", srv.url, "--code", srv.code, "--name", "최유나", "--student-id", "2026001")

	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	target := ex.Spec.Target
	dsExists := func() bool {
		t.Helper()
		_, err := c.Client.AppsV1().DaemonSets(target.Namespace).Get(ctx, target.Name, metav1.GetOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}
	run("exercise", "start", ex.ID)
	if dsExists() {
		t.Fatalf("%s exists right after exercise start: the test's notion of the setup state is wrong", target)
	}
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	if !dsExists() {
		t.Fatalf("%s not created by the solution", target)
	}

	// The learner's own work file, written before the lab opens (no
	// save while the TUI watches it).
	work := lab.WorkFile(c.Paths, ex.ID)
	edited := []byte("# 학생이 고친 작업 파일\n")
	if err := os.MkdirAll(filepath.Dir(work), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(work, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, Paths: c.Paths,
		Getenv: func(string) string { return "" }, Executable: c.Bin}
	s := startStudentTUI(t, ctx, env, cat, 200*time.Millisecond)

	// Connected: broadcast, hint, reset.
	send("broadcast", "--message", "10분 뒤 쉽니다")
	s.waitScreen(t, "강사 공지: 10분 뒤 쉽니다")
	send("unlock-hint", "--exercise", ex.ID, "--student", "2026001")
	s.waitScreen(t, "힌트 1/")
	if e := s.store.Exercise(ex.ID); e.HintsUnlocked != 1 || e.HintsUsed != 0 {
		t.Fatalf("after unlock-hint: %+v", e)
	}
	send("reset-exercise", "--exercise", ex.ID, "--student", "2026001", "--message", "처음부터 다시")
	// In front of the broadcast and the hint's line, which stay behind i;
	// the note says what the reset did: the cluster, not the work file.
	s.waitScreen(t, "되돌립니다 — 강사: 처음부터 다시", "연습 gpu-only 의 클러스터를 처음 상태로 되돌렸습니다 · 작업 파일은 그대로입니다")
	if b, err := os.ReadFile(work); err != nil || string(b) != string(edited) {
		t.Fatalf("the work file after the instructor's reset: %q %v (the note says it stays)", b, err)
	}
	if dsExists() {
		t.Fatalf("%s still there after the instructor's reset", target)
	}
	if n, _ := (client.CommandCursor{Path: client.CommandCursorFile(c.Paths.DataDir)}).Load(); n != 3 {
		t.Fatalf("cursor %d after three commands", n)
	}
	s.quit(t)

	// Offline (the lab is closed): a broadcast and a hint wait on the
	// server and arrive when the lab opens again.
	send("broadcast", "--message", "다시 오면 보이나요")
	send("unlock-hint", "--exercise", ex.ID)
	saved, _, err := progress.Open(c.Paths.ProgressFile())
	if err != nil || saved.Exercise(ex.ID).HintsUnlocked != 1 {
		t.Fatalf("progress while away: %+v %v", saved.Exercise(ex.ID), err)
	}
	s = startStudentTUI(t, ctx, env, cat, 200*time.Millisecond)
	s.waitNotes(t, "강사 공지: 다시 오면 보이나요", "강사가 연습 gpu-only 의 힌트를 열었습니다: 힌트 2/")
	s.quit(t)
	saved, _, err = progress.Open(c.Paths.ProgressFile())
	if err != nil || saved.Exercise(ex.ID).HintsUnlocked != 2 || saved.Exercise(ex.ID).HintsUsed != 0 {
		t.Fatalf("progress after reconnect: %+v %v", saved.Exercise(ex.ID), err)
	}
	// `dslab exercise show` shows the opened hints.
	if out := run("exercise", "show", ex.ID); !strings.Contains(out, "힌트 2:") {
		t.Fatalf("exercise show without the opened hints:\n%s", out)
	}

	// The CLI applies what is pending too.
	send("broadcast", "--message", "수고했습니다")
	if out := run("class", "status"); !strings.Contains(out, "강사 동작:\n  강사 공지: 수고했습니다") {
		t.Fatalf("class status did not apply the broadcast:\n%s", out)
	}
	if out := run("class", "status"); strings.Contains(out, "강사 동작:") {
		t.Fatalf("class status applied a command twice:\n%s", out)
	}
	// What the CLI applied is still shown in the lab, once (issue 12).
	s = startStudentTUI(t, ctx, env, cat, 200*time.Millisecond)
	s.waitScreen(t, "공지 1/1 · 강사 공지: 수고했습니다")
	s.quit(t)

	// `exercise start` asks the server first: a hint opened while the lab
	// was closed is named in the task's hint line at once (the instructor
	// trial on f9ad301: only after the next class status).
	send("unlock-hint", "--exercise", ex.ID)
	if out := run("exercise", "start", ex.ID); !strings.Contains(out, fmt.Sprintf("강사가 연 힌트 1~%d", min(3, len(ex.Hints)))) {
		t.Fatalf("exercise start without the hint opened meanwhile:\n%s", out)
	}
	// A reset pending on the server runs right after `cluster up` (the
	// instructor trial on f9ad301: only at the next class status).
	send("reset-exercise", "--exercise", ex.ID, "--student", "2026001")
	if out := run("cluster", "up", "--runtime", "embedded"); !strings.Contains(out, "연습 gpu-only 의 클러스터를 처음 상태로 되돌렸습니다") {
		t.Fatalf("cluster up did not run the pending reset:\n%s", out)
	}
}

// TestIntegrationClassServeHangup: SIGHUP (the instructor's terminal
// closed, an SSH session dropped) stops `dslab class serve` gracefully —
// it says it stopped and releases serve.lock, so the next serve on the same
// data dir starts without a "already running" refusal (teacher trial).
func TestIntegrationClassServeHangup(t *testing.T) {
	env := testcluster.NewEnv(t)
	s := startClassServe(t, env)
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.end:
	case <-time.After(60 * time.Second):
		t.Fatal("class serve did not stop on SIGHUP")
	}
	s.mu.Lock()
	out := s.out.String()
	s.mu.Unlock()
	if !strings.Contains(out, "수업 서버를 멈췄습니다") {
		t.Fatalf("no graceful stop on SIGHUP:\n%s", out)
	}
	again := exec.Command(env.Bin, "class", "serve", "--listen", "127.0.0.1:0", "--data", s.data)
	again.Env = env.Env
	var b syncBuffer
	again.Stdout, again.Stderr = &b, &b
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { again.Process.Signal(os.Interrupt); again.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(b.String(), "Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("the next serve on the same data dir did not start:\n%s", b.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
