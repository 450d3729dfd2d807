package app

// `dslab class watch [URL]`: the live board in the terminal — the same
// grid and event stream as the web board (GET /api/v1/instructor/board,
// GET /api/v1/events), for instructors who live in the terminal or run the
// class over SSH.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/tui"
)

func newClassWatchCommand(env Env) *cobra.Command {
	var inst instructorFlags
	cmd := &cobra.Command{
		Use:   "watch [URL]",
		Short: "수업 보드를 터미널에서 실시간으로 봅니다 (강사 토큰, 기본: 이 컴퓨터의 dslab class serve 가 남긴 주소)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				inst.server, inst.serverFrom = args[0], "명령줄에서 준 주소"
			}
			inst.defaultServer()
			url := inst.server
			tok, err := inst.token()
			if err != nil {
				return err
			}
			// The server and the token first, as `class board` does: a
			// refused token is exit 1 (class_exit.go) before any screen,
			// not an error inside the TUI that then exits 0 (issue 12). A
			// server that is down is waited for on the screen, as one
			// lost later is (watchModel.downLine; issue 12: it exited at
			// once with the URL in a 9-line error); without a terminal
			// to wait on it is exit 3.
			var none api.CommandsResponse
			var exit *ExitError
			down := inst.call(cmd.Context(), "GET", api.PathInstructorCommands+"?after=9223372036854775807", nil, &none)
			if down != nil && (!errors.As(down, &exit) || exit.Code != ExitUnreachable) {
				return down
			}
			render.NarrowAmbiguousWidth()
			out := env.Streams.Out
			lr := lipgloss.NewRenderer(out)
			m := newWatchModel(cmd.Context(), boardClient{URL: strings.TrimRight(url, "/"), Token: tok, HTTP: &http.Client{Timeout: 30 * time.Second}, inst: inst}, tui.NewStyles(lr))
			opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(cmd.Context()), tea.WithOutput(out)}
			if in, ok := terminalFile(env.Streams.In); ok {
				opts = append(opts, tea.WithInput(in))
			} else if tty, err := os.Open("/dev/tty"); err != nil {
				if down != nil {
					return down
				}
				return usageError("dslab class watch 는 터미널(TTY)에서만 실행됩니다: 터미널에서 실행하거나, 웹 보드(dslab class board 가 주소를 보여 줌) 또는 dslab class export 를 쓰세요 (%v)", err)
			} else {
				tty.Close()
				opts = append(opts, tea.WithInputTTY())
			}
			_, err = tea.NewProgram(m, opts...).Run()
			m.stop()
			return err
		},
	}
	inst.add(cmd, env)
	return cmd
}

// boardClient reads the board and its event stream with the instructor
// token.
type boardClient struct {
	URL   string
	Token string
	HTTP  *http.Client
	// inst names where URL came from in the error when it cannot connect.
	inst instructorFlags
	// wait bounds one board read and the wait for the event stream's
	// answer (0: watchWait); a read past it is retried (issue 12: watch
	// stayed at ○ 연결 중… for 35 s with no error).
	wait time.Duration
	// retry is the first pause before a failed board read or event
	// stream is tried again (0: watchRetry); it doubles with each failure
	// in a row up to five times itself (retryDelay).
	retry time.Duration
}

// watchUnreachable is a board read or an event stream that did not reach
// the server: the connection was refused or dropped (server down, wrong
// address) or, with timeout, the server did not answer within the wait.
// class watch shows it as one line and keeps trying (downLine).
type watchUnreachable struct {
	timeout bool
	err     error
}

func (e watchUnreachable) Error() string {
	if e.timeout {
		return "서버가 답하지 않습니다"
	}
	return "서버에 연결할 수 없습니다"
}

func (e watchUnreachable) Unwrap() error { return e.err }

// retryDelay is the pause after the n-th failure in a row (n ≥ 1):
// retry, doubled each time, at most five times retry (2, 4, 8, 10 s).
func (c boardClient) retryDelay(n int) time.Duration {
	base := c.retry
	if base <= 0 {
		base = watchRetry
	}
	d := base
	for i := 1; i < n && d < 5*base; i++ {
		d *= 2
	}
	return min(d, 5*base)
}

// host is the server's address as the instructor gave it, without the
// scheme (127.0.0.1:7070).
func (c boardClient) host() string {
	h := strings.TrimPrefix(strings.TrimPrefix(c.URL, "http://"), "https://")
	return strings.TrimRight(h, "/")
}

// watchWait bounds one board read and one event stream connect.
const watchWait = 10 * time.Second

// watchRetry is the pause before a failed board read is tried again.
const watchRetry = 2 * time.Second

func (c boardClient) waitFor() time.Duration {
	if c.wait > 0 {
		return c.wait
	}
	return watchWait
}

func (c boardClient) board(ctx context.Context) (api.Board, error) {
	var b api.Board
	ctx, cancel := context.WithTimeout(ctx, c.waitFor())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", c.URL+api.PathBoard, nil)
	if err != nil {
		return b, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.HTTP.Do(req)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return b, watchUnreachable{timeout: true, err: ctx.Err()}
	}
	if err != nil {
		return b, watchUnreachable{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return b, watchUnreachable{timeout: true, err: ctx.Err()}
		}
		return b, watchUnreachable{err: err} // dropped mid-board
	}
	if resp.StatusCode != http.StatusOK {
		var e api.Error
		json.Unmarshal(body, &e)
		return b, fmt.Errorf("HTTP %d: %s", resp.StatusCode, e.Error)
	}
	return b, json.Unmarshal(body, &b)
}

