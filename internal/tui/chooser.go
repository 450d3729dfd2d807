package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/internal/lab"
)

// chooserModel asks which exercise of a lesson to open when the lesson
// has several (x on the contents or in the reader).
type chooserModel struct {
	ids    []string
	cursor int
	// typed is the digits typed so far (typeNumber), shown under the list.
	typed string
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
		// Digits select by the exercise numbers shown (the course's
		// numbers, as in 진행 현황), not by position (issue 14: "1." and
		// "2." clashed with exercises 2 and 4).
		nums := m.numbers(c)
		if d, ok := digitRune(msg); ok {
			next, row, whole := typeNumber(m.typed, d, nums)
			if row >= 0 {
				m.cursor, m.typed = row, next
				if whole {
					return m, open(row), false
				}
				return m, nil, false
			}
			m.typed = ""
			text := fmt.Sprintf("%c번 연습은 이 강의에 없습니다 — 이 강의의 연습은 %s번입니다: 숫자 키로 그 번호를 누르거나 ↑/↓ 와 enter 로 고르세요", d, joinNumbers(nums))
			return m, c.queue(NoticeMsg{Text: text}), false
		}
		text := fmt.Sprintf("%s: 여기서는 쓰지 않는 키입니다 — 숫자 키 %s, 또는 ↑/↓ 와 enter 로 고르거나 esc 로 돌아갑니다", msg.String(), joinNumbers(nums))
		return m, c.queue(NoticeMsg{Text: text}), false
	}
	m.typed = ""
	return m, nil, false
}

// numbers are the course numbers (exercises.Exercise.Order) of m.ids, 0
// for an id the catalog does not know.
func (m chooserModel) numbers(c *Common) []int {
	out := make([]int, len(m.ids))
	for i, id := range m.ids {
		if c.Lab != nil && c.Lab.Catalog != nil {
			if ex, err := c.Lab.Catalog.Get(id); err == nil {
				out[i] = ex.Order
			}
		}
	}
	return out
}

// joinNumbers is "2, 4".
func joinNumbers(nums []int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// view lists the lesson's exercises as 진행 현황 does: the course number,
// the title, then the id and the state with its score (the one badge,
// progress.Standing.Badge).
func (m chooserModel) view(c *Common) string {
	st := c.Styles
	// The digits typed so far go right under the title, in view at
	// once (issue 14: the first digit of 12–16 showed nothing; the line
	// below the list fell off short terminals).
	typed := ""
	if m.typed != "" {
		typed = st.Dim.Render(truncate("  "+fmt.Sprintf("번호 %s… (enter 또는 다음 숫자)", m.typed), c.Width))
	}
	head := []string{"", "  " + st.Section.Render("이 강의의 연습을 고르세요"), typed}
	var lines []string
	standing := map[string]string{}
	for _, e := range lab.Summarize(c.Course, c.Exercises(), c.Progress.Snapshot()).Exercises {
		standing[e.ID] = e.Standing().Badge()
	}
	nums := m.numbers(c)
	var curFirst, curLast int
	for i, id := range m.ids {
		title := id
		if c.Lab != nil && c.Lab.Catalog != nil {
			if ex, err := c.Lab.Catalog.Get(id); err == nil {
				title = ex.Title
			}
		}
		cur := "  "
		if i == m.cursor {
			cur = "▸ "
		}
		head := wrapHanging(fmt.Sprintf("%s%2d. ", cur, nums[i]), title, c.Width-2)
		sub := id
		if b, ok := standing[id]; ok {
			sub += " · " + b
		}
		rows := append(head, wrapHanging("      ", sub, c.Width-2)...)
		if i == m.cursor {
			curFirst, curLast = len(lines), len(lines)+len(rows)-1
		}
		for _, l := range rows {
			l = truncate("  "+l, c.Width)
			if i == m.cursor {
				l = st.SelectedRow.Render(l)
			} else if !strings.HasPrefix(strings.TrimSpace(l), strconv.Itoa(nums[i])+".") {
				l = st.Dim.Render(l)
			}
			lines = append(lines, l)
		}
	}
	// Keep the cursor's rows in view on short terminals (lesson 13 has
	// five exercises, two rows each), below the head.
	if h := max(c.BodyHeight()-len(head), 1); len(lines) > h && curLast >= h {
		lines = lines[min(curLast-h+1, curFirst):]
	}
	return strings.Join(append(head, lines...), "\n")
}

// helpKeys are every key the chooser answers (issue 14: its footer showed
// enter only, yet x opened the highlighted exercise and the digits opened
// one directly): all in the footer from 80 columns; narrower, the
// rightmost go first and "… ? 전체" stands for them.
func (m chooserModel) helpKeys(c *Common) bindings {
	km := c.KeyMap
	back := key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "뒤로"))
	open := key.NewBinding(key.WithKeys("enter", "x"), key.WithHelp("enter/x", "열기"))
	digits := digitBinding(m.numbers(c), "번호로 열기")
	move := key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓", "고르기"))
	return bindings{
		short: []key.Binding{open, digits, move, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.Up, km.Down, open, digits}, {back, km.Help, km.Quit}},
	}
}
