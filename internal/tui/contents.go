package tui

import (
	"fmt"
	"strconv"
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
	// typed is the lesson number typed so far (typeNumber: 1 then 3 is
	// lesson 13), shown on the top line.
	typed string
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
		if d, ok := digitRune(msg); ok {
			// The # column's numbers select a lesson (issue 14: digits
			// were "쓰지 않는 키"); enter opens it.
			next, row, _ := typeNumber(m.typed, d, m.numbers())
			m.typed = next
			if row < 0 {
				return m, m.common.queue(NoticeMsg{Text: fmt.Sprintf("%c번으로 시작하는 강의는 없습니다 — 강의 번호는 # 열의 1–%d 입니다", d, n)})
			}
			m.cursor = row
			if next == "" {
				m.typed = strconv.Itoa(m.common.Course[row].Order)
			}
			return m.clamp(), nil
		}
		m.typed = ""
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

// numbers are the lessons' numbers (the # column).
func (m contentsModel) numbers() []int {
	out := make([]int, len(m.common.Course))
	for i, l := range m.common.Course {
		out[i] = l.Order
	}
	return out
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
	// The longest top line that fits whole.
	tops := []string{
		fmt.Sprintf("  강의 %d개 · 읽음 %d개 · enter 열기 · 숫자: 번호로 이동 · ? 도움말", len(c.Course), read),
		fmt.Sprintf("  강의 %d개 · 읽음 %d개 · enter 열기 · 숫자: 번호로 이동", len(c.Course), read),
		fmt.Sprintf("  강의 %d개 · 읽음 %d개 · enter 열기", len(c.Course), read),
	}
	if m.typed != "" && m.cursor < len(c.Course) {
		l := c.Course[m.cursor]
		tops = []string{
			fmt.Sprintf("  번호 %s → %d. %s · enter 로 엽니다", m.typed, l.Order, l.Title),
			fmt.Sprintf("  번호 %s → %d · enter 로 엽니다", m.typed, l.Order),
			fmt.Sprintf("  번호 %s", m.typed),
		}
	}
	top := tops[len(tops)-1]
	for _, t := range tops {
		if ansi.StringWidth(t) <= width {
			top = t
			break
		}
	}
	b.WriteString(st.Dim.Render(truncate(top, width)))
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
			{km.Open, digitBinding(m.numbers(), "번호로 이동"), km.Help, km.Quit},
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