// stream follows the event stream from after, reconnecting (with
// Last-Event-ID) when it breaks — after a second when a stream that was
// up ends, after retryDelay when the server cannot be reached — until
// ctx ends; it sends events and connection changes to out.
func (c boardClient) stream(ctx context.Context, after int64, out chan<- tea.Msg) {
	hc := &http.Client{Transport: c.HTTP.Transport} // no overall timeout: a stream is long
	failures := 0
	for ctx.Err() == nil {
		// One attempt's context: it ends when the server has not answered
		// within waitFor (a stream that never starts is tried again, with
		// the error on screen) and with ctx.
		actx, acancel := context.WithCancel(ctx)
		answered := make(chan struct{})
		timedOut := make(chan struct{})
		go func() {
			select {
			case <-answered:
			case <-actx.Done():
			case <-time.After(c.waitFor()):
				close(timedOut)
				acancel()
			}
		}()
		req, _ := http.NewRequestWithContext(actx, "GET", c.URL+api.PathEvents, nil)
		req.Header.Set("Authorization", "Bearer "+c.Token)
		req.Header.Set("Last-Event-ID", strconv.FormatInt(after, 10))
		resp, err := hc.Do(req)
		select {
		case <-timedOut:
			if err == nil {
				resp.Body.Close()
			}
			err = watchUnreachable{timeout: true, err: err}
		default:
			close(answered)
			if err != nil {
				err = watchUnreachable{err: err}
			}
		}
		if err == nil && resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		if err == nil {
			failures = 0
			send(ctx, out, watchConnMsg{ok: true})
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				line := sc.Text()
				if data, ok := strings.CutPrefix(line, "data: "); ok {
					var e api.StreamEvent
					if json.Unmarshal([]byte(data), &e) == nil {
						after = e.Seq
						send(ctx, out, watchEventMsg(e))
					}
				}
			}
			resp.Body.Close()
			err = sc.Err()
			if err == nil {
				err = errors.New("서버가 연결을 닫았습니다")
			}
		}
		acancel()
		if ctx.Err() != nil {
			return
		}
		wait := time.Second
		if errors.As(err, new(watchUnreachable)) {
			failures++
			wait = c.retryDelay(failures)
		}
		send(ctx, out, watchConnMsg{err: err, retry: wait})
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

func send(ctx context.Context, out chan<- tea.Msg, m tea.Msg) {
	select {
	case out <- m:
	case <-ctx.Done():
	}
}

type (
	watchBoardMsg struct {
		b   api.Board
		err error
	}
	watchEventMsg api.StreamEvent
	watchConnMsg  struct {
		ok  bool
		err error
		// retry is when the stream tries again after err.
		retry time.Duration
	}
	// watchSecondMsg: a second of the countdown of downLine passed.
	watchSecondMsg struct{}
	// watchTickMsg: time to recompute the stuck flags (watchTick).
	watchTickMsg struct{}
	// watchRetryMsg: time to read the board again after a failed read.
	watchRetryMsg struct{}
)

// watchTick is how often class watch recomputes the stuck flags from the
// board it has, so a student turns stuck on screen without a new event.
const watchTick = 15 * time.Second

// watchModel is the TUI of `dslab class watch`.
type watchModel struct {
	ctx    context.Context
	cancel context.CancelFunc
	c      boardClient
	st     *tui.Styles
	msgs   chan tea.Msg

	width, height int
	board         *api.Board
	err           error
	// failures counts the board reads failed in a row (retried after
	// watchRetry); connErr is the event stream's last error while it is
	// not connected.
	failures  int
	connErr   error
	connected bool
	// errRetryAt and connRetryAt are when the board read and the event
	// stream are tried again after their errors (downLine's countdown);
	// counting says a watchSecondMsg is on its way.
	errRetryAt, connRetryAt time.Time
	counting                bool
	streaming               bool
	fetching                bool
	stale                   bool
	log                     []api.StreamEvent
	// verdicts are the last submitted verdict per student and exercise
	// (watchModel.resend).
	verdicts  map[string]string
	row, col  int
	hideNames bool
	// legend: ? shows every key and symbol even when the terminal is too
	// low for them (watchModel.legend).
	legend bool
	// now is the clock (time.Now; tests use a fake one) and fetchedAt its
	// time when the board was read: the server's now is board.Now plus
	// the time since.
	now       func() time.Time
	fetchedAt time.Time
}

func newWatchModel(ctx context.Context, c boardClient, st *tui.Styles) *watchModel {
	ctx, cancel := context.WithCancel(ctx)
	return &watchModel{ctx: ctx, cancel: cancel, c: c, st: st, msgs: make(chan tea.Msg, 256), width: 80, height: 24, now: time.Now}
}

func (m *watchModel) stop() { m.cancel() }

func (m *watchModel) fetch() tea.Cmd {
	m.fetching, m.stale = true, false
	return func() tea.Msg {
		b, err := m.c.board(m.ctx)
		return watchBoardMsg{b, err}
	}
}

func (m *watchModel) next() tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-m.msgs:
			return msg
		case <-m.ctx.Done():
			return nil
		}
	}
}

func (m *watchModel) Init() tea.Cmd { return tea.Batch(m.fetch(), m.tick()) }

