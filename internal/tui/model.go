package tui

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

// state is the screen the root model routes keys to and draws.
type state int

const (
	stateContents state = iota // table of contents
	stateReader                // one lesson
	stateHelp                  // full help over the previous screen
	stateExercise              // an exercise beside its lesson
	stateCluster               // the cluster panel
	stateNodeMap               // the full-screen node map
	stateSummary               // progress summary and exercise list
	stateChooser               // which exercise of a lesson to open
)

// maxClusterWidth caps the cluster segment of the status bar (cells).
const maxClusterWidth = 48

// Options configure New.
type Options struct {
	// Course is the list of lessons, sorted by order (required).
	Course []lessons.Lesson
	// Progress holds read marks and positions; nil means memory-only.
	Progress *progress.Store
	// Lipgloss renders the TUI chrome; its colour profile is also used for
	// the lessons. nil means lipgloss.DefaultRenderer().
	Lipgloss *lipgloss.Renderer
	// Markdown renders lessons; nil means a dslab style for the colour
	// profile of Lipgloss.
	Markdown *render.Renderer
	// Logger receives the TUI's logs (never the terminal); nil discards.
	Logger *slog.Logger
	Paths  paths.Paths
	// Notice is shown in the status bar at start (e.g. the Korean notice
	// from progress.Open about a corrupt file).
	Notice string
	// Lab enables exercises, the cluster panel, the node map and live
	// grading; nil shows the lessons only.
	Lab *Lab
	// NoticeTTL is how long an informational notice (a start made
	// elsewhere, a pass, the cluster ready) stays in the status bar;
	// 0 means infoNoticeTTL.
	NoticeTTL time.Duration
}

// Model is the root model: it owns Common, routes messages to the current
// screen and draws the header, the status bar and the help line around it.
type Model struct {
	common *Common
	state  state
	// helpReturn is the screen under the help overlay; helpOffset its
	// first line when it scrolls.
	helpReturn state
	helpOffset int

	contents contentsModel
	reader   readerModel
	exercise exerciseModel
	cluster  clusterModel
	nodeMap  nodeMapModel
	summary  summaryModel
	chooser  chooserModel
	help     help.Model

	// The screens that exercise, cluster panel and summary return to, and
	// whether the reader was opened from the exercise (tab goes back).
	exerciseReturn     state
	clusterReturn      state
	summaryReturn      state
	readerFromExercise bool

	notice        string
	clusterStatus string
	// pathNoteSaid: Lab.PathNote went with a cluster-ready notice.
	pathNoteSaid bool
	// keyNote: notice answers a key that does nothing on the screen (the
	// next key, a change of screen or keyNoteTTL clears it); keyNoteSeq
	// numbers the notes so that an old note's expiry leaves a new one.
	keyNote    bool
	keyNoteSeq int
	// noticeSeq numbers the informational notices (sayInfo), so that an
	// old one's expiry leaves a newer notice.
	noticeSeq int
	infoText  string

	// statusPollPending: a statusPollMsg is on its way (one at a time).
	statusPollPending bool
	// ageTickPending: an ageTickMsg is on its way (one at a time).
	ageTickPending bool

	// startSeen is the latest exercise start (progress StartedAt) the TUI
	// has taken into account: a later one was made elsewhere and is
	// followed (followStart).
	startSeen time.Time
}

// schedulePoll asks for the next read of the runtime's status while
// Live.pollStatus holds (at most one pending).
func (m *Model) schedulePoll() tea.Cmd {
	if m.statusPollPending || m.common.Lab == nil || m.common.Lab.Cluster == nil || !m.common.Live.pollStatus() {
		return nil
	}
	m.statusPollPending = true
	return tea.Tick(statusPollInterval, func(time.Time) tea.Msg { return statusPollMsg{} })
}

// scheduleAgeTick asks for the next age tick while the live grade states
// an age that grows (liveAges; at most one pending).
func (m *Model) scheduleAgeTick() tea.Cmd {
	if m.ageTickPending || m.common.Lab == nil || !liveAges(m.common.Live.Update) {
		return nil
	}
	m.ageTickPending = true
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return ageTickMsg{} })
}

// keyNoteTTL is how long the note about an unused key stays.
const keyNoteTTL = 4 * time.Second

// keyNoteExpiredMsg ends the key note number seq.
type keyNoteExpiredMsg struct{ seq int }

// infoNoticeTTL is how long an informational notice stays: it tells of a
// moment (a start elsewhere, a pass, the cluster ready), and kept it would
// describe a state that has changed since (issue 14).
const infoNoticeTTL = 10 * time.Second

// noticeExpiredMsg ends the informational notice number seq.
type noticeExpiredMsg struct{ seq int }

// progressRecheckMsg reads the progress file again after the cluster's
// start record changed (followStart); left is how many reads remain.
type progressRecheckMsg struct{ left int }

// progressRechecks is how many times, progressRecheckEvery apart, the
// progress file is read again after a start record change.
const (
	progressRechecks     = 10
	progressRecheckEvery = 500 * time.Millisecond
)

// progressRecheck reads the progress file again after progressRecheckEvery.
func progressRecheck(left int) tea.Cmd {
	return tea.Tick(progressRecheckEvery, func(time.Time) tea.Msg { return progressRecheckMsg{left: left} })
}

// exerciseMsgExpiredMsg ends the exercise panel's informational message
// number seq (exerciseModel.msgSeq).
type exerciseMsgExpiredMsg struct{ seq int }

