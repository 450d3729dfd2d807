package tui

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/lab"
)

// Lab is what the TUI needs beyond the lessons: the exercises, the live
// watcher, the cluster operations and what the shell and editor inherit.
// Every field but Catalog may be zero; the features that need it then say
// so in Korean.
type Lab struct {
	// Context bounds cluster operations started from the TUI (cancelled
	// when dslab exits).
	Context context.Context
	Catalog *exercises.Catalog
	// Watcher grades the open exercise live. The caller runs it
	// (Watcher.Run) for as long as the program runs.
	Watcher *lab.Watcher
	// WorkFiles reports saves of the work files (lab.WatchWorkDir on
	// lab.WorkDir): the open exercise's file is applied on every save.
	// nil applies only when the editor closes.
	WorkFiles *lab.WorkWatcher
	// Cluster starts, stops and reports the lab cluster.
	Cluster lab.ClusterOps
	// Executable is the dslab binary (rollout recorder, kubectl wrapper).
	Executable string
	// Environ and Getenv are the environment of the shell and the editor.
	Environ []string
	Getenv  func(string) string
	// Now is the clock of progress timestamps (time.Now when nil).
	Now func() time.Time
	// ClassExercises is the class's exercise list (the learner's class
	// credentials; nil when not in a class): the next-exercise suggestion
	// picks only from it (exercises.InClass, issue 12).
	ClassExercises []string
	// Class polls the class server's instructor commands (class_status.go); nil when not joined.
	Class *ClassPoll
	// ClassFrozen, when set, reports whether the instructor froze the
	// class's submissions (the last freeze not unfrozen): a pass made then
	// is said to be 마감 후, not counted (the instructor trial on f9ad301).
	ClassFrozen func() bool

	// PathNote says how to get `dslab` in another terminal when `dslab` on
	// PATH is not this binary (lessons, hints and advice say `dslab …`);
	// "" when it is. Said once, with the first cluster-ready notice.
	PathNote string
}

func (l *Lab) ctx() context.Context {
	if l == nil || l.Context == nil {
		return context.Background()
	}
	return l.Context
}

func (l *Lab) watcher() *lab.Watcher {
	if l == nil {
		return nil
	}
	return l.Watcher
}

func (l *Lab) now() time.Time {
	if l == nil || l.Now == nil {
		return time.Now()
	}
	return l.Now()
}

func (l *Lab) pathNote() string {
	if l == nil {
		return ""
	}
	return l.PathNote
}

func (l *Lab) getenv(k string) string {
	if l == nil || l.Getenv == nil {
		return ""
	}
	return l.Getenv(k)
}

// Live is the latest state of the cluster as the TUI knows it, shared by
// the screens through Common (changed only in the root model's Update).
type Live struct {
	// Update is the watcher's latest update (zero before the first).
	Update lab.Update
	// Status is the runtime's report (zero before the first).
	Status    cluster.Status
	StatusErr error
	HasStatus bool
	// Op is the cluster operation in progress ("" when none) and OpLog its
	// progress lines.
	Op    opKind
	OpLog []opLine
	// OpStarted is when Op began and OpNow the latest second tick while it
	// runs (Lab.Now's clock): the panel shows how long the current step
	// has been running, so the log never sits silent.
	OpStarted, OpNow time.Time
	// OpErr is the last cluster operation's error.
	OpErr error
	// StartingSince is when this TUI saw the cluster begin to start: its
	// own `u` (OpStarted), or the runtime reporting starting (`dslab
	// cluster up` in another terminal). UpAt is when the runtime then
	// first reported running (or this TUI's start ended). Both are zero
	// again once the watcher connects or the runtime says stopped or
	// absent (followStatus, followUpdate).
	StartingSince, UpAt time.Time
	// Now is the clock of the last age tick (ageTickMsg): the ages the
	// grade states (lab.LiveAge) are shown as of it; zero before one.
	Now time.Time
	// external is the operation another terminal runs as last seen
	// (wordStarting, wordStopping; "" for none): when one begins, the log
	// and error of the previous operation are cleared (followExternal).
	external string
}

