package tui

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// splitMinWidth is the terminal width from which the lesson is shown
// beside the exercise (the lesson needs about 80 cells for its code
// blocks, the panel as much for the node map); narrower terminals switch
// between them with tab.
const splitMinWidth = 160

// lessonPaneWidth caps the lesson beside the exercise.
const lessonPaneWidth = 80

// msgKind colours the exercise panel's message line.
type msgKind int

const (
	msgInfo msgKind = iota
	msgGood
	msgBad
)

// exerciseModel is one exercise beside its lesson: the Korean task, hints
// revealed one at a time, the live grade and node map, and the actions
// (shell, editor + apply on save, reset).
type exerciseModel struct {
	// editorNoted: the editor note (lab.EditorNote) was shown; e opens.
	editorNoted bool

	common *Common
	ex     exercises.Exercise
	loaded bool
	lesson int // index of its lesson in Course, -1 when not in the course

	offset      int // first line of the scrollable panel
	taskCache   map[renderKey]string
	hintCache   map[renderKey][]string // rendered hints (see hintLines)
	lessonCache map[renderKey]string
	lessonPager pager
	lessonShown int // width of the lesson in lessonPager (0: none yet)
	focusLesson bool

	hints int
	msg   string
	// msgRestarted: msg is restartedElsewhere's note, true only until a
	// grade of something applied since (then it no longer describes the
	// cluster: trainee trial, it stayed for 70 s beside ✓ 통과했습니다).
	msgRestarted bool
	msgKind      msgKind
	// msgSeq counts the messages said (say): an informational one
	// expires after Common.noticeTTL as the status bar's notices do
	// (exerciseMsgExpiredMsg), unless another was said since.
	msgSeq int
	// longSeen is the msgSeq of the long message whose top-of-panel copy
	// was shown (offset 0) or whose note expired: the bottom's "메시지가
	// 길어 … (g: 맨 위로)" note is then done (trainee trial, issue 14: it
	// stayed after g at the top and never expired).
	longSeen     int
	busy         string // the running operation ("" when none)
	busyLine     string // its latest progress line
	autoStarted  bool
	confirmReset bool
	// applyErr is the last apply's failure (nil after a success): shown
	// whole in the panel, and the grade says the learner's change is not
	// on the cluster because of it.
	applyErr error
	// applyErrAt is when applyErr happened (its progress record's time
	// when restored): a successful apply recorded after it, from the CLI
	// or another terminal, supersedes it (applySuperseded).
	applyErrAt time.Time
	// applied is the work file as last applied (or as the editor found
	// it): a save is applied when the file differs from it.
	applied lab.Stamp
	// applyAgain: a save arrived while an apply was running.
	applyAgain bool
	// busySince is when the running exercise operation began (Lab.Now).
	busySince time.Time
	// showHint is the hint (1-based) just opened with h: clamp scrolls the
	// panel so that it is in view (0: none pending).
	showHint int
	// passSaid: the message is the pass message (passMessage); any other
	// message keeps a short pass line above it (passLine).
	passSaid bool
}

func newExercise(c *Common) exerciseModel {
	return exerciseModel{common: c, lesson: -1, taskCache: map[renderKey]string{}, hintCache: map[renderKey][]string{}, lessonCache: map[renderKey]string{}}
}

// open shows ex (its hints as far as the learner has seen them) and asks
// the watcher to grade it.
func (m exerciseModel) open(ex exercises.Exercise) (exerciseModel, tea.Cmd) {
	c := m.common
	same := m.loaded && m.ex.ID == ex.ID
	m.ex, m.loaded = ex, true
	if !same {
		m.offset, m.focusLesson, m.lessonShown = 0, false, 0
		m.msg, m.busy, m.busyLine, m.autoStarted, m.confirmReset = "", "", "", false, false
		m.applyErr = restoredApplyErr(c.Progress, lab.WorkFile(c.Paths, ex.ID), ex.ID)
		if la := c.Progress.Exercise(ex.ID).LastApply; m.applyErr != nil && la != nil {
			m.applyErrAt = la.At
		}
		m.applied = lab.Stamp{}
		if c.Applier != nil {
			c.Applier.SetActive(lab.WorkFile(c.Paths, ex.ID), m.applied)
		}
		m.lesson = c.lessonIndex(ex.Lesson)
		if c.Lab != nil && c.Lab.Watcher != nil {
			c.Lab.Watcher.SetExercise(&ex)
		}
	}
	m.hints = lab.HintsOpen(c.Progress, ex.ID, len(ex.Hints))
	c.Logger.Info("exercise opened", "id", ex.ID)
	var cmds []tea.Cmd
	if u := c.Live.Update; u.Exercise == ex.ID {
		var cmd tea.Cmd
		m, cmd = m.onUpdate(u, false)
		cmds = append(cmds, cmd)
	}
	// The pane shows the new exercise's lesson: from the cache when it
	// was rendered before (another exercise of the same lesson, a resize
	// while the screen was hidden), else by a render asked for here — a
	// cached render nobody put in the pager left the pane on "강의를
	// 불러오는 중입니다…" for good (issue 14, trainee trial).
	m = m.showLesson()
	cmds = append(cmds, m.load())
	if !same {
		cmds = append(cmds, ensureWorkFile(c, ex))
	}
	return m, tea.Batch(cmds...)
}

// split reports whether the lesson is shown beside the panel.
func (m exerciseModel) split() bool { return m.common.Width >= splitMinWidth && m.lesson >= 0 }

func (m exerciseModel) lessonWidth() int { return min(lessonPaneWidth, m.common.Width-lessonPaneWidth) }

// panelWidth is the width of the exercise panel.
func (m exerciseModel) panelWidth() int {
	if m.split() {
		return m.common.Width - m.lessonWidth() - 1
	}
	return m.common.Width
}

// load starts the renders the current size needs (task, lesson pane).
func (m exerciseModel) load() tea.Cmd {
	c := m.common
	if !m.loaded || c.TooSmall() {
		return nil
	}
	var cmds []tea.Cmd
	w := m.panelWidth()
	if _, ok := m.taskCache[renderKey{m.ex.ID, w}]; !ok {
		md, logger, id, task := c.Markdown, c.Logger, m.ex.ID, m.ex.Task
		cmds = append(cmds, func() tea.Msg {
			out, err := md.Render(task, w)
			if err != nil {
				logger.Error("task render", "id", id, "err", err)
			}
			return taskRenderedMsg{id: id, width: w, content: out, err: err}
		})
	}
	if m.split() {
		l := c.Course[m.lesson]
		if _, ok := m.lessonCache[renderKey{l.ID, m.lessonWidth()}]; !ok {
			cmds = append(cmds, renderLesson(c, l, m.lessonWidth()))
		}
	}
	return tea.Batch(cmds...)
}

// pending reports whether a render the current size needs has not
// arrived yet (the task, the lesson pane).
func (m exerciseModel) pending() bool {
	if !m.loaded || m.common.TooSmall() {
		return false
	}
	if _, ok := m.taskCache[renderKey{m.ex.ID, m.panelWidth()}]; !ok {
		return true
	}
	return m.split() && m.lessonShown != m.lessonWidth()
}

// setSize re-renders for a new terminal size.
func (m exerciseModel) setSize() (exerciseModel, tea.Cmd) {
	m = m.showLesson()
	return m, m.load()
}

// showLesson puts the cached lesson for the pane's width in the pager.
func (m exerciseModel) showLesson() exerciseModel {
	if !m.split() {
		return m
	}
	w := m.lessonWidth()
	m.lessonPager.setHeight(m.common.BodyHeight())
	if content, ok := m.lessonCache[renderKey{m.common.Course[m.lesson].ID, w}]; ok && m.lessonShown != w {
		pct := m.lessonPager.percent()
		m.lessonPager.setContent(content)
		if m.lessonShown > 0 {
			m.lessonPager.setPercent(pct)
		}
		m.lessonShown = w
	}
	return m
}

// rendered takes renders meant for this screen.
func (m exerciseModel) rendered(msg tea.Msg) exerciseModel {
	switch msg := msg.(type) {
	case taskRenderedMsg:
		if msg.err == nil {
			m.taskCache[renderKey{msg.id, msg.width}] = msg.content
		}
	case lessonRenderedMsg:
		if msg.err == nil && m.lesson >= 0 && msg.id == m.common.Course[m.lesson].ID && msg.width == m.lessonWidth() {
			m.lessonCache[renderKey{msg.id, msg.width}] = msg.content
			m = m.showLesson()
		}
	}
	return m
}

func (m exerciseModel) say(kind msgKind, format string, args ...any) exerciseModel {
	m.msg, m.msgKind, m.passSaid, m.msgRestarted = fmt.Sprintf(format, args...), kind, false, false
	m.msgSeq++
	return m
}

