package tui

// The class hook: while the learner is joined to a class (Lab.Class), the
// TUI polls the class server for the instructor's commands every few
// seconds on a goroutine of its own and shows what they did (a broadcast,
// an opened hint, a reset and its reason) in the status area. The hook
// touches the rest of the package in four places: the Lab.Class field,
// Model.Init (classInit), Model.Update (classTickMsg, classEventMsg →
// onClass) and Model.statusView (statusNote).

import (
	"context"
	"strings"
	"time"

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

	// message is what the latest poll that had something to say said
	// (its lines joined by " · "); lines are those lines and fresh is set
	// while the current poll has said nothing yet. Changed only in the
	// root model's Update.
	message string
	lines   []string
	fresh   bool
}

// say adds a line of the current poll to the message.
func (p *ClassPoll) say(s string) {
	if p.fresh {
		p.lines, p.fresh = nil, false
	}
	p.lines = append(p.lines, s)
	p.message = strings.Join(p.lines, " · ")
}

// Message is the class line the status area shows when no other notice
// is up: the lines of the latest poll that had any, joined by " · " (""
// before the first).
func (p *ClassPoll) Message() string {
	if p == nil {
		return ""
	}
	return p.message
}

// classTickMsg starts a poll.
type classTickMsg struct{}

// classEvent is a line from a poll, or its end.
type classEvent struct {
	text string
	done bool
	err  error
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
		p.fresh = true
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
			send(classEvent{done: true, err: err})
		}()
		return m, waitClass(ch)
	case classEventMsg:
		if msg.text != "" {
			p.say(msg.text)
		}
		if msg.err != nil {
			c.Logger.Warn("class commands", "err", msg.err)
			p.say(msg.err.Error())
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
// exercise's preparation under way (prepNote), else the newest class
// line.
func (m Model) statusNote() string {
	if m.notice != "" {
		return m.notice
	}
	if p := m.prepNote(); p != "" {
		return p
	}
	return m.classPoll().Message()
}