// followExternal clears the previous operation's log and error when an
// operation of another terminal (`dslab cluster up` / `down`) begins, so
// the cluster screen describes the current operation only (issue 14: a
// stop from another terminal showed the previous stop's log).
func (l *Live) followExternal() {
	if l.Op != opNone {
		l.external = ""
		return
	}
	w := l.downWord()
	if w != wordStarting && w != wordStopping {
		w = ""
	}
	if w == wordStarting && !l.OpStarted.IsZero() && l.StartingSince.Equal(l.OpStarted) {
		// This TUI's own start, awaiting the watcher: its log stays.
		w = ""
	}
	if w != "" && w != l.external {
		l.OpLog, l.OpErr = nil, nil
	}
	l.external = w
}

// startGrace is how long after a start (UpAt) the TUI still says the
// cluster is starting while the watcher has not connected: the watcher
// retries every second and the runtime may report running (its record)
// before the API server answers the watcher's kubeconfig. Past it, a
// running cluster the watcher does not reach is unexpected (연결 끊김,
// with the error).
const startGrace = 20 * time.Second

// wordStarting is what every screen says while the cluster starts, by
// this TUI or another terminal (the cluster screen adds "(starting)").
const wordStarting = "시작하는 중…"

// starting reports whether the cluster is starting as far as the TUI
// knows: its own start runs, or the runtime said starting (or began
// running less than startGrace ago) and the watcher has not connected
// since. OpNow is the clock (set by every status read and tick).
func (l *Live) starting() bool {
	switch {
	case l.Op == opClusterUp:
		return true
	case l.Op != opNone, l.Connected(), l.StartingSince.IsZero():
		return false
	}
	return l.UpAt.IsZero() || l.OpNow.Sub(l.UpAt) < startGrace
}

// startElapsed is " N초": the seconds since the start began (starting).
func (l *Live) startElapsed() string {
	since := l.StartingSince
	if l.Op == opClusterUp || since.IsZero() {
		since = l.OpStarted
	}
	return fmt.Sprintf(" %d초", int(max(l.OpNow.Sub(since), 0)/time.Second))
}

// followStatus follows the runtime's report st read at now: a start seen
// (StartingSince), its end (UpAt), or a cluster stopped or gone (no
// start). It reports whether a start was seen just now.
func (l *Live) followStatus(st cluster.Status, err error, now time.Time) (seen bool) {
	defer l.followExternal()
	l.Status, l.StatusErr, l.HasStatus = st, err, true
	l.OpNow = now
	if err != nil {
		return false
	}
	switch st.State {
	case cluster.StateStarting:
		l.UpAt = time.Time{}
		if l.StartingSince.IsZero() && !l.Connected() {
			l.StartingSince = now
			return true
		}
	case cluster.StateRunning, cluster.StateDegraded:
		if !l.StartingSince.IsZero() && l.UpAt.IsZero() {
			l.UpAt = now
		}
	default:
		if l.Op != opClusterUp {
			l.StartingSince, l.UpAt = time.Time{}, time.Time{}
		}
	}
	return false
}

// followUpdate follows a watcher update: once connected, no start is
// awaited any more.
func (l *Live) followUpdate(u lab.Update) {
	defer l.followExternal()
	l.Update = u
	if u.State == lab.StateConnected {
		l.StartingSince, l.UpAt = time.Time{}, time.Time{}
	}
}

// opElapsed is " N초": the seconds the cluster operation has run.
func (l *Live) opElapsed() string {
	return fmt.Sprintf(" %d초", int(max(l.OpNow.Sub(l.OpStarted), 0)/time.Second))
}

// Connected reports whether the watcher reaches the cluster.
func (l *Live) Connected() bool { return l.Update.State == lab.StateConnected }

// opKind names a long operation run in the background.
type opKind string

const (
	opNone          opKind = ""
	opClusterUp     opKind = "cluster-up"
	opClusterStop   opKind = "cluster-stop"
	opClusterDelete opKind = "cluster-delete"
	opExercise      opKind = "exercise" // start or reset
)

func (k opKind) cluster() bool {
	return k == opClusterUp || k == opClusterStop || k == opClusterDelete
}

// opLine is one progress line with its time since the operation began.
type opLine struct {
	at   time.Duration
	text string
}

// opEvent is a progress line or the end of an operation.
type opEvent struct {
	kind   opKind
	line   string
	at     time.Duration
	done   bool
	err    error
	status *cluster.Status
}

// opTickMsg is the once-a-second tick while a cluster operation runs.
type opTickMsg struct{}

// opTick asks for the next opTickMsg in a second.
func opTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return opTickMsg{} })
}

