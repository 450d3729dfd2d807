package tui

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
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