// onUpdate follows the watcher: the first time an exercise that was never
// started is seen on a reachable cluster, it is started; a first pass is
// announced.
func (m exerciseModel) onUpdate(u lab.Update, firstPass bool) (exerciseModel, tea.Cmd) {
	if !m.loaded || u.Exercise != m.ex.ID {
		return m, nil
	}
	if u.State == lab.StateConnected && !u.Started && !m.autoStarted && m.busy == "" && m.common.Live.Op == opNone {
		m.autoStarted = true
		m = m.say(msgInfo, "처음 여는 연습이라 클러스터를 이 연습에 맞게 준비합니다.")
		return m.startOp(false)
	}
	if u.ShellApplied && m.applyErr != nil && !notConnected(m.applyErr) {
		// kubectl in the lab shell (or another terminal) changed the
		// DaemonSet since: the failed save no longer describes the
		// cluster, and the grade below is of that change.
		m.applyErr = nil
		m = m.say(msgInfo, "실습 셸(또는 다른 터미널)에서 바꾼 데몬셋을 채점합니다 (앞서 저장할 때 난 오류는 지웠습니다).")
	}
	if m.applyErr != nil && !notConnected(m.applyErr) && m.busy == "" && m.applySuperseded() {
		// A later apply succeeded (dslab kubectl apply, another
		// terminal): the failure no longer describes the cluster (issue
		// 14: "적용에 실패했습니다" stayed beside a ✓ 통과 header).
		m.applyErr = nil
		m = m.say(msgInfo, "이후의 적용이 성공해 앞서 실패한 적용의 오류는 지웠습니다.")
	}
	if m.msgRestarted && u.Graded() && gradeStatus(u) != grader.StatusNotStarted {
		m.msg, m.msgRestarted = "", false
	}
	if m.passSaid && m.msg != "" && u.Graded() && !u.Result.Passed {
		// The pass message follows the state: the cluster no longer
		// passes (reset or changed elsewhere: `dslab exercise reset`
		// right after the pass left "✓ 통과했습니다!" under a body saying
		// the DaemonSet is not there).
		m.msg, m.passSaid = "", false
	}
	if firstPass && u.Graded() {
		m = m.say(msgGood, "%s", m.passMessage(*u.Result))
		m.passSaid = true
	}
	if u.State == lab.StateConnected && u.Conn != nil && notConnected(m.applyErr) && m.busy == "" {
		// The last save was never applied for lack of a cluster: apply
		// the file as it is now that the cluster is back.
		m = m.say(msgInfo, "클러스터에 다시 연결되어 저장해 둔 작업 파일을 적용합니다.")
		m.busy = "적용하는 중"
		return m, applyWork(m.common, m.ex.ID, lab.WorkFile(m.common.Paths, m.ex.ID), m.applied, false, false)
	}
	return m, nil
}

// restoredApplyErr is the failure of the exercise's last apply as the
// progress recorded it (progress.ExerciseProgress.LastApply), so that a
// failed save is still shown after the TUI restarts, until the next
// successful apply; nil when the last apply succeeded or none was made.
func restoredApplyErr(store *progress.Store, path, id string) error {
	if store == nil {
		return nil
	}
	la := store.Exercise(id).LastApply
	if la == nil || !la.Failed {
		return nil
	}
	return &lab.ApplyError{Path: path, Summary: la.Summary, Detail: la.Detail}
}

// applySuperseded reports whether the progress records a successful apply
// of the work file made after applyErr (the CLI's dslab kubectl apply
// records one, lab.RecordApplyResult).
func (m exerciseModel) applySuperseded() bool {
	la := m.common.Progress.Exercise(m.ex.ID).LastApply
	return la != nil && !la.Failed && la.At.After(m.applyErrAt)
}

// learnerFile reports whether the exercise's work file exists and is not
// the starter dslab wrote, untouched (lab.UntouchedStarter): something of
// the learner's that a would apply.
func (m exerciseModel) learnerFile() bool {
	path := lab.WorkFile(m.common.Paths, m.ex.ID)
	st := lab.StampFile(path)
	return st.Exists && !lab.UntouchedStarter(path, st)
}

// notConnected reports whether err is an apply that failed only because
// no cluster was connected (the file was not the cause).
func notConnected(err error) bool {
	var nc *lab.NotConnectedError
	return errors.As(err, &nc)
}

func (m exerciseModel) passMessage(r grader.Result) string {
	hints := m.common.Progress.Exercise(m.ex.ID).HintsUsed
	s := fmt.Sprintf("✓ 통과했습니다! %d/%d점 (힌트 %d개 사용).", r.Score, r.MaxScore, hints)
	if m.classFrozen() {
		s += " " + LatePassNote
	}
	if next, ok := m.nextUnpassed(); ok {
		s += fmt.Sprintf(" n 을 누르면 아직 통과하지 않은 다음 연습 「%s」 로 넘어갑니다.", next.Title)
	} else {
		s += " " + m.allPassed()
	}
	return s
}

// LatePassNote follows a pass made while the class's submissions are
// frozen: it is stored, but as 마감 후, outside the score.
const LatePassNote = "제출 마감 후의 통과라 수업 점수에는 들어가지 않습니다 (마감 후)."

// classFrozen reports whether the class's submissions are frozen now
// (Lab.ClassFrozen; false outside a class).
func (m exerciseModel) classFrozen() bool {
	l := m.common.Lab
	return l != nil && l.ClassFrozen != nil && l.ClassFrozen()
}

// allPassed is said when no exercise is left to suggest: in a class, the
// class's exercises (Lab.ClassExercises; the others may not be passed).
func (m exerciseModel) allPassed() string {
	if m.common.Lab != nil && len(m.common.Lab.ClassExercises) > 0 {
		return "수업의 연습을 모두 통과했습니다. o 로 진행 현황을 보세요."
	}
	return "모든 연습을 통과했습니다. o 로 진행 현황을 보세요."
}

// next is the exercise n opens: after a pass of this one, the first
// exercise not passed yet (nextUnpassed, what the pass message names);
// otherwise the exercise after this one in course order.
func (m exerciseModel) next() (exercises.Exercise, bool) {
	if m.common.Progress.Exercise(m.ex.ID).Passed {
		return m.nextUnpassed()
	}
	all := m.common.Exercises()
	for i, e := range all {
		if e.ID == m.ex.ID && i+1 < len(all) {
			return all[i+1], true
		}
	}
	return exercises.Exercise{}, false
}

// nextUnpassed is the exercise after this one that is not passed yet
// (exercises.NextUnpassed: the same suggestion dslab grade prints after a
// pass, issue 14); ok is false when every other exercise has passed.
func (m exerciseModel) nextUnpassed() (exercises.Exercise, bool) {
	var class []string
	if m.common.Lab != nil {
		class = m.common.Lab.ClassExercises
	}
	return exercises.NextUnpassed(exercises.InClass(m.common.Exercises(), class), m.ex.ID, func(id string) bool {
		return m.common.Progress.Exercise(id).Passed
	})
}

// startOp starts (reset: resets) the exercise on the connected cluster.
func (m exerciseModel) startOp(reset bool) (exerciseModel, tea.Cmd) {
	c := m.common
	conn := c.Live.Update.Conn
	if c.Lab == nil || conn == nil || !c.Live.Connected() {
		return m.say(msgBad, "클러스터에 연결되어 있지 않습니다. c 로 클러스터 화면을 열고 u 로 시작하세요."), nil
	}
	if m.busy != "" || c.Live.Op != opNone {
		return m.say(msgBad, "다른 작업이 진행 중입니다. 끝난 뒤 다시 해 보세요."), nil
	}
	m.busy, m.busyLine = "연습을 준비하는 중", ""
	if reset {
		m.busy = "연습을 처음 상태로 되돌리는 중"
	}
	// The bottom line says what is happening now, not the confirm that
	// asked for it (issue 14: "r 을 한 번 더 누르면…" stayed through the
	// whole restart).
	m = m.say(msgInfo, "%s입니다 — 끝나면 여기에 알리고 다시 채점합니다.", m.busy)
	// The banner shows the seconds since the start every second (opTick).
	m.busySince = c.now()
	c.Live.OpNow = m.busySince
	st := lab.Starter{Paths: c.Paths, Catalog: c.Lab.Catalog, Executable: c.Lab.Executable, Logger: c.Logger}
	ex, l, store, ctx, saves := m.ex, c.Lab, c.Progress, c.Lab.ctx(), c.saves
	var leftovers []lab.Leftover
	if reset {
		leftovers = m.leftovers() // the confirm named them
	}
	return m, tea.Batch(opTick(), runOp(opExercise, func(progress func(string)) (*cluster.Status, error) {
		// One reset path with the class instructor's (Starter.ResetWith).
		var err error
		if reset {
			_, err = st.ResetWith(ctx, conn, ex, leftovers, progress)
		} else {
			_, err = st.Start(ctx, conn, ex, false, progress)
		}
		if err != nil {
			return nil, err
		}
		if reset {
			lab.RecordReset(store, ex.ID, l.now())
		} else {
			lab.RecordStart(store, ex.ID, l.now())
		}
		return nil, saves.run(store.Save)
	}))
}

// restartedElsewhere forgets what the panel said about the exercise on
// the cluster before it was started again or reset in another terminal
// (or by the instructor): the last apply's outcome and its failure, a
// pending r. note adds a Korean note saying so: 초기화했습니다 for a reset
// (progress StartedReset: `dslab exercise reset`; trainee trial, issue
// 14: a reset of the open exercise was said as a start), else 처음 상태로
// 준비했습니다.
func (m exerciseModel) restartedElsewhere(note bool) exerciseModel {
	m.msg, m.applyErr, m.confirmReset = "", nil, false
	if note {
		done := "처음 상태로 준비했습니다"
		if m.common.Progress != nil && m.common.Progress.Exercise(m.ex.ID).StartedReset {
			done = "초기화했습니다"
		}
		m = m.say(msgInfo, "다른 곳에서 연습 %s %s %s — 앞서 적용한 결과는 지웠습니다.", m.ex.ID, hangul.EulReul(m.ex.ID), done)
		m.msgRestarted = true
	}
	return m
}

// attempted reports whether the learner applied the work file since the
// exercise was last started (an apply recorded in progress after its
// StartedAt, or a failed one on screen): the exercise is under way even
// when its DaemonSet is not in the cluster.
func (m exerciseModel) attempted() bool {
	if m.applyErr != nil && !notConnected(m.applyErr) {
		return true
	}
	ep := m.common.Progress.Exercise(m.ex.ID)
	return ep.LastApply != nil && !ep.LastApply.At.Before(ep.StartedAt)
}