// sayInfo shows an informational notice for Common.noticeTTL (until the
// next key or screen change if that comes first).
func (m *Model) sayInfo(text string) tea.Cmd {
	m.noticeSeq++
	m.notice, m.keyNote, m.infoText = text, false, text
	seq := m.noticeSeq
	return tea.Tick(m.common.noticeTTL, func(time.Time) tea.Msg { return noticeExpiredMsg{seq: seq} })
}

var _ tea.Model = Model{}

// New builds the root model.
func New(opts Options) (Model, error) {
	if len(opts.Course) == 0 {
		return Model{}, errors.New("tui: no lessons")
	}
	lr := opts.Lipgloss
	if lr == nil {
		lr = lipgloss.DefaultRenderer()
	}
	md := opts.Markdown
	if md == nil {
		var err error
		if md, err = render.New(render.Options{Profile: lr.ColorProfile()}); err != nil {
			return Model{}, err
		}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	store := opts.Progress
	if store == nil {
		store = progress.New("")
	}
	c := &Common{
		Styles:    NewStyles(lr),
		KeyMap:    DefaultKeyMap(),
		Logger:    logger,
		Paths:     opts.Paths,
		Course:    opts.Course,
		Progress:  store,
		Markdown:  md,
		Lab:       opts.Lab,
		Live:      &Live{},
		saves:     &saveTracker{},
		noticeTTL: opts.NoticeTTL,
	}
	if c.noticeTTL <= 0 {
		c.noticeTTL = infoNoticeTTL
	}
	if opts.Lab != nil && opts.Lab.WorkFiles != nil {
		c.Applier = lab.NewAutoApplier(opts.Lab.ctx(), nil)
		// Every attempt is recorded when it is made — also a save while
		// the TUI is suspended in the editor — not when the TUI resumes.
		l := opts.Lab
		c.Applier.SetRecorder(func(r lab.AutoApplied) {
			if err := lab.RecordApplied(store, r, l.now()); err != nil {
				logger.Warn("record apply", "path", r.Path, "err", err)
			}
		})
	}
	h := help.New()
	h.Styles = c.Styles.Help
	h.ShortSeparator = "  "
	h.FullSeparator = "    "
	h.Ellipsis = ellipsis
	_, startSeen := latestStart(store)
	return Model{
		startSeen:     startSeen,
		common:        c,
		contents:      newContents(c),
		reader:        newReader(c),
		exercise:      newExercise(c),
		cluster:       newCluster(c),
		nodeMap:       newNodeMap(c),
		summary:       newSummary(c),
		help:          h,
		notice:        opts.Notice,
		clusterStatus: DefaultClusterStatus,
	}, nil
}

// Common returns the shared state (for tests and for screens added later).
func (m Model) Common() *Common { return m.common }

// Init implements tea.Model: with a Lab, it starts listening to the
// watcher and asks the runtime for the cluster's status.
// The screen recorded in progress at the last quit (an exercise, a
// lesson) is reopened.
func (m Model) Init() tea.Cmd {
	l := m.common.Lab
	if l == nil {
		return m.restoreCmd()
	}
	return tea.Batch(m.restoreCmd(), waitUpdate(l.Watcher), loadClusterStatus(l), runApplier(m.common.Applier, l.WorkFiles), waitApplied(m.common.Applier), m.classInit(), followPoll())
}

// Update implements tea.Model: the screens' update, then what follows
// every message: a key note does not outlive its screen, and a notice
// too long for the status bar gets lines of its own.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	before, beforeScreen := m.state, m.screen()
	if k, ok := msg.(tea.KeyMsg); ok && m.classKey(k) {
		// The class line's own key: the screens never see it.
		return m.fitChrome(), nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && m.clearsNotice(k) {
		// The next action: the note about the last one is done.
		m.notice, m.keyNote = "", false
	}
	notice := m.notice
	next, cmd := m.update(msg)
	nm, qcmd := next.(Model).applyQueued()
	cmd = tea.Batch(cmd, qcmd)
	if nm.keyNote && nm.state != before && nm.keyNoteSeq == m.keyNoteSeq {
		// A key note said before this message belongs to the screen
		// left; one said by this message (a key read with the key that
		// opened this screen: "mn" in one read) answers that key here
		// (trainee trial, issue 14: n on the node map was silent).
		nm.notice, nm.keyNote = "", false
	}
	if e := nm.exercise; e.msgSeq != m.exercise.msgSeq && e.msg != "" {
		// An informational message in the exercise panel goes after
		// noticeTTL, as the status bar's notices do (trainee trial,
		// issue 14: "셸에서 랩으로 돌아왔습니다" stayed until the next
		// action); errors and the pass follow the state.
		seq := e.msgSeq
		cmd = tea.Batch(cmd, tea.Tick(nm.common.noticeTTL, func(time.Time) tea.Msg { return exerciseMsgExpiredMsg{seq: seq} }))
	}
	if nm.state != before {
		// Digits typed toward a number belong to the list they were
		// typed in: leaving it ends them (issue 14: "번호 13 → …" was
		// still on 목차 after a lesson and esc).
		nm = nm.clearTyped(before)
	}
	if nm.screen() != beforeScreen && nm.notice == notice {
		// A note belongs to the screen it was said on.
		nm.notice, nm.keyNote = "", false
	}
	nm.recordScreen()
	return nm.fitChrome(), cmd
}

// clearTyped forgets the digits typed so far on the numbered list of
// screen left (목차, 진행 현황, the chooser).
func (m Model) clearTyped(left state) Model {
	switch left {
	case stateContents:
		m.contents.typed = ""
	case stateSummary:
		m.summary.typed = ""
	case stateChooser:
		m.chooser.typed = ""
	}
	return m
}

// clearsNotice reports whether key k is a new action that ends the status
// notice: any key but scrolling, the help and q (and keys the help overlay
// takes).
func (m Model) clearsNotice(k tea.KeyMsg) bool {
	km := m.common.KeyMap
	if m.state == stateHelp || m.common.TooSmall() {
		return false
	}
	return m.notice != "" && !key.Matches(k, km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom, km.Help, km.Quit)
}

// fitChrome sets the lines the notice takes above the status bar and
// keeps the scrolling screens in range of the new body height.
func (m Model) fitChrome() Model {
	c := m.common
	n := len(m.classLines()) + len(m.noticeLines())
	if n != c.NoticeLines {
		c.NoticeLines = n
		m.contents = m.contents.clamp()
		m.exercise = m.exercise.clamp()
		m.reader.pager.setHeight(c.BodyHeight())
	}
	return m
}

// update routes msg to the root model's handlers and the screens.
func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.common.Width, m.common.Height = msg.Width, msg.Height
		m.common.Logger.Debug("resize", "width", msg.Width, "height", msg.Height)
		m.contents = m.contents.clamp()
		m.reader, cmd = m.reader.setSize()
		var ecmd tea.Cmd
		m.exercise, ecmd = m.exercise.setSize()
		m.exercise = m.exercise.clamp()
		return m, tea.Batch(cmd, ecmd)

	case labUpdateMsg:
		// A change of the cluster may come with an exercise started from
		// the shell (dslab exercise start): follow it.
		m.reloadProgress()
		var fcmd, rcmd tea.Cmd
		seen := m.startSeen
		m, fcmd = m.followStart()
		if msg.u.Cause == lab.CauseStarted && m.startSeen.Equal(seen) {
			// The cluster's start record changed before the progress
			// file says so (`dslab exercise reset` writes the cluster
			// first): look at the file again shortly, not at the next
			// key (trainee trial, issue 14).
			rcmd = progressRecheck(progressRechecks)
		}
		next, cmd := m.onLabUpdate(msg.u)
		nm := next.(Model)
		acmd := nm.scheduleAgeTick()
		return nm, tea.Batch(fcmd, rcmd, cmd, acmd)

	case progressRecheckMsg:
		m.reloadProgress()
		seen := m.startSeen
		var fcmd tea.Cmd
		m, fcmd = m.followStart()
		if m.startSeen.Equal(seen) && msg.left > 1 {
			return m, progressRecheck(msg.left - 1)
		}
		return m, fcmd

	case ageTickMsg:
		m.ageTickPending = false
		if m.common.Lab != nil {
			m.common.Live.Now = m.common.now()
		}
		return m, m.scheduleAgeTick()

	case followPollMsg:
		m.reloadProgress()
		var fcmd tea.Cmd
		m, fcmd = m.followStart()
		return m, tea.Batch(fcmd, followPoll())

	case classTickMsg, classEventMsg:
		return m.onClass(msg)

	case clusterStatusMsg:
		c := m.common
		seen := c.Live.followStatus(msg.st, msg.err, c.now())
		if msg.err != nil {
			c.Logger.Warn("cluster status", "err", msg.err)
		}
		m.refreshClusterText()
		if seen && !c.Live.Op.cluster() && m.exercise.busySince.IsZero() {
			// Started elsewhere: its seconds move on screen as our own
			// start's do.
			return m, tea.Batch(m.schedulePoll(), opTick())
		}
		return m, m.schedulePoll()

	case statusPollMsg:
		m.statusPollPending = false
		if m.common.Live.pollStatus() {
			return m, loadClusterStatus(m.common.Lab)
		}
		return m, nil

	case opStartedMsg:
		return m, waitOp(msg.ch)

	case opEventMsg:
		return m.onOpEvent(msg)

	case opTickMsg:
		// Once a second while a cluster operation or the exercise's
		// preparation runs: the elapsed time moves on screen.
		if c := m.common; c.Live.Op.cluster() || c.Live.starting() || !m.exercise.busySince.IsZero() {
			c.Live.OpNow = c.now()
			m.refreshClusterText()
			return m, opTick()
		}
		return m, nil

	case taskRenderedMsg:
		m.exercise = m.exercise.rendered(msg).clamp()
		return m, nil

	case openExerciseMsg:
		return m.openExercise(msg.id)

	case switchMsg:
		if msg.to == stateNodeMap && !m.exercise.loaded {
			return m, nil
		}
		m.state = msg.to
		m.exercise = m.exercise.clamp()
		return m, nil

	case exerciseBackMsg:
		m.notice = ""
		m.state = m.exerciseReturn
		return m, nil

	case clusterBackMsg:
		m.state = m.clusterReturn
		m.refreshClusterText()
		return m, nil

	case summaryBackMsg:
		m.state = m.summaryReturn
		return m, nil

	case autoAppliedMsg:
		// Saves applied by the Applier (maybe while the editor or the
		// shell had the terminal): report them and count the attempts.
		cmds := []tea.Cmd{waitApplied(m.common.Applier)}
		for _, r := range m.common.Applier.Take() {
			if m.exercise.loaded && r.Path == filepath.Clean(lab.WorkFile(m.common.Paths, m.exercise.ex.ID)) {
				var ecmd tea.Cmd
				m.exercise, ecmd = m.exercise.update(appliedFrom(m.exercise.ex.ID, r, false))
				m.exercise = m.exercise.clamp()
				cmds = append(cmds, ecmd)
			}
		}
		return m, tea.Batch(cmds...)

	case editorReadyMsg, editorDoneMsg, appliedMsg, shellReadyMsg, shellDoneMsg, workFileReadyMsg, othersRunningMsg:
		m.exercise, cmd = m.exercise.update(msg)
		m.exercise = m.exercise.clamp()
		return m, cmd

	case ClusterStatusMsg:
		m.clusterStatus = msg.Text
		if m.clusterStatus == "" {
			m.clusterStatus = DefaultClusterStatus
		}
		return m, nil

	case NoticeMsg:
		m.notice, m.keyNote = msg.Text, false
		return m, nil

	case noticeExpiredMsg:
		// Only the notice it was made for: a later one (another sayInfo,
		// or any other text set since) stays.
		if msg.seq == m.noticeSeq && m.notice == m.infoText {
			m.notice = ""
		}
		return m, nil

	case exerciseMsgExpiredMsg:
		// Only the message it was made for, and not while the step it
		// tells of still runs (the step's end says the next one).
		// An error or a pass stays (they follow the state); a long one's
		// note at the bottom ("메시지가 길어 … g: 맨 위로") goes all the same.
		if e := m.exercise; msg.seq == e.msgSeq && e.msgKind == msgInfo && e.busy == "" {
			m.exercise.msg, m.exercise.msgRestarted = "", false
			m.exercise = m.exercise.clamp()
		} else if msg.seq == e.msgSeq {
			m.exercise.longSeen = msg.seq
			m.exercise = m.exercise.clamp()
		}
		return m, nil

	case keyNoteExpiredMsg:
		if m.keyNote && msg.seq == m.keyNoteSeq {
			m.notice, m.keyNote = "", false
		}
		return m, nil

	case progressSavedMsg:
		if msg.err != nil {
			m.common.Logger.Error("saving progress failed", "err", msg.err)
			m.notice = fmt.Sprintf("진행 상황을 저장하지 못했습니다(progress.json): %v", msg.err)
		}
		return m, nil

	case lessonRenderedMsg:
		// Always to the reader: it caches renders even when not shown.
		m.reader, cmd = m.reader.update(msg)
		m.exercise = m.exercise.rendered(msg)
		return m, cmd

	case openLessonMsg:
		m.notice = ""
		if m.screen() == stateReader && m.state != stateHelp {
			m.reader = m.reader.leave()
		}
		m.state = stateReader
		m.readerFromExercise = msg.fromExercise || (m.readerFromExercise && msg.keepReturn)
		m.reader, cmd = m.reader.open(msg.index)
		return m, cmd

	case backMsg:
		m.notice = ""
		m.readerFromExercise = false
		m.state = stateContents
		m.contents = m.contents.selectLesson(m.reader.index)
		return m, nil

	case tea.KeyMsg:
		m.reloadProgress()
		var fcmd tea.Cmd
		if m, fcmd = m.followStart(); fcmd != nil {
			return m, fcmd // the key was meant for the screen just replaced
		}
		if msg.Type == tea.KeyRunes && !msg.Paste && len(msg.Runes) > 1 {
			// Keys typed faster than one read (or tmux send-keys "jjjjx")
			// arrive as one message: each rune is its own key.
			var cmds []tea.Cmd
			var next tea.Model = m
			for _, r := range msg.Runes {
				mm, ok := next.(Model)
				if !ok {
					break
				}
				var c, qc tea.Cmd
				next, c = mm.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				// The next rune sees the screen this one opened.
				next, qc = next.(Model).applyQueued()
				cmds = append(cmds, c, qc)
			}
			return next, tea.Batch(cmds...)
		}
		return m.handleKey(msg)
	}
	return m, nil
}

