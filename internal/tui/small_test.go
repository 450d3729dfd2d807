package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/progress"
)

// TestTooSmallTerminal: below 60x12 the TUI shows a centred Korean message
// instead of a broken layout, and recovers when the terminal grows.
func TestTooSmallTerminal(t *testing.T) {
	tm := startProgram(t, newFixtureModel(t, nil), 100, 30)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "lesson 1", func(s snapshot) bool { return s.state == stateReader && !s.loading })

	t.Run("narrow", func(t *testing.T) {
		tm.Send(tea.WindowSizeMsg{Width: 50, Height: 20})
		s := waitFor(t, tm, "50 columns", func(s snapshot) bool { return s.width == 50 })
		if !strings.Contains(s.view, "터미널이 너무 좁습니다: 최소 60칸 필요 (현재 50칸)") {
			t.Fatalf("no narrow-terminal message:\n%s", s.view)
		}
		golden(t, s)
	})
	t.Run("very-narrow", func(t *testing.T) {
		tm.Send(tea.WindowSizeMsg{Width: 30, Height: 8})
		s := waitFor(t, tm, "30 columns", func(s snapshot) bool { return s.width == 30 })
		for _, want := range []string{"너무 좁습니다", "(현재 30칸)", "너무 낮습니다", "(현재 8줄)"} {
			if !strings.Contains(s.view, want) {
				t.Errorf("message lacks %q:\n%s", want, s.view)
			}
		}
		checkFrame(t, s)
	})
	t.Run("short", func(t *testing.T) {
		tm.Send(tea.WindowSizeMsg{Width: 80, Height: 10})
		s := waitFor(t, tm, "10 rows", func(s snapshot) bool { return s.height == 10 })
		if !strings.Contains(s.view, "터미널이 너무 낮습니다: 최소 12줄 필요 (현재 10줄)") || strings.Contains(s.view, "좁습니다") {
			t.Fatalf("wrong message:\n%s", s.view)
		}
		checkFrame(t, s)
	})
	t.Run("keys-ignored-while-too-small", func(t *testing.T) {
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		if s := take(t, tm); s.state != stateReader {
			t.Fatalf("esc changed the screen while the terminal was too small")
		}
	})
	t.Run("recovers", func(t *testing.T) {
		tm.Send(tea.WindowSizeMsg{Width: 90, Height: 25})
		s := waitFor(t, tm, "the reader again", func(s snapshot) bool { return s.width == 90 && !s.loading })
		if !strings.Contains(s.view, "1. 데몬셋 맛보기") {
			t.Fatalf("reader not back:\n%s", s.view)
		}
		checkFrame(t, s)
	})
}