// phaseWord is what the exercise is while its DaemonSet is not in the
// cluster: the word of 진행 현황, dslab progress and grade --all
// (progress.StateOf: prepared when the watcher saw it started on the
// cluster), 진행 중 too after an apply since the start — not 시작 전 for an
// exercise opened and prepared (trainee trial, issue 14).
func (m exerciseModel) phaseWord() string {
	return m.standing().State.Korean()
}

// standing is the exercise's state and score as the header shows them:
// progress.StandingOf (the one rule of 진행 현황, dslab progress and
// grade --all) with the live grade as the current score, 진행 중 too
// after an apply since the start that the progress does not count yet
// (a failed one on screen).
func (m exerciseModel) standing() progress.Standing {
	u := m.common.Live.Update
	ep := m.common.Progress.ExerciseNow(m.ex.ID)
	prepared := u.Exercise == m.ex.ID && u.Started
	// A grade while the cluster is prepared for another exercise (exercise
	// start of it elsewhere) is not this exercise's: not its score now, not
	// a pass, not "클러스터에 없음" — the record speaks, as dslab grade and
	// dslab progress say it (issue 14: "통과 기록 · 지금 9/10" here, "통과 ·
	// 10/10점" there).
	mine := u.Exercise == m.ex.ID && u.Graded() && u.Counts()
	var current *int
	if mine && gradeStatus(u) != grader.StatusNotStarted {
		current = &u.Result.Score
	}
	if m.attempted() && ep.Attempts == 0 {
		ep.Attempts = 1
	}
	// A live pass is a pass here at once (the header said ✓ 통과 before
	// the progress recorded it); nothing of the exercise in the cluster
	// (a failed apply) leaves the recorded score, as dslab progress and
	// dslab grade say it — never 진행 중 without a score (issue 14).
	livePass := mine && u.Result.Passed
	sd := progress.StandingOf(ep, prepared, livePass, current, m.ex.Spec.MaxScore())
	if mine {
		// A pass recorded, then the exercise prepared again with nothing
		// applied: not "통과 · 10/10점" above a body saying the DaemonSet is
		// not there (issue 14).
		sd.Absent = sd.State == progress.StatePassed && !livePass && !u.Map.Exists && sd.Now == nil
	}
	return sd
}

// standingBadge is the exercise header's and the node map's state and
// score: "✓ 통과 · 10/10점" (passed true), "✓ 통과 기록 · 지금 5/10점" (the
// pass kept, the cluster's score now lower: not passed, as 진행 현황's
// "✓ 통과 기록 · 지금 5/10"), "진행 중 · 7/10점", "시작함 · 10점 만점".
func (m exerciseModel) standingBadge() (text string, passed bool) {
	sd := m.standing()
	switch {
	case sd.State == progress.StatePassed && sd.Now == nil:
		return "✓ " + sd.Badge(), true
	case sd.State == progress.StatePassed:
		return "✓ " + sd.Badge(), false
	}
	return sd.Badge(), false
}

// targetExists reports whether the latest grade of this exercise saw its
// target DaemonSet in the cluster.
func (m exerciseModel) targetExists() bool {
	u := m.common.Live.Update
	return u.Exercise == m.ex.ID && u.State == lab.StateConnected && u.Graded() && u.Map.Exists
}

// onOp follows the exercise's start or reset.
func (m exerciseModel) onOp(ev opEvent) exerciseModel {
	if !ev.done {
		m.busyLine = ev.line
		return m
	}
	m.busy, m.busyLine, m.busySince = "", "", time.Time{}
	if ev.err != nil {
		m.common.Logger.Error("exercise start", "id", m.ex.ID, "err", ev.err)
		return m.say(msgBad, "%v", ev.err)
	}
	if w := m.common.Lab.Watcher; w != nil {
		w.Refresh()
	}
	if m.ex.ShellOnly {
		// The task is done in the shell; the DaemonSet is not to change.
		return m.say(msgGood, "연습 준비 완료 (%.1f초). s 로 셸을 열어 과제대로 하세요 (이 연습은 매니페스트를 고치지 않습니다).", ev.at.Seconds())
	}
	return m.say(msgGood, "연습 준비 완료 (%.1f초). e 로 매니페스트를 편집하거나 s 로 셸을 여세요.", ev.at.Seconds())
}

