package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// screenSizes are README's minimum, the classic terminal and a large one.
var screenSizes = []struct{ w, h int }{{60, 12}, {80, 24}, {160, 45}}

// labCourseModel is the real course with the exercises and no cluster
// (the lab screens need the exercises' own lessons).
func labCourseModel(tb testing.TB) Model {
	tb.Helper()
	course, err := lessons.Course()
	if err != nil {
		tb.Fatal(err)
	}
	opts := asciiOptions(tb, course, nil)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(tb), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// attemptedModel is labCourseModel with one attempt at exercise id in the
// progress: the learner's work a fixture shows (gpuOnlyMixed) is what the
// live lab counts as an attempt (the watcher's shell attempts), so the
// exercise is 진행 중 with its score, not 시작함.
func attemptedModel(tb testing.TB, id string) Model {
	tb.Helper()
	m := labCourseModel(tb)
	m.common.Progress.UpdateExercise(id, func(p *progress.ExerciseProgress) { p.Attempts = 1 })
	return m
}

// runningOps is a cluster runtime that reports a running lab cluster.
type runningOps struct{}

func (runningOps) Up(context.Context, cluster.Progress) (cluster.Status, error) {
	return runningOps{}.Status(context.Background())
}
func (runningOps) Down(context.Context, bool) error { return nil }
func (runningOps) Status(context.Context) (cluster.Status, error) {
	return cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning,
		Endpoint: "https://127.0.0.1:6443", Context: "dslab", Kubeconfig: "/home/u/.kube/config"}, nil
}

// runningClusterModel is labCourseModel with a running cluster.
func runningClusterModel(tb testing.TB) Model {
	tb.Helper()
	m := labCourseModel(tb)
	m.common.Lab.Cluster = runningOps{}
	return m
}

// screenCase brings a program to one screen.
type screenCase struct {
	name string
	// model builds the program's model; open drives it to the screen and
	// ready says when its final frame is there.
	model func(t *testing.T) Model
	open  func(t *testing.T, tm *teatest.TestModel)
	ready func(s snapshot) bool
	// noEsc: the screen has nowhere to go back to (the contents).
	noEsc bool
}

func screenCases() []screenCase {
	fixture := func(t *testing.T) Model { return newLabFixtureModel(t, nil) }
	return []screenCase{
		{name: "contents", model: fixture, noEsc: true,
			ready: func(s snapshot) bool { return s.state == stateContents }},
		{name: "reader", model: fixture,
			open:  func(t *testing.T, tm *teatest.TestModel) { tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) },
			ready: func(s snapshot) bool { return s.state == stateReader }},
		{name: "help", model: fixture,
			open:  func(t *testing.T, tm *teatest.TestModel) { tm.Send(keyRunes("?")) },
			ready: func(s snapshot) bool { return s.state == stateHelp }},
		{name: "chooser", model: func(t *testing.T) Model {
			m := newLabFixtureModel(t, nil)
			m.chooser = chooserModel{ids: []string{"gpu-only", "new-node"}, ret: stateContents}
			m.state = stateChooser
			return m
		}, ready: func(s snapshot) bool { return s.state == stateChooser }},
		{name: "progress", model: func(t *testing.T) Model { return labCourseModel(t) },
			open:  func(t *testing.T, tm *teatest.TestModel) { tm.Send(keyRunes("o")) },
			ready: func(s snapshot) bool { return s.state == stateSummary }},
		{name: "cluster", model: func(t *testing.T) Model { return runningClusterModel(t) },
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
				tm.Send(keyRunes("c"))
			},
			ready: func(s snapshot) bool { return s.state == stateCluster && s.connected }},
		{name: "exercise", model: func(t *testing.T) Model { return attemptedModel(t, "gpu-only") },
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(openExerciseMsg{id: "gpu-only"})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
			},
			ready: func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 }},
		// The longest head: a passed record beside a failing live grade,
		// the longest DaemonSet (at most 2 rows at 60×12).
		{name: "exercise-record", model: func(t *testing.T) Model {
			m := labCourseModel(t)
			m.common.Progress.UpdateExercise("ds-basics", func(p *progress.ExerciseProgress) { p.Passed, p.Score = true, 10 })
			return m
		},
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(openExerciseMsg{id: "ds-basics"})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
			},
			ready: func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 }},
		{name: "nodemap", model: func(t *testing.T) Model { return attemptedModel(t, "gpu-only") },
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(openExerciseMsg{id: "gpu-only"})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
				waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
				tm.Send(keyRunes("m"))
			},
			ready: func(s snapshot) bool { return s.state == stateNodeMap }},
		{name: "exercise-help", model: func(t *testing.T) Model { return labCourseModel(t) },
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(openExerciseMsg{id: "gpu-only"})
				waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
				tm.Send(keyRunes("?"))
			},
			ready: func(s snapshot) bool { return s.state == stateHelp }},
		{name: "error", model: func(t *testing.T) Model { return labCourseModel(t) },
			open: func(t *testing.T, tm *teatest.TestModel) {
				tm.Send(openExerciseMsg{id: "ds-basics"})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
				waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
				tm.Send(appliedMsg{id: "ds-basics", err: longApplyError(), attempted: true})
			},
			ready: func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") }},
	}
}

