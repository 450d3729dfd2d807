package render

import "strings"

// listMarkers start a line whose continuation lines hang under the text
// after the marker (grade reports, hints, lists).
var listMarkers = []string{"✓ ", "✗ ", "! ", "- ", "* ", "· ", "→ ", "• ", "– "}

// Wrap word-wraps plain text (no ANSI escapes) to width display cells, the
// way dslab's CLI prints to a terminal: Hangul and other wide characters
// count two cells (github.com/charmbracelet/x/ansi StringWidth); lines break
// only at spaces, never inside a word or an identifier (a name with hyphens
// such as monitoring-agent, a path, "파드"), and only a single word wider
// than the whole line is cut. Every input line keeps its leading spaces;
// its continuation lines are indented as far, plus the width of a list
// marker ("✓ ", "✗ ", "! ", "- ", …) when the line starts with one. Lines
// that fit are returned unchanged; width <= 0 returns text unchanged.
func Wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, wrapLine(l, width, true)...)
	}
	return strings.Join(out, "\n")
}

// WrapWhole is Wrap for text printed to a terminal (dslab's CLI output):
// the same breaks and indents, but a word wider than the whole line (a long
// URL, path or identifier) is never cut: it stands whole on a line of its
// own, wider than width, so that it can still be copied and searched.
func WrapWhole(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, wrapLine(l, width, false)...)
	}
	return strings.Join(out, "\n")
}

// WrapHanging is Wrap for one item that starts with prefix (a label or a
// table's leading columns, e.g. "  image    1점  "): text follows prefix,
// and its continuation lines are indented as far as prefix is wide. text
// has no newlines.
func WrapHanging(prefix, text string, width int) string {
	l := prefix + text
	if width <= 0 {
		return l
	}
	return strings.Join(wrapWith(l, width, strings.Repeat(" ", cellWidth(prefix)), true), "\n")
}

// WrapHangingWhole is WrapHanging that never cuts a word (see WrapWhole).
func WrapHangingWhole(prefix, text string, width int) string {
	l := prefix + text
	if width <= 0 {
		return l
	}
	return strings.Join(wrapWith(l, width, strings.Repeat(" ", cellWidth(prefix)), false), "\n")
}

// wrapLine wraps one line without newlines (see Wrap); cut says whether a
// word wider than a line is cut (Wrap) or kept whole (WrapWhole).
func wrapLine(l string, w int, cut bool) []string {
	content := strings.TrimLeft(l, " ")
	hang := l[:len(l)-len(content)]
	for _, m := range listMarkers {
		if strings.HasPrefix(content, m) {
			hang += strings.Repeat(" ", cellWidth(m))
			break
		}
	}
	return wrapWith(l, w, hang, cut)
}

// wrapWith wraps line l to w cells; continuation lines start with hang. A
// word wider than a line is cut when cut is set, else kept whole (and
// quoted spans are kept together: wrapWholeWith).
func wrapWith(l string, w int, hang string, cut bool) []string {
	if cellWidth(l) <= w {
		return []string{l}
	}
	if !cut {
		return wrapWholeWith(l, w, hang)
	}
	content := strings.TrimLeft(l, " ")
	lead := l[:len(l)-len(content)]
	// A very deep indent on a narrow terminal: keep at least 16 cells of text.
	const minText = 16
	if w-cellWidth(hang) < minText {
		hang = ""
	}
	if w-cellWidth(lead) < minText {
		lead = ""
	}
	var out []string
	cur, curW := lead, cellWidth(lead)
	empty := true // cur holds no word yet
	indent := func() {
		cur, curW, empty = hang, cellWidth(hang), true
	}
	for _, tok := range tokens(content) {
		word, sep := tok[1], tok[0]
		ww, sw := cellWidth(word), cellWidth(sep)
		if !empty && curW+sw+ww <= w {
			// The spaces between two words on one line stay as written.
			cur, curW = cur+sep+word, curW+sw+ww
			continue
		}
		if !empty {
			out = append(out, cur)
			indent()
		}
		if !cut && ww > w-curW && ww <= w {
			// A long word that fits without the indent: no indent.
			cur, curW = "", 0
		}
		for cut && ww > w-curW && w-curW > 0 {
			// Only a word wider than a whole line is cut.
			piece := cutCells(word, w-curW)[0]
			out = append(out, cur+piece)
			indent()
			word = strings.TrimPrefix(word, piece)
			ww = cellWidth(word)
		}
		if word != "" {
			cur, curW, empty = cur+word, curW+ww, false
		}
	}
	if !empty {
		out = append(out, cur)
	}
	return out
}

// tokens splits s into {spaces before, word} pairs (a word is a run of
// non-space characters; trailing spaces are dropped).
func tokens(s string) [][2]string {
	var out [][2]string
	for s != "" {
		rest := strings.TrimLeft(s, " ")
		sep := s[:len(s)-len(rest)]
		if rest == "" {
			break
		}
		end := strings.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		out = append(out, [2]string{sep, rest[:end]})
		s = rest[end:]
	}
	return out
}

func cellWidth(s string) int { return width(s) }