func (m exerciseModel) update(msg tea.Msg) (exerciseModel, tea.Cmd) {
	c := m.common
	switch msg := msg.(type) {
	case editorReadyMsg:
		if msg.err != nil {
			return m.say(msgBad, "%v", msg.err), nil
		}
		if msg.note != "" && !m.editorNoted {
			// An editor the learner did not choose: say which and how to
			// quit it first; the next e opens it (issue 14: vi with no word).
			m.editorNoted = true
			return m.say(msgInfo, "%s — e 를 한 번 더 누르면 엽니다.", msg.note), nil
		}
		if msg.created {
			m = m.say(msgInfo, "시작 매니페스트를 %s 에 만들었습니다.", msg.path)
		}
		m.applied = msg.before
		if c.Applier != nil {
			c.Applier.SetActive(msg.path, msg.before)
		}
		id, path, before := msg.id, msg.path, msg.before
		c.Logger.Info("editor", "cmd", msg.cmd.Args, "file", path)
		return m, tea.ExecProcess(msg.cmd, func(err error) tea.Msg { return editorDoneMsg{id: id, path: path, before: before, err: err} })
	case othersRunningMsg:
		if msg.note == "" || msg.id != m.ex.ID || m.busy != "" {
			return m, nil
		}
		// Below what the prepare said (연습 준비 완료 …), once.
		if m.msg != "" {
			return m.say(m.msgKind, "%s %s", m.msg, msg.note), nil
		}
		return m.say(msgInfo, "%s", msg.note), nil
	case editorDoneMsg:
		if msg.err != nil {
			c.Logger.Warn("editor exited with an error", "err", msg.err)
			m = m.say(msgBad, "편집기가 오류로 끝났습니다 (%v). 저장된 내용이 있으면 적용합니다.", msg.err)
		}
		// Every save was applied as it happened (Lab.WorkFiles); this
		// catches a save the watcher missed, or all of them without one.
		return m.applySaved(msg.path, true)
	case appliedMsg:
		m.busy = ""
		if msg.stamp.Exists {
			m.applied = msg.stamp
		}
		var cmd tea.Cmd
		m, cmd = m.onApplied(msg)
		if m.applyAgain {
			m.applyAgain = false
			var again tea.Cmd
			m, again = m.applySaved(lab.WorkFile(c.Paths, m.ex.ID), true)
			cmd = tea.Batch(cmd, again)
		}
		return m, cmd
	case workFileReadyMsg:
		if msg.err != nil && msg.id == m.ex.ID {
			c.Logger.Warn("work file", "id", msg.id, "err", msg.err)
			return m.say(msgBad, "%v", msg.err), nil
		}
		return m, nil
	case shellReadyMsg:
		if msg.err != nil {
			return m.say(msgBad, "셸을 열 수 없습니다: %v", msg.err), nil
		}
		return m, tea.ExecProcess(msg.cmd, func(err error) tea.Msg { return shellDoneMsg{err: err} })
	case shellDoneMsg:
		if msg.err != nil {
			c.Logger.Info("shell exited", "err", msg.err)
		}
		return m.say(msgInfo, "셸에서 랩으로 돌아왔습니다."), nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

// onApplied reports an apply's result and counts the attempt.
func (m exerciseModel) onApplied(msg appliedMsg) (exerciseModel, tea.Cmd) {
	c := m.common
	if msg.skipped {
		if msg.quiet {
			return m, nil
		}
		if m.applyErr != nil {
			// The file is as it was when its apply failed (a YAML error,
			// a server rejection): the status line must still say so.
			return m.say(msgBad, "적용에 실패한 상태입니다 — 오류 전체는 패널 맨 위에 있습니다 (파일을 고쳐 저장하면 다시 적용합니다)."), nil
		}
		return m.say(msgInfo, "저장된 변경이 없어 적용하지 않았습니다 (a: 지금 파일을 그대로 적용)."), nil
	}
	if lab.NotApplicable(msg.err) {
		// No work file yet, or dslab's own starter untouched: nothing of
		// the learner's was applied; a note, not a failure (the last
		// apply's outcome stands).
		if m.ex.ShellOnly {
			// Nothing to edit here: the note must not ask for it.
			return m.say(msgInfo, "작업 파일은 손대지 않아 적용하지 않았습니다 — 이 연습은 매니페스트를 고치지 않습니다: s 로 셸을 열어 과제대로 하세요."), nil
		}
		return m.say(msgInfo, "%v", msg.err), nil
	}
	if msg.attempted && !msg.recorded {
		// An apply kubectl found unchanged is not an attempt (one rule with
		// the apply on save and dslab kubectl apply).
		lab.RecordApplyOutcome(c.Progress, msg.id, c.now(), msg.err, msg.unchanged, msg.stamp.Sum)
	}
	if msg.err != nil {
		c.Logger.Warn("apply failed", "id", msg.id, "err", msg.err)
		same := m.applyErr != nil && m.applyErr.Error() == msg.err.Error()
		m.applyErr, m.applyErrAt = msg.err, c.now()
		m.offset = 0 // the error is at the top of the panel
		if notConnected(msg.err) {
			return m.say(msgBad, "클러스터에 연결되어 있지 않아 아직 적용하지 못했습니다 — 클러스터가 준비되면 저절로 적용합니다 (c: 클러스터)."), saveProgress(c)
		}
		if same {
			// The line must change: `a` on the same failing file looked
			// silent (issue 14).
			return m.say(msgBad, "다시 적용했지만 같은 오류입니다 (%s) — 오류 전체는 패널 맨 위에 있습니다.", c.now().Format("15:04:05")), saveProgress(c)
		}
		return m.say(msgBad, "적용에 실패했습니다 — 오류 전체는 패널 맨 위에 있습니다."), saveProgress(c)
	}
	m.applyErr = nil
	if w := c.Lab.watcher(); w != nil {
		// An apply the API server found unchanged changes nothing the
		// watcher would see: grade again so that the screen is current
		// (a check waiting for time may pass by now).
		w.Regrade()
	}
	c.Logger.Info("applied", "id", msg.id, "summary", msg.summary)
	if msg.unchanged {
		// Not an error, and not "nothing happened": the file is on the
		// cluster already (the apply on save did it), kubectl's word after.
		return m.say(msgInfo, "변경 없음 — 작업 파일이 클러스터의 내용과 같아 시도로 세지 않습니다 (kubectl: %s).", msg.summary), saveProgress(c)
	}
	return m.say(msgGood, "적용했습니다: %s — 채점 결과는 클러스터가 바뀌는 대로 저절로 갱신됩니다.", msg.summary), saveProgress(c)
}

// applySaved applies the work file at path if it changed since it was
// last applied (quiet: say nothing when it did not); while an apply runs,
// it is applied again once that one is done.
func (m exerciseModel) applySaved(path string, quiet bool) (exerciseModel, tea.Cmd) {
	if m.busy == "적용하는 중" {
		m.applyAgain = true
		return m, nil
	}
	m.busy = "적용하는 중"
	return m, applyWork(m.common, m.ex.ID, path, m.applied, true, quiet)
}

func (m exerciseModel) handleKey(msg tea.KeyMsg) (exerciseModel, tea.Cmd) {
	c := m.common
	km := c.KeyMap
	if m.confirmReset && !key.Matches(msg, km.Reset) {
		m.confirmReset = false
		m = m.say(msgInfo, "처음부터 다시 하기를 취소했습니다.")
	}
	// A page is the visible height of the region that scrolls, less one
	// line kept for context: no line is skipped.
	_, _, _, _, sh := m.layout(m.panelWidth())
	page := max(sh-1, 1)
	if m.focusLesson && m.split() {
		page = max(c.BodyHeight()-1, 1) // the lesson pane is the body's height
	}
	scroll := func(n int) {
		if m.focusLesson && m.split() {
			m.lessonPager.scroll(n)
		} else {
			m.offset += n
		}
	}
	switch {
	case key.Matches(msg, km.Up):
		scroll(-1)
	case key.Matches(msg, km.Down):
		scroll(1)
	case key.Matches(msg, km.PageUp):
		scroll(-page)
	case key.Matches(msg, km.PageDown):
		scroll(page)
	case key.Matches(msg, km.Top):
		scroll(-1 << 20)
	case key.Matches(msg, km.Bottom):
		scroll(1 << 20)
	case key.Matches(msg, km.Lesson):
		if m.split() {
			m.focusLesson = !m.focusLesson
			return m, nil
		}
		if m.lesson < 0 {
			return m.say(msgInfo, "이 연습의 강의(%s)가 목차에 없습니다.", m.ex.Lesson), nil
		}
		i := m.lesson
		return m, c.queue(openLessonMsg{index: i, fromExercise: true})
	case key.Matches(msg, km.Hint):
		if m.hints >= len(m.ex.Hints) {
			return m.say(msgInfo, "힌트는 %d개가 전부입니다.", len(m.ex.Hints)), nil
		}
		m.hints++
		m.showHint = m.hints // clamp scrolls to it
		// The CLI's rule (dslab exercise show --hint): after a pass, or
		// a hint the instructor opened, nothing is recorded.
		switch lab.RecordOpenedHint(c.Progress, m.ex.ID, m.hints) {
		case lab.HintRecorded:
			m = m.say(msgInfo, "힌트 %d/%d 열림 (사용한 힌트 수는 점수와 함께 기록됩니다).", m.hints, len(m.ex.Hints))
			return m, saveProgress(c)
		case lab.HintAfterPass:
			// Kept as viewed (shown again after a restart), not counted:
			// the head says 통과 후 열람 beside the recorded count.
			ep := c.Progress.Exercise(m.ex.ID)
			return m.say(msgInfo, "%d번째 힌트를 열었습니다 (통과 후 열람) — 이미 통과한 연습이라 사용한 힌트로 세지 않습니다 (통과 기록의 사용한 힌트는 %d개 그대로입니다).", m.hints, ep.HintsUsed), saveProgress(c)
		case lab.HintUnlocked:
			return m.say(msgInfo, "힌트 %d/%d 열림 — 강사가 열어 준 힌트라 사용한 힌트로 세지 않습니다.", m.hints, len(m.ex.Hints)), saveProgress(c)
		}
		m = m.say(msgInfo, "힌트 %d/%d 열림 (사용한 힌트 수는 점수와 함께 기록됩니다).", m.hints, len(m.ex.Hints))
		return m, saveProgress(c)
	case key.Matches(msg, km.Shell):
		return m, prepareShellFor(c, m.ex.ID)
	case key.Matches(msg, km.Edit):
		if m.ex.ShellOnly {
			// The task is a kubectl command; the work file is the DaemonSet
			// as setup made it, to be left alone (its header says so).
			return m.say(msgInfo, "이 연습은 매니페스트를 고치지 않습니다 — s 로 셸을 열어 과제대로 하세요."), nil
		}
		if m.busy != "" {
			return m.say(msgBad, "%s입니다. 끝난 뒤 다시 해 보세요.", m.busy), nil
		}
		return m, prepareEditor(c, m.ex)
	case key.Matches(msg, km.Apply):
		m.busy = "적용하는 중"
		return m, applyWork(c, m.ex.ID, lab.WorkFile(c.Paths, m.ex.ID), lab.Stamp{}, false, false)
	case key.Matches(msg, km.Prepare) && m.needsPrepare():
		// Start, not reset: the exercise's DaemonSet and the work file
		// are left as they are; only the nodes and the setup objects are
		// made right for this exercise again.
		m, cmd := m.startOp(false)
		if m.busy != "" {
			m = m.say(msgInfo, "작업 파일은 그대로 두고 클러스터만 이 연습에 맞게 준비합니다 — 끝나면 여기에 알리고 다시 채점합니다.")
		}
		return m, cmd
	case key.Matches(msg, km.Reset):
		if !m.confirmReset {
			m.confirmReset = true
			// Only what is in the cluster now is named (after a reset in
			// another terminal the DaemonSet is gone).
			what := "연습을 처음 상태로 되돌립니다"
			if m.targetExists() {
				what = fmt.Sprintf("데몬셋 %s %s 지우고 %s", m.ex.Spec.Target, hangul.EulReul(m.ex.Spec.Target.String()), what)
			}
			if ls := m.leftovers(); len(ls) > 0 {
				refs := lab.LeftoverNames(ls)
				return m.say(msgBad, "r 을 한 번 더 누르면 %s. 다른 네임스페이스에 남은 복사본 %s 도 지웁니다 (%s).", what, refs, resetKeepsFile), nil
			}
			return m.say(msgBad, "r 을 한 번 더 누르면 %s (%s).", what, resetKeepsFile), nil
		}
		m.confirmReset = false
		return m.startOp(true)
	case key.Matches(msg, km.Map):
		return m, c.queue(switchMsg{to: stateNodeMap})
	case key.Matches(msg, km.NextExercise):
		next, ok := m.next()
		if !ok {
			if c.Progress.Exercise(m.ex.ID).Passed {
				return m.say(msgInfo, "%s", m.allPassed()), nil
			}
			return m.say(msgInfo, "마지막 연습입니다."), nil
		}
		return m, c.queue(openExerciseMsg{id: next.ID})
	case key.Matches(msg, km.Back):
		return m, c.queue(exerciseBackMsg{})
	}
	return m, nil
}

// exerciseBackMsg leaves the exercise for the screen it was opened from.
type exerciseBackMsg struct{}

// Panel layout.

// panelLines are the scrollable lines of the panel: task, hints and the
// grade; the node map too when it is not pinned below.
func (m exerciseModel) panelLines(width int, withMap bool) []string {
	lines, _, _ := m.panelLinesHints(width, withMap)
	return lines
}

// panelLinesHints is panelLines with the index of the first line of every
// open hint and of the hints' heading ("힌트 1/3 · h 로 하나씩 엽니다 …").
func (m exerciseModel) panelLinesHints(width int, withMap bool) ([]string, []int, int) {
	c := m.common
	st := c.Styles
	var out []string
	if m.longMessage(width) {
		text, style := m.messageText()
		out = append(out, styleLines(style, wrapText(text, width))...)
		out = append(out, "")
	}
	out = append(out, m.applyErrorLines(width)...)
	out = append(out, m.leftoverLines(width)...)
	task, ok := m.taskCache[renderKey{m.ex.ID, width}]
	var taskLines []string
	if ok {
		taskLines = strings.Split(strings.TrimRight(task, "\n"), "\n")
	} else {
		taskLines = []string{""}
		// Until the render arrives: the task's paragraphs reflowed (the
		// source's line breaks are soft, issue 14: ragged lines).
		for _, p := range reflowParagraphs(m.ex.Task) {
			taskLines = append(taskLines, wrapIndent(p, width, "  ")...)
		}
	}
	if m.short() && len(out) == 0 {
		// Right under the head: no blank line in a low terminal.
		for len(taskLines) > 1 && strings.TrimSpace(ansi.Strip(taskLines[0])) == "" {
			taskLines = taskLines[1:]
		}
	}
	out = append(out, taskLines...)
	out = append(out, "")
	head := m.hintLabel(" ")
	note := " · h 로 하나씩 엽니다 (사용한 힌트 수는 점수와 함께 기록됩니다)"
	if c.Progress.Exercise(m.ex.ID).Passed {
		note = " · h 로 하나씩 엽니다 (통과한 뒤에 연 힌트는 사용한 힌트로 세지 않습니다)"
	}
	heading := len(out)
	for i, l := range wrapText(head+note, width) {
		if i == 0 {
			out = append(out, st.Section.Render(head)+st.Dim.Render(strings.TrimPrefix(l, head)))
			continue
		}
		out = append(out, st.Dim.Render(l))
	}
	starts := make([]int, 0, m.hints)
	for i := 0; i < m.hints; i++ {
		starts = append(starts, len(out))
		out = append(out, m.hintLines(i, width)...)
	}
	u := c.Live.Update
	if u.Exercise == m.ex.ID && u.Graded() {
		out = append(out, "")
		out = append(out, m.resultLines(u, width)...)
	}
	if withMap {
		out = append(out, "")
		out = append(out, nodeMapLines(st, m.mapLive(), width, true)...)
	}
	return out, starts, heading
}

// applyErrorLines show the last apply's failure whole: the Korean
// explanation first, then kubectl's and the API server's words, wrapped
// by display cells (no lines when the last apply succeeded).
func (m exerciseModel) applyErrorLines(width int) []string {
	if m.applyErr == nil {
		return nil
	}
	st := m.common.Styles
	summary, detail := "적용에 실패했습니다", m.applyErr.Error()
	var ae *lab.ApplyError
	if errors.As(m.applyErr, &ae) {
		// The server's reason, not kubectl's patch dump: that and long
		// values are left to dslab grade (lab.PanelDetail, issue 14).
		summary, detail = ae.Summary, lab.PanelDetail(ae.Detail)
	}
	var out []string
	head, line := "적용 실패", "적용 실패 · 파일은 그대로 있습니다. 고쳐서 저장하면 다시 적용합니다"
	if notConnected(m.applyErr) {
		// The file was not the cause: nothing to fix in it, and nothing
		// "failed" in it either.
		head, line = "아직 적용 안 됨", "아직 적용 안 됨 · 파일은 저장되어 있습니다. 클러스터가 준비되면 저절로 적용합니다"
		if summary == "적용에 실패했습니다" {
			summary = "클러스터에 연결되어 있지 않습니다 (c: 클러스터 화면)"
		}
	}
	for i, l := range wrapText(line, width) {
		if i == 0 {
			out = append(out, st.Section.Render(head)+st.Dim.Render(strings.TrimPrefix(l, head)))
			continue
		}
		out = append(out, st.Dim.Render(l))
	}
	for _, cause := range strings.Split(summary, "\n") {
		// One line per cause the API server listed (lab.ApplyError.Summary).
		for _, l := range wrapHanging("  ", cause, width) {
			out = append(out, st.Error.Render(l))
		}
	}
	for _, p := range strings.Split(detail, "\n") {
		// kubectl's and the server's words: broken at JSON and name
		// boundaries, never inside a name.
		out = append(out, wrapServerText("    ", p, width)...)
	}
	return append(out, "")
}

// leftovers are the copies of this exercise's target DaemonSet in other
// namespaces that the watcher saw (lab.Update.Leftovers).
func (m exerciseModel) leftovers() []lab.Leftover {
	if u := m.common.Live.Update; u.Exercise == m.ex.ID && u.State == lab.StateConnected {
		return u.Leftovers
	}
	return nil
}

// leftoverLines warn about copies of the target DaemonSet in other
// namespaces (as `dslab grade` does) and say which key removes them.
func (m exerciseModel) leftoverLines(width int) []string {
	ls := m.leftovers()
	if len(ls) == 0 {
		return nil
	}
	st := m.common.Styles
	// Without the target in its own namespace the copy is the learner's
	// answer in the wrong namespace, not a leftover (lab.MisplacedText,
	// as `dslab grade` says).
	if text := lab.MisplacedText(m.ex, ls, m.common.Live.Update.Map.Exists); text != "" {
		return append(styleLines(st.Warn, wrapText("경고: "+text, width)), "")
	}
	target := m.ex.Spec.Target.String()
	text := fmt.Sprintf("경고: 데몬셋 %s %s 같은 데몬셋이 다른 네임스페이스에 남아 있습니다: %s. "+
		"노드마다 파드가 하나씩 더 떠서 자원을 씁니다 (채점에는 영향이 없습니다). 셸(s)에서 지우세요:",
		target, hangul.WaGwa(target), lab.LeftoverRefs(ls))
	// The direct command first (issue 14: only a reset of the exercise,
	// pass and all, was offered), each whole on its own line.
	lines := wrapText(text, width)
	for _, cmd := range lab.LeftoverDeleteCommands(ls) {
		if head, ns, ok := strings.Cut(cmd, " -n "); ok && ansi.StringWidth("  "+cmd) > width {
			// Too narrow for one line: the namespace flag on the next.
			lines = append(lines, wrapIndent(head, width, "  ")...)
			lines = append(lines, wrapIndent("-n "+ns, width, "    ")...)
			continue
		}
		lines = append(lines, wrapIndent(cmd, width, "  ")...)
	}
	lines = append(lines, wrapText("또는 r 을 두 번 누르면 연습을 처음 상태로 되돌리면서 복사본도 지웁니다 (작업 파일은 남습니다).", width)...)
	return append(styleLines(st.Warn, lines), "")
}

// gradeStatus is the status of u's result (grader.Result.Status; a result
// without one is not started when the target DaemonSet is not in the
// snapshot, as the grader decides).
func gradeStatus(u lab.Update) string {
	r := u.Result
	switch {
	case r == nil:
		return ""
	case r.Status != "":
		return r.Status
	case !u.Map.Exists:
		return grader.StatusNotStarted
	case r.Passed:
		return grader.StatusPassed
	}
	return grader.StatusFailed
}

// resultLines show every check with its points and, for failed ones, why.
// A result that is not started lists the checks without a verdict.
func (m exerciseModel) resultLines(u lab.Update, width int) []string {
	st := m.common.Styles
	r := u.Result
	title := "채점 · " + u.At.Format("15:04:05")
	if u.Cause != "" {
		title += " · " + u.Cause
	}
	var out []string
	for i, l := range wrapHanging("", title, width) {
		if i == 0 && strings.HasPrefix(l, "채점") {
			out = append(out, st.Section.Render("채점")+st.Dim.Render(strings.TrimPrefix(l, "채점")))
			continue
		}
		out = append(out, st.Dim.Render(l))
	}
	if r.RecheckAt.After(u.At) {
		// A check waits for time alone (grader.Result.RecheckAt): say when
		// the watcher grades again, so a frozen "N초" is not a mystery.
		out = append(out, styleLines(st.Dim, wrapHanging("  ", fmt.Sprintf("시간이 지나야 판정이 바뀌는 항목이 있습니다: %s 에 저절로 다시 채점합니다.", r.RecheckAt.Local().Format("15:04:05")), width))...)
	}
	if gradeStatus(u) == grader.StatusNotStarted {
		target := m.ex.Spec.Target.String()
		lead := fmt.Sprintf("%s: 아직 클러스터에 없는 데몬셋 %s", m.phaseWord(), target)
		if m.standing().State == progress.StatePassed {
			// The pass is a record; the cluster has nothing of it (the
			// header's 통과 기록 … 클러스터에 없음), not a pass now.
			lead = grader.AbsentTargetNote(target, true, false) // as dslab grade says it
		}
		note := lead + " — e 로 작업 파일을 열어 저장하거나 a 로 지금의 작업 파일을 적용하면 채점이 시작됩니다."
		if !m.learnerFile() {
			// No work file, or dslab's starter untouched: a has nothing
			// of the learner's to apply, so e comes first.
			note = lead + " — e 로 작업 파일을 열어 과제대로 고쳐 저장하면 채점이 시작됩니다."
		}
		// What is true, not a guess at why: the DaemonSet is not in the
		// cluster (it may never have been created, or been deleted by
		// hand after a failed apply — trainee trial, issue 14).
		switch {
		case m.applyErr != nil:
			note = fmt.Sprintf("%s: 데몬셋 %s %s 지금 클러스터에 없습니다 — 마지막 적용이 실패했습니다: 위의 오류를 고쳐 저장하면 만들어집니다.", m.phaseWord(), target, hangul.IGa(target))
		case m.attempted():
			note = "진행 중: " + grader.AbsentTargetNote(target, false, true) + " — e 로 작업 파일을 열어 저장하거나 a 로 지금의 작업 파일을 적용하면 다시 만들어집니다."
		}
		out = append(out, styleLines(st.Warn, wrapHanging("  ", note, width))...)
		for _, ch := range r.Checks {
			out = append(out, checkLines(st.Dim.Render("· "), ch.Title, st.Dim.Render(fmt.Sprintf("%d점", ch.MaxPoints)), width)...)
		}
		return out
	}
	// staleAdvice: the last save failed, so the checks below grade the
	// cluster as it was before it; their fix advice may ask for what the
	// failed file already says (trainee trial: "metadata.namespace 를
	// kube-system 으로 하세요" under a file that says kube-system). The
	// file's error comes first; the advice returns with the next
	// successful apply.
	staleAdvice := m.applyErr != nil && !notConnected(m.applyErr)
	switch {
	case staleAdvice:
		out = append(out, styleLines(st.Warn, wrapHanging("  ", "마지막 적용이 실패해서 아래는 그 전 상태입니다: 먼저 위 오류를 고치세요 (항목별 조언은 적용에 성공하면 다시 보입니다).", width))...)
	case m.applyErr != nil:
		out = append(out, styleLines(st.Warn, wrapHanging("  ", "마지막 적용이 실패했습니다: 아래 결과는 그 전의 클러스터 상태입니다 (오류는 위에 있습니다).", width))...)
	}
	pw := 0
	for _, ch := range r.Checks {
		pw = max(pw, len(fmt.Sprintf("%d/%d", ch.Points, ch.MaxPoints)))
	}
	// Prepared, nothing attempted yet (시작함): the grade is of the set-up
	// state, not the learner's — a check it already meets is said so,
	// without ✓ or points earned (dslab grade lists it the same way,
	// grader.AlreadyMet); what fails is shown as usual: it is the task.
	started := m.standing().State == progress.StateStarted
	for _, ch := range r.Checks {
		if started && ch.Passed {
			out = append(out, checkLines(st.Dim.Render("· "), ch.Title+" — "+grader.AlreadyMet, padLeft(fmt.Sprintf("%d점", ch.MaxPoints), pw), width)...)
			continue
		}
		mark := st.Bad.Render("✗ ")
		if ch.Passed {
			mark = st.Good.Render("✓ ")
		}
		out = append(out, checkLines(mark, ch.Title, padLeft(fmt.Sprintf("%d/%d", ch.Points, ch.MaxPoints), pw), width)...)
		if !ch.Passed && ch.Message != "" && !staleAdvice {
			out = append(out, styleLines(st.Error, wrapHanging("      ", tuiExerciseAdvice(m.common.Live.liveMessage(ch)), width))...)
		}
	}
	for _, n := range r.Notes {
		out = append(out, styleLines(st.Dim, wrapHanging("  참고: ", tuiExerciseAdvice(n), width))...)
	}
	return out
}

// checkColumn caps the width of a check's title before its points, so the
// points line up in a column on wide panels.
const checkColumn = 56

// checkLines are one check: "  " + mark (two cells), its title wrapped
// whole (never cut) and the points after the title's last line, in a
// column.
func checkLines(mark, title, points string, width int) []string {
	tw := min(max(width-4-ansi.StringWidth(points)-1, 8), checkColumn)
	lines := wrapText(title, tw)
	out := make([]string, len(lines))
	for i, l := range lines {
		lead := "    "
		if i == 0 {
			lead = "  " + mark
		}
		if i == len(lines)-1 {
			l = padRight(l, tw) + " " + points
		}
		out[i] = lead + l
	}
	return out
}

// hintLines are hint i (0-based) rendered from its markdown by
// internal/render (code spans and emphasis styled, no raw backticks) at
// width, numbered with a hanging indent. Renders are cached per hint and
// width.
func (m exerciseModel) hintLines(i, width int) []string {
	prefix := fmt.Sprintf("  %d. ", i+1)
	pw := ansi.StringWidth(prefix)
	k := renderKey{fmt.Sprintf("%s#hint%d", m.ex.ID, i), width}
	out, ok := m.hintCache[k]
	if !ok {
		// The renderer keeps a two-cell left margin: render two cells wider
		// and drop it.
		// Particles stay with the word before them (glueParticles): the
		// renderer breaks lines only at spaces.
		// A command in a code span longer than the line breaks at its
		// spaces, not inside a name (splitLongCode).
		r, err := m.common.Markdown.Render(glueParticles(splitLongCode(m.ex.Hints[i], width-pw-codeSlack), width-pw-codeSlack+4), width-pw+2)
		if err != nil {
			m.common.Logger.Error("hint render", "id", m.ex.ID, "hint", i+1, "err", err)
			return wrapHanging(prefix, m.ex.Hints[i], width)
		}
		out = unglue(strings.Split(strings.Trim(r, "\n"), "\n"))
		for j, l := range out {
			out[j] = strings.TrimPrefix(l, "  ")
		}
		m.hintCache[k] = out
	}
	lines := make([]string, len(out))
	for j, l := range out {
		if j == 0 {
			lines[j] = prefix + l
		} else {
			lines[j] = strings.Repeat(" ", pw) + l
		}
	}
	return lines
}

// codeSpanRE matches an inline code span of markdown (`...`).
var codeSpanRE = regexp.MustCompile("`([^`\n]+)`")

// codeSlack is the room left after a code span on its line: the code
// style's padding and a particle after it ("` 의").
const codeSlack = 8

// splitLongCode splits every code span of md wider than width cells and
// holding spaces into one code span per word ("`a b`" → "`a` `b`"): the
// markdown renderer keeps a code span whole and cuts it by cells when it
// is wider than the line, which would break inside an identifier.
func splitLongCode(md string, width int) string {
	return codeSpanRE.ReplaceAllStringFunc(md, func(span string) string {
		inner := span[1 : len(span)-1]
		if ansi.StringWidth(inner) <= width || !strings.Contains(inner, " ") {
			return span
		}
		f := strings.Fields(inner)
		return "`" + strings.Join(f, "` `") + "`"
	})
}

// wrapIndent wraps text to width with an indent on every line.
func wrapIndent(s string, width int, indent string) []string {
	lines := wrapText(s, width-ansi.StringWidth(indent))
	for i, l := range lines {
		lines[i] = indent + strings.TrimRight(l, " ")
	}
	return lines
}

// headMaxRows is the most rows the panel's head (headLines) takes when
// a shorter text of it fits: 1 in a terminal lower than 24 rows (README's
// minimum is 60×12: with the title bar the exercise's header is 2 of its
// 12 rows — issue 14: it took 4), 3 above.
func (m exerciseModel) headMaxRows() int {
	if m.short() {
		return 1
	}
	return 3
}

// short reports whether the terminal is lower than 24 rows: the panel
// then saves its rows (a one-row head, no blank line above the task).
func (m exerciseModel) short() bool { return m.common.Height < 24 }

// hintLabel is "힌트 n/total" with the hints the progress records (used,
// or opened by the instructor) and, after a pass, the hints opened since
// marked apart — "힌트 1/3 (통과 후 열람 1)" — so that the head agrees
// with the record h's note names (issue 14). sep joins the words (nbsp
// in the head).
func (m exerciseModel) hintLabel(sep string) string {
	total := len(m.ex.Hints)
	extra := lab.HintsAfterPass(m.common.Progress.Exercise(m.ex.ID), m.hints)
	if extra == 0 {
		return fmt.Sprintf("힌트%s%d/%d", sep, m.hints, total)
	}
	return fmt.Sprintf("힌트%s%d/%d%s(통과%s후%s열람%s%d)", sep, m.hints-extra, total, sep, sep, sep, sep, extra)
}

// hintLabelShort is hintLabel for the narrowest head: "힌트 1/3+1" (the
// hints opened after the pass after the +).
func (m exerciseModel) hintLabelShort() string {
	total := len(m.ex.Hints)
	extra := lab.HintsAfterPass(m.common.Progress.Exercise(m.ex.ID), m.hints)
	if extra == 0 {
		return fmt.Sprintf("힌트%s%d/%d", nbsp, m.hints, total)
	}
	return fmt.Sprintf("힌트%s%d/%d+%d", nbsp, m.hints-extra, total, extra)
}

// headLines are the panel's first lines: the score badge, hints, target
// and work file, wrapped (the work file's path is what the learner opens).
func (m exerciseModel) headLines(width int) []string {
	c := m.common
	st := c.Styles
	// The state word and score every screen shows (progress.Standing's
	// Badge, which dslab grade prints too): none for 시작함/시작 전, and
	// "✓ 통과 기록 · 지금 5/10점" beside a pass the cluster no longer meets.
	var badge string
	text, passed := m.standingBadge()
	if sd := m.standing(); sd.Absent && ansi.StringWidth(" "+text+" ")+1+ansi.StringWidth("work/"+m.ex.ID+".yaml") > width {
		// Too narrow for the score beside the work file: the state alone
		// (the score is the record's, in 진행 현황).
		text = "✓ " + grader.StatusWord(grader.StatusPassed) + " 기록 · 클러스터에 없음"
	}
	if passed {
		badge = st.PassBadge.Render(" " + text + " ")
	} else {
		badge = st.FailBadge.Render(" " + text + " ")
	}
	// No-break spaces keep the short labels whole ("작업 파일"); a long
	// name may still go to the next line by itself.
	hints := m.hintLabel(nbsp)
	file := "work/" + m.ex.ID + ".yaml"
	target := m.ex.Spec.Target
	// The badge says both the pass on record and the score now ("통과
	// 기록 · 지금 4/10점"): no second record beside it (issue 14: "통과 ·
	// 지금 4/10점 기록: ✓ 통과" while 진행 현황 said "✓ 통과").
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, " · ")
	}
	// The most detailed info that keeps the head within headMaxRows
	// (README's minimum, 60×12, leaves the task its rows): labels go
	// first, then the namespace, the DaemonSet (the task names it) and
	// the record's score; the work file, what e opens, always stays.
	candidates := []string{
		join(hints, "데몬셋 "+target.String(), "작업"+nbsp+"파일 "+file),
		join(hints, "데몬셋 "+target.String(), file),
		join(hints, "데몬셋 "+target.Name, file),
		join(hints, file),
		join(m.hintLabelShort(), file),
		file,
	}
	// The badge's width in blanks stands in for it while wrapping.
	bw := ansi.StringWidth(badge)
	var lines []string
	for _, info := range candidates {
		lines = wrapHanging(strings.Repeat(" ", bw+2), info, width)
		if bw+2 >= width-8 {
			lines = append([]string{""}, wrapHanging("  ", info, width)...)
		}
		if len(lines) <= m.headMaxRows() {
			break
		}
	}
	for i, l := range lines {
		if i == 0 {
			lines[i] = truncate(badge+st.Dim.Render(strings.TrimPrefix(l, strings.Repeat(" ", bw))), width)
			continue
		}
		lines[i] = st.Dim.Render(l)
	}
	return lines
}

