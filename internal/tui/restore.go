package tui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/progress"
)

// The screen the learner was on is kept in progress (progress.File.Screen)
// so that the next start reopens it, and an exercise started elsewhere
// (`dslab exercise start X` in a shell) is followed.

// restoreCmd reopens the exercise recorded in progress as the last screen
// (with a Lab whose catalog has it). A lesson or the contents start on the
// contents, its cursor on the first unread lesson (the reader restores the
// position when the lesson is opened).
func (m Model) restoreCmd() tea.Cmd {
	c := m.common
	sc := c.Progress.Screen()
	switch sc.Name {
	case progress.ScreenExercise:
		if c.Lab == nil || c.Lab.Catalog == nil {
			break
		}
		if _, err := c.Lab.Catalog.Get(sc.Exercise); err != nil {
			return nil
		}
		id := sc.Exercise
		return func() tea.Msg { return openExerciseMsg{id: id} }
	}
	return nil
}

// shownScreen is the screen to record for m ("" when the one on screen is
// a passing one — help, cluster, summary, chooser — and the record stays).
func (m Model) shownScreen() progress.ScreenProgress {
	switch m.state {
	case stateExercise, stateNodeMap:
		if m.exercise.loaded {
			return progress.ScreenProgress{Name: progress.ScreenExercise, Exercise: m.exercise.ex.ID}
		}
	case stateReader:
		if l, ok := m.reader.lesson(); ok {
			return progress.ScreenProgress{Name: progress.ScreenLesson, Lesson: l.ID}
		}
	case stateContents:
		sc := progress.ScreenProgress{Name: progress.ScreenContents}
		if i := m.contents.cursor; i >= 0 && i < len(m.common.Course) {
			sc.Lesson = m.common.Course[i].ID // the cursor, restored on the next start
		}
		return sc
	}
	return progress.ScreenProgress{}
}

// recordScreen keeps the screen shown in the progress (in memory; saved
// with the next save, at the latest on quit).
func (m Model) recordScreen() {
	if sc := m.shownScreen(); sc.Name != "" {
		m.common.Progress.SetScreen(sc)
	}
}

// latestStart is the exercise started last according to progress (by
// ExerciseProgress.StartedAt) and when.
func latestStart(s *progress.Store) (id string, at time.Time) {
	for eid, e := range s.Snapshot().Exercises {
		if e.StartedAt.After(at) || (e.StartedAt.Equal(at) && !at.IsZero() && eid < id) {
			id, at = eid, e.StartedAt
		}
	}
	return id, at
}

// followStart follows an exercise started elsewhere since the TUI last
// looked (`dslab exercise start X` from the lab shell): when the exercise
// screen shows another one, X is opened with a Korean note; elsewhere the
// note says how to open it.
func (m Model) followStart() (Model, tea.Cmd) {
	c := m.common
	if c.Lab == nil || c.Lab.Catalog == nil {
		return m, nil
	}
	id, at := latestStart(c.Progress)
	if !at.After(m.startSeen) {
		return m, nil
	}
	if m.exercise.busy != "" && m.exercise.busySince.After(m.startSeen) {
		// This TUI is starting or resetting an exercise: its own start is
		// taken into account when it is done (onOpEvent), not followed.
		return m, nil
	}
	m.startSeen = at
	byInstructor := c.Progress.Exercise(id).StartedBy == progress.StartedByInstructor
	if m.exercise.loaded && m.exercise.ex.ID == id {
		// The open exercise was started again or reset elsewhere (`dslab
		// exercise reset`): what the panel said of the cluster before —
		// an apply's outcome, a pending r — is history.
		m.exercise = m.exercise.restartedElsewhere(!byInstructor)
		return m, nil
	}
	if byInstructor {
		// An instructor's reset: the class note already says so, and the
		// learner stays on the screen they are on.
		return m, nil
	}
	ex, err := c.Lab.Catalog.Get(id)
	if err != nil {
		return m, nil
	}
	// A reset (`dslab exercise reset`) is said as one (trainee trial on
	// 32bac4b: "…시작했습니다" after a reset).
	started := "시작했습니다"
	if c.Progress.Exercise(id).StartedReset {
		started = "초기화했습니다"
	}
	if scr := m.screen(); scr == stateExercise || scr == stateNodeMap {
		if m.state == stateHelp {
			m.state = m.helpReturn
		}
		next, cmd := m.openExercise(id)
		nm := next.(Model)
		// esc leads where it would had the learner opened the exercise
		// from 진행 현황 (o, enter), the cursor on it — not to the screen
		// the exercise followed from was opened from (trial, issue 14:
		// lesson 5's chooser after two exercises of lesson 13).
		nm.exerciseReturn, nm.summaryReturn = stateSummary, stateContents
		nm.summary = nm.summary.selectExercise(id)
		// Informational: it expires (issue 14: it stayed over a minute).
		tick := nm.sayInfo(fmt.Sprintf("다른 곳에서 연습 %s %s %s — 이 화면도 그 연습 「%s」 %s 바꿨습니다", id, hangul.EulReul(id), started, ex.Title, hangul.EuroRo(ex.Title)))
		// Other exercises' DaemonSets still running, as after a prepare
		// made here (trainee trial on 32bac4b: never said after a CLI start).
		return nm, tea.Batch(cmd, tick, listOthersRunning(nm.common, ex))
	}
	return m, m.sayInfo(fmt.Sprintf("다른 곳에서 연습 %s %s %s — o 의 연습 목록이나 그 강의에서 x 로 엽니다", id, hangul.EulReul(id), started))
}

// followPollInterval is how often the TUI reads progress.json for an
// exercise started elsewhere while nothing else happens.
const followPollInterval = time.Second

// followPollMsg: time to look for an exercise started elsewhere.
type followPollMsg struct{}

// followPoll asks for the next followPollMsg. `dslab exercise start`
// records the start in progress.json last, after the cluster changed, so
// no watcher update nor key may come after it: the TUI looks by itself
// (progress.Store.Reload only stats an unchanged file).
func followPoll() tea.Cmd {
	return tea.Tick(followPollInterval, func(time.Time) tea.Msg { return followPollMsg{} })
}