// A wspan is one unit of whole wrapping: a word, or a quoted span of
// several words ("…", '…' or `…`) that is kept on one line.
type wspan struct {
	sep, word string
	// parts are the words of a quoted span (nil for a plain word), so that
	// a span wider than a whole line can still break at its spaces.
	parts [][2]string
	// cmd is set for a backticked command of several words (isCommand:
	// `dslab class join URL --code 123456`): pre and post are what stands
	// before the opening and after the closing backtick in the same words,
	// inner the command itself.
	cmd              bool
	pre, inner, post string
}

// quoteOpen reports the quote character a word opens a span with (after
// an opening bracket), or 0 when the word opens none or closes it itself.
func quoteOpen(word string) (byte, int) {
	i := 0
	for i < len(word) && strings.IndexByte("([{", word[i]) >= 0 {
		i++
	}
	if i >= len(word) || strings.IndexByte("\"'`", word[i]) < 0 {
		return 0, 0
	}
	q := word[i]
	if strings.IndexByte(word[i+1:], q) >= 0 {
		return 0, 0 // closed within the word: an ordinary word
	}
	return q, i
}

// isCommand reports whether a backticked span that starts with first is a
// shell command (the learner copies it whole), not a code fragment such as
// a YAML value.
func isCommand(first string) bool {
	switch first {
	case "dslab", "kubectl", "sudo", "kind", "docker", "podman", "curl", "export", "go", "make", "ssh", "cat", "ls", "cd", "watch":
		return true
	}
	return false
}

// spans groups tokens into spans: a word that opens a quote and the words
// up to the one that closes it form one span; an unclosed quote groups
// nothing.
func spans(toks [][2]string) []wspan {
	var out []wspan
	for i := 0; i < len(toks); i++ {
		q, at := quoteOpen(toks[i][1])
		j := i + 1
		for q != 0 && j < len(toks) && strings.IndexByte(toks[j][1], q) < 0 {
			j++
		}
		if q == 0 || j >= len(toks) {
			out = append(out, wspan{sep: toks[i][0], word: toks[i][1]})
			continue
		}
		s := wspan{sep: toks[i][0], parts: toks[i : j+1]}
		var b strings.Builder
		for k, t := range toks[i : j+1] {
			if k > 0 {
				b.WriteString(t[0])
			}
			b.WriteString(t[1])
		}
		s.word = b.String()
		if q == '`' && isCommand(toks[i][1][at+1:]) {
			last := toks[j][1]
			closeAt := len(s.word) - len(last) + strings.IndexByte(last, q)
			s.cmd, s.pre, s.inner, s.post = true, s.word[:at], s.word[at+1:closeAt], s.word[closeAt+1:]
		}
		out = append(out, s)
		i = j
	}
	return out
}

// wrapWholeWith is wrapWith for whole wrapping (WrapWhole): breaks only at
// spaces outside quotes; a quoted span ("…", '…', `…`) moves whole to the
// next line when it does not fit where it stands, and breaks at its own
// spaces only when it is wider than a whole line — except a backticked
// command (`dslab class join URL --code …`), which never breaks: wider than
// a line, it stands on a line of its own without its backticks, so that it
// can be copied whole. A word wider than a line stands whole on its own
// line.
func wrapWholeWith(l string, w int, hang string) []string {
	content := strings.TrimLeft(l, " ")
	lead := l[:len(l)-len(content)]
	const minText = 16
	if w-cellWidth(hang) < minText {
		hang = ""
	}
	if w-cellWidth(lead) < minText {
		lead = ""
	}
	var out []string
	cur, curW := lead, cellWidth(lead)
	empty := true
	flush := func() {
		if !empty {
			out = append(out, cur)
		}
		cur, curW, empty = hang, cellWidth(hang), true
	}
	add := func(sep, word string) {
		ww, sw := cellWidth(word), cellWidth(sep)
		if !empty && curW+sw+ww <= w {
			cur, curW = cur+sep+word, curW+sw+ww
			return
		}
		if !empty {
			flush()
		}
		if ww > w-curW && ww <= w {
			cur, curW = "", 0 // fits without the indent: no indent
		}
		cur, curW, empty = cur+word, curW+ww, false
	}
	for _, s := range spans(tokens(content)) {
		fitsHere := (empty && curW+cellWidth(s.word) <= w) || curW+cellWidth(s.sep)+cellWidth(s.word) <= w
		switch {
		case s.parts == nil || fitsHere:
			add(s.sep, s.word)
		case cellWidth(s.word) <= w-cellWidth(hang):
			flush()
			add("", s.word)
		case s.cmd:
			// A command wider than a line: on a line of its own, without
			// its backticks, whole.
			if s.pre != "" {
				add(s.sep, s.pre)
			}
			flush()
			ind := hang
			if cellWidth(ind)+cellWidth(s.inner) > w {
				ind = ""
			}
			out = append(out, ind+s.inner)
			if s.post != "" {
				add("", s.post)
			}
		default:
			for k, p := range s.parts {
				sep := p[0]
				if k == 0 {
					sep = s.sep
				}
				add(sep, p[1])
			}
		}
	}
	if !empty {
		out = append(out, cur)
	}
	return out
}
