package tui

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
)

// The root model's side of the lab: global keys (x exercise, c cluster, o
// summary), watcher updates, background operations and the status bar.

// labKey handles the keys that open lab screens from anywhere; ok is false
// when the key is the screen's own.
func (m Model) labKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	c := m.common
	km := c.KeyMap
	if c.Lab == nil {
		return m, nil, false
	}
	scr := m.state
	switch {
	case key.Matches(msg, km.Exercise) && (scr == stateContents || scr == stateReader):
		i := m.contents.cursor
		if scr == stateReader {
			i = m.reader.index
			if m.readerFromExercise && m.exercise.loaded && m.exercise.lesson == i {
				m.reader = m.reader.leave()
				m.state = stateExercise
				return m, saveProgress(c), true
			}
		}
		m, cmd := m.openLessonExercise(i, scr, noExerciseNotice(c, i, scr))
		return m, cmd, true
	case key.Matches(msg, km.Lesson) && scr == stateReader && m.readerFromExercise && m.exercise.loaded:
		// tab goes to the exercise of the lesson on screen — back to the
		// exercise it came from only when that is this lesson's (issue 14:
		// after p to another lesson, tab 연습으로 returned to the old one).
		i := m.reader.index
		if m.exercise.lesson == i {
			m.reader = m.reader.leave()
			m.state = stateExercise
			return m, saveProgress(c), true
		}
		m, cmd := m.openLessonExercise(i, scr, noExerciseNotice(c, i, scr))
		return m, cmd, true
	case scr == stateChooser:
		// The chooser is a step of x: it answers its own keys (its
		// footer names them all), not the ways to other screens.
		return m, nil, false
	case key.Matches(msg, km.Cluster) && scr != stateCluster:
		if scr == stateReader {
			m.reader = m.reader.leave()
		}
		m.openFrom(stateCluster, scr)
		m.state = stateCluster
		m.cluster.offset = 0
		m.refreshClusterText()
		return m, loadClusterStatus(c.Lab), true
	case key.Matches(msg, km.Summary) && scr != stateSummary:
		if scr == stateReader {
			m.reader = m.reader.leave()
		}
		m.openFrom(stateSummary, scr)
		m.state = stateSummary
		if (scr == stateExercise || scr == stateNodeMap) && m.exercise.ex.ID != "" {
			// The cursor on the exercise the learner came from, not on
			// exercise 1 (trainee trial, issue 14).
			m.summary = m.summary.selectExercise(m.exercise.ex.ID)
		}
		return m, nil, true
	}
	return m, nil, false
}