// TestEveryScreenAtEverySize: every screen at 60×12, 80×24 and 160×45
// fills the terminal exactly, keeps esc, ? and q in the footer and, for
// overlays, its whole border; goldens of the final frames
// (go test ./internal/tui -run TestEveryScreenAtEverySize -update).
func TestEveryScreenAtEverySize(t *testing.T) {
	for _, sc := range screenCases() {
		for _, size := range screenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				tm := startProgram(t, sc.model(t), size.w, size.h)
				waitFor(t, tm, "the size", func(s snapshot) bool { return s.width == size.w })
				if sc.open != nil {
					sc.open(t, tm)
				}
				s := final(t, tm, sc.name, sc.ready)
				golden(t, s)
				lines := strings.Split(s.view, "\n")
				footer := lines[len(lines)-1]
				for _, want := range []string{"? 도움말", "q 종료", "esc "} {
					if want == "esc " && sc.noEsc {
						continue
					}
					if want == "? 도움말" && strings.Contains(footer, "… ? 전체") {
						continue // a cut footer: the marker names the help
					}
					if !strings.Contains(footer, want) {
						t.Errorf("footer lacks %q: %q", want, footer)
					}
				}
				if s.state == stateHelp {
					checkBox(t, s.view)
				}
			})
		}
	}
}

// checkBox: the overlay's border is whole — a top and a bottom corner pair
// and as many left as right sides.
func checkBox(t *testing.T, view string) {
	t.Helper()
	var top, bottom, left, right int
	for _, l := range strings.Split(view, "\n") {
		top += strings.Count(l, "╭") + strings.Count(l, "╮")
		bottom += strings.Count(l, "╰") + strings.Count(l, "╯")
		if strings.Contains(l, "│") {
			left++
			if strings.Count(l, "│") >= 2 {
				right++
			}
		}
	}
	if top != 2 || bottom != 2 || left == 0 || left != right {
		t.Errorf("the box's border is cut (corners %d/%d, sides %d/%d):\n%s", top, bottom, left, right, view)
	}
}

// TestHelpScrollsWhenSmall: at 60×12 the exercise's help does not fit; it
// scrolls inside its border down to its last line.
func TestHelpScrollsWhenSmall(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 60, 12)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(keyRunes("?"))
	s := waitFor(t, tm, "help", func(s snapshot) bool { return s.state == stateHelp })
	if !strings.Contains(s.view, "더 보기") || strings.Contains(s.view, "esc 로 닫습니다") {
		t.Fatalf("help at 60x12 should scroll:\n%s", s.view)
	}
	var seen strings.Builder
	for i := 0; i < 40; i++ {
		tm.Send(keyRunes("j"))
		s = take(t, tm)
		checkBox(t, s.view)
		seen.WriteString(s.view)
	}
	for _, want := range []string{"e 편집·적용", "n 다음 연습", "esc 로 닫습니다", "초록색이"} {
		if !strings.Contains(strings.Join(strings.Fields(seen.String()), " "), want) {
			t.Errorf("scrolling the help never shows %q", want)
		}
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "back to the exercise", func(s snapshot) bool { return s.state == stateExercise })
}