// applyQueued applies the messages screens queued (Common.queue) in
// order, with what they queue in turn, and batches their commands.
func (m Model) applyQueued() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for range 16 { // a queued message queues at most one more
		q := m.common.takeQueued()
		if len(q) == 0 {
			break
		}
		for _, msg := range q {
			next, cmd := m.update(msg)
			m = next.(Model)
			cmds = append(cmds, cmd)
		}
	}
	return m, tea.Batch(cmds...)
}

// reloadProgress folds what another dslab process saved into the progress
// store (progress.Store.Reload: a pass from `dslab grade`, a hint from
// `dslab exercise show --hint`), so the screen about to be drawn shows it.
// It runs on every key and watcher update: Reload stats the file and reads
// it only when it changed (it is replaced atomically, so no lock is
// needed). Saves merge with the file as well.
func (m Model) reloadProgress() {
	if m.common.Progress == nil {
		return
	}
	if _, err := m.common.Progress.Reload(); err != nil {
		m.common.Logger.Warn("reloading progress failed", "err", err)
	}
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	km := m.common.KeyMap
	if key.Matches(msg, km.Quit) {
		return m.quit()
	}
	if m.common.TooSmall() {
		return m, nil
	}
	if m.state == stateHelp {
		switch {
		case key.Matches(msg, km.Help), key.Matches(msg, km.Back):
			m.state = m.helpReturn
		case key.Matches(msg, km.Up):
			m.helpOffset = max(m.helpOffset-1, 0)
		case key.Matches(msg, km.Down):
			m.helpOffset++
		case key.Matches(msg, km.Top):
			m.helpOffset = 0
		case key.Matches(msg, km.Bottom):
			m.helpOffset = 1 << 20
		case key.Matches(msg, km.PageDown): // the visible lines less one: none skipped
			m.helpOffset += max(m.common.BodyHeight()-4, 1)
		case key.Matches(msg, km.PageUp):
			m.helpOffset = max(m.helpOffset-max(m.common.BodyHeight()-4, 1), 0)
		default:
			// Answered, not ignored (issue 14): the help is read, then
			// closed.
			return m.sayKeyNote(keyName(msg) + ": 도움말을 보는 중에는 쓰지 않는 키입니다 — ? 또는 esc 로 닫은 뒤 누르세요")
		}
		m.helpOffset = min(m.helpOffset, m.helpMaxOffset(len(m.helpLines(m.screenKeys()))))
		return m, nil
	}
	if key.Matches(msg, km.Help) {
		m.helpReturn, m.state, m.helpOffset = m.state, stateHelp, 0
		return m, nil
	}
	if m.keyNote {
		m.notice, m.keyNote = "", false
	}
	if next, cmd, ok := m.labKey(msg); ok {
		return next, cmd
	}
	if note := m.unusedKeyNote(msg); note != "" {
		return m.sayKeyNote(note)
	}
	var cmd tea.Cmd
	switch m.state {
	case stateContents:
		m.contents, cmd = m.contents.update(msg)
	case stateReader:
		m.reader, cmd = m.reader.update(msg)
	case stateExercise:
		m.exercise, cmd = m.exercise.update(msg)
		m.exercise = m.exercise.clamp()
	case stateCluster:
		m.cluster, cmd = m.cluster.update(msg)
	case stateNodeMap:
		m.nodeMap, cmd = m.withBadge(m.nodeMap).update(msg)
	case stateSummary:
		m.summary, cmd = m.summary.update(msg)
	case stateChooser:
		var back bool
		m.chooser, cmd, back = m.chooser.update(m.common, msg)
		if back {
			m.state = m.chooser.ret
		}
	}
	return m, cmd
}

