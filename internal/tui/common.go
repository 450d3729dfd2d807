package tui

import (
	"log/slog"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

// Minimum terminal size; below it the TUI shows only a Korean notice.
const (
	MinWidth  = 60
	MinHeight = 12
)

// maxReadingWidth caps the width lessons are wrapped at: very long lines
// are hard to read.
const maxReadingWidth = 120

// Common is shared by the root model and every screen (one pointer, owned by
// the root model and changed only in Update).
type Common struct {
	// Width and Height are the terminal size.
	Width, Height int

	Styles *Styles
	KeyMap *KeyMap
	Logger *slog.Logger
	Paths  paths.Paths

	Course   []lessons.Lesson
	Progress *progress.Store
	Markdown *render.Renderer

	// Lab is nil when the TUI runs without the cluster features.
	Lab *Lab
	// Live is the latest cluster state (never nil).
	Live *Live
	// Applier applies the open exercise's work file on every save, also
	// while the TUI is suspended in the editor or the lab shell (nil
	// without Lab.WorkFiles: the file is then applied when the editor
	// closes).
	Applier *lab.AutoApplier
	// NoticeLines are the lines a status notice too long for the status
	// bar takes above it (0 when it fits; set by the root model's Update).
	NoticeLines int

	// saves tracks the progress saves running in commands' goroutines, so
	// that the quit's last save waits for them and none writes after it
	// (the program returns with no save in flight).
	saves *saveTracker
	// noticeTTL is how long an informational notice stays (Options.NoticeTTL).
	noticeTTL time.Duration

	// queued are the messages screens asked the root model to apply in
	// the same Update (queue): a change of screen or lesson a key makes.
	queued []tea.Msg
}

// saveTracker runs progress saves from command goroutines; once closed
// (last: the quit's save) it runs none, last having waited for those
// that ran. Its zero value is ready; a nil one just saves.
type saveTracker struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// run runs save unless the tracker is closed (nil then).
func (t *saveTracker) run(save func() error) error {
	if t == nil {
		return save()
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.wg.Add(1)
	t.mu.Unlock()
	defer t.wg.Done()
	return save()
}

// last waits for the saves under way, refuses later ones and runs save,
// the last.
func (t *saveTracker) last(save func() error) error {
	if t == nil {
		return save()
	}
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.wg.Wait()
	return save()
}

// queue asks the root model to apply msg (an openLessonMsg, a way back,
// a NoticeMsg, …) before it takes the next message, and returns nil in
// place of a command. A key's change of screen goes through it rather
// than through a tea.Cmd: a command's message arrives after keys already
// read, so with keys typed faster than the screen changes ("n n" in one
// write, tmux send-keys) the second key would act on the old screen — two
// n would open the same next lesson (issue 14).
func (c *Common) queue(msg tea.Msg) tea.Cmd {
	c.queued = append(c.queued, msg)
	return nil
}

// takeQueued returns the queued messages and empties the queue.
func (c *Common) takeQueued() []tea.Msg {
	q := c.queued
	c.queued = nil
	return q
}

// Exercises returns the exercises in order (none without a Lab).
func (c *Common) Exercises() []exercises.Exercise {
	if c.Lab == nil || c.Lab.Catalog == nil {
		return nil
	}
	return c.Lab.Catalog.All()
}

// lessonIndex returns the index in Course of the lesson with id.
func (c *Common) lessonIndex(id string) int {
	for i, l := range c.Course {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// chrome is the number of lines around a screen's body: header, status bar
// and the one-line help.
const chrome = 3

// BodyHeight is the number of lines a screen may use: the terminal less
// the chrome and a long notice's lines.
func (c *Common) BodyHeight() int { return max(c.Height-chrome-c.NoticeLines, 1) }

// TooSmall reports whether the terminal is below the minimum size.
func (c *Common) TooSmall() bool { return c.Width < MinWidth || c.Height < MinHeight }

// ReadingWidth is the width lessons are rendered at.
func (c *Common) ReadingWidth() int { return min(c.Width, maxReadingWidth) }

// Styles are the lipgloss styles of the TUI, all made with one
// lipgloss.Renderer so the colour profile is chosen in one place.
type Styles struct {
	Header      lipgloss.Style
	HeaderTitle lipgloss.Style
	HeaderInfo  lipgloss.Style

	ColumnHeader lipgloss.Style
	Row          lipgloss.Style
	SelectedRow  lipgloss.Style
	Dim          lipgloss.Style
	ReadMark     lipgloss.Style

	StatusBar      lipgloss.Style
	StatusPosition lipgloss.Style
	StatusNotice   lipgloss.Style
	StatusCluster  lipgloss.Style

	HelpBox   lipgloss.Style
	HelpTitle lipgloss.Style
	Message   lipgloss.Style
	Error     lipgloss.Style

	// Lab screens.
	Good      lipgloss.Style // ✓, passed
	Bad       lipgloss.Style // ✗, failed
	Warn      lipgloss.Style // notices, disconnected
	PassBadge lipgloss.Style // the exercise's score once passed
	FailBadge lipgloss.Style // the exercise's score before
	Section   lipgloss.Style // section titles in panels
	Separator lipgloss.Style // the line between the lesson and the exercise

	Help help.Styles
}

// NewStyles builds the styles for r.
func NewStyles(r *lipgloss.Renderer) *Styles {
	purple := lipgloss.Color("62")
	barBg := lipgloss.AdaptiveColor{Light: "252", Dark: "236"}
	barFg := lipgloss.AdaptiveColor{Light: "236", Dark: "250"}
	dim := lipgloss.AdaptiveColor{Light: "244", Dark: "243"}
	s := &Styles{
		Header:      r.NewStyle().Background(purple).Foreground(lipgloss.Color("230")),
		HeaderTitle: r.NewStyle().Background(purple).Foreground(lipgloss.Color("230")).Bold(true),
		HeaderInfo:  r.NewStyle().Background(purple).Foreground(lipgloss.Color("189")),

		ColumnHeader: r.NewStyle().Foreground(dim).Bold(true),
		Row:          r.NewStyle(),
		SelectedRow:  r.NewStyle().Foreground(lipgloss.Color("212")).Bold(true),
		Dim:          r.NewStyle().Foreground(dim),
		ReadMark:     r.NewStyle().Foreground(lipgloss.Color("42")).Bold(true),

		StatusBar:      r.NewStyle().Background(barBg).Foreground(barFg),
		StatusPosition: r.NewStyle().Background(purple).Foreground(lipgloss.Color("230")),
		StatusNotice:   r.NewStyle().Background(barBg).Foreground(lipgloss.Color("214")),
		StatusCluster:  r.NewStyle().Background(lipgloss.AdaptiveColor{Light: "250", Dark: "238"}).Foreground(barFg),

		HelpBox:   r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(purple).Padding(0, 2),
		HelpTitle: r.NewStyle().Bold(true).Foreground(lipgloss.Color("212")),
		Message:   r.NewStyle().Bold(true).Foreground(lipgloss.Color("214")),
		Error:     r.NewStyle().Foreground(lipgloss.Color("203")),

		Good:      r.NewStyle().Foreground(lipgloss.Color("42")).Bold(true),
		Bad:       r.NewStyle().Foreground(lipgloss.Color("203")).Bold(true),
		Warn:      r.NewStyle().Foreground(lipgloss.Color("214")),
		PassBadge: r.NewStyle().Background(lipgloss.Color("28")).Foreground(lipgloss.Color("230")).Bold(true),
		FailBadge: r.NewStyle().Background(lipgloss.AdaptiveColor{Light: "252", Dark: "237"}).Foreground(barFg).Bold(true),
		Section:   r.NewStyle().Foreground(lipgloss.Color("212")).Bold(true),
		Separator: r.NewStyle().Foreground(dim),
	}
	keyStyle := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#909090", Dark: "#A0A0A0"}).Bold(true)
	descStyle := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B2B2B2", Dark: "#6C6C6C"})
	sepStyle := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#DDDADA", Dark: "#3C3C3C"})
	s.Help = help.Styles{
		Ellipsis:       sepStyle,
		ShortKey:       keyStyle,
		ShortDesc:      descStyle,
		ShortSeparator: sepStyle,
		FullKey:        keyStyle,
		FullDesc:       descStyle,
		FullSeparator:  sepStyle,
	}
	return s
}
