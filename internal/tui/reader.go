package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

// readerModel shows one lesson rendered by glamour. Renders run in a
// tea.Cmd and are cached per lesson and width, so paging back and forth and
// resizing to a known width are instant.
type readerModel struct {
	common *Common
	index  int // current lesson; -1 before the first open
	pager  pager
	// shownWidth is the width the pager's content was rendered at; 0 while
	// nothing has been rendered for the current lesson yet.
	shownWidth int
	loading    bool
	errText    string
	// restore is applied when content for the current width arrives.
	restore *restorePos
	cache   map[renderKey]string
	// answers is true while the quiz answers of the lesson are unfolded;
	// they fold again when another lesson opens.
	answers bool
}

type renderKey struct {
	id    string
	width int
}

type restorePos struct {
	offset, width int
	percent       float64
}

// maxCacheEntries bounds the render cache (lessons × widths seen).
const maxCacheEntries = 64

func newReader(c *Common) readerModel {
	return readerModel{common: c, index: -1, cache: map[renderKey]string{}}
}

func (m readerModel) lesson() (lessons.Lesson, bool) {
	if m.index < 0 || m.index >= len(m.common.Course) {
		return lessons.Lesson{}, false
	}
	return m.common.Course[m.index], true
}

// open shows lesson i, scrolled to where the learner left it.
func (m readerModel) open(i int) (readerModel, tea.Cmd) {
	m.index = min(max(i, 0), len(m.common.Course)-1)
	l, _ := m.lesson()
	m.pager = pager{height: m.common.BodyHeight()}
	m.shownWidth, m.loading, m.errText, m.answers = 0, false, "", false
	lp := m.common.Progress.Lesson(l.ID)
	m.restore = &restorePos{offset: lp.Offset, width: lp.Width, percent: lp.Percent}
	m.common.Progress.Opened(l.ID)
	m.common.Logger.Info("lesson opened", "id", l.ID, "order", l.Order)
	return m.load()
}

// leave records the scroll position of the current lesson in memory.
func (m readerModel) leave() readerModel {
	if l, ok := m.lesson(); ok && m.shownWidth > 0 {
		m.common.Progress.SetPosition(l.ID, m.pager.offset, m.shownWidth, m.pager.percent())
	}
	return m
}

// load shows the cached rendering for the current width or starts one.
func (m readerModel) load() (readerModel, tea.Cmd) {
	l, ok := m.lesson()
	if !ok || m.common.TooSmall() {
		return m, nil // rendered once the terminal is big enough
	}
	w := m.common.ReadingWidth()
	if content, ok := m.cache[renderKey{m.renderID(), w}]; ok {
		m = m.show(content, w)
		return m, m.checkRead()
	}
	m.loading = true
	if m.answers {
		return m, renderLessonWith(m.common, l, w, true)
	}
	return m, renderLesson(m.common, l, w)
}

// answersSuffix marks the id of a rendering with the answers unfolded, so
// that screens caching lesson renders by id never take it for the folded one.
const answersSuffix = "#answers"

// renderID is the id the current rendering is cached and sent under.
func (m readerModel) renderID() string {
	l, _ := m.lesson()
	if m.answers {
		return l.ID + answersSuffix
	}
	return l.ID
}

// renderLesson renders a lesson with its quiz answers folded.
func renderLesson(c *Common, l lessons.Lesson, width int) tea.Cmd {
	return renderLessonWith(c, l, width, false)
}

func renderLessonWith(c *Common, l lessons.Lesson, width int, answers bool) tea.Cmd {
	md, logger, id := c.Markdown, c.Logger, l.ID
	if answers {
		id += answersSuffix
	} else {
		note := fmt.Sprintf("▸ 정답은 접어 두었습니다. %s 키를 누르면 펼칩니다.", c.KeyMap.Answers.Help().Key)
		md = md.WithAnswers(render.AnswersFolded, note)
	}
	return func() tea.Msg {
		start := time.Now()
		out, err := md.Render(l.Body, width)
		logger.Debug("lesson rendered", "id", id, "width", width, "took", time.Since(start), "err", err)
		return lessonRenderedMsg{id: id, width: width, content: out, err: err}
	}
}

