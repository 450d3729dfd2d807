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
	// typed is the exercise number typed so far (typeNumber).
	typed string
}

func newSummary(c *Common) summaryModel { return summaryModel{common: c} }

func (m summaryModel) summary() lab.Summary {
	c := m.common
	return lab.Summarize(c.Course, c.Exercises(), c.Progress.Snapshot())
}

// selectExercise puts the cursor on the exercise with id.
func (m summaryModel) selectExercise(id string) summaryModel {
	for i, e := range m.common.Exercises() {
		if e.ID == id {
			m.cursor = i
		}
	}
	return m
}

func (m summaryModel) update(msg tea.Msg) (summaryModel, tea.Cmd) {
	c := m.common
	km := c.KeyMap
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	n := len(c.Exercises())
	if d, ok := digitRune(k); ok {
		// The # column's numbers select an exercise (issue 14); enter
		// opens it — never a digit alone, since opening prepares the
		// cluster.
		nums := make([]int, n)
		for i, e := range c.Exercises() {
			nums[i] = e.Order
		}
		next, row, _ := typeNumber(m.typed, d, nums)
		m.typed = next
		if row < 0 {
			return m, c.queue(NoticeMsg{Text: fmt.Sprintf("%c번으로 시작하는 연습은 없습니다 — 연습 번호는 # 열의 1–%d 입니다", d, n)})
		}
		m.cursor = row
		if next == "" {
			m.typed = fmt.Sprint(nums[row])
		}
		return m, nil
	}
	m.typed = ""
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
		return m, c.queue(openExerciseMsg{id: id})
	case key.Matches(k, km.Back):
		return m, c.queue(summaryBackMsg{})
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
	out = append(out, wrapHanging("  ", fmt.Sprintf("강의 %d/%d 읽음 · 연습 %d/%d 통과 · 점수 %d/%d · 사용한 힌트"+glue+"%d개",
		t.LessonsRead, t.Lessons, t.ExercisesPassed, t.Exercises, t.Score, t.MaxScore, t.HintsUsed), w)...)
	out = append(out, wrapHanging("  ", bar(t.LessonsRead, t.Lessons, 20)+glue+"강의   "+bar(t.ExercisesPassed, t.Exercises, 20)+glue+"연습", w)...)
	out = append(out, "")

	if len(s.Exercises) == 0 {
		out = append(out, st.Dim.Render("  연습 목록을 쓸 수 없습니다."))
		return fitLines(strings.Join(out, "\n"), w, c.BodyHeight())
	}
	// The state and score columns grow for a pass kept beside a lower
	// score now ("✓ 통과 기록", "지금 4/10": progress.Standing).
	colState, colScore, colHints := 9, 7, 4
	for _, e := range s.Exercises {
		colState = max(colState, ansi.StringWidth(e.Standing().StateText()))
		colScore = max(colScore, ansi.StringWidth(e.Standing().ScoreText()))
	}
	// The lesson column shows the lesson's Korean title (its id only when
	// the lesson is not in the course).
	lessonTitle := func(id string) string {
		if i := c.lessonIndex(id); i >= 0 {
			return c.Course[i].Title
		}
		return id
	}
	lessonW, titleNeed := 0, 0
	for _, e := range s.Exercises {
		lessonW = max(lessonW, ansi.StringWidth(lessonTitle(e.Lesson)))
		titleNeed = max(titleNeed, ansi.StringWidth(e.Title))
	}
	fixed := 2 + 3 + 2 + 2 + 2 + colState + 2 + colScore + 2 + colHints
	// Side by side when both titles fit whole; else (narrow terminals) the
	// lesson goes under the exercise's title. Titles wrap, never cut.
	stacked := w-fixed < titleNeed+lessonW
	titleW := min(w-fixed-lessonW, titleNeed)
	if stacked {
		titleW, lessonW = max(w-fixed+2, 8), 0
	}
	// row is one exercise: the title (and lesson) wrapped in their
	// columns, the other cells on the first line.
	row := func(cur, order, title, lesson, state, score, hints string, lessonStyle func(string) string) []string {
		tl := wrapText(title, titleW)
		var ll []string
		if !stacked {
			ll = wrapText(lesson, lessonW)
		}
		n := max(len(tl), len(ll))
		lines := make([]string, n)
		for i := range n {
			var t, l string
			if i < len(tl) {
				t = tl[i]
			}
			if i < len(ll) {
				l = ll[i]
			}
			cells := padRight(t, titleW)
			if !stacked {
				cells += "  " + lessonStyle(padRight(l, lessonW))
			}
			if i == 0 {
				lines[i] = cur + padLeft(order, 3) + "  " + cells + "  " +
					padRight(state, colState) + "  " + padLeft(score, colScore) + "  " + padLeft(hints, colHints)
				continue
			}
			lines[i] = strings.TrimRight("     "+"  "+cells, " ")
		}
		if stacked && lesson != "" {
			for _, l := range wrapHanging("       강의 · ", lesson, w) {
				lines = append(lines, lessonStyle(l))
			}
		}
		return lines
	}
	plain := func(s string) string { return s }
	lessonHead := "강의"
	if stacked {
		lessonHead = ""
	}
	for _, l := range row("  ", "#", "연습", lessonHead, "상태", "점수", "힌트", plain) {
		out = append(out, st.ColumnHeader.Render(truncate(l, w)))
	}
	cursor := min(max(m.cursor, 0), len(s.Exercises)-1)
	var curFirst, curLast int
	for i, e := range s.Exercises {
		// The same word as dslab progress / exercises / grade --all
		// (progress.StateOf, issue 14).
		// 시작함/시작 전: no score ("-"), as everywhere (progress.StandingOf).
		state, score := e.Standing().StateText(), e.Standing().ScoreText()
		if i == cursor {
			curFirst = len(out)
			for _, l := range row("▸ ", fmt.Sprint(e.Order), e.Title, lessonTitle(e.Lesson), state, score, fmt.Sprint(e.HintsUsed), plain) {
				out = append(out, st.SelectedRow.Render(truncate(l, w)))
			}
			curLast = len(out) - 1
			continue
		}
		stateStyle := st.Dim
		if e.Passed {
			stateStyle = st.Good
		}
		for _, l := range row("  ", fmt.Sprint(e.Order), e.Title, lessonTitle(e.Lesson), stateStyle.Render(padRight(state, colState)), score, fmt.Sprint(e.HintsUsed), func(s string) string { return st.Dim.Render(s) }) {
			out = append(out, truncate(l, w))
		}
	}
	out = append(out, "")
	// Which row enter opens, and that opening prepares the cluster
	// (issue 14: an accidental enter reset the cluster for another
	// exercise without warning).
	sel := s.Exercises[cursor]
	// An exercise never started is prepared on open (exerciseModel's
	// auto-start); one started before is opened as the cluster is.
	what := "클러스터를 이 연습에 맞게 준비"
	if !c.Progress.Exercise(sel.ID).StartedAt.IsZero() {
		// What really happens (issue 14: "이어서 하기" opened a screen
		// that said the cluster was prepared for another exercise).
		what = "시작한 적 있는 연습: 클러스터 그대로 이어서 하기"
		if a := c.Live.Update.Active; a != "" && a != sel.ID && c.Live.Connected() {
			what = fmt.Sprintf("지금 클러스터는 연습 %s 용 — 연 뒤 enter 로 다시 준비, 작업 파일은 그대로", a)
		}
	}
	note := fmt.Sprintf("▸ enter: 연습 %d 열기 (%s)", sel.Order, what)
	if m.typed != "" {
		note = fmt.Sprintf("번호 %s → 연습 %d · enter: 열기 (%s)", m.typed, sel.Order, what)
	}
	if more := note + " · 숫자: 번호로 이동"; ansi.StringWidth("  "+more) <= w {
		note = more
	}
	noteLines := wrapHanging("  ", note, w)
	out = append(out, styleLines(st.Dim, wrapHanging("  ", "같은 내용을 dslab progress (-o json) 로도 볼 수 있습니다.", w))...)
	// Keep the cursor's whole row visible on short terminals, and the
	// note on what enter opens below it, always.
	h := c.BodyHeight()
	if len(noteLines) < h-1 {
		h -= len(noteLines)
	} else {
		noteLines = nil
	}
	off := 0
	if curLast >= h {
		off = min(curLast-h+1, curFirst)
	}
	rest := out[min(off, len(out)):]
	if len(rest) > h {
		rest = rest[:h]
	}
	return fitLines(strings.Join(append(rest, noteLines...), "\n"), w, c.BodyHeight())
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
	digits := digitBinding(nil, "번호로 이동")
	return bindings{
		short: []key.Binding{km.Up, km.Down, open, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.Up, km.Down, km.Top, km.Bottom, digits}, {open, back, km.Help, km.Quit}},
	}
}