// TestUnusedKeysAreAnswered: on every screen, a key that does nothing
// there is answered in the status line (x on the cluster screen says
// where it works); the next key that does something clears the note.
func TestUnusedKeysAreAnswered(t *testing.T) {
	for _, sc := range screenCases() {
		if sc.name == "help" || sc.name == "exercise-help" {
			continue // the overlay takes only ?, esc and scrolling
		}
		t.Run(sc.name, func(t *testing.T) {
			tm := startProgram(t, sc.model(t), 100, 30)
			if sc.open != nil {
				sc.open(t, tm)
			}
			s := final(t, tm, sc.name, sc.ready)
			st := s.state
			tm.Send(keyRunes("z"))
			s = waitFor(t, tm, "a note", func(s snapshot) bool { return strings.Contains(s.view, "쓰지 않는 키") })
			if s.state != st || !strings.Contains(s.view, "z:") {
				t.Errorf("z on %s:\n%s", sc.name, s.view)
			}
		})
	}
	t.Run("x on the cluster screen", func(t *testing.T) {
		tm := startProgram(t, labCourseModel(t), 100, 30)
		tm.Send(keyRunes("c"))
		waitFor(t, tm, "cluster", func(s snapshot) bool { return s.state == stateCluster })
		tm.Send(keyRunes("x"))
		s := waitFor(t, tm, "a note", func(s snapshot) bool { return strings.Contains(s.view, "x (연습 열기)") })
		if !strings.Contains(s.view, "목차나 강의") {
			t.Errorf("x on the cluster screen:\n%s", s.view)
		}
		tm.Send(tea.KeyMsg{Type: tea.KeyDown}) // used: scrolls, clears the note
		waitFor(t, tm, "the note cleared", func(s snapshot) bool { return !strings.Contains(s.view, "x (연습 열기)") })
	})
	t.Run("esc on the contents", func(t *testing.T) {
		tm := startProgram(t, newFixtureModel(t, nil), 100, 30)
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		waitFor(t, tm, "a note", func(s snapshot) bool { return strings.Contains(s.view, "목차가 첫 화면입니다") })
	})
}

// blockingOps is a cluster runtime whose Up reports one step and then
// waits until released.
type blockingOps struct {
	release chan struct{}
	once    sync.Once
}

func (o *blockingOps) Up(ctx context.Context, progress cluster.Progress) (cluster.Status, error) {
	progress("컨트롤 플레인을 시작하는 중입니다")
	select {
	case <-o.release:
	case <-ctx.Done():
	}
	return cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateRunning, Context: "dslab"}, nil
}
func (o *blockingOps) Down(context.Context, bool) error { return nil }
func (o *blockingOps) Status(context.Context) (cluster.Status, error) {
	return cluster.Status{Name: "dslab", Runtime: "embedded", State: cluster.StateAbsent}, nil
}
func (o *blockingOps) done() { o.once.Do(func() { close(o.release) }) }

// TestClusterStartTicksAndNextSteps: while a step of the start-up runs,
// the log shows the seconds it has been running (no silent gap); once the
// cluster is ready, the screen says what to do next with the real keys.
func TestClusterStartTicksAndNextSteps(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock.Store(t0.UnixNano())
	ops := &blockingOps{release: make(chan struct{})}
	t.Cleanup(ops.done)
	opts := asciiOptions(t, course, nil)
	opts.Paths = paths.Paths{}
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Cluster: ops,
		Getenv: func(string) string { return "" }, Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 100, 30)
	tm.Send(keyRunes("c"))
	waitFor(t, tm, "cluster", func(s snapshot) bool { return s.state == stateCluster })
	tm.Send(keyRunes("u"))
	waitFor(t, tm, "the first step", func(s snapshot) bool {
		return strings.Contains(s.view, "컨트롤 플레인을 시작하는 중입니다")
	})
	clock.Add(int64(3*time.Second + 200*time.Millisecond))
	tm.Send(opTickMsg{})
	// One clock: the alive line shows the elapsed time like the log lines,
	// and names the step it waits for as the CLI does (issue 14: "[ 9.0s]
	// … 진행 중" alone for 14 s).
	s := waitFor(t, tm, "a tick", func(s snapshot) bool { return strings.Contains(s.view, "3.2s] … 진행 중") })
	if want := "3.2s] … 진행 중: 컨트롤 플레인을 시작하는 중입니다"; !strings.Contains(s.view, want) {
		t.Errorf("the alive line does not name the step (%q):\n%s", want, s.view)
	}
	checkFrame(t, s)
	// Away from the cluster screen the status bar keeps counting.
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	clock.Add(int64(2 * time.Second))
	tm.Send(opTickMsg{})
	s = waitFor(t, tm, "the status bar's count", func(s snapshot) bool { return strings.Contains(s.view, "시작하는 중… 5초") })
	checkFrame(t, s)
	tm.Send(keyRunes("c"))
	waitFor(t, tm, "cluster again", func(s snapshot) bool { return s.state == stateCluster })
	ops.done()
	waitFor(t, tm, "the end", func(s snapshot) bool { return strings.Contains(s.view, "완료") })
	u := simulatedUpdate(t, "ds-basics", nil)
	tm.Send(labUpdateMsg{u: u})
	s = waitFor(t, tm, "ready", func(s snapshot) bool { return s.connected && strings.Contains(s.view, "다음 할 일") })
	for _, want := range []string{"esc 로 돌아가", "x 로", "클러스터가 준비되었습니다"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("ready cluster screen lacks %q:\n%s", want, s.view)
		}
	}
	if strings.Contains(s.view, "… 진행 중") {
		t.Errorf("the tick outlives the operation:\n%s", s.view)
	}
}

