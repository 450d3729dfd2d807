package tui

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

func TestMain(m *testing.M) {
	// As app does before starting the TUI; also makes the tests independent
	// of the LANG of the machine running them.
	render.NarrowAmbiguousWidth()
	// bubbles components fall back to the default renderer.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixtureCourse is the small course in testdata/course, so that goldens do
// not change when the real lessons are edited.
func fixtureCourse(tb testing.TB) []lessons.Lesson {
	tb.Helper()
	course, err := lessons.Load(os.DirFS("testdata/course"))
	if err != nil {
		tb.Fatal(err)
	}
	return course
}

// asciiOptions are Options with every colour turned off.
func asciiOptions(tb testing.TB, course []lessons.Lesson, store *progress.Store) Options {
	tb.Helper()
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	lr.SetHasDarkBackground(true)
	md, err := render.New(render.Options{Profile: termenv.Ascii})
	if err != nil {
		tb.Fatal(err)
	}
	return Options{Course: course, Progress: store, Lipgloss: lr, Markdown: md}
}

func newFixtureModel(tb testing.TB, store *progress.Store) Model {
	tb.Helper()
	m, err := New(asciiOptions(tb, fixtureCourse(tb), store))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// snapshot is what the probe reports from inside the program goroutine.
type snapshot struct {
	view    string
	state   state
	lesson  int
	offset  int
	maxOff  int
	loading bool
	width   int
	height  int

	// Lab.
	exercise  string // the open exercise
	connected bool
	started   bool
	passed    bool
	podNodes  []string // nodes with a Ready pod of the exercise's DaemonSet
	problem   string
	seq       uint64

	// The exercise panel's scroll region: all its lines, the first shown
	// and how many are shown.
	panelScroll []string
	panelOffset int
	panelHeight int
	// clusterOffset is the cluster screen's scroll offset.
	clusterOffset int
	clusterLines  int
	// paneRenders is how many lesson renders the exercise screen holds
	// for its lesson pane (its cache), whatever screen is shown.
	paneRenders int
	// refused maps each key the view names (namedKeys) to the note the
	// screen answers it with ("" when the screen uses it).
	refused map[string]string
}

type snapshotMsg struct{ ch chan<- snapshot }

// probe wraps Model so a test can read its state between messages without
// racing the program goroutine.
type probe struct{ Model }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(snapshotMsg); ok {
		m := p.Model
		snap := snapshot{
			view:   m.View(),
			state:  m.state,
			lesson: m.reader.index,
			offset: m.reader.pager.offset,
			maxOff: m.reader.pager.maxOffset(),
			loading: m.reader.loading || (m.screen() == stateReader && m.reader.shownWidth != m.common.ReadingWidth()) ||
				((m.screen() == stateExercise || m.screen() == stateNodeMap) && m.exercise.pending()),
			width:  m.common.Width,
			height: m.common.Height,
		}
		u := m.common.Live.Update
		snap.exercise = m.exercise.ex.ID
		snap.connected, snap.started, snap.problem, snap.seq = u.State == lab.StateConnected, u.Started, u.Problem, u.Seq
		snap.passed = u.Graded() && u.Result.Passed && u.Exercise == snap.exercise
		snap.podNodes = u.Map.PodNodes()
		snap.clusterOffset = m.cluster.offset
		snap.paneRenders = len(m.exercise.lessonCache)
		snap.refused = map[string]string{}
		for _, k := range namedKeys(snap.view) {
			snap.refused[k] = m.unusedKeyNote(keyMsgOf(k))
		}
		if m.state == stateCluster {
			snap.clusterLines = len(m.cluster.lines())
		}
		if m.exercise.loaded && !m.common.TooSmall() {
			_, snap.panelScroll, _, _, snap.panelHeight = m.exercise.layout(m.exercise.panelWidth())
			snap.panelOffset = m.exercise.offset
		}
		s.ch <- snap
		return p, nil
	}
	m, cmd := p.Model.Update(msg)
	return probe{m.(Model)}, cmd
}

func take(tb testing.TB, tm *teatest.TestModel) snapshot {
	tb.Helper()
	ch := make(chan snapshot, 1)
	tm.Send(snapshotMsg{ch: ch})
	select {
	case s := <-ch:
		return s
	case <-time.After(5 * time.Second):
		tb.Fatal("the program did not answer a snapshot request")
		return snapshot{}
	}
}

// waitFor polls snapshots until cond holds (renders run asynchronously).
func waitFor(tb testing.TB, tm *teatest.TestModel, what string, cond func(snapshot) bool) snapshot {
	tb.Helper()
	return waitWithin(tb, tm, 10*time.Second, what, cond)
}

// waitWithin is waitFor with a deadline of its own (cluster operations).
func waitWithin(tb testing.TB, tm *teatest.TestModel, d time.Duration, what string, cond func(snapshot) bool) snapshot {
	tb.Helper()
	deadline := time.Now().Add(d)
	for {
		s := take(tb, tm)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s; last view:\n%s", what, s.view)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settled waits until no render is pending.
func settled(tb testing.TB, tm *teatest.TestModel) snapshot {
	tb.Helper()
	return waitFor(tb, tm, "rendering to finish", func(s snapshot) bool { return !s.loading })
}

// final waits for the final frame: no render pending and the same view
// twice in a row (asynchronous renders and updates have landed).
func final(tb testing.TB, tm *teatest.TestModel, what string, cond func(snapshot) bool) snapshot {
	tb.Helper()
	prev := ""
	return waitWithin(tb, tm, 20*time.Second, what, func(s snapshot) bool {
		ok := !s.loading && cond(s) && s.view == prev
		prev = s.view
		return ok
	})
}

// checkFrame asserts the frame fills the terminal exactly: height lines, none
// wider than the terminal (Hangul counted as two cells).
func checkFrame(tb testing.TB, s snapshot) {
	tb.Helper()
	lines := strings.Split(s.view, "\n")
	if len(lines) != s.height {
		tb.Errorf("frame has %d lines, terminal has %d", len(lines), s.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > s.width {
			tb.Errorf("line %d is %d cells wide, terminal is %d: %q", i+1, w, s.width, l)
		}
	}
}

func golden(tb testing.TB, s snapshot) {
	tb.Helper()
	checkFrame(tb, s)
	teatest.RequireEqualOutput(tb, []byte(s.view+"\n"))
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func startProgram(tb testing.TB, m Model, w, h int) *teatest.TestModel {
	tb.Helper()
	tm := teatest.NewTestModel(tb, probe{m}, teatest.WithInitialTermSize(w, h))
	tb.Cleanup(func() {
		// Before t.TempDir's removal (cleanups run last first): the
		// program ends and no progress save of it is writing — a late one
		// would recreate the removed directory (leftover
		// /tmp/TestExercisePanel… dirs) or make its removal fail.
		_ = tm.Quit()
		tm.WaitFinished(tb, teatest.WithFinalTimeout(10*time.Second))
		_ = m.common.saves.last(func() error { return nil })
	})
	return tm
}
