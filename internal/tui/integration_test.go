package tui

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/testcluster"
	"github.com/dslab-kr/dslab/lessons"
)

// binOps runs the cluster panel's operations with the dslab binary of a
// test cluster (the app wires the same operations in-process).
type binOps struct{ c *testcluster.Cluster }

func (o binOps) Up(ctx context.Context, progress cluster.Progress) (cluster.Status, error) {
	cmd := exec.CommandContext(ctx, o.c.Bin, "cluster", "up", "--runtime", "embedded")
	cmd.Env = o.c.Env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return cluster.Status{}, err
	}
	if err := cmd.Start(); err != nil {
		return cluster.Status{}, err
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		progress(strings.TrimSpace(sc.Text()))
	}
	if err := cmd.Wait(); err != nil {
		return cluster.Status{}, err
	}
	return o.Status(ctx)
}

func (o binOps) Down(ctx context.Context, keepData bool) error {
	args := []string{"cluster", "down"}
	if keepData {
		args = append(args, "--keep-data")
	}
	_, _, err := o.c.Run(ctx, args...)
	return err
}

func (o binOps) Status(ctx context.Context) (cluster.Status, error) {
	out, _, err := o.c.Run(ctx, "cluster", "status", "-o", "json")
	if err != nil {
		return cluster.Status{}, err
	}
	var st cluster.Status
	return st, json.Unmarshal([]byte(out), &st)
}

