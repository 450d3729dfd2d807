package tui

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/testcluster"
	"github.com/dslab-kr/dslab/lessons"
)

// BenchmarkTUIStartToFirstFrame measures what happens between `dslab` and
// the first frame: loading the embedded course, building the model and
// drawing the table of contents at 100x30 (target: ≤ 200 ms).
func BenchmarkTUIStartToFirstFrame(b *testing.B) {
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.TrueColor)
	lr.SetHasDarkBackground(true)
	var n int
	for b.Loop() {
		course, err := lessons.Course()
		if err != nil {
			b.Fatal(err)
		}
		md, err := render.New(render.Options{Profile: termenv.TrueColor})
		if err != nil {
			b.Fatal(err)
		}
		m, err := New(Options{Course: course, Progress: progress.New(""), Lipgloss: lr, Markdown: md})
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Init()
		next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if next.View() == "" {
			b.Fatal("empty first frame")
		}
		n = len(course)
	}
	b.ReportMetric(float64(n), "lessons")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
}

// BenchmarkOpenLesson measures opening a lesson from the contents, render
// included (the cache is cold on every iteration).
func BenchmarkOpenLesson(b *testing.B) {
	course, err := lessons.Course()
	if err != nil {
		b.Fatal(err)
	}
	opts := asciiOptions(b, course, progress.New(""))
	for b.Loop() {
		m, err := New(opts)
		if err != nil {
			b.Fatal(err)
		}
		next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		next, cmd := next.Update(openLessonMsg{index: 0})
		next, _ = next.Update(cmd())
		_ = next.View()
	}
}

// BenchmarkWatchingHeap reports the Go heap in use (after a GC) of a TUI
// watching the gpu-only exercise on the embedded cluster while pods churn:
// the model, the rendered screens and the watcher's informer caches
// (HeapInuse-MB). The dslab process as a whole is measured by
// internal/app's BenchmarkTUIMemoryWatching.
func BenchmarkWatchingHeap(b *testing.B) {
	c := testcluster.Start(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, args := range [][]string{{"exercise", "start", "gpu-only"}} {
		if _, stderr, err := c.Run(ctx, args...); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	catalog := labCatalog(b)
	ex, _ := catalog.Get("gpu-only")
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		b.Fatal(err)
	}
	course, err := lessons.Course()
	if err != nil {
		b.Fatal(err)
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
	opts := asciiOptions(b, course, progress.New(""))
	opts.Paths = c.Paths
	opts.Lab = &Lab{Context: ctx, Catalog: catalog, Watcher: w, Cluster: binOps{c}, Executable: c.Bin}
	m, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	tm := startProgram(b, m, 120, 40)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitWithin(b, tm, time.Minute, "the pass", func(s snapshot) bool { return s.passed })
	b.ResetTimer()
	for range b.N {
		for range 5 {
			pods, err := c.Client.CoreV1().Pods("dslab").List(ctx, metav1.ListOptions{LabelSelector: "app=gpu-monitor"})
			if err != nil || len(pods.Items) == 0 {
				b.Fatalf("pods: %v", err)
			}
			_ = c.Client.CoreV1().Pods("dslab").Delete(ctx, pods.Items[0].Name, metav1.DeleteOptions{})
			time.Sleep(500 * time.Millisecond)
		}
		waitWithin(b, tm, time.Minute, "the pass again", func(s snapshot) bool { return s.passed && len(s.podNodes) == 2 })
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "HeapInuse-MB")
	}
}