// sayKeyNote answers a key that does nothing here with note, for a few
// seconds.
func (m Model) sayKeyNote(note string) (tea.Model, tea.Cmd) {
	m.keyNoteSeq++
	m.notice, m.keyNote = note, true
	seq := m.keyNoteSeq
	return m, tea.Tick(keyNoteTTL, func(time.Time) tea.Msg { return keyNoteExpiredMsg{seq: seq} })
}

// unusedKeyNote is the short Korean note for a key that does nothing on
// the screen being shown ("" when the screen uses it): a key of the
// screen's help, esc/backspace, or one the screen reads itself (chooser
// digits, the answer to a confirmation) is used.
func (m Model) unusedKeyNote(msg tea.KeyMsg) string {
	c := m.common
	km := c.KeyMap
	switch {
	case m.state == stateChooser, // it answers unknown keys itself
		m.state == stateCluster && m.cluster.confirm, // any key answers y/n
		m.state == stateExercise && m.exercise.confirmReset:
		return ""
	}
	if m.state == stateContents && key.Matches(msg, km.Back) {
		return msg.String() + ": 목차가 첫 화면입니다 — q 로 종료합니다"
	}
	// A screen's own key stays on it, said so: o on 진행 현황 (c on
	// 클러스터) no longer goes back to where it was opened from, where
	// the digits typed next mean something else (trainee trial, issue
	// 14: o 8 enter opened lesson 8, not exercise 8). The node map's m
	// keeps returning to its exercise, the one screen it is opened from.
	switch {
	case m.state == stateSummary && key.Matches(msg, km.Summary):
		return keyName(msg) + ": 이미 진행 현황입니다 — esc 로 돌아갑니다"
	case m.state == stateCluster && key.Matches(msg, km.Cluster):
		return keyName(msg) + ": 이미 클러스터 화면입니다 — esc 로 돌아갑니다"
	}
	used := []key.Binding{km.Back, km.Help, km.Quit}
	switch m.state {
	case stateContents:
		used = append(used, km.Next)
	case stateNodeMap:
		used = append(used, km.Map)
	case stateSummary:
		used = append(used, km.Exercise, km.Open)
	}
	if c.Lab != nil && m.state != stateChooser {
		// Taken on every screen before the screens see them (labKey).
		used = append(used, km.Cluster, km.Summary)
		if m.state == stateContents || m.state == stateReader {
			used = append(used, km.Exercise)
		}
	}
	keys := m.screenKeys()
	used = append(used, keys.ShortHelp()...)
	for _, group := range keys.FullHelp() {
		used = append(used, group...)
	}
	if key.Matches(msg, used...) {
		return ""
	}
	name := keyName(msg)
	switch {
	case c.Lab == nil:
	case key.Matches(msg, km.Exercise):
		return name + " (연습 열기): 목차나 강의 화면에서 씁니다 — esc 로 돌아가세요"
	case key.Matches(msg, km.Edit, km.Shell, km.Hint, km.Apply, km.Reset, km.Map, km.NextExercise):
		for _, b := range []key.Binding{km.Edit, km.Shell, km.Hint, km.Apply, km.Reset, km.Map, km.NextExercise} {
			if key.Matches(msg, b) && m.state != stateExercise {
				return name + " (" + b.Help().Desc + "): 연습 화면에서 씁니다 — ? 로 이 화면의 키를 봅니다"
			}
		}
	}
	if hangulInput(msg) {
		// The keys are Latin letters: with the Korean input method on, j
		// arrives as ㅓ.
		return name + ": 한글 입력 상태입니다 — 한/영 키로 영문 입력으로 바꾼 뒤 누르세요"
	}
	return name + ": 이 화면에서는 쓰지 않는 키입니다 — ? 로 이 화면의 키를 봅니다"
}

