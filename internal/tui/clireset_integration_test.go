package tui

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/testcluster"
	"github.com/dslab-kr/dslab/lessons"
)

// TestIntegrationCLIResetLeavesPass: an exercise passed in the TUI, then
// reset from another terminal (`dslab exercise reset`, the real CLI)
// right after: the TUI notices with no key pressed — the watcher sees the
// DaemonSet deleted and the new start in the progress file — and leaves
// ✓ 통과 for the pass on record with nothing in the cluster, and says the
// exercise was prepared again elsewhere (trainee trial, issue 14: once the
// TUI stayed at "✓ 통과" for 60 s — the pass message stayed under a body
// saying the DaemonSet is gone, and the progress file written after the
// cluster's start record was read only at the next key).
func TestIntegrationCLIResetLeavesPass(t *testing.T) {
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

	store := progress.New(c.Paths.ProgressFile())
	opts := asciiOptions(t, course, store)
	opts.Paths = c.Paths
	opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.Lab = &Lab{Context: ctx, Catalog: catalog, Watcher: w, Cluster: binOps{c}, Executable: c.Bin, Environ: c.Env,
		Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 120, 40)
	waitWithin(t, tm, 30*time.Second, "the cluster", func(s snapshot) bool { return s.connected })
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitWithin(t, tm, 60*time.Second, "gpu-only started", func(s snapshot) bool {
		return s.exercise == "gpu-only" && s.started && strings.Contains(s.view, "연습 준비 완료")
	})

	solution := filepath.Join(t.TempDir(), "solution.yaml")
	if err := os.WriteFile(solution, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", solution); err != nil {
		t.Fatalf("kubectl apply: %v\n%s", err, stderr)
	}
	s := waitWithin(t, tm, 90*time.Second, "the pass", func(s snapshot) bool { return s.passed && strings.Contains(s.view, "✓ 통과 · 10/10점") })

	// Right after the pass, from another terminal.
	if _, stderr, err := c.Run(ctx, "exercise", "reset", "gpu-only"); err != nil {
		t.Fatalf("exercise reset: %v\n%s", err, stderr)
	}
	s = waitWithin(t, tm, 30*time.Second, "the TUI to leave ✓ 통과", func(s snapshot) bool {
		return !s.passed && !strings.Contains(s.view, "✓ 통과 · 10/10점")
	})
	s = waitWithin(t, tm, 30*time.Second, "the pass on record, nothing in the cluster", func(s snapshot) bool {
		return strings.Contains(s.view, "통과 기록 10/10점 · 클러스터에 없음")
	})
	if strings.Contains(s.view, "통과했습니다!") {
		t.Errorf("the panel still says the exercise passes:\n%s", s.view)
	}
	// The progress file's reset is read with no key pressed, even
	// when the cluster's start record changed first.
	waitWithin(t, tm, 30*time.Second, "the note of the reset elsewhere", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다른 곳에서 연습 gpu-only 를 초기화했습니다")
	})
}
