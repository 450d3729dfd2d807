package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Layout helpers. Every width here is in terminal cells as lipgloss measures
// them (ansi.StringWidth): a Hangul syllable is two cells.

// ellipsis ends truncated text.
const ellipsis = "…"

// truncate cuts s (which may contain escape sequences) to at most w cells.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// padRight truncates or pads s with spaces to exactly w cells.
func padRight(s string, w int) string {
	s = truncate(s, w)
	if gap := w - ansi.StringWidth(s); gap > 0 {
		s += strings.Repeat(" ", gap)
	}
	return s
}

// padLeft truncates or left-pads s with spaces to exactly w cells.
func padLeft(s string, w int) string {
	s = truncate(s, w)
	if gap := w - ansi.StringWidth(s); gap > 0 {
		s = strings.Repeat(" ", gap) + s
	}
	return s
}

// fitLines makes s exactly h lines, each at most w cells: longer lines are
// cut (never wrapped, which would shift everything below), missing lines are
// added empty.
func fitLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