// banner is what stands in the way (no lines when nothing does), wrapped
// whole: what to do next must never be cut.
func (m exerciseModel) banner(width int) []string {
	c := m.common
	st := c.Styles
	u := c.Live.Update
	mine := u.Exercise == m.ex.ID
	var text string
	style := st.Warn
	switch {
	case m.busy == "" && !c.Live.Connected() && c.Live.starting() && c.Lab != nil && c.Lab.Watcher != nil:
		// Started here or in another terminal: the status bar's word and
		// seconds, not the kubeconfig the start has not written yet.
		text := "클러스터를 " + wordStarting + c.Live.startElapsed() + " — 준비되면 저절로 연결해 채점합니다."
		return styleLines(st.Warn, wrapText(text, width))
	case m.busy == "" && u.State == lab.StateDisconnected && c.Lab != nil && c.Lab.Watcher != nil:
		head := "클러스터에 연결되어 있지 않습니다 — c 로 클러스터 화면을 열고 u 로 시작하세요."
		switch word := c.Live.downWord(); {
		case word == wordStopping:
			// Stopped on purpose: the state and the next step, not the
			// refused connections of a server going away.
			head = "클러스터를 " + wordStopping + " (stopping) — 멈춘 뒤 c 로 클러스터 화면을 열고 u 로 다시 시작합니다."
			return styleLines(st.Warn, wrapText(head, width))
		case c.Live.stoppedOrAbsent():
			// The runtime's state says it all; the watcher's last problem
			// (maybe "멈추는 중") is history.
			head = "클러스터에 연결되어 있지 않습니다 — 클러스터 상태: " + word + " (" + string(c.Live.Status.State) + "). c 로 클러스터 화면을 열고 u 로 시작하세요."
			return styleLines(st.Error, wrapText(head, width))
		}
		return append(styleLines(st.Error, wrapText(head, width)),
			styleLines(st.Dim, wrapHanging("  ", tuiAdvice(u.Problem, ""), width))...)
	case m.busy != "":
		// Wrapped whole: what the step waits for ("기다리는 중: …") is
		// the one thing worth reading while it runs.
		return styleLines(st.Warn, wrapText(m.busyText(), width))
	case mine && u.State == lab.StateConnected && !u.Started:
		text = "이 연습은 아직 클러스터에 준비되지 않았습니다 — " + prepareOffer
	case mine && u.State == lab.StateConnected && u.Active != "" && u.Active != m.ex.ID:
		text = fmt.Sprintf("지금 클러스터는 연습 %s 에 맞게 준비되어 있습니다 — %s", u.Active, prepareOffer)
	case mine && u.State == lab.StateConnected:
		return nil
	case c.Lab == nil || c.Lab.Watcher == nil:
		text, style = "실시간 채점을 쓸 수 없습니다 (클러스터 기능이 꺼져 있습니다).", st.Dim
	case u.State == lab.StateDisconnected:
		text, style = "클러스터에 연결되어 있지 않습니다 — c 로 클러스터 화면을 열고 u 로 시작하세요. ("+tuiAdvice(u.Problem, "")+")", st.Error
	default:
		text, style = "클러스터에 연결하는 중…", st.Dim
	}
	return styleLines(style, wrapText(text, width))
}

