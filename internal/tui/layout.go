package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/render"
)

// Layout helpers. Every width here is in terminal cells as lipgloss measures
// them (ansi.StringWidth): a Hangul syllable is two cells.

// nbsp joins words that wrapText keeps on one line (it breaks at ASCII
// spaces only); the terminal shows it as a space.
const nbsp = "\u00a0"

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

// wrapText word-wraps plain text (no escape sequences) to w cells with
// internal/render's Wrap, the one wrapper of dslab's CLI and TUI: lines
// break only at spaces, never inside a word or an identifier (a name with
// hyphens, a path, "파드"); only a word wider than a whole line is cut; a
// line starting with a list marker ("✓ ", "- ", …) hangs under its text.
// Newlines are kept; w is at least 8 cells.
func wrapText(s string, w int) []string {
	return strings.Split(render.Wrap(s, max(w, 8)), "\n")
}

// wrapHanging wraps text after prefix (render.WrapHanging): continuation
// lines are indented as far as prefix is wide. Newlines in text start new
// items with the same prefix width.
func wrapHanging(prefix, text string, width int) []string {
	var out []string
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for i, p := range strings.Split(text, "\n") {
		if i > 0 {
			prefix = pad
		}
		// A paragraph's own indent hangs too.
		body := strings.TrimLeft(p, " ")
		out = append(out, strings.Split(render.WrapHanging(prefix+p[:len(p)-len(body)], body, max(width, 8)), "\n")...)
	}
	return out
}

// styleLines renders every line with style (a style applied to a whole
// wrapped block would pad the lines to one width).
func styleLines(style lipgloss.Style, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = style.Render(l)
	}
	return out
}