// opStartedMsg carries the event channel of an operation just started.
type opStartedMsg struct {
	kind opKind
	ch   <-chan opEvent
}

// opEventMsg is one event of an operation.
type opEventMsg struct {
	opEvent
	ch <-chan opEvent
}

// runOp runs fn in the background; its progress lines and its end arrive
// as opEventMsgs.
func runOp(kind opKind, fn func(progress func(string)) (*cluster.Status, error)) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan opEvent, 256)
		start := time.Now()
		go func() {
			defer close(ch)
			st, err := fn(func(line string) {
				select {
				case ch <- opEvent{kind: kind, line: line, at: time.Since(start)}:
				default: // never block the operation on a slow screen
				}
			})
			ch <- opEvent{kind: kind, done: true, err: err, status: st, at: time.Since(start)}
		}()
		return opStartedMsg{kind: kind, ch: ch}
	}
}

func waitOp(ch <-chan opEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return opEventMsg{opEvent: ev, ch: ch}
	}
}

// autoAppliedMsg: the Applier has outcomes waiting (Applier.Take).
type autoAppliedMsg struct{}

// runApplier runs a (applying the saves w reports) in the goroutine of a
// command, independent of the event loop; it ends with w.
func runApplier(a *lab.AutoApplier, w *lab.WorkWatcher) tea.Cmd {
	if a == nil || w == nil {
		return nil
	}
	saves := w.Saves()
	return func() tea.Msg {
		a.Run(saves)
		return nil
	}
}

// waitApplied waits until the Applier has outcomes waiting.
func waitApplied(a *lab.AutoApplier) tea.Cmd {
	if a == nil {
		return nil
	}
	ready := a.Ready()
	return func() tea.Msg {
		<-ready
		return autoAppliedMsg{}
	}
}

// appliedFrom is the appliedMsg of an Applier outcome.
func appliedFrom(id string, r lab.AutoApplied, quiet bool) appliedMsg {
	msg := appliedMsg{id: id, err: r.Err, stamp: r.Stamp, quiet: quiet, skipped: r.Skipped, attempted: r.Attempted, recorded: r.Recorded}
	if r.Err == nil && !r.Skipped {
		msg.summary, msg.unchanged = r.Result.Summary(), r.Result.Unchanged()
	}
	return msg
}

// labUpdateMsg is a watcher update.
type labUpdateMsg struct{ u lab.Update }

// waitUpdate waits for the watcher's next update.
func waitUpdate(w *lab.Watcher) tea.Cmd {
	if w == nil {
		return nil
	}
	ch := w.Updates()
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return nil
		}
		return labUpdateMsg{u: u}
	}
}

// clusterStatusMsg is the runtime's status report.
type clusterStatusMsg struct {
	st  cluster.Status
	err error
}

func loadClusterStatus(l *Lab) tea.Cmd {
	if l == nil || l.Cluster == nil {
		return nil
	}
	ops, ctx := l.Cluster, l.ctx()
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		st, err := ops.Status(cctx)
		return clusterStatusMsg{st: st, err: err}
	}
}

// stateName is the Korean name of a cluster state.
func stateName(s cluster.State) string {
	switch s {
	case cluster.StateAbsent:
		return "없음"
	case cluster.StateStopped:
		return "중지됨"
	case cluster.StateStarting:
		return wordStarting
	case cluster.StateRunning:
		return "실행 중"
	case cluster.StateDegraded:
		return "일부 이상"
	case cluster.StateStopping:
		return wordStopping
	}
	return string(s)
}

// runtimeState is the cluster's state as the screens say it: the
// runtime's report, except that a cluster whose API server answers the
// watcher with every node Ready is running although the runtime still
// reports starting (`dslab cluster up` in another terminal finishing its
// last steps): the connected state wins (issue 14: 시작하는 중… beside
// 연결됨 · 노드 4/4).
func (l *Live) runtimeState() cluster.State {
	u := l.Update
	if l.Status.State == cluster.StateStarting && l.Connected() && len(u.Nodes) > 0 && u.ReadyNodes() == len(u.Nodes) {
		return cluster.StateRunning
	}
	return l.Status.State
}

// wordStopping is what every screen says while the cluster stops (the
// cluster screen adds "(stopping)").
const wordStopping = "멈추는 중…"