func TestHelpOverlay(t *testing.T) {
	tm := startProgram(t, newFixtureModel(t, nil), 100, 30)
	tm.Send(keyRunes("?"))
	s := waitFor(t, tm, "help", func(s snapshot) bool { return s.state == stateHelp })
	golden(t, s)
	// Keys other than ?/esc/q do nothing under the overlay.
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	if s := take(t, tm); s.state != stateHelp {
		t.Fatal("enter went through the help overlay")
	}
	tm.Send(keyRunes("?"))
	if s := take(t, tm); s.state != stateContents {
		t.Fatal("? did not close the help")
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "reader", func(s snapshot) bool { return s.state == stateReader && !s.loading })
	tm.Send(keyRunes("?"))
	s = take(t, tm)
	if !strings.Contains(s.view, "이전 강의") || !strings.Contains(s.view, "도움말") {
		t.Fatalf("reader help lacks the lesson keys:\n%s", s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	if s := take(t, tm); s.state != stateReader {
		t.Fatal("esc did not return to the reader")
	}
}

// TestProgressThroughTUI: open a lesson, scroll to its end, quit: the
// lesson is read in progress.json. Reopening restores the position.
func TestProgressThroughTUI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "dslab", "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s := waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
	if strings.Contains(s.view, "✓ 읽음") {
		t.Fatal("the long lesson counts as read before scrolling")
	}
	for range s.maxOff {
		tm.Send(keyRunes("j"))
	}
	s = take(t, tm)
	if s.offset != s.maxOff || !strings.Contains(s.view, "✓ 읽음") {
		t.Fatalf("at offset %d/%d, view:\n%s", s.offset, s.maxOff, s.view)
	}
	tm.Send(keyRunes("k"))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	reopened, notice, err := progress.Open(path)
	if err != nil || notice != "" {
		t.Fatalf("notice=%q err=%v", notice, err)
	}
	lp := reopened.Lesson("long-read")
	if !lp.Read || lp.ReadAt.IsZero() {
		t.Fatalf("long-read not read in progress.json: %+v", lp)
	}
	if lp.Offset != s.maxOff-1 || lp.Width != 100 {
		t.Fatalf("position %+v, want offset %d at width 100", lp, s.maxOff-1)
	}

	// A new session starts with 목차's cursor on the lesson read at the
	// quit (issue 14) and restores the position of a lesson when it is
	// opened again.
	tm2 := startProgram(t, newFixtureModel(t, reopened), 100, 30)
	s2 := waitFor(t, tm2, "contents", func(s snapshot) bool { return s.width == 100 })
	if !strings.Contains(s2.view, "▸   2") {
		t.Errorf("cursor should start on lesson 2 (read at the quit):\n%s", s2.view)
	}
	tm2.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s2 = waitFor(t, tm2, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
	if s2.offset != s.maxOff-1 {
		t.Errorf("restored offset %d, want %d", s2.offset, s.maxOff-1)
	}
	// At another width the relative position is restored.
	tm2.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm2.Send(tea.WindowSizeMsg{Width: 70, Height: 30})
	tm2.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s2 = waitFor(t, tm2, "lesson 2 at 70", func(s snapshot) bool { return s.lesson == 1 && s.width == 70 && !s.loading })
	if s2.offset < s2.maxOff*8/10 {
		t.Errorf("offset %d/%d at 70 columns; expected near the end", s2.offset, s2.maxOff)
	}
	// Quit through q (its save runs before the program ends) so that no
	// background save writes into the temporary directory while it is
	// being removed.
	tm2.Send(keyRunes("q"))
	tm2.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestStatusBarMessages(t *testing.T) {
	m := newFixtureModel(t, nil)
	m.notice = "진행 상황 파일이 손상되어 처음부터 새로 기록합니다."
	tm := startProgram(t, m, 100, 30)
	s := waitFor(t, tm, "first frame", func(s snapshot) bool { return s.width == 100 })
	if !strings.Contains(s.view, "손상되어") || !strings.Contains(s.view, DefaultClusterStatus) {
		t.Fatalf("status bar lacks the start notice or the cluster placeholder:\n%s", s.view)
	}
	tm.Send(ClusterStatusMsg{Text: "클러스터: embedded · 노드 4/4 Ready"})
	s = take(t, tm)
	if !strings.Contains(s.view, "노드 4/4 Ready") {
		t.Fatalf("cluster status not shown:\n%s", s.view)
	}
	checkFrame(t, s)
	tm.Send(ClusterStatusMsg{})
	if s := take(t, tm); !strings.Contains(s.view, DefaultClusterStatus) {
		t.Fatal("empty ClusterStatusMsg did not restore the placeholder")
	}
	// Moving to another screen clears the notice.
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s = waitFor(t, tm, "reader", func(s snapshot) bool { return s.state == stateReader && !s.loading })
	if strings.Contains(s.view, "손상되어") {
		t.Fatal("notice survived opening a lesson")
	}
	tm.Send(keyRunes("p"))
	s = waitFor(t, tm, "the first-lesson notice", func(s snapshot) bool { return strings.Contains(s.view, "첫 강의입니다") })
	if s.lesson != 0 {
		t.Fatalf("p on the first lesson moved to lesson %d", s.lesson)
	}
}

func TestSaveErrorIsShownNotFatal(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "config")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	store := progress.New(filepath.Join(blocker, "dslab", "progress.json"))
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // lesson 1 fits: read → save fails
	s := waitFor(t, tm, "the save error", func(s snapshot) bool { return strings.Contains(s.view, "저장하지 못했습니다") })
	if s.state != stateReader {
		t.Fatal("unexpected screen")
	}
	checkFrame(t, s)
}

func TestNewRejectsEmptyCourse(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("expected an error")
	}
}

// Every line of the contents fits and the minutes column lines up, with
// Hangul titles of every length, at several widths.
func TestContentsColumnsAlign(t *testing.T) {
	m := newFixtureModel(t, nil)
	for _, w := range []int{60, 61, 80, 133} {
		mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 20})
		m = mm.(Model)
		view := m.View()
		checkFrame(t, snapshot{view: view, width: w, height: 20})
		col := -1
		for _, line := range strings.Split(view, "\n") {
			i := strings.Index(line, "분 ")
			if i < 0 || !strings.Contains(line, "  ") {
				continue
			}
			c := ansi.StringWidth(line[:i])
			if col >= 0 && c != col {
				t.Errorf("width %d: minutes column at %d, expected %d: %q", w, c, col, line)
			}
			col = c
		}
		if col < 0 {
			t.Errorf("width %d: no lesson rows found:\n%s", w, view)
		}
	}
}