func (m *watchModel) tick() tea.Cmd {
	return tea.Tick(watchTick, func(time.Time) tea.Msg { return watchTickMsg{} })
}

func (m *watchModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			m.cancel()
			return m, tea.Quit
		case "esc":
			// The footer says q quits, as in the lab TUI: esc only closes
			// the legend (issue 12: esc quit at once).
			m.legend = false
			return m, nil
		case "?":
			m.legend = !m.legend
		case "up", "k":
			m.row = max(0, m.row-1)
		case "down", "j":
			m.row++
		case "left", "h":
			m.col = max(0, m.col-1)
		case "right", "l":
			m.col++
		case "p", "n":
			m.hideNames = !m.hideNames
		case "r":
			if !m.fetching {
				return m, m.fetch()
			}
		}
		m.clamp()
	case watchBoardMsg:
		m.fetching = false
		if msg.err != nil {
			// Shown, and tried again (issue 12: one lost first read left
			// watch at ○ 연결 중… for good).
			m.err = msg.err
			m.failures++
			d := m.c.retryDelay(m.failures)
			m.errRetryAt = m.now().Add(d)
			return m, tea.Batch(tea.Tick(d, func(time.Time) tea.Msg { return watchRetryMsg{} }), m.countdown())
		}
		m.err, m.failures = nil, 0
		b := msg.b
		m.board = &b
		m.fetchedAt = m.now()
		m.clamp()
		var cmds []tea.Cmd
		if !m.streaming {
			m.streaming = true
			// From a little before the board's seq: the server replays
			// the recent events, so a fresh watch shows them in its feed.
			go m.c.stream(m.ctx, max(0, b.LastSeq-watchLogKeep), m.msgs)
			cmds = append(cmds, m.next())
		}
		if m.stale {
			cmds = append(cmds, m.fetch())
		}
		return m, tea.Batch(cmds...)
	case watchTickMsg:
		if m.board != nil {
			m.board.RecomputeStuck(m.board.Now.Add(m.now().Sub(m.fetchedAt)))
		}
		return m, m.tick()
	case watchRetryMsg:
		if !m.fetching {
			return m, m.fetch()
		}
	case watchConnMsg:
		wasDown := m.connErr != nil
		m.connected = msg.ok
		m.connErr = msg.err
		m.connRetryAt = m.now().Add(msg.retry)
		cmds := []tea.Cmd{m.next(), m.countdown()}
		if msg.ok && wasDown && !m.fetching {
			// Back after an outage: the board as it is now (the
			// replayed events may not cover a restarted server's).
			cmds = append(cmds, m.fetch())
		}
		return m, tea.Batch(cmds...)
	case watchSecondMsg:
		m.counting = false
		return m, m.countdown()
	case watchEventMsg:
		if !m.resend(api.StreamEvent(msg)) {
			m.log = append(m.log, api.StreamEvent(msg))
			if len(m.log) > watchLogKeep {
				m.log = m.log[len(m.log)-watchLogKeep:]
			}
		}
		cmds := []tea.Cmd{m.next()}
		if m.board != nil && msg.Seq <= m.board.LastSeq && !m.fetching {
			// A replayed event the board already holds.
			return m, tea.Batch(cmds...)
		}
		if m.fetching {
			m.stale = true
		} else {
			cmds = append(cmds, m.fetch())
		}
		return m, tea.Batch(cmds...)
	}
	return m, nil
}

// countdown ticks every second while downLine shows (its "n초 후"),
// one tick chain at a time; nil otherwise.
func (m *watchModel) countdown() tea.Cmd {
	if m.counting {
		return nil
	}
	if _, down := m.downLine(); !down {
		return nil
	}
	m.counting = true
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return watchSecondMsg{} })
}

// downLine is the one line class watch shows while the server cannot be
// reached, before the first board as after it (a server stopped mid-
// class): "서버에 연결할 수 없습니다 (127.0.0.1:7070) · 3초 후 다시 시도 (q:
// 끝내기)", or "서버가 답하지 않습니다 (…)" when it did not answer in
// time; false when neither the board read nor the event stream failed so.
func (m *watchModel) downLine() (string, bool) {
	var ue watchUnreachable
	var at time.Time
	switch {
	case m.err != nil && errors.As(m.err, &ue):
		at = m.errRetryAt
	case !m.connected && m.connErr != nil && errors.As(m.connErr, &ue):
		at = m.connRetryAt
	default:
		return "", false
	}
	line := ue.Error() + " (" + m.c.host() + ") · "
	if left := at.Sub(m.now()); left > 0 {
		line += fmt.Sprintf("%d초 후 다시 시도", int((left+time.Second-1)/time.Second))
	} else {
		line += "다시 연결하는 중"
	}
	return line + " (q: 끝내기)", true
}

// serverFrom says where the server's address came from (instructorFlags).
func (m *watchModel) serverFrom() string {
	if m.c.inst.serverFrom != "" {
		return m.c.inst.serverFrom
	}
	return "--server 로 준 주소"
}

func (m *watchModel) clamp() {
	if m.board == nil {
		return
	}
	m.row = max(0, min(m.row, len(m.board.Students)-1))
	m.col = max(0, min(m.col, len(m.board.Exercises)-1))
}

