package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// chooserModel asks which exercise of a lesson to open when the lesson
// has several (x on the contents or in the reader).
type chooserModel struct {
	ids    []string
	cursor int
	// ret is the screen esc returns to.
	ret state
}

// lessonExercises are the ids of the exercises of lesson i that the
// catalog knows, in the lesson's order.
func lessonExercises(c *Common, i int) []string {
	if i < 0 || i >= len(c.Course) {
		return nil
	}
	var out []string
	for _, id := range c.Course[i].Exercises {
		if c.Lab != nil && c.Lab.Catalog != nil {
			if _, err := c.Lab.Catalog.Get(id); err != nil {
				continue
			}
		}
		out = append(out, id)
	}
	return out
}

// firstUnpassed is the index of the first exercise not passed yet (0 when
// all are).
func firstUnpassed(c *Common, ids []string) int {
	for i, id := range ids {
		if !c.Progress.Exercise(id).Passed {
			return i
		}
	}
	return 0
}

// update moves the cursor, opens the chosen exercise (1–9 directly) or
// goes back (back true).
func (m chooserModel) update(c *Common, msg tea.KeyMsg) (chooserModel, tea.Cmd, bool) {
	km := c.KeyMap
	open := func(i int) tea.Cmd {
		id := m.ids[i]
		return c.queue(openExerciseMsg{id: id})
	}
	switch {
	case key.Matches(msg, km.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, km.Down):
		m.cursor = min(m.cursor+1, len(m.ids)-1)
	case key.Matches(msg, km.Open), key.Matches(msg, km.Exercise):
		return m, open(m.cursor), false
	case key.Matches(msg, km.Back):
		return m, nil, true
	default:
		n, err := strconv.Atoi(msg.String())
		if err == nil && n >= 1 && n <= len(m.ids) {
			return m, open(n - 1), false
		}
		text := fmt.Sprintf("%s: 여기서는 쓰지 않는 키입니다 — 숫자 키 1–%d, 또는 ↑/↓ 와 enter 로 고르거나 esc 로 돌아갑니다", msg.String(), len(m.ids))
		if err == nil {
			text = fmt.Sprintf("%d번 연습은 없습니다 — 이 강의의 연습은 %d개입니다: 숫자 키 1–%d, 또는 ↑/↓ 와 enter 로 고르세요", n, len(m.ids), len(m.ids))
		}
		return m, c.queue(NoticeMsg{Text: text}), false
	}
	return m, nil, false
}

func (m chooserModel) view(c *Common) string {
	st := c.Styles
	lines := []string{"", "  " + st.Section.Render("이 강의의 연습을 고르세요"), ""}
	for i, id := range m.ids {
		title := id
		if c.Lab != nil && c.Lab.Catalog != nil {
			if ex, err := c.Lab.Catalog.Get(id); err == nil {
				title = ex.Title
			}
		}
		mark := "  "
		if c.Progress.Exercise(id).Passed {
			mark = "✓ "
		}
		cur := "  "
		if i == m.cursor {
			cur = "▸ "
		}
		line := fmt.Sprintf("%s%d. %s%s", cur, i+1, mark, title)
		if i == m.cursor {
			line = st.SelectedRow.Render(line)
		}
		lines = append(lines, truncate("  "+line, c.Width))
	}
	return strings.Join(lines, "\n")
}

// helpKeys are every key the chooser answers (issue 14: its footer showed
// enter only, yet x opened the highlighted exercise and the digits opened
// one directly): all in the footer from 80 columns; narrower, the
// rightmost go first and "… ? 전체" stands for them.
func (m chooserModel) helpKeys(c *Common) bindings {
	km := c.KeyMap
	back := key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "뒤로"))
	open := key.NewBinding(key.WithKeys("enter", "x"), key.WithHelp("enter/x", "열기"))
	digitKeys := make([]string, 0, len(m.ids))
	for i := range min(len(m.ids), 9) {
		digitKeys = append(digitKeys, strconv.Itoa(i+1))
	}
	digits := key.NewBinding(key.WithKeys(digitKeys...), key.WithHelp(fmt.Sprintf("1–%d", len(digitKeys)), "번호로 열기"))
	move := key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓", "고르기"))
	return bindings{
		short: []key.Binding{open, digits, move, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.Up, km.Down, open, digits}, {back, km.Help, km.Quit}},
	}
}