// downWord is the one word every screen uses for a cluster the watcher
// does not reach (the status bar, the node map's title, the exercise's
// banner; the cluster screen's 상태 shows the same word): 멈추는 중… while
// it stops (an operation of this TUI, or the API server seen shutting
// down by another `dslab cluster down`), the runtime's state once it has
// stopped (중지됨, 없음), 시작하는 중… while it starts (an operation of
// this TUI, or the runtime reporting starting: `dslab cluster up` in
// another terminal — also for startGrace after it reports running, until
// the watcher connects), 연결하는 중… / 연결 끊김 while the runtime says
// it runs, 연결 안 됨 when the runtime's state is unknown. It is "" while
// the watcher reaches the cluster or nothing is known yet.
func (l *Live) downWord() string {
	running := l.HasStatus && l.StatusErr == nil && (l.Status.State == cluster.StateRunning || l.Status.State == cluster.StateDegraded)
	switch {
	case l.Op == opClusterStop || l.Op == opClusterDelete:
		return wordStopping
	case l.starting():
		return wordStarting
	case l.HasStatus && l.StatusErr == nil && l.Status.State == cluster.StateStopping:
		// `dslab cluster down` in another terminal: the runtime says so
		// before the watcher loses the API server.
		return wordStopping
	case l.Connected():
		return ""
	case l.Update.Stopping && (running || !l.HasStatus):
		return wordStopping
	case running && l.Update.State == lab.StateConnecting:
		return "연결하는 중…"
	case running && l.Update.State == lab.StateDisconnected:
		return "연결 끊김"
	case l.HasStatus && l.StatusErr == nil:
		return stateName(l.runtimeState())
	case l.Update.State == lab.StateDisconnected:
		return "연결 안 됨"
	}
	return ""
}

// stoppedOrAbsent reports whether the runtime says the cluster is stopped
// or does not exist.
func (l *Live) stoppedOrAbsent() bool {
	return !l.Connected() && l.HasStatus && l.StatusErr == nil && (l.Status.State == cluster.StateAbsent || l.Status.State == cluster.StateStopped)
}

// pollStatus reports whether the runtime's status should be read again
// soon (statusPollInterval): while the watcher does not reach the cluster
// (it may be stopping, stopped or coming back, by this TUI or another
// terminal) or the runtime reports a passing state.
func (l *Live) pollStatus() bool {
	if !l.Connected() {
		return true
	}
	return l.HasStatus && (l.Status.State == cluster.StateStarting || l.Status.State == cluster.StateDegraded || l.Status.State == cluster.StateStopping)
}

// statusPollInterval is how often the runtime's status is read while
// pollStatus holds.
const statusPollInterval = 2 * time.Second

// statusPollMsg: time to read the runtime's status again.
type statusPollMsg struct{}

// clusterSegment is the cluster part of the status bar: runtime, state,
// Ready nodes and context.
func clusterSegment(l *Live, inPanel bool) string {
	var parts []string
	if l.HasStatus && l.Status.Runtime != "" {
		parts = append(parts, l.Status.Runtime)
	}
	word := l.downWord()
	switch {
	case l.Op.cluster():
		parts = append(parts, word+l.opElapsed())
	case l.starting():
		parts = append(parts, word+l.startElapsed())
	case l.Connected():
		u := l.Update
		parts = append(parts, "실행 중", fmt.Sprintf("노드 %d/%d", u.ReadyNodes(), len(u.Nodes)))
		if u.Context != "" {
			parts = append(parts, u.Context)
		}
	case word != "":
		parts = append(parts, word)
		if !inPanel && l.stoppedOrAbsent() {
			parts = append(parts, "c 로 시작")
		}
	default:
		return DefaultClusterStatus
	}
	return "클러스터: " + strings.Join(parts, " · ")
}

// Editor, shell and apply.

// workFileReadyMsg: the work file of exercise id was written (the
// starter, when there was none) or found when the exercise was opened.
type workFileReadyMsg struct {
	id  string
	err error
}

// ensureWorkFile writes the exercise's starter to its work file when
// there is none (lab.EnsureWorkFile, the .starter mark first so that it is
// never applied), so that the shell (s) and the editor (e) find the file
// the header names as soon as the exercise is open (issue 14: cat in the
// shell before e said No such file or directory). Nothing without a data
// directory (no lab).
func ensureWorkFile(c *Common, ex exercises.Exercise) tea.Cmd {
	if c.Lab == nil || c.Paths.DataDir == "" {
		return nil
	}
	p := c.Paths
	return func() tea.Msg {
		_, _, err := lab.EnsureWorkFile(p, ex)
		return workFileReadyMsg{id: ex.ID, err: err}
	}
}