// resend reports whether e is a submission with the same verdict
// (status, score, flags) as the student's previous one of the exercise:
// a re-send is not a new line in the feed (issue 12: "○ 시작 전" twice, a
// pass again a minute later). It remembers e's verdict.
func (m *watchModel) resend(e api.StreamEvent) bool {
	if e.Kind != "submitted" {
		return false
	}
	var d struct {
		Exercise, Status string
		Score, MaxScore  int
		Flags            []string
	}
	if json.Unmarshal(e.Data, &d) != nil {
		return false
	}
	key := e.RosterID + "\x00" + d.Exercise
	v := fmt.Sprintf("%s %d/%d %v", d.Status, d.Score, d.MaxScore, d.Flags)
	if m.verdicts == nil {
		m.verdicts = map[string]string{}
	}
	same := m.verdicts[key] == v
	m.verdicts[key] = v
	return same
}

// eventLine is eventLineNamed without the board's labels (the name as
// the event carries it).
func eventLine(e api.StreamEvent, hide bool) string { return eventLineNamed(e, hide, nil) }

// eventLineNamed describes an event in one Korean line: 참가, 제출, 재채점,
// 표시 (a flag on a submission), 강사 동작 with the web board's action
// names. A student is named by labels[roster id] when the board has them
// (api.DisplayNames: two 김민수 are 김민수·002 and 김민수·102, as in the
// grid), else by the event's name. With hide (projector) names become
// initials, the roster id and the flags are left out. An event that
// another one already tells (a removal's command) is "": not shown.
func eventLineNamed(e api.StreamEvent, hide bool, labels map[string]string) string {
	who := e.Name
	if who == "" {
		who = e.RosterID
	}
	if hide {
		who = "학생"
		if e.Name != "" {
			who = server.Initials(e.Name)
		}
	}
	if l, ok := labels[e.RosterID]; ok && e.RosterID != "" {
		who = l
	}
	var d struct {
		Exercise, Status, Kind, Message, Flag, RosterID string
		Score, MaxScore                                 int
		Flags                                           []string
		CapturedAt                                      time.Time
	}
	json.Unmarshal(e.Data, &d)
	t := e.Time.Local().Format("15:04:05")
	// A submission shows when the lab captured it, as the student's own
	// status does; the receive time is labelled when it is later (an
	// outbox drained after an outage; issue 12) by more than a live send.
	received := ""
	if e.Kind == "submitted" && !d.CapturedAt.IsZero() {
		t = d.CapturedAt.Local().Format("15:04:05")
		if e.Time.Sub(d.CapturedAt) > 10*time.Second {
			received = " (서버가 받은 시각 " + e.Time.Local().Format("15:04:05") + ")"
		}
	}
	switch e.Kind {
	case "class-created":
		return t + " 수업을 만들었습니다"
	case "class-changed": // store.EventClassChanged
		var c struct {
			Title         string    `json:"title"`
			Exercises     []string  `json:"exercises"`
			StuckAfter    string    `json:"stuckAfter"`
			Previous      string    `json:"previousStuckAfter"`
			PreviousTitle *string   `json:"previousTitle"`
			PreviousExs   *[]string `json:"previousExercises"`
		}
		json.Unmarshal(e.Data, &c)
		if c.StuckAfter != "" { // a changed --stuck
			if c.Previous == "" {
				d := koDurationText(c.StuckAfter)
				return fmt.Sprintf("%s 막힘 기준을 정했습니다: %s", t, d)
			}
			return fmt.Sprintf("%s 막힘 기준을 바꿨습니다: %s → %s", t, koDurationText(c.Previous), koDurationText(c.StuckAfter))
		}
		list := func(exs []string) string {
			if len(exs) == 0 {
				return "모든 연습"
			}
			return strings.Join(exs, ", ")
		}
		if c.PreviousTitle == nil || c.PreviousExs == nil {
			// An older server's event: the settings as they are now.
			return fmt.Sprintf("%s 수업 설정을 바꿨습니다: %q, 연습 %s", t, c.Title, list(c.Exercises))
		}
		// Only what changed (issue 12: a new --title alone also named
		// the unchanged exercises).
		var parts []string
		if *c.PreviousTitle != c.Title {
			parts = append(parts, fmt.Sprintf("제목 %q → %q", *c.PreviousTitle, c.Title))
		}
		if !slices.Equal(*c.PreviousExs, c.Exercises) {
			parts = append(parts, "연습 "+list(*c.PreviousExs)+" → "+list(c.Exercises))
		}
		if len(parts) == 0 {
			return t + " 수업 설정을 다시 저장했습니다 (바뀐 것 없음)"
		}
		return fmt.Sprintf("%s 수업 설정을 바꿨습니다: %s", t, strings.Join(parts, ", "))
	case "joined":
		return t + " " + who + " 참가"
	case "rejoin-approved":
		return t + " " + who + " 다시 참가 승인"
	case "student-removed": // store.EventRemoved
		// The one line of a removal, as an instructor action like the
		// board's 최근 동작; its command event says nothing more.
		return t + " 강사 동작: " + commandWord("remove-student") + " · " + who + " (명단에서 뺌)"
	case "submitted":
		if d.Status == api.StatusNotStarted {
			// Opening or resetting an exercise: one quiet line, not a
			// failed-looking "제출 … ○ 시작 전 0/10" (issue 12).
			s := t + " " + who + " " + d.Exercise + " " + api.NotStartedNote + received
			if len(d.Flags) > 0 && !hide {
				s += " " + watchFlagMark + " " + api.FlagsText(d.Flags)
			}
			return s
		}
		s := fmt.Sprintf("%s %s 제출 %s %s %d/%d", t, who, d.Exercise, statusWord(d.Status), d.Score, d.MaxScore) + received
		if len(d.Flags) > 0 && !hide {
			s += " " + watchFlagMark + " " + api.FlagsText(d.Flags)
		}
		return s
	case "regraded":
		s := t + " " + who + " 재채점"
		if d.Exercise != "" {
			s += " " + d.Exercise
		}
		return s + fmt.Sprintf(" %s %d/%d", statusWord(d.Status), d.Score, d.MaxScore)
	case "flagged":
		if hide { // flags accuse: not on the projector
			return t + " 표시 (이름 가리기 중에는 숨김)"
		}
		return t + " " + who + " 표시: " + watchFlagMark + " " + api.FlagText(d.Flag)
	case "command":
		if d.Kind == "remove-student" {
			// Stored with its student-removed event (one transaction,
			// store.RemoveStudent), which is the removal's one line
			// (issue 12: two lines per removal).
			return ""
		}
		s := t + " 강사 동작: " + commandWord(d.Kind)
		if d.Exercise != "" {
			s += " · " + d.Exercise
		}
		if e.RosterID != "" || e.Name != "" {
			s += " · " + who
		}
		if d.Message != "" {
			s += " — " + d.Message
		}
		return s
	}
	return t + " " + e.Kind + " " + who
}