// withLabKeys adds the lab keys to the help of the lesson screens.
func (m Model) withLabKeys(b bindings) bindings {
	if m.common.Lab == nil {
		return b
	}
	km := m.common.KeyMap
	keys := []key.Binding{km.Exercise, km.Cluster, km.Summary}
	if m.state == stateReader && m.readerFromExercise && m.exercise.loaded {
		if label := m.readerTabLabel(); label != "" {
			keys = []key.Binding{key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", label)), km.Cluster, km.Summary}
		}
	}
	short := append([]key.Binding{}, b.short[:len(b.short)-2]...)
	short = append(short, keys...)
	short = append(short, b.short[len(b.short)-2:]...)
	full := append(append([][]key.Binding{}, b.full...), keys)
	return bindings{short: short, full: full}
}

// openExercise shows the exercise with id.
func (m Model) openExercise(id string) (tea.Model, tea.Cmd) {
	c := m.common
	if c.Lab == nil || c.Lab.Catalog == nil {
		return m, nil
	}
	ex, err := c.Lab.Catalog.Get(id)
	if err != nil {
		m.notice = "알 수 없는 연습: " + id
		return m, nil
	}
	scr := m.screen()
	if scr == stateReader {
		m.reader = m.reader.leave()
	}
	if scr != stateExercise && scr != stateNodeMap {
		// The same exercise or another: there is one exercise screen, and
		// esc from it comes back here — to where x was pressed when it
		// was picked in the chooser, a step of x rather than a place
		// (issue 14: esc returned to the chooser).
		from := scr
		if scr == stateChooser {
			from = m.chooser.ret
		}
		m.openFrom(stateExercise, from)
	}
	m.notice = ""
	m.state = stateExercise
	var cmd tea.Cmd
	m.exercise, cmd = m.exercise.open(ex)
	m.exercise = m.exercise.clamp()
	return m, tea.Batch(cmd, saveProgress(c))
}

// onLabUpdate takes a watcher update: progress is recorded (a first pass
// is announced wherever the learner is), the screens follow, and the
// cluster status is re-read when the connection changed.
func (m Model) onLabUpdate(u lab.Update) (tea.Model, tea.Cmd) {
	c := m.common
	prev := c.Live.Update
	if u.State != lab.StateConnected && prev.Exercise == u.Exercise && !u.Graded() && prev.Graded() {
		// Keep showing the last grade and map, marked as stale.
		u.Snapshot, u.Result, u.Map, u.At, u.Nodes, u.Started, u.Active = prev.Snapshot, prev.Result, prev.Map, prev.At, prev.Nodes, prev.Started, prev.Active
	}
	c.Live.followUpdate(u)
	if c.Applier != nil {
		if u.Conn != nil {
			c.Applier.SetTarget(lab.TargetOf(u.Conn), true)
		} else {
			c.Applier.SetTarget(lab.ApplyTarget{}, false)
		}
	}
	cmds := []tea.Cmd{waitUpdate(c.Lab.Watcher)}
	if prev.State != u.State {
		c.Logger.Info("cluster connection", "state", u.State, "problem", u.Problem)
		cmds = append(cmds, loadClusterStatus(c.Lab))
	}
	firstPass := false
	if u.Graded() && u.State == lab.StateConnected && u.Counts() {
		var changed bool
		changed, firstPass = lab.RecordGrade(c.Progress, *u.Result, c.now())
		if changed {
			cmds = append(cmds, saveProgress(c))
		}
		// A pass this TUI sees begin (the first ever, or again on a new
		// cluster, whose records are empty) is recorded in the cluster,
		// not only the first one (issue 14).
		newPass := u.Result.Passed && (firstPass || !(prev.Exercise == u.Exercise && prev.Graded() && prev.Result.Passed && prev.Context == u.Context))
		if firstPass {
			c.Logger.Info("exercise passed", "id", u.Exercise, "score", u.Result.Score)
		}
		if newPass {
			if u.Conn != nil && u.Snapshot != nil {
				// The pass as in-cluster evidence, for instructor grading.
				conn, res, snap, store, log, at := u.Conn, *u.Result, *u.Snapshot, c.Progress, c.Logger, c.now()
				cmds = append(cmds, func() tea.Msg {
					ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
					defer cancel()
					if err := lab.RecordPassEvidence(ctx, conn.Client, store, res, snap, at); err != nil {
						log.Warn("record pass evidence", "err", err)
					}
					return nil
				})
			}
			if firstPass && m.screen() != stateExercise {
				cmds = append(cmds, m.sayInfo(m.passNotice(u.Exercise)))
			}
		}
	}
	var cmd tea.Cmd
	m.exercise, cmd = m.exercise.onUpdate(u, firstPass)
	m.exercise = m.exercise.clamp()
	cmds = append(cmds, cmd)
	m.refreshClusterText()
	return m, tea.Batch(cmds...)
}

// onOpEvent follows a background operation.
func (m Model) onOpEvent(ev opEventMsg) (tea.Model, tea.Cmd) {
	c := m.common
	var cmds []tea.Cmd
	if !ev.done {
		cmds = append(cmds, waitOp(ev.ch))
	}
	c.Logger.Debug("op event", "op", ev.kind, "line", ev.line, "done", ev.done, "err", ev.err, "live", c.Live.Op)
	switch {
	case ev.kind.cluster():
		if ev.line != "" {
			c.Live.OpLog = append(c.Live.OpLog, opLine{at: ev.at, text: ev.line})
			if len(c.Live.OpLog) > maxOpLog {
				c.Live.OpLog = c.Live.OpLog[len(c.Live.OpLog)-maxOpLog:]
			}
		}
		if ev.done {
			if ev.kind == opClusterUp && ev.err == nil && !c.Live.Connected() {
				// Up until the watcher connects (starting): no 연결 끊김
				// between 시작하는 중 and 실행 중.
				c.Live.StartingSince, c.Live.UpAt = c.Live.OpStarted, c.now()
			} else if ev.kind == opClusterUp {
				c.Live.StartingSince, c.Live.UpAt = time.Time{}, time.Time{}
			}
			c.Live.Op, c.Live.OpErr = opNone, ev.err
			if ev.err != nil {
				c.Logger.Error("cluster op failed", "op", ev.kind, "err", ev.err)
				m.notice = "클러스터 작업이 실패했습니다 (c 로 자세히)"
			} else {
				c.Live.OpLog = append(c.Live.OpLog, opLine{at: ev.at, text: "완료"})
				if ev.kind == opClusterUp {
					ready := "클러스터가 준비되었습니다 — 다음 할 일은 클러스터 화면(c)에 있습니다"
					if m.screen() == stateCluster {
						ready = "클러스터가 준비되었습니다 — esc 로 돌아가 연습을 여세요"
					}
					if note := c.Lab.pathNote(); note != "" && !m.pathNoteSaid {
						ready += " · " + note
						m.pathNoteSaid = true
					}
					cmds = append(cmds, m.sayInfo(ready))
					if w := c.Lab.Watcher; w != nil {
						w.Refresh() // connect now rather than at the next retry
					}
				}
			}
			if ev.status != nil {
				c.Live.followStatus(*ev.status, nil, c.now())
			}
			cmds = append(cmds, loadClusterStatus(c.Lab))
		}
	case ev.kind == opExercise:
		if ev.done && ev.err == nil {
			// This TUI's own start: not one to follow (followStart).
			_, m.startSeen = latestStart(c.Progress)
		}
		m.exercise = m.exercise.onOp(ev.opEvent)
		m.exercise = m.exercise.clamp()
		if ev.done && ev.err == nil && m.exercise.loaded {
			// Once per prepare: other exercises' DaemonSets still running.
			cmds = append(cmds, listOthersRunning(c, m.exercise.ex))
		}
	}
	m.refreshClusterText()
	return m, tea.Batch(cmds...)
}

// refreshClusterText recomputes the status bar's cluster segment.
func (m *Model) refreshClusterText() {
	if m.common.Lab == nil {
		return
	}
	m.clusterStatus = clusterSegment(m.common.Live, m.screen() == stateCluster)
}

// backOf is the screen esc leaves s for (stateContents has none: ok false).
func (m Model) backOf(s state) (state, bool) {
	switch s {
	case stateExercise:
		return m.exerciseReturn, true
	case stateCluster:
		return m.clusterReturn, true
	case stateSummary:
		return m.summaryReturn, true
	case stateChooser:
		return m.chooser.ret, true
	case stateNodeMap:
		return stateExercise, true
	case stateHelp:
		return m.helpReturn, true
	case stateReader:
		return stateContents, true
	}
	return stateContents, false
}

// openFrom makes from the screen esc returns to from target, which is
// being opened. Each screen is on the way back at most once (there is one
// exercise screen, one 진행 현황, …): when target is already on the way
// back from from, it leaves it there — the screen that returned to it
// returns where it did (with the node map, which only sits on the
// exercise, when target is the exercise) — so esc always returns to the
// screen the learner came from, never alternates between two screens, and
// leads to 목차.
func (m *Model) openFrom(target, from state) {
	s := from
	for range 16 { // the way back is short and, kept this way, acyclic
		next, ok := m.backOf(s)
		if !ok {
			break
		}
		if next == target || (target == stateExercise && next == stateNodeMap) {
			after, _ := m.backOf(target)
			m.setReturn(s, after)
			break
		}
		s = next
	}
	m.setReturn(target, from)
}

// setReturn sets the screen esc leaves s for (screens whose way back is
// fixed — the reader, the node map — keep it).
func (m *Model) setReturn(s, to state) {
	switch s {
	case stateExercise:
		m.exerciseReturn = to
	case stateCluster:
		m.clusterReturn, m.cluster.ret = to, to
	case stateSummary:
		m.summaryReturn = to
	case stateChooser:
		m.chooser.ret = to
	case stateHelp:
		m.helpReturn = to
	}
}

// readerTabLabel names where tab goes from a lesson reached from an
// exercise: that exercise when it is this lesson's ("연습 6 으로"), else
// this lesson's exercise, or "연습 고르기" when it has several; "" when
// the lesson has none (tab only says so).
func (m Model) readerTabLabel() string {
	c := m.common
	i := m.reader.index
	ids := lessonExercises(c, i)
	id := ""
	switch {
	case m.exercise.lesson == i:
		id = m.exercise.ex.ID
	case len(ids) == 1:
		id = ids[0]
	case len(ids) > 1:
		return "연습 고르기"
	default:
		return ""
	}
	if c.Lab == nil || c.Lab.Catalog == nil {
		return "연습으로"
	}
	ex, err := c.Lab.Catalog.Get(id)
	if err != nil {
		return "연습으로"
	}
	n := strconv.Itoa(ex.Order)
	return "연습 " + n + " " + hangul.EuroRo(n)
}

// openLessonExercise opens the exercise of lesson i (x on the contents or
// a lesson, tab on a lesson): the one exercise directly, a chooser when it
// has several (returning to scr), the note none when it has none.
// noExerciseNotice is what x (or tab) says on lesson i, which has no
// exercise: the next lesson that has one, by number and title, its
// exercise, and the keys that get there from screen scr (issue 14: "이
// 강의에는 연습이 없습니다" alone left the learner guessing).
func noExerciseNotice(c *Common, i int, scr state) string {
	const none = "이 강의에는 연습이 없습니다"
	j := -1
	for k := i + 1; k < len(c.Course) && j < 0; k++ {
		if len(lessonExercises(c, k)) > 0 {
			j = k
		}
	}
	for k := 0; k < i && j < 0; k++ {
		if len(lessonExercises(c, k)) > 0 {
			j = k
		}
	}
	if j < 0 {
		return none
	}
	l := c.Course[j]
	num := strconv.Itoa(l.Order)
	where := fmt.Sprintf("%s — 연습이 있는 가까운 강의는 %s번 「%s」(연습 %s)입니다: ", none, num, l.Title, lessonExercises(c, j)[0])
	switch {
	case scr == stateReader && j == i+1:
		return where + "n 으로 그 강의로 가서 x 를 누르세요"
	case scr == stateReader:
		return where + "esc 로 목차에 가서 " + num + " " + hangul.EulReul(num) + " 누른 뒤 x 를 누르세요"
	}
	return where + num + " " + hangul.EulReul(num) + " 눌러 고른 뒤 x 를 누르세요"
}

func (m Model) openLessonExercise(i int, scr state, none string) (Model, tea.Cmd) {
	c := m.common
	ids := lessonExercises(c, i)
	switch len(ids) {
	case 0:
		return m, c.queue(NoticeMsg{Text: none})
	case 1:
		return m, c.queue(openExerciseMsg{id: ids[0]})
	}
	if scr == stateReader {
		m.reader = m.reader.leave()
	}
	m.chooser = chooserModel{ids: ids, cursor: firstUnpassed(c, ids), ret: scr}
	m.state = stateChooser
	return m, nil
}

// prepNote is the exercise's start or reset under way, with its seconds
// and latest step, for the status bar of every screen but the exercise's
// own (whose banner shows it): a preparation of 20 seconds begun by the
// exercise's first opening goes on while the learner is elsewhere (the
// cluster screen, a lesson), and is never silent (issue 14,
// noexecute-churn). "" when none runs.
func (m Model) prepNote() string {
	e := m.exercise
	if !e.loaded || e.busySince.IsZero() || m.screen() == stateExercise {
		return ""
	}
	return fmt.Sprintf("연습 %d: %s", e.ex.Order, e.busyText())
}

// passNotice is the status notice of a pass seen while another screen is
// shown, naming only a key that works on that screen (issue 14: on the
// node map it offered x, which there says "목차나 강의 화면에서 씁니다").
func (m Model) passNotice(id string) string {
	head := "✓ 연습 " + id + " 통과!"
	switch m.screen() {
	case stateNodeMap:
		return head + " esc 로 연습 화면으로 돌아갑니다"
	case stateSummary:
		return head + " 목록에서 골라 enter 로 엽니다"
	case stateChooser:
		return head
	}
	return head + " o 로 진행 현황을 엽니다"
}
