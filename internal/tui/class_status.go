package tui

// The class hook: while the learner is joined to a class (Lab.Class), the
// TUI polls the class server for the instructor's commands every few
// seconds on a goroutine of its own and shows what they did (a broadcast,
// an opened hint, a reset and its reason) in the status area. The hook
// touches the rest of the package in these places: the Lab.Class field,
// Model.Init (classInit), Model.Update (classTickMsg, classEventMsg →
// onClass; the class key, classKey), KeyMap.ClassNotes and
// Model.statusView/fitChrome (classLines). Every line is queued and
// shown until the learner goes on with the class key (issue 12: two
// broadcasts that came while another notice was up never showed).

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
)

// DefaultClassEvery is the time between two polls of the class server.
const DefaultClassEvery = 5 * time.Second

// ClassPoll connects the TUI to the class server's instructor commands.
type ClassPoll struct {
	// Poll fetches and applies the pending commands (a client.Applier
	// with lab.ClassActions). conn is the lab cluster the TUI is connected
	// to (nil when none: a reset waits); notify shows a Korean line in the
	// status area. It runs on its own goroutine, never the UI's; an error
	// it returns (a command that stays pending) is shown too, so it should
	// return nil when the server is merely unreachable.
	Poll func(ctx context.Context, conn *kube.Conn, notify func(string)) error
	// Every is the time between the end of one poll and the next
	// (DefaultClassEvery when 0).
	Every time.Duration
	// Exercises, when set, is the class's exercise list now (the
	// credentials as the class server last gave them), asked after each
	// Poll on the poll's goroutine: a changed list replaces
	// Lab.ClassExercises (the footer's count, the next exercise; issue
	// 12: the list read at start outlived the instructor's change). nil
	// or an empty answer keeps the list.
	Exercises func(ctx context.Context) []string
	// Waiting, when set, is how many submissions wait in the outbox for
	// the server now, asked after each Poll on the poll's goroutine: while
	// any wait, the class line says so (Waiting; WaitingText). nil: never.
	Waiting func() int
	// WaitingText is the line of n waiting submissions ("" for none).
	WaitingText func(n int) string

	// waiting is the last Waiting answer. Changed only in the root
	// model's Update.
	waiting int

	// notes are the class lines of this session, oldest first (every
	// broadcast, hint, reset, freeze note and pending error; an error
	// repeated by the next polls is kept once). notes[from:] is the queue
	// shown one at a time in a line of its own above the status bar
	// ("공지 2/2"), at the one shown (a new line comes to the front);
	// at == len(notes) shows none. The class key (KeyMap.ClassNotes) goes
	// to the next older one, closes after the oldest, and with none shown
	// opens the whole session's list again from the newest.
	// Changed only in the root model's Update.
	notes    []string
	from, at int
}

// say shows a line at once, the newest in front (an instructor's later
// freeze or reset must not wait behind an older broadcast, issue 12):
// the lines not yet closed stay behind it, reachable with the class key;
// another notice never replaces it.
func (p *ClassPoll) say(s string, repeatable bool) {
	if !repeatable && slices.Contains(p.notes[p.from:], s) {
		return // a pending command's error, said again by every poll
	}
	if p.at == len(p.notes) {
		p.from = len(p.notes) // nothing shown: a new queue starts here
	}
	p.notes = append(p.notes, s)
	p.at = len(p.notes) - 1
}

// next is the class key: the next older line of the queue, or closing
// after the oldest; with none shown, the session's lines again from the
// newest.
func (p *ClassPoll) next() {
	switch {
	case p.at < len(p.notes) && p.at > p.from:
		p.at--
	case p.at < len(p.notes):
		p.from, p.at = len(p.notes), len(p.notes)
	default:
		p.from, p.at = 0, len(p.notes)-1
	}
}

// Message is the class line shown above the status bar: the line in view
// with its place in the queue, oldest first ("공지 2/2 · …"), and what the
// class key does next; "" when none is shown.
func (p *ClassPoll) Message() string {
	if p == nil || p.at >= len(p.notes) {
		return ""
	}
	n, i := len(p.notes)-p.from, p.at-p.from+1
	key := "i 이전 공지"
	if p.at == p.from {
		key = "i 닫기"
	}
	return fmt.Sprintf("공지 %d/%d · %s (%s)", i, n, p.notes[p.at], key)
}

// classTickMsg starts a poll.
type classTickMsg struct{}

// classEvent is a line from a poll, or its end.
type classEvent struct {
	text string
	done bool
	err  error
	// exercises is the class's exercise list with done (ClassPoll.Exercises).
	exercises []string
	// waiting is the outbox's count with done (ClassPoll.Waiting; -1:
	// not asked).
	waiting int
}

// classEventMsg delivers one classEvent; ch has the rest.
type classEventMsg struct {
	classEvent
	ch <-chan classEvent
}

