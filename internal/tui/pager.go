package tui

import (
	"math"
	"strings"
)

// pager is a minimal vertical scroller over pre-rendered lines. Unlike
// bubbles/viewport it never re-wraps a line that is too wide (it cuts it),
// so a long code line cannot push the rest of the screen down.
type pager struct {
	lines  []string
	offset int
	height int
}

func (p *pager) setContent(s string) {
	p.lines = strings.Split(strings.TrimRight(s, "\n"), "\n")
	p.clamp()
}

func (p *pager) setHeight(h int) {
	p.height = max(h, 1)
	p.clamp()
}

func (p *pager) maxOffset() int { return max(len(p.lines)-p.height, 0) }

func (p *pager) clamp() { p.offset = min(max(p.offset, 0), p.maxOffset()) }

func (p *pager) scroll(n int) {
	p.offset += n
	p.clamp()
}

func (p *pager) setOffset(n int) {
	p.offset = n
	p.clamp()
}

func (p *pager) atBottom() bool { return p.offset >= p.maxOffset() }

// percent is the scroll position as a fraction of the scrollable range.
func (p *pager) percent() float64 {
	if p.maxOffset() == 0 {
		return 1
	}
	return float64(p.offset) / float64(p.maxOffset())
}

// setPercent scrolls to a fraction of the scrollable range.
func (p *pager) setPercent(f float64) {
	p.setOffset(int(math.Round(f * float64(p.maxOffset()))))
}

// view returns the visible lines, exactly height lines of at most w cells.
func (p *pager) view(w int) string {
	end := min(p.offset+p.height, len(p.lines))
	return fitLines(strings.Join(p.lines[min(p.offset, end):end], "\n"), w, p.height)
}
