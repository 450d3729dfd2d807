package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/progress"
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
	// Start on the lesson of the screen recorded at the last quit (the
	// lesson read, the contents' cursor, the exercise's lesson), else on
	// the first lesson not read yet.
	for i, l := range c.Course {
		if !c.Progress.Lesson(l.ID).Read {
			m.cursor = i
			break
		}
	}
	sc := c.Progress.Screen()
	id := sc.Lesson
	if sc.Name == progress.ScreenExercise && c.Lab != nil && c.Lab.Catalog != nil {
		if ex, err := c.Lab.Catalog.Get(sc.Exercise); err == nil {
			id = ex.Lesson
		}
	}
	for i, l := range c.Course {
		if id != "" && l.ID == id {
			m.cursor = i
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
			return m, m.common.queue(openLessonMsg{index: i})
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
	if n == 0 {
		return m
	}
	// Rows are as tall as their wrapped title: the cursor's whole row is
	// in view, and the table does not scroll past its end.
	avail := m.rows()
	cols := m.columns()
	height := func(from, to int) int {
		h := 0
		for i := from; i <= to; i++ {
			h += len(m.rowLines(cols, i))
		}
		return h
	}
	m.offset = min(max(m.offset, 0), n-1)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	for m.offset < m.cursor && height(m.offset, m.cursor) > avail {
		m.offset++
	}
	for m.offset > 0 && height(m.offset-1, n-1) <= avail {
		m.offset--
	}
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

// contentsColumns are the widths of the wrapped columns.
type contentsColumns struct{ title, ex int }

// columns lays out the table for the terminal's width: the exercise list
// gets up to a third of what is left, the title the rest.
func (m contentsModel) columns() contentsColumns {
	c := m.common
	exWidth, widest := ansi.StringWidth("실습"), 0
	for _, l := range c.Course {
		exWidth = max(exWidth, ansi.StringWidth(m.exerciseList(l.Exercises)))
		for _, id := range l.Exercises {
			widest = max(widest, ansi.StringWidth(id+" ✓,"))
		}
	}
	fixed := colCursor + colOrder + colGap + colGap + colMinutes + colGap + colRead + colGap
	// An exercise id is never cut: the column is at least as wide as the
	// widest one.
	exWidth = min(exWidth, max((c.Width-fixed)/3, widest, 12))
	return contentsColumns{title: max(c.Width-fixed-exWidth-1, 8), ex: exWidth}
}

// row is one line of the table.
func (cols contentsColumns) row(cursor, order, title, minutes, read, ex string) string {
	return cursor + padLeft(order, colOrder) + strings.Repeat(" ", colGap) +
		padRight(title, cols.title) + strings.Repeat(" ", colGap) +
		padLeft(minutes, colMinutes) + strings.Repeat(" ", colGap) +
		padRight(read, colRead) + strings.Repeat(" ", colGap) +
		padRight(ex, cols.ex)
}

// rowLines are lesson i's row: its title and exercise list wrapped whole
// in their columns (never cut), the other cells on the first line.
func (m contentsModel) rowLines(cols contentsColumns, i int) []string {
	c := m.common
	st := c.Styles
	l := c.Course[i]
	mark := ""
	if c.Progress.Lesson(l.ID).Read {
		mark = "✓"
	}
	tl, el := wrapText(l.Title, cols.title), wrapText(m.exerciseList(l.Exercises), cols.ex)
	n := max(len(tl), len(el))
	out := make([]string, n)
	for j := range n {
		var t, e string
		if j < len(tl) {
			t = tl[j]
		}
		if j < len(el) {
			e = el[j]
		}
		cur, order, minutes, read := "  ", "", "", ""
		if j == 0 {
			order, minutes, read = fmt.Sprint(l.Order), fmt.Sprintf("%d분", l.Minutes), mark
			if i == m.cursor {
				cur = "▸ "
			}
		}
		if i == m.cursor {
			out[j] = st.SelectedRow.Render(cols.row(cur, order, t, minutes, read, e))
			continue
		}
		out[j] = cols.row(cur, order, st.Row.Render(t), st.Dim.Render(minutes), st.ReadMark.Render(read), st.Dim.Render(e))
	}
	return out
}

func (m contentsModel) view() string {
	c := m.common
	st := c.Styles
	width := c.Width
	m = m.clamp()
	cols := m.columns()

	read := 0
	for _, l := range c.Course {
		if c.Progress.Lesson(l.ID).Read {
			read++
		}
	}
	var b strings.Builder
	b.WriteString(st.Dim.Render(truncate(fmt.Sprintf("  강의 %d개 · 읽음 %d개 · enter 로 열고 ? 로 도움말을 봅니다", len(c.Course), read), width)))
	b.WriteString("\n\n")
	b.WriteString(st.ColumnHeader.Render(cols.row("  ", "#", "제목", "시간", "읽음", "실습")))

	shown := 0
	for i := m.offset; i < len(c.Course) && shown < m.rows(); i++ {
		for _, l := range m.rowLines(cols, i) {
			b.WriteString("\n" + l)
			shown++
		}
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