func (m Model) classPoll() *ClassPoll {
	if l := m.common.Lab; l != nil && l.Class != nil && l.Class.Poll != nil {
		return l.Class
	}
	return nil
}

// classInit polls at once (a learner who was away gets what it missed).
func (m Model) classInit() tea.Cmd {
	if m.classPoll() == nil {
		return nil
	}
	return func() tea.Msg { return classTickMsg{} }
}

func classTick(p *ClassPoll) tea.Cmd {
	every := p.Every
	if every <= 0 {
		every = DefaultClassEvery
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return classTickMsg{} })
}

func waitClass(ch <-chan classEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return classEventMsg{classEvent: classEvent{done: true}}
		}
		return classEventMsg{classEvent: ev, ch: ch}
	}
}

// onClass handles classTickMsg and classEventMsg.
func (m Model) onClass(msg tea.Msg) (tea.Model, tea.Cmd) {
	p := m.classPoll()
	if p == nil {
		return m, nil
	}
	c := m.common
	switch msg := msg.(type) {
	case classTickMsg:
		// Not while the learner's own start, reset or cluster operation
		// runs: the instructor's reset would race it.
		if c.Live.Op != opNone || m.exercise.busy != "" {
			return m, classTick(p)
		}
		var conn *kube.Conn
		if c.Live.Connected() {
			conn = c.Live.Update.Conn
		}
		ctx := c.Lab.ctx()
		ch := make(chan classEvent, 8)
		go func() {
			defer close(ch)
			send := func(ev classEvent) {
				select {
				case ch <- ev:
				case <-ctx.Done():
				}
			}
			err := p.Poll(ctx, conn, func(s string) { send(classEvent{text: s}) })
			var ids []string
			if p.Exercises != nil {
				ids = p.Exercises(ctx)
			}
			waiting := -1
			if p.Waiting != nil {
				waiting = p.Waiting()
			}
			send(classEvent{done: true, err: err, exercises: ids, waiting: waiting})
		}()
		return m, waitClass(ch)
	case classEventMsg:
		if msg.text != "" {
			p.say(msg.text, true)
		}
		if msg.err != nil {
			c.Logger.Warn("class commands", "err", msg.err)
			p.say(msg.err.Error(), false)
		}
		if msg.done && msg.waiting >= 0 {
			p.waiting = msg.waiting
		}
		if len(msg.exercises) > 0 && !slices.Equal(msg.exercises, c.Lab.ClassExercises) {
			c.Lab.ClassExercises = slices.Clone(msg.exercises)
		}
		if m.exercise.loaded {
			n := lab.HintsOpen(c.Progress, m.exercise.ex.ID, len(m.exercise.ex.Hints))
			m.exercise.hints = max(m.exercise.hints, n)
		}
		if msg.done || msg.ch == nil {
			return m, classTick(p)
		}
		return m, waitClass(msg.ch)
	}
	return m, nil
}

// statusNote is the status area's text: the screen's notice, else the
// exercise's preparation under way (prepNote); the class line has lines of
// its own (classLines).
func (m Model) statusNote() string {
	if m.notice != "" {
		return m.notice
	}
	return m.prepNote()
}

// classKey handles the class key (KeyMap.ClassNotes) before the screens
// see it; ok false when it is not that key or there is nothing to show.
func (m Model) classKey(k tea.KeyMsg) bool {
	p := m.classPoll()
	if p == nil || len(p.notes) == 0 || m.state == stateHelp || m.common.TooSmall() {
		return false
	}
	if !key.Matches(k, m.common.KeyMap.ClassNotes) {
		return false
	}
	p.next()
	return true
}

// classLines are the class line wrapped whole over the terminal's width
// (nil when none is shown), up to maxNoticeLines lines.
//
// While submissions wait in the outbox for the server, the class line
// says so (ClassPoll.Waiting), after the notice in view when there is one.
func (m Model) classLines() []string {
	c := m.common
	p := m.classPoll()
	note := p.Message()
	if w := p.waitingLine(); w != "" {
		if note == "" {
			note = w
		} else {
			note += " · " + w
		}
	}
	if note == "" || c.Width <= 0 || c.TooSmall() {
		return nil
	}
	lines := wrapHanging(" ", note, c.Width)
	if len(lines) > maxNoticeLines {
		lines = append(lines[:maxNoticeLines-1], truncate(strings.Join(lines[maxNoticeLines-1:], " "), c.Width))
	}
	return lines
}

// waitingLine is the line of the submissions waiting in the outbox ("" for
// none, or when the hook does not say).
func (p *ClassPoll) waitingLine() string {
	if p == nil || p.waiting <= 0 || p.WaitingText == nil {
		return ""
	}
	return p.WaitingText(p.waiting)
}
