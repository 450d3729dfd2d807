package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// contentsModel is the table of contents: one row per lesson with its
// order, title, minutes, read mark and related exercises.
type contentsModel struct {
	common *Common
	cursor int // selected lesson
	offset int // first visible row
}

func newContents(c *Common) contentsModel {
	m := contentsModel{common: c}
	// Start on the first lesson not read yet.
	for i, l := range c.Course {
		if !c.Progress.Lesson(l.ID).Read {
			m.cursor = i
			break
		}
	}
	return m
}

// rows is the number of lesson rows that fit below the column header.
func (m contentsModel) rows() int { return max(m.common.BodyHeight()-3, 1) }

func (m contentsModel) update(msg tea.Msg) (contentsModel, tea.Cmd) {
	km := m.common.KeyMap
	n := len(m.common.Course)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, km.Up):
			m.cursor--
		case key.Matches(msg, km.Down):
			m.cursor++
		case key.Matches(msg, km.PageUp):
			m.cursor -= m.rows()
		case key.Matches(msg, km.PageDown):
			m.cursor += m.rows()
		case key.Matches(msg, km.Top):
			m.cursor = 0
		case key.Matches(msg, km.Bottom):
			m.cursor = n - 1
		case key.Matches(msg, km.Open), key.Matches(msg, km.Next):
			i := m.cursor
			return m, func() tea.Msg { return openLessonMsg{index: i} }
		}
	}
	m = m.clamp()
	return m, nil
}

// selectLesson moves the cursor to lesson i (e.g. when coming back from the
// reader).
func (m contentsModel) selectLesson(i int) contentsModel {
	m.cursor = i
	return m.clamp()
}

func (m contentsModel) clamp() contentsModel {
	n := len(m.common.Course)
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	rows := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = min(max(m.offset, 0), max(n-rows, 0))
	return m
}

// Column widths (cells). The title column takes what is left.
const (
	colCursor  = 2
	colOrder   = 3
	colMinutes = 5
	colRead    = 4
	colGap     = 2
)

func (m contentsModel) view() string {
	c := m.common
	st := c.Styles
	width := c.Width
	m = m.clamp()

	exWidth := ansi.StringWidth("실습")
	for _, l := range c.Course {
		exWidth = max(exWidth, ansi.StringWidth(m.exerciseList(l.Exercises)))
	}
	fixed := colCursor + colOrder + colGap + colGap + colMinutes + colGap + colRead + colGap
	exWidth = min(exWidth, max((width-fixed)/3, 8))
	titleWidth := width - fixed - exWidth - 1

	row := func(cursor, order, title, minutes, read, ex string) string {
		return cursor + padLeft(order, colOrder) + strings.Repeat(" ", colGap) +
			padRight(title, titleWidth) + strings.Repeat(" ", colGap) +
			padLeft(minutes, colMinutes) + strings.Repeat(" ", colGap) +
			padRight(read, colRead) + strings.Repeat(" ", colGap) +
			padRight(ex, exWidth)
	}

	read := 0
	for _, l := range c.Course {
		if c.Progress.Lesson(l.ID).Read {
			read++
		}
	}
	var b strings.Builder
	b.WriteString(st.Dim.Render(truncate(fmt.Sprintf("  강의 %d개 · 읽음 %d개 · enter 로 열고 ? 로 도움말을 봅니다", len(c.Course), read), width)))
	b.WriteString("\n\n")
	b.WriteString(st.ColumnHeader.Render(row("  ", "#", "제목", "시간", "읽음", "실습")))

	end := min(m.offset+m.rows(), len(c.Course))
	for i := m.offset; i < end; i++ {
		l := c.Course[i]
		mark := ""
		if c.Progress.Lesson(l.ID).Read {
			mark = "✓"
		}
		ex := m.exerciseList(l.Exercises)
		b.WriteString("\n")
		if i == m.cursor {
			b.WriteString(st.SelectedRow.Render(row("▸ ", fmt.Sprint(l.Order), l.Title, fmt.Sprintf("%d분", l.Minutes), mark, ex)))
			continue
		}
		b.WriteString(row("  ", fmt.Sprint(l.Order), st.Row.Render(l.Title),
			st.Dim.Render(fmt.Sprintf("%d분", l.Minutes)), st.ReadMark.Render(mark), st.Dim.Render(ex)))
	}
	return b.String()
}

func (m contentsModel) helpKeys() bindings {
	km := m.common.KeyMap
	return bindings{
		short: []key.Binding{km.Up, km.Down, km.Open, km.Help, km.Quit},
		full: [][]key.Binding{
			{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
			{km.Open, km.Help, km.Quit},
		},
	}
}

// title is shown on the right of the header.
func (m contentsModel) title() string { return "목차" }

// exerciseList names a lesson's exercises, a passed one with ✓.
func (m contentsModel) exerciseList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if m.common.Progress.Exercise(id).Passed {
			out[i] += " ✓"
		}
	}
	return strings.Join(out, ", ")
}