// hangulInput reports whether msg is typed with the Korean input method
// (a Hangul jamo or syllable).
func hangulInput(msg tea.KeyMsg) bool {
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 {
		return false
	}
	r := msg.Runes[0]
	return r >= 0x3131 && r <= 0x318e || r >= 0xac00 && r <= 0xd7a3
}

// keyName is the name of a key as a note shows it: the space bar, which
// tea names " ", is 스페이스.
func keyName(msg tea.KeyMsg) string {
	switch name := msg.String(); name {
	case " ":
		return "스페이스"
	default:
		return name
	}
}

// quit records the reader position, saves progress and then quits.
func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.screen() == stateReader {
		m.reader = m.reader.leave()
	}
	return m, tea.Sequence(saveProgressLast(m.common), tea.Quit)
}

// screen is the screen being shown (under the help overlay, if any).
func (m Model) screen() state {
	if m.state == stateHelp {
		return m.helpReturn
	}
	return m.state
}

// View implements tea.Model.
func (m Model) View() string {
	c := m.common
	if c.Width <= 0 || c.Height <= 0 {
		return "" // no size yet
	}
	if c.TooSmall() {
		return m.tooSmallView()
	}
	var body string
	switch m.screen() {
	case stateReader:
		body = m.reader.view()
	case stateExercise:
		body = m.exercise.view()
	case stateCluster:
		body = m.cluster.view()
	case stateNodeMap:
		body = m.withBadge(m.nodeMap).view()
	case stateSummary:
		body = m.summary.view()
	case stateChooser:
		body = m.chooser.view(c)
	default:
		body = m.contents.view()
	}
	keys := m.screenKeys()
	footer := keys
	if m.state == stateHelp {
		body = m.helpView(keys)
		km := c.KeyMap
		closeHelp := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "닫기"))
		footer = bindings{short: []key.Binding{km.Up, km.Down, closeHelp, km.Help, km.Quit}}
	}
	helpLine := " " + m.footerView(footer, c.Width-2)
	return strings.Join([]string{
		m.headerView(),
		fitLines(body, c.Width, c.BodyHeight()),
		m.statusView(),
		fitLines(helpLine, c.Width, 1),
	}, "\n")
}