// The position survives a detour through a too-small terminal: at the end
// of a lesson before, at the end after.
func TestPositionSurvivesTooSmallResize(t *testing.T) {
	tm := startProgram(t, newFixtureModel(t, nil), 100, 30)
	tm.Send(keyRunes("j"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
	tm.Send(keyRunes("G"))
	tm.Send(tea.WindowSizeMsg{Width: 50, Height: 20})
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	s := waitFor(t, tm, "80 columns", func(s snapshot) bool { return s.width == 80 && !s.loading })
	if s.offset != s.maxOff || !strings.Contains(s.view, "100%") {
		t.Fatalf("offset %d of %d after the resizes:\n%s", s.offset, s.maxOff, s.view)
	}
	// Back to the width on screen: no stale position is applied later.
	tm.Send(keyRunes("g"))
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 30})
	tm.Send(tea.WindowSizeMsg{Width: 90, Height: 30})
	s = waitFor(t, tm, "90 columns", func(s snapshot) bool { return s.width == 90 && !s.loading })
	if s.offset != 0 {
		t.Fatalf("offset %d after scrolling to the top and resizing", s.offset)
	}
}

// TestTUIKeepsProgressRecordedByCLI: while the TUI runs, a CLI command
// (another store on the same file) records a lesson read and a pass. The
// TUI shows them at the next key, and its own saves do not overwrite them.
func TestTUIKeepsProgressRecordedByCLI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "dslab", "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newFixtureModel(t, store), 100, 30)
	waitFor(t, tm, "contents", func(s snapshot) bool { return strings.Contains(s.view, "읽음 0개") })

	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	cli.MarkRead("intro")
	cli.UpdateExercise("ds-basics", func(e *progress.ExerciseProgress) { e.Passed, e.Score, e.HintsUsed = true, 10, 2 })
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}

	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	waitFor(t, tm, "the CLI's read lesson on the contents", func(s snapshot) bool { return strings.Contains(s.view, "읽음 1개") })
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	s := waitFor(t, tm, "lesson 2", func(s snapshot) bool { return s.lesson == 1 && !s.loading })
	for range s.maxOff {
		tm.Send(keyRunes("j"))
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	f, err := progress.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Lessons["intro"].Read || !f.Lessons["long-read"].Read {
		t.Errorf("lessons on disk = %+v; want intro (CLI) and long-read (TUI) read", f.Lessons)
	}
	if e := f.Exercises["ds-basics"]; !e.Passed || e.Score != 10 || e.HintsUsed != 2 {
		t.Errorf("the CLI's pass was overwritten by the TUI: %+v", e)
	}
}

// TestFastKeysAreSeparateKeys: "jjj" arriving in one read moves three
// lines, like three separate keys, instead of being one unknown key; and
// the unused-key note is a whole sentence.
func TestFastKeysAreSeparateKeys(t *testing.T) {
	store := progress.New("")
	tm := startProgram(t, newFixtureModel(t, store), 160, 30)
	waitFor(t, tm, "contents", func(s snapshot) bool { return s.width == 160 })
	tm.Send(keyRunes("jj"))
	s := waitFor(t, tm, "cursor on lesson 3", func(s snapshot) bool { return strings.Contains(s.view, "▸   3") })
	if strings.Contains(s.view, "쓰지 않는 키") {
		t.Errorf("jj was taken as one unknown key:\n%s", s.view)
	}
	tm.Send(keyRunes("z"))
	waitFor(t, tm, "the unused-key note", func(s snapshot) bool {
		return strings.Contains(s.view, "z: 이 화면에서는 쓰지 않는 키입니다 — ? 로 이 화면의 키를 봅니다")
	})
}
