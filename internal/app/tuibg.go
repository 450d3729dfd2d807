package app

import (
	"strconv"
	"strings"
)

// darkBackground decides whether the terminal's background is dark
// without asking the terminal: lipgloss's HasDarkBackground sends an OSC
// 11 query and waits up to termenv.OSCTimeout (5 s) for a reply a terminal
// (or tmux, or a pipe-backed pty) may never send, before the first frame.
// COLORFGBG ("fg;bg", set by rxvt, Konsole and others; termenv's own
// fallback) decides when set: a background colour 7 (light grey) or 8-15
// except 8 (dark grey) is light. Otherwise the background is dark, the
// common case (source: github.com/muesli/termenv termenv_unix.go
// backgroundColor, and ColorFGBG in rxvt-unicode's manual).
func darkBackground(getenv func(string) string) bool {
	v := getenv("COLORFGBG")
	if !strings.Contains(v, ";") {
		return true
	}
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return true
	}
	return !(bg == 7 || (bg >= 9 && bg <= 15))
}