// editorReadyMsg: the work file exists; open the editor on it.
type editorReadyMsg struct {
	id      string
	path    string
	created bool
	before  lab.Stamp
	cmd     *exec.Cmd
	// note says which editor opens and how to quit it when the learner
	// chose none (lab.EditorNote); "" otherwise.
	note string
	err  error
}

// editorDoneMsg: the editor exited.
type editorDoneMsg struct {
	id     string
	path   string
	before lab.Stamp
	err    error
}

// appliedMsg is the result of applying a work file.
type appliedMsg struct {
	id      string
	summary string
	// unchanged: the apply succeeded and kubectl found every object as
	// the cluster has it (lab.ApplyResult.Unchanged).
	unchanged bool
	err       error
	stamp     lab.Stamp // the file as applied (or found unchanged)
	quiet     bool      // an unchanged file after the editor: say nothing
	skipped   bool      // the file was not saved
	// attempted: the file went to the API server (an attempt, counted in
	// the progress whether it was accepted or not).
	attempted bool
	// recorded: the Applier recorded the attempt at the apply already.
	recorded bool
}

// shellReadyMsg: the lab shell is prepared.
type shellReadyMsg struct {
	cmd *exec.Cmd
	err error
}

// shellDoneMsg: the lab shell exited.
type shellDoneMsg struct{ err error }

func prepareEditor(c *Common, ex exercises.Exercise) tea.Cmd {
	p, l := c.Paths, c.Lab
	return func() tea.Msg {
		path, created, err := lab.EnsureWorkFile(p, ex)
		if err != nil {
			return editorReadyMsg{id: ex.ID, err: err}
		}
		cmd, err := lab.EditorCommand(l.getenv, path)
		if cmd != nil && l != nil && l.Environ != nil {
			cmd.Env = l.Environ
		}
		return editorReadyMsg{id: ex.ID, path: path, created: created, before: lab.StampFile(path), cmd: cmd, note: lab.EditorNote(l.getenv, cmd), err: err}
	}
}

// applyWork applies the learner's file; with onlyIfSaved, only when it
// was saved since before (quiet: an unchanged file is not announced).
func applyWork(c *Common, id, path string, before lab.Stamp, onlyIfSaved, quiet bool) tea.Cmd {
	l := c.Lab
	conn := c.Live.Update.Conn
	if a := c.Applier; a != nil {
		// The Applier knows what it applied on save: no second apply.
		return func() tea.Msg {
			if onlyIfSaved {
				return appliedFrom(id, a.ApplyIfSaved(path), quiet)
			}
			return appliedFrom(id, a.ApplyNow(path), quiet)
		}
	}
	return func() tea.Msg {
		after := lab.StampFile(path)
		if !after.Exists {
			return appliedMsg{id: id, err: &lab.NoWorkFileError{Path: path}}
		}
		if lab.UntouchedStarter(path, after) {
			return appliedMsg{id: id, quiet: quiet, err: &lab.StarterUnchangedError{Path: path}}
		}
		if onlyIfSaved && !before.Saved(after) {
			return appliedMsg{id: id, skipped: true, quiet: quiet, stamp: after}
		}
		if conn == nil {
			if _, err := lab.ReadManifest(path); err != nil {
				return appliedMsg{id: id, err: err, stamp: after}
			}
			return appliedMsg{id: id, stamp: after, err: &lab.NotConnectedError{Path: path}}
		}
		ctx, cancel := context.WithTimeout(l.ctx(), 30*time.Second)
		defer cancel()
		res, err := lab.ApplyFile(ctx, lab.TargetOf(conn), path)
		return appliedMsg{id: id, summary: res.Summary(), unchanged: err == nil && res.Unchanged(), err: err, attempted: true, stamp: after}
	}
}

// prepareShell prepares the lab shell; its prompt names the exercise the
// cluster is set up for now (lab.CurrentExercise: the in-cluster record,
// read when the shell opens), which may not be the one on screen, or none.
func prepareShell(c *Common) tea.Cmd { return prepareShellFor(c, "") }