// screenKeys are the key bindings of the screen being shown (its help).
func (m Model) screenKeys() bindings {
	c := m.common
	switch m.screen() {
	case stateReader:
		return m.withLabKeys(m.reader.helpKeys())
	case stateExercise:
		return m.exercise.helpKeys()
	case stateCluster:
		return m.cluster.helpKeys()
	case stateNodeMap:
		return m.nodeMap.helpKeys()
	case stateSummary:
		return m.summary.helpKeys()
	case stateChooser:
		return m.chooser.helpKeys(c)
	}
	return m.withLabKeys(m.contents.helpKeys())
}

// footerView is the one-line key help in at most width cells. The way
// out (esc), help (?) and quit (q) are always shown, at the end: when the
// line is too narrow the other entries are dropped from the right first
// and an ellipsis marks the cut.
func (m Model) footerView(keys bindings, width int) string {
	c := m.common
	km := c.KeyMap
	st := m.help.Styles
	essential := func(b key.Binding) bool {
		for _, k := range b.Keys() {
			if k == "esc" || k == "?" || k == "q" {
				return true
			}
		}
		return false
	}
	var rest, must []key.Binding
	hasHelp, hasQuit := false, false
	for _, b := range keys.ShortHelp() {
		if !b.Enabled() {
			continue
		}
		if essential(b) {
			must = append(must, b)
			hasHelp = hasHelp || slices.Contains(b.Keys(), "?")
			hasQuit = hasQuit || slices.Contains(b.Keys(), "q")
			continue
		}
		rest = append(rest, b)
	}
	if !hasHelp {
		must = append(must, km.Help)
	}
	if !hasQuit {
		must = append(must, km.Quit)
	}
	item := func(b key.Binding) string {
		return st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
	}
	const sep = "  "
	join := func(bs []key.Binding) string {
		parts := make([]string, 0, len(bs))
		for _, b := range bs {
			parts = append(parts, item(b))
		}
		return strings.Join(parts, sep)
	}
	// The tail: esc, ? and q. When entries were cut, "… ? 전체" stands
	// for them and for the help (issue 14: a bare "…" hid a, r, tab
	// without saying where they are).
	tailOf := func(cut bool) string {
		if !cut {
			return join(must)
		}
		parts := []string{st.Ellipsis.Render(ellipsis) + " " + st.ShortKey.Render(km.Help.Help().Key) + " " + st.ShortDesc.Render("전체")}
		for _, b := range must {
			if !slices.Contains(b.Keys(), "?") {
				parts = append(parts, item(b))
			}
		}
		return strings.Join(parts, sep)
	}
	// Scrolling keys go first (every screen scrolls the same way), then
	// the others from the right.
	nav := []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom}
	isNav := func(b key.Binding) bool {
		for _, n := range nav {
			if slices.Equal(n.Keys(), b.Keys()) {
				return true
			}
		}
		return false
	}
	cut := false
	for {
		line := tailOf(cut)
		if head := join(rest); head != "" {
			line = head + sep + line
		}
		if ansi.StringWidth(line) <= width {
			return line
		}
		if len(rest) == 0 {
			break
		}
		drop := len(rest) - 1
		for i := len(rest) - 1; i >= 0; i-- {
			if isNav(rest[i]) {
				drop = i
				break
			}
		}
		rest = slices.Delete(slices.Clone(rest), drop, drop+1)
		cut = true
	}
	// Only the essentials, their descriptions shortened to fit.
	return truncate(tailOf(cut), width)
}