// commandWord is an instructor action's Korean name and symbol
// (api.CommandText, the web board's COMMANDS).
func commandWord(kind string) string { return api.CommandText(kind) }

// statusWord is a status with the web board's icon and word
// (api.StatusText: ✔ 통과, ✘ 진행 중, ○ 시작 전, … 진행 중).
func statusWord(s string) string { return api.StatusText(s) }

// lateIcon is the one-cell icon of a late submission's status.
func lateIcon(status string) string {
	switch status {
	case api.StatusPassed:
		return "✔"
	case api.StatusFailed:
		return "✘"
	}
	return "○"
}

// watchStuckMark marks a stuck student (the web board's ⚑ 막힘); a
// flagged cell is marked with watchFlagMark.
const (
	watchStuckMark = "⚑"
	watchFlagMark  = "⚠"
	// watchNowMark: the newest submission differs from the one that
	// counts (a late pass, a later failure after a pass).
	watchNowMark = "*"
)

const (
	// watchNameW holds the stuck mark and a board label ("12 김민수·002").
	watchNameW = 17
	// watchMinFeed is the fewest event lines under the grid when there is
	// room; watchLogKeep how many recent events watch keeps (and asks the
	// server to replay when it opens).
	watchMinFeed = 2
	watchLogKeep = 100
	// watchMinGrid is the fewest student rows shown, even on a low
	// terminal (issue 12: one student row at 60×12).
	watchMinGrid = 4
	// watchColW: a cell's six result cells (watchResultW) with the now
	// mark right after the score, a space, the hints (two), a space, the
	// flag and a space (watchModel.cell): each field in its own column,
	// spaces between (issue 12: "✔ 10*H1⚠", "—✔10 H1" and "— ✔10" ran
	// together; a late-only cell is "— ✔ 10", as wide as "  ✔ 10").
	watchColW    = 13
	watchResultW = 6
)

// alignNumber right-aligns the board number n that starts label
// (api.BoardLabels: "12 김민수·002") in w cells, so the names of students
// 9 and 10 start in the same column (issue 12); a label without it is
// returned as it is.
func alignNumber(label string, n, w int) string {
	num := strconv.Itoa(n)
	if !strings.HasPrefix(label, num+" ") {
		return label
	}
	return strings.Repeat(" ", max(0, w-len(num))) + label
}

func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// fitWords is fit for words (a sentence, an event): a line too wide is
// shortened where render.Wrap would break it — never inside a word, a
// time, an identifier, nor between a word and its particle — and ends in
// "…" (issue 12: "(서버가 받은 시…" at 80 columns).
func fitWords(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return fit(s, w)
	}
	first, _, _ := strings.Cut(render.Wrap(s, max(1, w-1)), "\n")
	return fit(strings.TrimRight(first, " ")+"…", w)
}

// wrapEvent is an event line wrapped to w cells at word breaks
// (render.WrapHanging), its continuation rows under the text after the
// time.
func wrapEvent(line string, w int) []string {
	prefix, rest, ok := strings.Cut(line, " ")
	if !ok {
		return strings.Split(render.Wrap(line, w), "\n")
	}
	return strings.Split(render.WrapHanging(prefix+" ", rest, w), "\n")
}