// prepareShellFor is prepareShell from the screen of exercise shown ("" on
// none): the banner and prompt name it when the cluster names none, and
// say first when the cluster is not running.
func prepareShellFor(c *Common, shown string) tea.Cmd {
	l, p := c.Lab, c.Paths
	u := c.Live.Update
	ctxName := u.Context
	var client kubernetes.Interface
	if u.Conn != nil && u.State == lab.StateConnected {
		client = u.Conn.Client
	}
	down := client == nil
	return func() tea.Msg {
		exercise := ""
		if client != nil || ctxName != "" {
			exercise = lab.CurrentExercise(l.ctx(), client, p, ctxName)
		}
		if exercise == "" {
			exercise = shown
		}
		cfg := lab.ShellConfig{Paths: p, Context: ctxName, Exercise: exercise, ClusterDown: down}
		if l != nil {
			cfg.Executable, cfg.Environ = l.Executable, l.Environ
		}
		cmd, err := lab.ShellCommand(cfg)
		return shellReadyMsg{cmd: cmd, err: err}
	}
}

// tuiAdvice rewrites the CLI advice in a message from the cluster code
// ("`dslab cluster up` 으로 시작하세요", internal/kube.Connect and the
// runtimes) for the TUI: with keys ("u 로 시작하세요" on the cluster
// screen, how == "u 로"), or without it where the screen already says
// which keys start the cluster (how == "").
func tuiAdvice(msg, how string) string {
	for _, cli := range []string{"`dslab cluster up` 으로", "dslab cluster up 으로"} {
		i := strings.Index(msg, cli)
		if i < 0 {
			continue
		}
		if how != "" {
			return msg[:i] + how + msg[i+len(cli):]
		}
		// Drop the advice clause (" — … 시작하세요") and what is left dangling.
		head := strings.TrimRight(msg[:i], " ")
		if j := strings.LastIndex(head, " — "); j >= 0 && j+len(" — ") == len(head) {
			head = head[:j]
		} else {
			head = strings.TrimSuffix(strings.TrimSuffix(head, "—"), ".")
			head = strings.TrimRight(head, " ")
		}
		rest := msg[i+len(cli):]
		if k := strings.Index(rest, "세요"); k >= 0 {
			rest = rest[k+len("세요"):]
		}
		return strings.TrimSpace(head + rest)
	}
	return msg
}

// exerciseCommand is the CLI's start/reset advice in grader messages
// ("dslab exercise reset gpu-only 로 다시 시작하세요").
var exerciseCommand = regexp.MustCompile(`dslab exercise (reset|start) [a-z0-9-]+ 로 `)

// tuiExerciseAdvice rewrites the CLI's start/reset command in a grader
// message for the exercise screen (issue 14: advice shared by the TUI and
// the CLI named the other surface's way): a reset is r pressed twice, a
// start is enter (km.Prepare, which keeps the DaemonSet and work file).
func tuiExerciseAdvice(msg string) string {
	return exerciseCommand.ReplaceAllStringFunc(msg, func(cmd string) string {
		if strings.HasPrefix(cmd, "dslab exercise start ") {
			return "enter 를 눌러 "
		}
		return "r 을 두 번 눌러 "
	})
}

// ageTickMsg moves the ages the live grade states (a pod's "만들어진 지
// N초") once a second.
type ageTickMsg struct{}

// liveAges reports whether u, connected and graded, states an age that
// grows (a node row with lab.NodeRow.Since).
func liveAges(u lab.Update) bool {
	if u.State != lab.StateConnected || !u.Graded() {
		return false
	}
	for _, r := range u.Map.Rows {
		if !r.Since.IsZero() {
			return true
		}
	}
	return false
}

// ageNow is the time the ages of the grade are shown at: the last age
// tick while connected; zero (the capture's ages) otherwise.
func (l *Live) ageNow() time.Time {
	if l.Update.State != lab.StateConnected {
		return time.Time{}
	}
	return l.Now
}

// liveMessage is a check's message with the age it states as of the last
// age tick (lab.LiveAge).
func (l *Live) liveMessage(ch grader.CheckResult) string {
	u := l.Update
	if u.Snapshot == nil {
		return ch.Message
	}
	msg := ch.Message
	for _, nr := range ch.Nodes {
		msg = lab.LiveAge(msg, nr.Since, u.Snapshot.CapturedAt, l.ageNow())
	}
	return msg
}