// resetKeepsFile is what r r does to the work file (lab.Starter.Start
// with reset never touches it): said in the confirmation.
const resetKeepsFile = "작업 파일은 지우지 않고 그대로 둡니다 — a 로 다시 적용할 수 있습니다"

// prepareOffer is what the banner offers when the cluster is not prepared
// for the open exercise: one key (enter) that prepares it and keeps the
// work file (issue 14: the only way on was r r, labelled 처음부터).
const prepareOffer = "enter 를 누르면 작업 파일은 그대로 두고 클러스터만 이 연습에 맞게 준비합니다."

// needsPrepare reports whether the connected cluster is not prepared for
// the open exercise: never started on it, or prepared for another exercise
// since (what enter, km.Prepare, fixes).
func (m exerciseModel) needsPrepare() bool {
	u := m.common.Live.Update
	if !m.loaded || u.Exercise != m.ex.ID || u.State != lab.StateConnected || m.busy != "" {
		return false
	}
	return !u.Started || u.Active != "" && u.Active != m.ex.ID
}

// busyText is the running operation with its seconds and latest step
// ("연습을 준비하는 중… 12초 · 노드 dslab-worker2 에 테인트 …"); "" when
// none runs.
func (m exerciseModel) busyText() string {
	if m.busy == "" {
		return ""
	}
	line := m.busy + "…"
	if !m.busySince.IsZero() {
		line += fmt.Sprintf(" %d초", int(max(m.common.Live.OpNow.Sub(m.busySince), 0)/time.Second))
	}
	if m.busyLine != "" {
		line += " · " + m.busyLine
	}
	return line
}

