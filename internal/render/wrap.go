package render

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// listMarkers start a line whose continuation lines hang under the text
// after the marker (grade reports, hints, lists).
var listMarkers = []string{"✓ ", "✗ ", "! ", "- ", "* ", "· ", "→ ", "• ", "– "}

// Wrap word-wraps plain text (no ANSI escapes) to width display cells, the
// way dslab's CLI prints to a terminal: Hangul and other wide characters
// count two cells (github.com/charmbracelet/x/ansi StringWidth); lines break
// only at spaces, never inside a word or an identifier (a name with hyphens
// such as monitoring-agent, a path, "파드") nor before what is glued to the
// word before it (see glue: "(TUI 에서는", "10.2 GiB", "-n kube-system",
// "… )"), nor inside a command written without backticks that fits a line
// (glueCommands: "podman machine start"), and only a single word wider
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
	for _, tok := range glue(glueCommands(tokens(content), w-cellWidth(hang)), w-cellWidth(hang)) {
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
		if ww > w-curW && ww <= w {
			// A long word (a path, a name) that fits without the indent
			// stands on a line of its own without it rather than being cut
			// (issue 14: "work/rolling-updat" / "e.yaml" under a badge).
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

// glue joins each token to the one before it when a line must not break
// between them (gluesTo), keeping the spaces between them: the pair wraps
// as one word. A pair wider than limit cells (a URL and its particle) is
// left apart: the long word stands on a line of its own.
func glue(toks [][2]string, limit int) [][2]string {
	out := make([][2]string, 0, len(toks))
	for _, t := range toks {
		if n := len(out); n > 0 && gluesTo(out[n-1][1], t[1]) && cellWidth(out[n-1][1]+t[0]+t[1]) <= limit {
			out[n-1][1] += t[0] + t[1]
			continue
		}
		out = append(out, t)
	}
	return out
}

// glueCommands joins a command a learner copies, written without
// backticks ("dslab --help 로", "예: kubectl get nodes", "dslab exercise
// show ds-basics --hint 1", "Podman 은 podman machine start 또는",
// "sudo systemctl start docker"), into one word when it fits limit cells,
// so that whole wrapping never splits it: the run starts at a word that
// names a command (shellCommands, after an opening bracket or quote) and
// takes the words after it up to the first that holds Hangul (a particle
// or Korean prose), a backtick or a quote or opens a parenthesis, or up to
// one that ends in sentence punctuation. A run wider than limit is left as
// separate words.
func glueCommands(toks [][2]string, limit int) [][2]string {
	out := make([][2]string, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !shellCommands[strings.TrimLeft(t[1], "([{\"'")] {
			out = append(out, t)
			continue
		}
		word, j := t[1], i+1
		for ; j < len(toks) && commandWord(toks[j][1]); j++ {
			word += toks[j][0] + toks[j][1]
			if strings.ContainsAny(toks[j][1][len(toks[j][1])-1:], ".,;:)]}") {
				j++
				break
			}
		}
		if j == i+1 || cellWidth(word) > limit {
			out = append(out, t)
			continue
		}
		out = append(out, [2]string{t[0], word})
		i = j - 1
	}
	return out
}

// commandWord reports whether w can continue a command written without
// backticks: no Hangul, no backtick and no quote, not the opening of a
// parenthesis ("(TUI 에서는").
func commandWord(w string) bool {
	if strings.ContainsAny(w, "`\"'") || strings.HasPrefix(w, "(") {
		return false
	}
	for _, r := range w {
		if unicode.Is(unicode.Hangul, r) {
			return false
		}
	}
	return true
}

// closers is the punctuation that closes what a word before it opened.
const closers = ")]}>.,:;!?'\"`」』…"

// units are what follows a number one space after it ("10.2 GiB",
// "30 초"); a Korean unit may carry a particle ("3 개를", "20 초마다").
var (
	latinUnits  = []string{"B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "%", "s", "ms", "µs", "ns", "m", "h", "d", "m/s", "cores", "CPU", "vCPU", "Mi", "Gi", "Ki"}
	koreanUnits = []string{"초", "분", "시간", "일", "주", "개월", "년", "개", "명", "대", "점", "줄", "번", "회", "배", "칸", "바이트", "코어", "건", "차례", "쪽"}
)

// gluesTo reports whether a line must not break between prev and word
// (written with spaces between them):
//   - word is only closing punctuation (")", ")." — a paren closed after a
//     space);
//   - word is a Korean particle or a form of 이다 written, by dslab's house
//     convention, one space after a non-Hangul word ("(TUI 에서는",
//     "gpu-only 를", "`kubectl` 로", "NotReady 이고"; hangul.IsParticle);
//     not after a Hangul word or a sentence's punctuation, where 이 is the
//     determiner "this" ("…습니다. 이 파드");
//   - word is a unit and prev ends in a number ("10.2 GiB", "30 초가");
//   - prev is a command-line flag and word its value ("-n kube-system",
//     "--runtime embedded"): a value without Hangul that is not a flag.
func gluesTo(prev, word string) bool {
	if strings.Trim(word, closers) == "" {
		return true
	}
	if flagRE.MatchString(lastWord(prev)) && isFlagValue(word) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	switch {
	case hangul.IsParticle(word):
		return last < utf8.RuneSelf && (unicode.IsLetter(last) || unicode.IsDigit(last) || strings.ContainsRune(")]}>'\"`%", last))
	case unicode.IsDigit(last):
		return isUnit(strings.TrimRight(word, closers))
	}
	return false
}

// flagRE matches a command-line flag written alone ("-n", "--runtime",
// "(-o"), not a lone dash or a flag with its value ("--width=60").
var flagRE = regexp.MustCompile(`^[(\[]?--?[A-Za-z][A-Za-z0-9-]*$`)

// lastWord is the last space-separated word of s (s itself may be
// several words glued before).
func lastWord(s string) string {
	return s[strings.LastIndexByte(s, ' ')+1:]
}

// isFlagValue reports whether w can be the value after a flag: not a flag
// itself, no Hangul (Korean prose or a particle follows a flag that takes
// no value: "--all 을"), not an arrow or dash of prose.
func isFlagValue(w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	if w == "" || strings.ContainsRune("-—–→(", first) {
		return false
	}
	for _, r := range w {
		if unicode.Is(unicode.Hangul, r) {
			return false
		}
	}
	return true
}

// isUnit reports whether w is a unit (units), a Korean one possibly
// followed by a particle.
func isUnit(w string) bool {
	for _, u := range latinUnits {
		if w == u {
			return true
		}
	}
	for _, u := range koreanUnits {
		if rest, ok := strings.CutPrefix(w, u); ok && (rest == "" || hangul.IsParticle(rest)) {
			return true
		}
	}
	return false
}

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

// shellCommands are the programs dslab's texts tell a learner to run: a
// word naming one starts a command that is kept whole (glueCommands,
// isCommand). Lower case only: "Docker Desktop", "Podman 을" are names in
// prose.
var shellCommands = map[string]bool{
	"dslab": true, "kubectl": true, "sudo": true, "kind": true, "docker": true, "podman": true,
	"systemctl": true, "apt-get": true, "apt": true, "dnf": true, "brew": true, "wsl": true,
	"usermod": true, "newgrp": true, "curl": true, "export": true, "go": true, "make": true,
	"ssh": true, "ss": true, "cat": true, "ls": true, "cd": true, "watch": true, "git": true,
}

// isCommand reports whether a backticked span that starts with first is a
// shell command (the learner copies it whole), not a code fragment such as
// a YAML value.
func isCommand(first string) bool { return shellCommands[first] }

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
	for _, s := range spans(glue(glueCommands(tokens(content), w-cellWidth(hang)), w-cellWidth(hang))) {
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
			if post := strings.TrimLeft(s.post, " "); post != "" {
				add("", post)
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