func (m Model) headerView() string {
	c := m.common
	st := c.Styles
	left := st.HeaderTitle.Render(" dslab ") + st.Header.Render("  ")
	var title, info, prefix string
	switch m.screen() {
	case stateReader:
		title, info = m.reader.title(), m.reader.info()
	case stateExercise, stateNodeMap:
		title, info = m.exercise.title(), m.exercise.info()
		if m.screen() == stateNodeMap {
			prefix = "노드 지도 · "
		}
	case stateCluster:
		title, info = "클러스터", "시작 · 멈춤 · 노드"
	case stateSummary:
		title, info = "진행 현황", "강의와 연습"
	case stateChooser:
		title, info = "연습 고르기", ""
	default:
		title, info = m.contents.title(), "쿠버네티스 데몬셋(DaemonSet) 실습"
	}
	info = st.HeaderInfo.Render(" " + info + " ")
	room := c.Width - ansi.StringWidth(left) - ansi.StringWidth(info)
	if room >= 10 && ansi.StringWidth(prefix+title) <= room {
		return left + st.HeaderTitle.Render(padRight(prefix+title, room)) + info
	}
	// The title (where the learner is) before the info; then the chrome
	// goes (the screen's own name, which its body repeats, and the brand),
	// then the title's subtitle after " — ": prose is never cut.
	short := shortTitle(title)
	for _, l := range []string{left, ""} {
		room := c.Width - ansi.StringWidth(l)
		for _, t := range []string{prefix + title, title, prefix + short, short} {
			if ansi.StringWidth(t) <= room {
				return l + st.HeaderTitle.Render(padRight(t, room))
			}
		}
	}
	return st.HeaderTitle.Render(padRight(short, c.Width))
}

// shortTitle is title without its subtitle (what follows " — " or ": "),
// for a header too narrow for the whole title.
func shortTitle(title string) string {
	for _, sep := range []string{" — ", ": "} {
		if i := strings.Index(title, sep); i > 0 {
			return title[:i]
		}
	}
	return title
}

func (m Model) statusView() string {
	c := m.common
	st := c.Styles
	pos, cluster := m.statusSegments()
	var lines []string
	for _, l := range m.classLines() {
		lines = append(lines, st.StatusNotice.Render(padRight(l, c.Width)))
	}
	notice := m.statusNote()
	if nl := m.noticeLines(); len(nl) > 0 {
		for _, l := range nl {
			lines = append(lines, st.StatusNotice.Render(padRight(l, c.Width)))
		}
		notice = ""
	}
	room := c.Width - ansi.StringWidth(pos) - ansi.StringWidth(cluster)
	bar := pos + st.StatusNotice.Render(padRight(" "+notice, max(room, 0))) + cluster
	return strings.Join(append(lines, bar), "\n")
}

// statusSegments are the status bar's position and cluster segments,
// styled.
func (m Model) statusSegments() (pos, cluster string) {
	c := m.common
	st := c.Styles
	switch m.screen() {
	case stateReader:
		pos = m.reader.position()
	case stateExercise, stateNodeMap:
		pos = m.exercise.position()
	case stateCluster:
		pos = "클러스터"
	case stateSummary:
		pos = "진행 현황"
	case stateChooser:
		pos = "연습 고르기"
	default:
		pos = fmt.Sprintf("목차 %d/%d", m.contents.cursor+1, len(c.Course))
	}
	pos = st.StatusPosition.Render(" " + pos + " ")
	// The cluster segment gets what it needs up to maxClusterWidth, leaving
	// room for a short notice (the whole segment is on the cluster screen).
	clusterRoom := min(maxClusterWidth, c.Width-ansi.StringWidth(pos)-16)
	cluster = st.StatusCluster.Render(" " + shortenSegment(m.clusterStatus, clusterRoom) + " ")
	return pos, cluster
}

// shortenSegment fits the cluster segment ("클러스터: embedded · 실행 중 ·
// 노드 4/4 · dslab") into width cells by leaving out whole parts, never
// by cutting one: first the "클러스터: " label, then the runtime (the
// first part), then the context (the last), then from the front; only a
// single part still too wide is cut.
func shortenSegment(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	parts := strings.Split(strings.TrimPrefix(s, "클러스터: "), " · ")
	try := [][]string{parts}
	if len(parts) > 1 {
		try = append(try, parts[1:])
	}
	if len(parts) > 2 {
		try = append(try, parts[1:len(parts)-1])
	}
	for i := 2; i < len(parts)-1; i++ {
		try = append(try, parts[i:len(parts)-1])
	}
	for _, p := range try {
		if t := strings.Join(p, " · "); ansi.StringWidth(t) <= width {
			return t
		}
	}
	return truncate(try[len(try)-1][0], width)
}

// maxNoticeLines caps the lines of a long notice above the status bar.
const maxNoticeLines = 3