// maxMessageLines caps the message at the bottom of the panel; a longer
// message is shown whole at the top of the scrolling part instead.
func (m exerciseModel) maxMessageLines() int { return max(m.common.BodyHeight()/4, 2) }

// messageText is the message at the bottom of the panel (its key help
// when there is none) and its style.
func (m exerciseModel) messageText() (string, lipgloss.Style) {
	st := m.common.Styles
	switch {
	case m.msg == "":
		return m.keyHelpLines()[0], st.Dim
	case m.msgKind == msgGood:
		return m.msg, st.Good
	case m.msgKind == msgBad:
		return m.msg, st.Error
	}
	return m.msg, st.Warn
}

// keyHelpLines are the panel's key help when there is no message, longest
// first: the first that fits the width is shown. An exercise done in the
// shell (ShellOnly) has no manifest to edit: its lines start with s.
func (m exerciseModel) keyHelpLines() []string {
	if m.ex.ShellOnly {
		return shellOnlyKeyHelpLines[:]
	}
	return keyHelpLines[:]
}

// shellOnlyKeyHelpLines are keyHelpLines of a ShellOnly exercise.
var shellOnlyKeyHelpLines = [...]string{
	"s: 셸을 열어 과제대로 하세요 · h: 힌트 · m: 노드 지도 — 채점은 저절로 다시 합니다",
	"s: 셸을 열어 과제대로 하세요 · h: 힌트 · m: 노드 지도",
	"s: 셸에서 과제대로 · h: 힌트 · m: 노드 지도",
	"s 셸 · h 힌트 · m 노드 지도",
	"s 셸 · h 힌트",
	"s 셸",
}

var keyHelpLines = [...]string{
	"e: 매니페스트 편집(저장하면 적용) · s: 셸 · h: 힌트 · m: 노드 지도 — 채점은 저절로 다시 합니다",
	"e: 매니페스트 편집(저장하면 적용) · s: 셸 · h: 힌트 · m: 노드 지도",
	"e: 편집(저장하면 적용) · s: 셸 · h: 힌트 · m: 노드 지도",
	"e 편집 · s 셸 · h 힌트 · m 노드 지도",
	"e 편집 · s 셸 · h 힌트",
	"e 편집 · s 셸",
}

// longMessage reports whether the message is too long for the bottom of
// the panel at width.
func (m exerciseModel) longMessage(width int) bool {
	text, _ := m.messageText()
	return m.msg != "" && len(wrapText(text, width)) > m.maxMessageLines()
}

// passLine is the short pass line that stays at the bottom of the panel
// while the live grade of this exercise passes and the message says
// something else (issue 14: after a pass, a's "이미 적용되어 있습니다"
// replaced 통과!): the longest variant that fits width; "" when the live
// grade does not pass.
func (m exerciseModel) passLine(width int) string {
	if !m.loaded || m.common.Live == nil {
		return ""
	}
	u := m.common.Live.Update
	if u.Exercise != m.ex.ID || !u.Graded() || !u.Result.Passed {
		return ""
	}
	score := fmt.Sprintf("%d/%d점", u.Result.Score, u.Result.MaxScore)
	if m.classFrozen() {
		score += " (마감 후 — 점수에 들어가지 않음)"
	}
	var texts []string
	if next, ok := m.nextUnpassed(); ok {
		texts = []string{
			"✓ 통과했습니다! " + score + " · n: 다음 연습 「" + next.Title + "」",
			"✓ 통과했습니다! " + score + " · n: 다음 연습",
			"✓ 통과! " + score + " · n: 다음 연습",
		}
	} else {
		texts = []string{"✓ 통과했습니다! " + score + " · 모든 연습 통과 (o: 진행 현황)", "✓ 통과! " + score + " · o: 진행 현황"}
	}
	texts = append(texts, "✓ 통과! "+score)
	for _, t := range texts {
		if ansi.StringWidth(t) <= width {
			return t
		}
	}
	return truncate(texts[len(texts)-1], width)
}

// messageLines are the message wrapped whole at the bottom of the panel
// (the key help cut to one line when there is no message); a long one is
// announced there and shown at the top of the scrolling part. While the
// exercise passes, a pass line comes first (or stands for the key help).
func (m exerciseModel) messageLines(width int) []string {
	lines := m.messageOnlyLines(width)
	if pl := m.passLine(width); pl != "" && !(m.passSaid && m.msg != "") {
		if m.msg == "" {
			return []string{m.common.Styles.Good.Render(pl)}
		}
		return append([]string{m.common.Styles.Good.Render(pl)}, lines...)
	}
	return lines
}

// messageOnlyLines are messageLines without the pass line.
func (m exerciseModel) messageOnlyLines(width int) []string {
	text, style := m.messageText()
	switch {
	case m.msg == "":
		return m.chromeLines(width)
	case m.longMessage(width) && (m.offset == 0 || m.longSeen == m.msgSeq):
		// The message is at the top of the panel, shown now or seen
		// there already (or its note expired): the key help again.
		return m.chromeLines(width)
	case m.longMessage(width):
		return styleLines(style, wrapText("메시지가 길어 패널 맨 위에 전부 보입니다 (g: 맨 위로).", width))
	}
	return styleLines(style, wrapText(text, width))
}