func (m readerModel) show(content string, width int) readerModel {
	m.pager.setHeight(m.common.BodyHeight())
	m.pager.setContent(content)
	m.shownWidth, m.loading, m.errText = width, false, ""
	if r := m.restore; r != nil {
		if r.width == width {
			m.pager.setOffset(r.offset)
		} else {
			m.pager.setPercent(r.percent)
		}
		m.restore = nil
	}
	return m
}

// checkRead marks the lesson read once its end is on screen.
func (m readerModel) checkRead() tea.Cmd {
	l, ok := m.lesson()
	if !ok || m.shownWidth == 0 || m.loading || !m.pager.atBottom() {
		return nil
	}
	if m.common.Progress.MarkRead(l.ID) {
		m.common.Logger.Info("lesson read", "id", l.ID)
		return saveProgress(m.common)
	}
	return nil
}

// setSize re-wraps for a new terminal size: a new width re-renders (keeping
// the relative position), a new height only resizes the pager.
func (m readerModel) setSize() (readerModel, tea.Cmd) {
	_, ok := m.lesson()
	w := m.common.ReadingWidth()
	if ok && m.shownWidth > 0 && w != m.shownWidth && m.restore == nil {
		// Remember where we are before the height changes too (the
		// terminal may also be too small to render right now).
		m.restore = &restorePos{width: -1, percent: m.pager.percent()}
	}
	m.pager.setHeight(m.common.BodyHeight())
	if !ok || m.common.TooSmall() {
		return m, nil
	}
	if w == m.shownWidth {
		m.restore = nil // back at the width on screen: nothing to restore
		return m, m.checkRead()
	}
	if len(m.cache) >= maxCacheEntries {
		for k := range m.cache {
			if k.width != w {
				delete(m.cache, k)
			}
		}
	}
	return m.load()
}

func (m readerModel) update(msg tea.Msg) (readerModel, tea.Cmd) {
	switch msg := msg.(type) {
	case lessonRenderedMsg:
		if msg.err != nil {
			m.common.Logger.Error("render failed", "id", msg.id, "width", msg.width, "err", msg.err)
			if _, ok := m.lesson(); ok && m.renderID() == msg.id {
				m.loading = false
				m.errText = fmt.Sprintf("강의를 표시하지 못했습니다(render error): %v", msg.err)
			}
			return m, nil
		}
		m.cache[renderKey{msg.id, msg.width}] = msg.content
		if _, ok := m.lesson(); ok && m.renderID() == msg.id && msg.width == m.common.ReadingWidth() {
			m = m.show(msg.content, msg.width)
			return m, m.checkRead()
		}
		return m, nil

	case tea.KeyMsg:
		km := m.common.KeyMap
		page := max(m.pager.height-1, 1)
		switch {
		case key.Matches(msg, km.Up):
			m.pager.scroll(-1)
		case key.Matches(msg, km.Down):
			m.pager.scroll(1)
		case key.Matches(msg, km.PageUp):
			m.pager.scroll(-page)
		case key.Matches(msg, km.PageDown):
			m.pager.scroll(page)
		case key.Matches(msg, km.Top):
			m.pager.setOffset(0)
		case key.Matches(msg, km.Bottom):
			m.pager.setOffset(m.pager.maxOffset())
		case key.Matches(msg, km.Prev), key.Matches(msg, km.Next):
			next := m.index + 1
			if key.Matches(msg, km.Prev) {
				next = m.index - 1
			}
			if next < 0 || next >= len(m.common.Course) {
				text := "마지막 강의입니다"
				if next < 0 {
					text = "첫 강의입니다"
				}
				return m, m.common.queue(NoticeMsg{Text: text})
			}
			m = m.leave()
			return m, tea.Batch(saveProgress(m.common), m.common.queue(openLessonMsg{index: next, keepReturn: true}))
		case key.Matches(msg, km.Answers):
			return m.toggleAnswers()
		case key.Matches(msg, km.Back):
			m = m.leave()
			return m, tea.Batch(saveProgress(m.common), m.common.queue(backMsg{}))
		default:
			return m, nil
		}
		return m, m.checkRead()
	}
	return m, nil
}