// noticeLines are the notice wrapped whole over the terminal's width when
// it does not fit in the status bar beside the position and the cluster
// (nil when it fits): a notice is never cut, up to maxNoticeLines lines.
func (m Model) noticeLines() []string {
	c := m.common
	if m.statusNote() == "" || c.Width <= 0 || c.TooSmall() {
		return nil
	}
	pos, cluster := m.statusSegments()
	room := c.Width - ansi.StringWidth(pos) - ansi.StringWidth(cluster)
	note := m.statusNote()
	if ansi.StringWidth(" "+note) <= room {
		return nil
	}
	lines := wrapHanging(" ", note, c.Width)
	if len(lines) > maxNoticeLines {
		lines = append(lines[:maxNoticeLines-1], truncate(strings.Join(lines[maxNoticeLines-1:], " "), c.Width))
	}
	return lines
}

// helpView is the full help in a bordered box that always fits the body:
// the key groups side by side when they fit, else one under another; the
// notes wrapped; when the box is taller than the body, a window of it
// scrolled with ↑/↓ (helpOffset) and its border kept.
func (m Model) helpView(keys bindings) string {
	c := m.common
	st := c.Styles
	inner := helpInner(c)
	lines := m.helpLines(keys)
	room := c.BodyHeight() - 2 // the border's top and bottom
	if len(lines) > room {
		off := min(max(m.helpOffset, 0), m.helpMaxOffset(len(lines)))
		more := fmt.Sprintf("↑/↓ 로 더 보기 (%d/%d줄)", min(off+room-1, len(lines)), len(lines))
		lines = append(lines[off:off+room-1:off+room-1], st.Dim.Render(truncate(more, inner)))
	}
	for i, l := range lines {
		lines[i] = truncate(l, inner)
	}
	box := st.HelpBox.Render(strings.Join(lines, "\n"))
	return lipgloss.Place(c.Width, c.BodyHeight(), lipgloss.Center, lipgloss.Center, box)
}

// helpInner is the width of the help box's content: the body less the
// border (2) and the padding (2×2).
func helpInner(c *Common) int { return max(c.Width-2-4, 10) }

// helpMaxOffset is the last first line of the help window (n lines).
func (m Model) helpMaxOffset(n int) int {
	return max(n-(m.common.BodyHeight()-3), 0)
}

// helpLines are the lines of the full help for keys, wrapped to the box.
func (m Model) helpLines(keys bindings) []string {
	c := m.common
	st := c.Styles
	m.help.Width = 0
	notes := []string{
		"강의를 끝까지 스크롤하면 읽음(✓)으로 표시됩니다.",
		"읽은 위치는 저장되어 다음에 이어서 읽을 수 있습니다.",
	}
	switch m.helpReturn {
	case stateExercise, stateNodeMap:
		// What the lab does with a save (issue 14: it said "e 로 연 작업
		// 파일은…" while any editor's save is applied, README).
		save := "작업 파일은 어느 편집기로 저장해도(e 로 연 편집기, 다른 창의 VS Code 등) 저장할 때마다 클러스터에 적용합니다."
		if c.Applier == nil {
			// No watch on the work files in this run: the editor's close.
			save = "e 로 연 편집기를 닫으면 작업 파일을 클러스터에 적용합니다 (다른 편집기로 고쳤다면 a 로 적용합니다)."
		}
		notes = []string{
			"처음 여는 연습은 클러스터를 그 연습에 맞게 저절로 준비합니다.",
			save,
			"클러스터가 바뀔 때마다 채점을 다시 하며, 통과하면 저절로 초록색이 됩니다.",
		}
	case stateCluster:
		notes = []string{
			"런타임은 자동으로 고릅니다: Docker 가 응답하면 kind, 아니면 embedded.",
			"멈춤(d)은 데이터를 남겨 u 로 그대로 다시 시작합니다. 삭제(D)는 모두 지웁니다.",
		}
	}
	inner := helpInner(c)
	groups := m.help.FullHelpView(keys.FullHelp())
	if lipgloss.Width(groups) > inner {
		var parts []string
		for _, g := range keys.FullHelp() {
			parts = append(parts, m.help.FullHelpView([][]key.Binding{g}))
		}
		groups = strings.Join(parts, "\n")
	}
	lines := []string{st.HelpTitle.Render("도움말"), ""}
	lines = append(lines, strings.Split(groups, "\n")...)
	lines = append(lines, "")
	for _, n := range notes {
		for _, l := range wrapText(n, inner) {
			lines = append(lines, st.Dim.Render(l))
		}
	}
	return append(lines, "", st.Dim.Render(truncate("? 또는 esc 로 닫습니다.", inner)))
}

func (m Model) tooSmallView() string {
	c := m.common
	var lines []string
	if c.Width < MinWidth {
		lines = append(lines, fmt.Sprintf("터미널이 너무 좁습니다: 최소 %d칸 필요 (현재 %d칸)", MinWidth, c.Width))
	}
	if c.Height < MinHeight {
		lines = append(lines, fmt.Sprintf("터미널이 너무 낮습니다: 최소 %d줄 필요 (현재 %d줄)", MinHeight, c.Height))
	}
	lines = append(lines, "", "창을 키우거나 q 를 눌러 종료하세요.")
	msg := c.Styles.Message.Width(c.Width).Align(lipgloss.Center).Render(strings.Join(lines, "\n"))
	return fitLines(lipgloss.Place(c.Width, c.Height, lipgloss.Center, lipgloss.Center, msg), c.Width, c.Height)
}