// TestIntegrationLabFlow is the whole course loop on a real embedded
// cluster: open gpu-only from its lesson (the exercise is started by
// itself), apply the reference solution through the editor (an $EDITOR
// that saves it and waits for the DaemonSet: applied on save while the TUI
// is suspended, once), watch the node map show pods on
// dslab-worker2 and dslab-worker3 and the exercise turn passed without a
// key press; stop the cluster from the cluster panel (the TUI says so) and
// start it again (it recovers).
func TestIntegrationLabFlow(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	catalog := labCatalog(t)
	ex, err := catalog.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	w := lab.NewWatcher(lab.WatcherConfig{
		Connect: func(ctx context.Context) (*kube.Conn, error) {
			return kube.Connect(ctx, c.Paths.Kubeconfigs, kube.Target{})
		},
		Paths: c.Paths,
	})
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// The "editor" writes the reference solution into the file it is given
	// (a save, like vim's :w) and stays open until the DaemonSet exists in
	// the cluster and progress.json records the apply (lastApply): the save
	// must be applied and recorded while the TUI is suspended in the
	// editor, not when it closes. It exits 3 if either never happens (60 s),
	// which the TUI reports as an editor error.
	dir := t.TempDir()
	solution := filepath.Join(dir, "solution.yaml")
	if err := os.WriteFile(solution, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	editor := filepath.Join(dir, "editor")
	script := "#!/bin/sh\ncp '" + solution + "' \"$1\"\n" +
		"i=0\nwhile [ $i -lt 300 ]; do\n" +
		"  '" + c.Bin + "' kubectl get daemonset -n dslab gpu-monitor >/dev/null 2>&1 && grep -q lastApply '" + c.Paths.ProgressFile() + "' 2>/dev/null && { touch '" + filepath.Join(dir, "found") + "'; exit 0; }\n" +
		"  sleep 0.2; i=$((i+1))\ndone\nexit 3\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"EDITOR": editor, "PATH": os.Getenv("PATH")}

	work, err := lab.WatchWorkDir(lab.WorkDir(c.Paths)) // as the app wires it
	if err != nil {
		t.Fatal(err)
	}
	defer work.Close()

	store := progress.New(c.Paths.ProgressFile())
	opts := asciiOptions(t, course, store)
	opts.Paths = c.Paths
	opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.Lab = &Lab{Context: ctx, Catalog: catalog, Watcher: w, WorkFiles: work, Cluster: binOps{c}, Executable: c.Bin, Environ: c.Env,
		Getenv: func(k string) string { return env[k] }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 120, 40)

	t.Run("open-and-start", func(t *testing.T) {
		waitWithin(t, tm, 30*time.Second, "the cluster", func(s snapshot) bool {
			return s.connected && strings.Contains(s.view, "클러스터: embedded · 실행 중 · 노드 4/4 · dslab")
		})
		for range 4 { // lesson 5 is node-selector: gpu-only and new-node
			tm.Send(keyRunes("j"))
		}
		tm.Send(keyRunes("x"))
		waitWithin(t, tm, 10*time.Second, "the chooser", func(s snapshot) bool { return s.state == stateChooser })
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // 1. gpu-only
		s := waitWithin(t, tm, 60*time.Second, "gpu-only started", func(s snapshot) bool {
			return s.exercise == "gpu-only" && s.started && strings.Contains(s.view, "연습 준비 완료")
		})
		if s.passed || len(s.podNodes) != 0 {
			t.Fatalf("passed before anything was applied:\n%s", s.view)
		}
		if !strings.Contains(s.view, "파드 있음") || !strings.Contains(s.view, "dslab/gpu-monitor (아직 없음)") {
			t.Errorf("the map does not say where pods belong:\n%s", s.view)
		}
	})

	t.Run("edit-apply-pass", func(t *testing.T) {
		tm.Send(keyRunes("e"))
		s := waitWithin(t, tm, 90*time.Second, "the pass", func(s snapshot) bool { return s.passed })
		if _, err := os.Stat(filepath.Join(dir, "found")); err != nil || strings.Contains(s.view, "편집기가 오류로 끝났습니다") {
			t.Fatalf("the save was not applied and recorded while the editor was open (the editor exited 3):\n%s", s.view)
		}
		if !slices.Equal(s.podNodes, []string{"dslab-worker2", "dslab-worker3"}) {
			t.Errorf("pods on %v", s.podNodes)
		}
		for _, want := range []string{"✓ 통과 · 10/10점", "통과했습니다!", "✓ dslab-worker2", "✓ dslab-worker3", "gpu-monitor-"} {
			if !strings.Contains(s.view, want) {
				t.Errorf("view lacks %q:\n%s", want, s.view)
			}
		}
		checkFrame(t, s)
		work, err := os.ReadFile(lab.WorkFile(c.Paths, "gpu-only"))
		if err != nil || string(work) != string(ex.Solution) {
			t.Errorf("work file: %v", err)
		}
		// The pass is saved in the background.
		deadline := time.Now().Add(5 * time.Second)
		for {
			saved, err := progress.Read(c.Paths.ProgressFile())
			ep := saved.Exercises["gpu-only"]
			if err == nil && ep.Passed && ep.Score == 10 && ep.Attempts == 1 && !ep.PassedAt.IsZero() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("progress.json: %+v %v", ep, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("cluster-stops", func(t *testing.T) {
		tm.Send(keyRunes("c"))
		waitFor(t, tm, "the cluster panel", func(s snapshot) bool { return s.state == stateCluster })
		tm.Send(keyRunes("d"))
		s := waitWithin(t, tm, 60*time.Second, "the disconnection", func(s snapshot) bool {
			return !s.connected && strings.Contains(s.view, "중지됨") && strings.Contains(s.view, "] 완료")
		})
		if !strings.Contains(s.view, "연결 안 됨") {
			t.Errorf("the panel does not say the cluster is unreachable:\n%s", s.view)
		}
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // back to the exercise
		s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
		// The runtime's word (중지됨) on the map, the banner and the status bar.
		if !strings.Contains(s.view, "중지됨 · 마지막으로 본 상태") || !strings.Contains(s.view, "클러스터 상태: 중지됨 (stopped)") ||
			!strings.Contains(statusLine(s.view), "중지됨") || !strings.Contains(s.view, "클러스터에 연결되어 있지 않습니다") {
			t.Errorf("the exercise does not say the cluster is gone:\n%s", s.view)
		}
	})

	t.Run("cluster-returns", func(t *testing.T) {
		tm.Send(keyRunes("c"))
		tm.Send(keyRunes("u"))
		s := waitWithin(t, tm, 120*time.Second, "the cluster back", func(s snapshot) bool {
			return s.connected && s.passed && strings.Contains(s.view, "] 완료")
		})
		if !strings.Contains(s.view, "Ready") {
			t.Errorf("no nodes after restart:\n%s", s.view)
		}
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		s = waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.passed })
		if strings.Contains(s.view, "연결 끊김") {
			t.Errorf("still disconnected:\n%s", s.view)
		}
	})

	t.Run("reset", func(t *testing.T) {
		tm.Send(keyRunes("r"))
		waitFor(t, tm, "the confirmation", func(s snapshot) bool { return strings.Contains(s.view, "r 을 한 번 더 누르면") })
		tm.Send(keyRunes("r"))
		s := waitWithin(t, tm, 60*time.Second, "the reset", func(s snapshot) bool {
			return strings.Contains(s.view, "연습 준비 완료") && !s.passed && len(s.podNodes) == 0
		})
		// Passed before: a pass on record with nothing in the cluster
		// (grader.RecordedPassBadge), not 시작 전 and not a pass now.
		if !strings.Contains(s.view, "dslab/gpu-monitor (아직 없음)") || !strings.Contains(s.view, "통과 기록 10/10점 · 클러스터에 없음") ||
			!strings.Contains(flat(s.view), "통과 기록은 남아 있지만 지금 클러스터에는 데몬셋 dslab/gpu-monitor 가 없습니다") || strings.Contains(s.view, "시작 전") {
			t.Errorf("the map does not show the DaemonSet gone:\n%s", s.view)
		}
		// The pass stays in the progress; the work file stays too.
		// A reset is not an attempt: attempts count applies.
		if !store.Exercise("gpu-only").Passed || store.Exercise("gpu-only").Attempts != 1 {
			t.Errorf("progress after reset: %+v", store.Exercise("gpu-only"))
		}
		if _, err := os.Stat(lab.WorkFile(c.Paths, "gpu-only")); err != nil {
			t.Error(err)
		}
	})
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
