package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/lab"
)

// summaryModel is the progress summary: lessons read, exercises passed
// with score and hints, and the exercise list (enter opens one).
type summaryModel struct {
	common *Common
	cursor int
}

func newSummary(c *Common) summaryModel { return summaryModel{common: c} }

func (m summaryModel) summary() lab.Summary {
	c := m.common
	return lab.Summarize(c.Course, c.Exercises(), c.Progress.Snapshot())
}

func (m summaryModel) update(msg tea.Msg) (summaryModel, tea.Cmd) {
	c := m.common
	km := c.KeyMap
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	n := len(c.Exercises())
	switch {
	case key.Matches(k, km.Up):
		m.cursor--
	case key.Matches(k, km.Down):
		m.cursor++
	case key.Matches(k, km.Top):
		m.cursor = 0
	case key.Matches(k, km.Bottom):
		m.cursor = n - 1
	case key.Matches(k, km.Open), key.Matches(k, km.Exercise):
		if n == 0 {
			return m, nil
		}
		id := c.Exercises()[min(max(m.cursor, 0), n-1)].ID
		return m, func() tea.Msg { return openExerciseMsg{id: id} }
	case key.Matches(k, km.Back), key.Matches(k, km.Summary):
		return m, func() tea.Msg { return summaryBackMsg{} }
	}
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	return m, nil
}

// summaryBackMsg leaves the summary.
type summaryBackMsg struct{}

func (m summaryModel) view() string {
	c := m.common
	st := c.Styles
	w := c.Width
	s := m.summary()
	t := s.Totals
	var out []string
	out = append(out, st.Section.Render("진행 현황"))
	out = append(out, truncate(fmt.Sprintf("  강의 %d/%d 읽음 · 연습 %d/%d 통과 · 점수 %d/%d · 사용한 힌트 %d개",
		t.LessonsRead, t.Lessons, t.ExercisesPassed, t.Exercises, t.Score, t.MaxScore, t.HintsUsed), w))
	out = append(out, truncate("  "+bar(t.LessonsRead, t.Lessons, 20)+" 강의   "+bar(t.ExercisesPassed, t.Exercises, 20)+" 연습", w), "")

	if len(s.Exercises) == 0 {
		out = append(out, st.Dim.Render("  연습 목록을 쓸 수 없습니다."))
		return fitLines(strings.Join(out, "\n"), w, c.BodyHeight())
	}
	const colState, colScore, colHints = 9, 7, 4
	// The lesson column shows the lesson's Korean title (its id only when
	// the lesson is not in the course).
	lessonTitle := func(id string) string {
		if i := c.lessonIndex(id); i >= 0 {
			return c.Course[i].Title
		}
		return id
	}
	lessonW := 0
	for _, e := range s.Exercises {
		lessonW = max(lessonW, ansi.StringWidth(lessonTitle(e.Lesson)))
	}
	lessonW = min(lessonW, max(w/4, 12), 30)
	titleW := min(max(w-2-3-2-2-lessonW-2-colState-2-colScore-2-colHints, 8), 48)
	row := func(cur, order, title, lesson, state, score, hints string) string {
		return cur + padLeft(order, 3) + "  " + padRight(title, titleW) + "  " + padRight(lesson, lessonW) + "  " +
			padRight(state, colState) + "  " + padLeft(score, colScore) + "  " + padLeft(hints, colHints)
	}
	out = append(out, st.ColumnHeader.Render(truncate(row("  ", "#", "연습", "강의", "상태", "점수", "힌트"), w)))
	cursor := min(max(m.cursor, 0), len(s.Exercises)-1)
	for i, e := range s.Exercises {
		state, score := "-", "-"
		switch {
		case e.Passed:
			state = "✓ 통과"
		case e.Attempts > 0 || !e.LastGradedAt.IsZero():
			state = "진행 중"
		}
		if e.Passed || !e.LastGradedAt.IsZero() {
			score = fmt.Sprintf("%d/%d", e.Score, e.MaxScore)
		}
		if i == cursor {
			out = append(out, st.SelectedRow.Render(truncate(row("▸ ", fmt.Sprint(e.Order), e.Title, lessonTitle(e.Lesson), state, score, fmt.Sprint(e.HintsUsed)), w)))
			continue
		}
		stateStyle := st.Dim
		if e.Passed {
			stateStyle = st.Good
		}
		out = append(out, truncate(row("  ", fmt.Sprint(e.Order), e.Title, st.Dim.Render(padRight(lessonTitle(e.Lesson), lessonW)), stateStyle.Render(state), score, fmt.Sprint(e.HintsUsed)), w))
	}
	out = append(out, "", st.Dim.Render(truncate("  enter 로 연습을 엽니다. 같은 내용을 dslab progress (-o json) 로도 볼 수 있습니다.", w)))
	// Keep the cursor visible on short terminals.
	h := c.BodyHeight()
	off := 0
	if first := 5 + cursor; first >= h {
		off = first - h + 1
	}
	return fitLines(strings.Join(out[min(off, len(out)):], "\n"), w, h)
}

// bar is a text progress bar of n/total in width cells.
func bar(n, total, width int) string {
	if total <= 0 {
		return "[" + strings.Repeat("·", width) + "]"
	}
	full := n * width / total
	return "[" + strings.Repeat("█", full) + strings.Repeat("·", width-full) + "]"
}

func (m summaryModel) helpKeys() bindings {
	km := m.common.KeyMap
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "뒤로"))
	open := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "연습 열기"))
	return bindings{
		short: []key.Binding{km.Up, km.Down, open, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.Up, km.Down, km.Top, km.Bottom}, {open, back, km.Help, km.Quit}},
	}
}