// chromeLines is the key help that stands at the bottom of the panel
// without a message: the longest line that fits, never a cut word.
func (m exerciseModel) chromeLines(width int) []string {
	style := m.common.Styles.Dim
	lines := m.keyHelpLines()
	for _, t := range lines {
		if ansi.StringWidth(t) <= width {
			return []string{style.Render(t)}
		}
	}
	return []string{style.Render(truncate(lines[len(lines)-1], width))}
}

// mapLive is the live state the panel's node map shows: while the last
// apply failed, failing rows say their reason is about the object from
// before it (lab.NodeMap.BeforeFailedApply, issue 14).
func (m exerciseModel) mapLive() *Live {
	l := m.common.Live
	if l == nil || m.applyErr == nil || notConnected(m.applyErr) || l.Update.Exercise != m.ex.ID {
		return l
	}
	cp := *l
	cp.Update.Map = l.Update.Map.BeforeFailedApply()
	return &cp
}

// layout splits the panel height: the head, an optional banner, the
// scroll region, the pinned map (when it fits) and the message.
func (m exerciseModel) layout(width int) (head []string, scroll []string, pinned []string, message []string, scrollHeight int) {
	c := m.common
	h := c.BodyHeight()
	head = m.headLines(width)
	head = append(head, m.banner(width)...)
	message = m.messageLines(width)
	mapLines := nodeMapLines(c.Styles, m.mapLive(), width, true)
	rest := h - len(head) - len(message)
	if pinMap(rest, mapLines) {
		pinned = append([]string{strings.Repeat("─", width)}, mapLines...)
		scroll = m.panelLines(width, false)
	} else {
		scroll = m.panelLines(width, true)
	}
	scrollHeight = max(rest-len(pinned), 1)
	if len(scroll) > scrollHeight && scrollHeight >= 3 {
		// One row is the marker that says the panel goes on
		// (scrollMarker); the page is what is left, so paging skips
		// nothing.
		scrollHeight--
	}
	return head, scroll, pinned, message, scrollHeight
}

// scrollMarker is the row under a cut scroll region: what is below (or,
// at the end, above) and the keys that scroll, with the last line shown
// of all (issue 14: a long apply error at 60×12 ended mid-message with
// nothing saying more follows).
func (m exerciseModel) scrollMarker(off, sh, total, width int) string {
	st := m.common.Styles
	last := min(off+sh, total)
	var texts []string
	if last < total {
		texts = []string{
			fmt.Sprintf("↓ 더 있음 (j/↓ 한 줄 · space/pgdn 한 쪽) %d/%d줄", last, total),
			fmt.Sprintf("↓ 더 있음 (j/k 또는 pgdn) %d/%d줄", last, total),
			"↓ 더 있음 (j/k 또는 pgdn)",
		}
	} else {
		texts = []string{
			fmt.Sprintf("↑ 끝 — 위에 더 있음 (k/↑ 한 줄 · b/pgup 한 쪽, g 맨 위) %d/%d줄", last, total),
			fmt.Sprintf("↑ 끝 — 위에 더 있음 (k 또는 pgup) %d/%d줄", last, total),
			"↑ 끝 (k 또는 pgup)",
		}
	}
	for _, t := range texts {
		if ansi.StringWidth(t) <= width {
			return st.Dim.Render(t)
		}
	}
	return st.Dim.Render(truncate(texts[len(texts)-1], width))
}

// pinMap reports whether the node map (mapLines) is pinned below the
// scroll region when rest lines are left for both: the scroll region keeps
// at least 6 lines.
func pinMap(rest int, mapLines []string) bool { return rest-len(mapLines)-1 >= 6 }

func (m exerciseModel) panelView(width int) string {
	head, scroll, pinned, message, sh := m.layout(width)
	off := min(max(m.offset, 0), max(len(scroll)-sh, 0))
	end := min(off+sh, len(scroll))
	lines := append([]string{}, head...)
	lines = append(lines, scroll[off:end]...)
	for i := end - off; i < sh; i++ {
		lines = append(lines, "")
	}
	if full := m.common.BodyHeight() - len(head) - len(pinned) - len(message); len(scroll) > sh && full > sh {
		lines = append(lines, m.scrollMarker(off, sh, len(scroll), width))
	}
	lines = append(lines, pinned...)
	lines = append(lines, message...)
	return fitLines(strings.Join(lines, "\n"), width, m.common.BodyHeight())
}

// clamp keeps the scroll offset in range (after keys and resizes).
func (m exerciseModel) clamp() exerciseModel {
	if !m.loaded || m.common.TooSmall() {
		return m
	}
	_, scroll, pinned, _, sh := m.layout(m.panelWidth())
	if m.showHint > 0 {
		// The hint just opened comes into view from a heading, never
		// from the middle of one (issue 14: the panel's top was the last
		// line of the wrapped hints' heading): from the hints' heading
		// when it and every hint up to this one fit, else from the hint's
		// own first line ("2. …").
		_, starts, heading := m.panelLinesHints(m.panelWidth(), len(pinned) == 0)
		if i := m.showHint - 1; i < len(starts) {
			m.offset = starts[i]
			if end := starts[i] + len(m.hintLines(i, m.panelWidth())); end-heading <= sh {
				m.offset = heading
			}
		}
		m.showHint = 0
	}
	m.offset = min(max(m.offset, 0), max(len(scroll)-sh, 0))
	if m.msg != "" && m.offset == 0 {
		// A long message's copy at the top of the panel is in view.
		m.longSeen = m.msgSeq
	}
	return m
}

func (m exerciseModel) view() string {
	c := m.common
	h := c.BodyHeight()
	if !m.loaded {
		return fitLines("", c.Width, h)
	}
	if !m.split() {
		return m.panelView(c.Width)
	}
	lw := m.lessonWidth()
	var lesson string
	if m.lessonShown == lw {
		m.lessonPager.setHeight(h)
		lesson = m.lessonPager.view(lw)
	} else {
		lesson = fitLines("\n  "+c.Styles.Dim.Render("강의를 불러오는 중입니다…"), lw, h)
	}
	sepChar := "│"
	if m.focusLesson {
		sepChar = "┃"
	}
	llines := strings.Split(fitLines(lesson, lw, h), "\n")
	plines := strings.Split(m.panelView(m.panelWidth()), "\n")
	sep := c.Styles.Separator.Render(sepChar)
	out := make([]string, h)
	for i := range out {
		out[i] = padRight(llines[i], lw) + sep + plines[i]
	}
	return strings.Join(out, "\n")
}

func (m exerciseModel) title() string {
	if !m.loaded {
		return "연습"
	}
	return fmt.Sprintf("연습 %d. %s", m.ex.Order, m.ex.Title)
}

func (m exerciseModel) info() string {
	if !m.loaded {
		return ""
	}
	l := m.ex.Lesson
	if m.lesson >= 0 {
		l = m.common.Course[m.lesson].Title
	}
	return "강의: " + l
}

// position is the footer's place of the exercise: in a class, among the
// class's exercises (Lab.ClassExercises, kept current by the class poll;
// issue 12: "연습 1/16" in a class of two), else among all of them; an
// exercise outside the class is placed among all of them.
func (m exerciseModel) position() string {
	all := m.common.Exercises()
	if l := m.common.Lab; l != nil && slices.Contains(l.ClassExercises, m.ex.ID) {
		all = exercises.InClass(all, l.ClassExercises)
	}
	for i, e := range all {
		if e.ID == m.ex.ID {
			return fmt.Sprintf("연습 %d/%d", i+1, len(all))
		}
	}
	return "연습"
}

func (m exerciseModel) helpKeys() bindings {
	b := m.baseHelpKeys()
	if m.needsPrepare() {
		// What the banner offers comes first (every key a screen's text
		// names works there and is in its footer).
		prep := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "준비"))
		b.short = append([]key.Binding{prep}, b.short...)
		b.full = append([][]key.Binding{{m.common.KeyMap.Prepare}}, b.full...)
	}
	return b
}

func (m exerciseModel) baseHelpKeys() bindings {
	km := m.common.KeyMap
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "뒤로"))
	if m.loaded && m.ex.ShellOnly {
		// Nothing to edit or apply (e and a only say so): the footer and
		// ? name what the keys do here (issue 14: new-node offered e
		// 편집·적용).
		shell := key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "셸(과제는 셸에서)"))
		note := key.NewBinding(key.WithKeys("e", "a"), key.WithHelp("e/a", "안내만(고칠 파일 없음)"))
		return bindings{
			short: []key.Binding{shell, km.Hint, km.Reset, km.Lesson, km.Map, back, km.Help},
			full: [][]key.Binding{
				{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
				{shell, km.Hint, km.Reset, note},
				{km.Map, km.Lesson, km.NextExercise, km.Cluster, km.Summary},
				{back, km.Help, km.Quit},
			},
		}
	}
	return bindings{
		// In the order a learner needs them here (issue 14: at 80×24 the
		// cut hid a, r and tab): the footer drops entries from the right.
		short: []key.Binding{km.Edit, km.Apply, km.Hint, km.Shell, km.Reset, km.Lesson, km.Map, back, km.Help},
		full: [][]key.Binding{
			{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
			{km.Edit, km.Apply, km.Shell, km.Hint, km.Reset},
			{km.Map, km.Lesson, km.NextExercise, km.Cluster, km.Summary},
			{back, km.Help, km.Quit},
		},
	}
}

// exerciseFor picks the exercise to open for a lesson: its first exercise
// not passed yet, else its first.
func exerciseFor(c *Common, lessonIndex int) (string, bool) {
	if lessonIndex < 0 || lessonIndex >= len(c.Course) {
		return "", false
	}
	ids := c.Course[lessonIndex].Exercises
	for _, id := range ids {
		if !c.Progress.Exercise(id).Passed {
			return id, true
		}
	}
	if len(ids) > 0 {
		return ids[0], true
	}
	return "", false
}

// now is the TUI's clock for progress.
func (c *Common) now() time.Time { return c.Lab.now() }