// toggleAnswers unfolds or folds the quiz answers, keeping the scroll
// offset (answers sit below their questions).
func (m readerModel) toggleAnswers() (readerModel, tea.Cmd) {
	l, ok := m.lesson()
	if !ok {
		return m, nil
	}
	if !strings.Contains(l.Body, lessons.AnswerPrefix) {
		return m, m.common.queue(NoticeMsg{Text: "이 강의에는 확인 문제 정답이 없습니다"})
	}
	m.answers = !m.answers
	if m.shownWidth > 0 {
		m.restore = &restorePos{offset: m.pager.offset, width: m.shownWidth, percent: m.pager.percent()}
	}
	text := "확인 문제 정답을 펼쳤습니다"
	if !m.answers {
		text = "확인 문제 정답을 접었습니다"
	}
	m, cmd := m.load()
	return m, tea.Batch(cmd, m.common.queue(NoticeMsg{Text: text}))
}

func (m readerModel) view() string {
	c := m.common
	h := c.BodyHeight()
	switch {
	case m.errText != "":
		return fitLines("\n  "+c.Styles.Error.Render(m.errText), c.Width, h)
	case m.shownWidth == 0:
		return lipgloss.Place(c.Width, h, lipgloss.Center, lipgloss.Center, c.Styles.Dim.Render("강의를 불러오는 중입니다…"))
	}
	return m.pager.view(c.Width)
}

// position is "강의 3/12 · 45%".
func (m readerModel) position() string {
	pct := int(m.pager.percent()*100 + 0.5)
	if m.shownWidth == 0 {
		return fmt.Sprintf("강의 %d/%d", m.index+1, len(m.common.Course))
	}
	return fmt.Sprintf("강의 %d/%d · %d%%", m.index+1, len(m.common.Course), pct)
}

// title is "3. 데몬셋이란" for the header.
func (m readerModel) title() string {
	l, ok := m.lesson()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d. %s", l.Order, l.Title)
}

// info is shown at the right end of the header.
func (m readerModel) info() string {
	l, ok := m.lesson()
	if !ok {
		return ""
	}
	s := fmt.Sprintf("약 %d분", l.Minutes)
	if m.common.Progress.Lesson(l.ID).Read {
		s += "  ✓ 읽음"
	}
	return s
}

func (m readerModel) helpKeys() bindings {
	km := m.common.KeyMap
	answers := km.Answers
	if m.answers {
		answers.SetHelp(answers.Help().Key, "정답 접기")
	}
	return bindings{
		// v is announced by the fold note in the lesson text and in the full
		// help; the footer has no room for it at narrow widths.
		short: []key.Binding{km.Down, km.PageDown, km.Prev, km.Next, km.Back, km.Help, km.Quit},
		full: [][]key.Binding{
			{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
			{km.Prev, km.Next, answers, km.Back},
			{km.Help, km.Quit},
		},
	}
}

// saveProgress saves progress.json in the background.
func saveProgress(c *Common) tea.Cmd {
	store, saves := c.Progress, c.saves
	return func() tea.Msg { return progressSavedMsg{err: saves.run(store.Save)} }
}

// saveProgressLast is the quit's save: it waits for the saves under way
// and no save starts after it, so the program returns with the progress
// file written and nothing writing it.
func saveProgressLast(c *Common) tea.Cmd {
	store, saves := c.Progress, c.saves
	return func() tea.Msg { return progressSavedMsg{err: saves.last(store.Save)} }
}
