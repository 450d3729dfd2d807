package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrapServerText wraps kubectl's and the API server's words (an apply
// error's detail: JSON patches, Go-printed objects, field paths) to width
// cells after prefix, hanging. Lines break at spaces and after the JSON
// and identifier boundaries , : { } [ ] — never inside a name such as
// "last-applied-configuration" or "matchLabels" (trainee trial at 80
// columns, issue 14). A piece with no boundary wider than the line is cut
// by cells.
func wrapServerText(prefix, text string, width int) []string {
	pw := ansi.StringWidth(prefix)
	pad := strings.Repeat(" ", pw)
	w := max(width-pw, 8)
	var out []string
	for i, para := range strings.Split(text, "\n") {
		// A paragraph's own indent hangs too.
		body := strings.TrimLeft(para, " ")
		indent := para[:len(para)-len(body)]
		lw := max(w-len(indent), 8)
		for j, l := range packServerTokens(serverTokens(body), lw) {
			p := pad
			if i == 0 && j == 0 {
				p = prefix
			}
			out = append(out, p+indent+l)
		}
	}
	return out
}

// serverTokens splits s after every break point: a space is a token of
// its own, and , : { } [ ] end the token they close — but not the
// brackets of an index in a field path (inPath).
func serverTokens(s string) []string {
	var toks []string
	start := 0
	for i, r := range s {
		switch r {
		case ' ':
			if i > start {
				toks = append(toks, s[start:i])
			}
			toks = append(toks, " ")
			start = i + 1
		case '[', ']', '{', '}':
			if inPath(s, i) || inType(s, i) {
				continue
			}
			toks = append(toks, s[start:i+1])
			start = i + 1
		case ',', ':':
			toks = append(toks, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		toks = append(toks, s[start:])
	}
	return toks
}

// packServerTokens fills lines of w cells with toks, greedily; spaces at
// the ends of lines are dropped.
func packServerTokens(toks []string, w int) []string {
	var lines []string
	var cur strings.Builder
	cw := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		cw = 0
	}
	for _, t := range toks {
		tw := ansi.StringWidth(t)
		if t == " " && cw == 0 {
			continue
		}
		if cw > 0 && cw+tw > w {
			flush()
			if t == " " {
				continue
			}
		}
		for tw > w {
			head := ansi.Truncate(t, w, "")
			if head == "" {
				break
			}
			cur.WriteString(head)
			flush()
			t = t[len(head):]
			tw = ansi.StringWidth(t)
		}
		cur.WriteString(t)
		cw += tw
	}
	if cw > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// inType reports whether the bracket at s[i] is inside a Go type or a
// word the brackets are part of ("map[string]string", "[]string",
// "interface{}", "map[string]interface {}"): the next character is a
// letter, a digit or another bracket — a line must not break there
// (trainee trial, issue 14: "map[string]" / "string"). JSON ("{\"spec\":",
// "[{", "]}") still breaks after its brackets before a quote or a
// space.
func inType(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	n := s[i+1]
	switch {
	case n == '_' || n >= '0' && n <= '9' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
		return true
	case s[i] == '[' && n == ']', s[i] == '{' && n == '}':
		return true
	}
	return false
}

// inPath reports whether the bracket at s[i] is an index of a field path
// ("spec.template.spec.tolerations[0].effect", "containers[1]"): a [
// right after a name and before a digit, or a ] right after a digit and
// before . or [ — a line must not break inside the path (issue 14: at
// 60×12 it broke after "tolerations[").
func inPath(s string, i int) bool {
	word := func(b byte) bool {
		return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	switch s[i] {
	case '[':
		return i > 0 && word(s[i-1]) && i+1 < len(s) && digit(s[i+1])
	case ']':
		return i > 0 && digit(s[i-1]) && i+1 < len(s) && (s[i+1] == '.' || s[i+1] == '[')
	}
	return false
}