func (m *watchModel) View() string {
	w := max(m.width, 40)
	var lines []string
	title := " dslab 수업 보드"
	if m.board != nil {
		title += " — " + m.board.Class
	}
	conn := "○ 실시간 연결 중… "
	switch {
	case m.connected:
		conn = "● 실시간 "
	case m.board == nil:
		conn = "○ 보드 읽는 중… "
	}
	pad := max(0, w-ansi.StringWidth(title)-ansi.StringWidth(conn))
	lines = append(lines, m.st.HeaderTitle.Render(ansi.Truncate(title, w-ansi.StringWidth(conn), "…")+strings.Repeat(" ", pad))+m.st.HeaderInfo.Render(conn))
	down, isDown := m.downLine()
	switch {
	case isDown:
		// Wrapped at word breaks: the countdown is never cut off (60
		// columns take two rows).
		for _, l := range strings.Split(render.Wrap(down, w), "\n") {
			lines = append(lines, m.st.Error.Render(fit(l, w)))
		}
		if m.board == nil {
			// Before the first board: what to do, on the same screen.
			for _, l := range strings.Split(render.Wrap("서버(dslab class serve)가 켜지면 저절로 이어집니다. 주소가 다르면 q 로 끝내고 --server 로 주세요 (이 주소: "+m.serverFrom()+").", w), "\n") {
				lines = append(lines, fit(l, w))
			}
		}
	case m.err != nil:
		lines = append(lines, m.st.Error.Render(fitWords(fmt.Sprintf("보드를 읽지 못했습니다 (%d번째): %s — %s 뒤 다시 시도합니다 (q: 끝내기)", m.failures, m.err.Error(), koDuration(m.c.retryDelay(m.failures))), w)))
	}
	if !isDown && !m.connected && m.connErr != nil && m.board != nil {
		lines = append(lines, m.st.Warn.Render(fitWords("실시간 연결 안 됨: "+m.connErr.Error()+" — 다시 연결하는 중", w)))
	}
	if m.board == nil {
		return strings.Join(lines, "\n")
	}
	b := m.board
	if b.Frozen {
		lines = append(lines, m.st.Warn.Render(fitWords(api.PauseMark+" 제출 마감 중: 지금 받는 제출은 '마감 후'로 표시됩니다", w)))
	}
	if b.JoinClosed {
		// The board's 참가 닫힘 (issue 12: closing joining showed nowhere).
		lines = append(lines, m.st.Warn.Render(fitWords(joinClosedLine(b.JoinClosedAt), w)))
	}
	ncols := max(1, (w-watchNameW)/watchColW)
	first := 0
	if m.col >= ncols {
		first = m.col - ncols + 1
	}
	last := min(len(b.Exercises), first+ncols)
	// The rows: the title (and banners) and the column header on top,
	// always; the legend at the bottom; between them the grid, at least
	// watchMinGrid students (or all), then the footer by priority — the
	// selected exercise, the selected cell (wrapped), the common failure,
	// the event feed — and rows the grid does not need go to the feed
	// (issue 12: 2 lines and 12 blank rows at 80×40; at 60×12 the title
	// scrolled away and one student row was left).
	legend := m.legendLines(w)
	room := m.height - len(lines) - 1 - len(legend)
	f := m.footerParts(w)
	n := len(b.Students)
	gridRows := min(max(n, 1), max(min(max(n, 1), watchMinGrid), room-len(f.exercise)-len(f.detail)-watchMinFeed))
	gridRows = max(1, min(gridRows, room))
	footer := f.fit(m, w, room-gridRows)
	avail := gridRows
	top := 0
	if m.row >= avail {
		top = m.row - avail + 1
	}
	label := "학생"
	if len(b.Students) > avail {
		// Where the shown rows are among all students, counted as rows,
		// not as the students' numbers (issue 12: "학생 1–4/4" beside a
		// student numbered 5; numbers stay after a removal). "번째" goes
		// when it does not fit the column.
		from, to, n := top+1, min(len(b.Students), top+avail), len(b.Students)
		label = fmt.Sprintf("%d명 중 %d–%d번째", n, from, to)
		if ansi.StringWidth(label) > watchNameW {
			label = fmt.Sprintf("%d명 중 %d–%d", n, from, to)
		}
	}
	hdr := fit(label, watchNameW)
	for i := first; i < last; i++ {
		// The exercise's number right-aligned over the cells' scores
		// (watchModel.cell: the result's four cells, then the marks).
		label := fmt.Sprintf("%*d", watchResultW, i+1) + strings.Repeat(" ", watchColW-watchResultW)
		if i == m.col {
			label = m.st.SelectedRow.Render(label)
		}
		hdr += label
	}
	lines = append(lines, m.st.ColumnHeader.Render(hdr))
	if len(b.Students) == 0 {
		lines = append(lines, m.st.Dim.Render("아직 참가한 학생이 없습니다"))
	}
	labels := api.BoardLabels(b.Students, m.nameMode())
	numW := 1
	for i, s := range b.Students {
		numW = max(numW, len(strconv.Itoa(api.StudentNo(s, i))))
	}
	for i := top; i < len(b.Students) && i < top+avail; i++ {
		s := b.Students[i]
		name := alignNumber(labels[i], api.StudentNo(s, i), numW)
		mark := "  "
		if s.Stuck {
			mark = watchStuckMark + " "
		}
		row := fit(mark+name, watchNameW-1) + " " // a space before the first cell
		if i == m.row {
			row = m.st.SelectedRow.Render(row)
		} else if s.Stuck {
			row = m.st.Warn.Render(row)
		}
		for j := first; j < last; j++ {
			row += m.cell(s.Cells[b.Exercises[j].ID])
		}
		lines = append(lines, row)
	}
	lines = append(lines, footer...)
	for len(lines) < m.height-len(legend) {
		lines = append(lines, "")
	}
	lines = append(lines, legend...)
	// A terminal lower than even that: the top stays, the rest is cut.
	if m.height > 0 && len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// cell is one grid cell (watchColW wide): four cells of result — the
// counted submission's icon and score (a pass stays passed, docs/class.md
// "점수 규칙"), "—" for none counted (the board's api.NoSubmissionMark;
// with only late submissions "—" and the late result, as the board's
// "— (지금: ✔ … 마감 후)") — then every mark the board shows, each in its
// own place so none hides another (issue 12: ⚠ hid * and H, and H lost
// its count): watchNowMark when the newest submission differs from the
// one that counts (the board's "(지금: …)"), "H<n>" for the n hints the
// student had (watchHints: read in the lab or unlocked by the instructor;
// "H+" from 10), watchFlagMark for flags (not with
// names hidden: flags accuse), and a space.
func (m *watchModel) cell(c api.BoardCell) string {
	now := " "
	if c.Now != nil && c.Status != "" {
		now = watchNowMark
	}
	hints := "  "
	switch h := watchHints(c); {
	case h > 9:
		hints = "H+"
	case h > 0:
		hints = fmt.Sprintf("H%d", h)
	}
	// A late flag is marked too: the detail line names it (마감 후 제출),
	// and the board shows it (issue 12: "— ✔10" with no ⚠).
	flags := c.Flags
	lateOnly := c.Status == "" && c.Now != nil && c.Now.Late
	flag := " "
	if len(flags) > 0 && !m.hideNames {
		flag = watchFlagMark
	}
	marks := now + " " + hints + " " + flag + " "
	if c.Status == "" {
		if lateOnly {
			n := c.Now
			return m.st.Dim.Render(fmt.Sprintf("%s %s %2d", api.NoSubmissionMark, lateIcon(n.Status), n.Score) + marks)
		}
		return m.st.Dim.Render(fmt.Sprintf("%*s", watchResultW, api.NoSubmissionMark) + marks)
	}
	icon, _ := api.StatusMark(c.Status)
	style := m.st.Dim
	switch c.Status {
	case api.StatusPassed:
		style = m.st.Good
	case api.StatusFailed:
		style = m.st.Bad
	}
	return style.Render(fmt.Sprintf("%*s", watchResultW, fmt.Sprintf("%s %2d", icon, c.Score))) + marks
}

// watchHints is the hints the student had of a cell's exercise: the
// board's BoardCell.HintsHad (api.HintsHad, the export's <id>.힌트 too),
// or from HintsUsed and Hints by the same function when the server did not
// send it. Issue 12: H counted only the instructor's unlocks, while the
// board showed the hints the student read.
func watchHints(c api.BoardCell) int {
	if c.HintsHad > 0 {
		return c.HintsHad
	}
	return api.HintsHad(c.HintsUsed, c.Hints, 0)
}

// watchFooter is what goes under the grid, by part: the selected
// exercise's line and its common failure (exercise), the selected cell in
// words, wrapped (detail).
type watchFooter struct {
	exercise []string
	detail   []string
}

func (m *watchModel) footerParts(w int) watchFooter {
	b := m.board
	var f watchFooter
	if len(b.Exercises) > 0 {
		x := b.Exercises[m.col]
		f.exercise = append(f.exercise, m.st.Section.Render(fitWords(fmt.Sprintf("%d. %s · 통과 %d명 (시도 %d명 · 전체 %d명) — %s", m.col+1, x.ID, x.Passed, x.Attempted, len(b.Students), x.Title), w)))
		if cf := x.CommonFailure; cf != nil {
			f.exercise = append(f.exercise, fitWords(fmt.Sprintf("많이 틀린 검사: %s (%d명) — %s", cmpOr(cf.Title, cf.Check), cf.Students, cf.Reason), w))
		} else {
			f.exercise = append(f.exercise, m.st.Dim.Render(fit("틀린 검사가 없습니다", w)))
		}
	}
	if len(b.Exercises) > 0 && m.row < len(b.Students) {
		// Wrapped, never cut where there is room (issue 12: "(지금: ✔
		// 통과 10/10, 마감 후 — 점수에 들어가지…" at 80 cells).
		// At word breaks (render.Wrap), never inside a word.
		f.detail = strings.Split(render.Wrap(m.cellDetail(b.Students[m.row], b.Exercises[m.col].ID), w), "\n")
	}
	return f
}

// fit lays the footer out in rows rows, in its order (the exercise's
// line, its common failure, the cell, the newest events with the newest
// last and blank lines when fewer), giving rows by priority when they
// are short: the exercise's line, the cell (its last row shown ends in
// "…" when cut), the common failure, the feed.
func (f watchFooter) fit(m *watchModel, w, rows int) []string {
	rows = max(0, rows)
	take := func(n int) int { n = min(n, rows); rows -= n; return n }
	exLine := take(min(1, len(f.exercise)))
	detail := take(len(f.detail))
	common := take(len(f.exercise) - exLine)
	feed := rows
	var out []string
	out = append(out, f.exercise[:exLine+common]...)
	for i := range detail {
		if i == detail-1 && detail < len(f.detail) {
			// The last row shown: the rest shortened at a word break.
			out = append(out, fitWords(strings.Join(f.detail[i:], " "), w))
			break
		}
		out = append(out, fit(f.detail[i], w))
	}
	// The newest events that fit, each whole (wrapped at word breaks;
	// issue 12: "(서버가 받은 시…" cut at 80 columns), the newest last;
	// one that does not fit alone is shortened at a word break.
	var events []string
	labels := m.labels()
	for i := len(m.log) - 1; i >= 0 && len(events) < feed; i-- {
		line := eventLineNamed(m.log[i], m.hideNames, labels)
		if line == "" {
			continue
		}
		rows := wrapEvent(line, w)
		if len(rows) > feed-len(events) {
			if len(events) == 0 {
				events = []string{fitWords(line, w)}
			}
			break
		}
		events = append(rows, events...)
	}
	for _, l := range events {
		out = append(out, m.st.Dim.Render(fit(l, w)))
	}
	for i := len(events); i < feed; i++ {
		out = append(out, "")
	}
	return out
}

// legendLines is the keys and symbols at the bottom: whole (wrapped,
// never cut) when that takes at most an eighth of the rows or with ?,
// else one row of what fits and "? 모든 기호" (issue 12: at 60×12 the
// legend took 4 of the 12 rows).
func (m *watchModel) legendLines(w int) []string {
	var out []string
	items := watchLegend()
	whole := wrapItems(items, w)
	if m.legend {
		whole = wrapItems(append(items, "? 닫기"), w)
	}
	if m.legend || len(whole) <= m.height/8 {
		for _, l := range whole {
			out = append(out, m.st.StatusBar.Render(fit(l, w)))
		}
		return out
	}
	// q and ? always, at the end; before them the other keys that fit,
	// then the symbols while they fit, in order.
	const quit, more = "q 끝내기", "? 모든 기호"
	end := quit + " · " + more
	var shown []string
	fits := func(it string) bool {
		return ansi.StringWidth(strings.Join(append(slices.Clone(shown), it, end), " · ")) <= w
	}
	keys, symbols := items[:4], items[4:]
	allKeys := true
	for _, it := range keys {
		switch {
		case it == quit:
		case fits(it):
			shown = append(shown, it)
		default:
			allKeys = false
		}
	}
	for _, it := range symbols {
		if !allKeys || !fits(it) {
			break
		}
		shown = append(shown, it)
	}
	return []string{m.st.StatusBar.Render(fit(strings.Join(append(shown, end), " · "), w))}
}

// watchLegend is the keys (the first four) and the symbols.
func watchLegend() []string {
	return []string{"↑↓←→ 이동", "p 이름 가리기", "r 새로 고침", "q 끝내기",
		api.StatusText(api.StatusPassed), api.StatusText(api.StatusFailed), api.StatusText(api.StatusNotStarted),
		api.NoSubmissionMark + " " + api.NoSubmissionWord, "H2 열린 힌트 2개 (본 것·강사가 연 것)", watchNowMark + " 최근 제출은 다름", watchFlagMark + " 표시", watchStuckMark + " 막힘"}
}

// wrapItems joins items with " · " into lines at most w cells wide,
// breaking only between items (an item wider than w gets its own line).
func wrapItems(items []string, w int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur)+3+ansi.StringWidth(it) <= w:
			cur += " · " + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// cellDetail is the selected cell in words: the counted state, the newest
// submission when it differs ("통과 10/10 (지금: 시작 전 0/10)"), the hints
// and the flags.
func (m *watchModel) cellDetail(s api.BoardStudent, ex string) string {
	name := m.labels()[s.RosterID] // api.BoardLabels, as in the grid
	c := s.Cells[ex]
	text := name + " · " + ex + ": "
	switch {
	case c.Submissions == 0:
		text += api.NoSubmissionMark + " " + api.NoSubmissionWord
	case c.Status == "":
		text += api.NoSubmissionMark + " 제때 낸 제출 없음"
	default:
		text += fmt.Sprintf("%s %d/%d", statusWord(c.Status), c.Score, c.MaxScore)
	}
	if n := c.Now; n != nil {
		late := ""
		if n.Late {
			late = ", 마감 후 — 점수에 들어가지 않음"
		}
		text += fmt.Sprintf(" (지금: %s %d/%d%s)", statusWord(n.Status), n.Score, n.MaxScore, late)
	}
	if c.HintsUsed != nil {
		text += fmt.Sprintf(" · 힌트 본 것 %d", *c.HintsUsed)
	}
	if c.Hints > 0 {
		text += fmt.Sprintf(" · 강사가 연 힌트 %d", c.Hints)
	}
	if len(c.Flags) > 0 && !m.hideNames {
		text += " · 표시: " + api.FlagsText(c.Flags)
	}
	return text
}

// labels maps each student's roster id to its label: the web board's
// and projector's student number with the name (api.BoardLabels,
// nameMode), so "12 김○○" in watch is 12 on the board (issue 12: watch
// numbered only students sharing initials, "김○○·1").
func (m *watchModel) labels() map[string]string {
	if m.board == nil {
		return nil
	}
	out := make(map[string]string, len(m.board.Students))
	for i, l := range api.BoardLabels(m.board.Students, m.nameMode()) {
		out[m.board.Students[i].RosterID] = l
	}
	return out
}

// nameMode is the api.BoardLabels mode of the grid, the feed and the
// detail line: initials with names hidden (p, projector), else full names.
func (m *watchModel) nameMode() string {
	if m.hideNames {
		return api.NamesInitials
	}
	return api.NamesFull
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// joinClosedLine is class watch's line while joining is closed (since:
// when; zero leaves the time out); it fits 80 columns.
func joinClosedLine(since time.Time) string {
	at := ""
	if !since.IsZero() {
		at = " (" + since.Local().Format("15:04") + " 부터)"
	}
	return "참가 닫힘" + at + ": 새 학생 참가 거절 · 명단의 학생은 다시 참가 가능"
}
