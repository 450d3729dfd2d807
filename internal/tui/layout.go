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

// wrapWords wraps plain text (no escape sequences) to w cells: breaks
// only at spaces; a word wider than w is cut into pieces of w cells.
// Newlines in s are kept.
func wrapWords(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, lw := "", 0
		flush := func() {
			out = append(out, strings.TrimRight(line, " "))
			line, lw = "", 0
		}
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		lead := para[:len(para)-len(strings.TrimLeft(para, " "))]
		line, lw = lead, ansi.StringWidth(lead)
		for _, word := range words {
			ww := ansi.StringWidth(word)
			switch {
			case lw > 0 && strings.TrimSpace(line) != "" && lw+1+ww <= w:
				line, lw = line+" "+word, lw+1+ww
				continue
			case strings.TrimSpace(line) != "":
				flush()
			}
			for ww > w-lw && w-lw > 0 && ww > w {
				// A word longer than a line: cut it.
				head := ansi.Truncate(word, w-lw, "")
				line += head
				flush()
				word = strings.TrimPrefix(word, head)
				ww = ansi.StringWidth(word)
			}
			line, lw = line+word, lw+ww
		}
		flush()
	}
	return out
}