// TestProgressShowsLessonTitles: the progress screen names lessons by
// their Korean titles, not ids.
func TestProgressShowsLessonTitles(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 160, 45)
	tm.Send(keyRunes("o"))
	s := waitFor(t, tm, "progress", func(s snapshot) bool { return s.state == stateSummary })
	course, _ := lessons.Course()
	for _, ex := range labCatalog(t).All() {
		if strings.Contains(s.view, " "+ex.Lesson+" ") {
			t.Errorf("progress shows the lesson id %q:\n%s", ex.Lesson, s.view)
		}
	}
	for _, l := range course {
		if l.ID == "first-daemonset-yaml" && !strings.Contains(s.view, truncate(l.Title, 20)[:6]) {
			t.Errorf("progress lacks the title %q:\n%s", l.Title, s.view)
		}
	}
}

// TestHintsRenderMarkdown: opened hints show their markdown rendered (no
// raw backticks or asterisks).
func TestHintsRenderMarkdown(t *testing.T) {
	tm := startProgram(t, labCourseModel(t), 100, 40)
	tm.Send(openExerciseMsg{id: "control-plane"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	for range 3 {
		tm.Send(keyRunes("h"))
	}
	s := final(t, tm, "three hints", func(s snapshot) bool {
		return strings.Contains(s.view, "3. ") && strings.Contains(s.view, "힌트 3/3")
	})
	var hints []string
	in := false
	for _, l := range strings.Split(s.view, "\n") {
		if strings.Contains(l, "힌트 3/3") {
			in = true
			continue
		}
		if in {
			hints = append(hints, l)
		}
	}
	text := strings.Join(hints, "\n")
	if !strings.Contains(text, "node-role.kubernetes.io/control-plane") {
		t.Fatalf("hints not shown:\n%s", s.view)
	}
	if strings.Contains(text, "`") || strings.Contains(text, "**") {
		t.Errorf("hints show raw markdown:\n%s", text)
	}
}

// TestRealLessonsFoldAnswers: every real lesson with quiz answers opens
// with them folded — scrolling it from top to bottom never shows an
// answer, only the note saying v unfolds them.
func TestRealLessonsFoldAnswers(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, labCourseModel(t), 100, 30)
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.width == 100 })
	checked := 0
	for i, l := range course {
		if !strings.Contains(l.Body, "> 정답:") {
			continue
		}
		checked++
		tm.Send(openLessonMsg{index: i})
		s := final(t, tm, l.ID, func(s snapshot) bool { return s.state == stateReader && s.lesson == i })
		var seen strings.Builder
		for off := 0; ; off++ {
			seen.WriteString(s.view)
			if s.offset >= s.maxOff || off > 400 {
				break
			}
			tm.Send(keyRunes(" "))
			s = take(t, tm)
		}
		if strings.Contains(seen.String(), "정답:") || !strings.Contains(seen.String(), "v 키를 누르면 펼칩니다") {
			t.Errorf("%s: answers are not folded behind the note", l.ID)
		}
	}
	if checked == 0 {
		t.Fatal("no lesson with quiz answers found")
	}
}
