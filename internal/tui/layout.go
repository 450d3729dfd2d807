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
// hyphens, a path, "파드"), and never between a word and the Korean
// particle written after it with a space ("dslab-worker2 을": see
// glueParticles); only a word wider than a whole line is cut; a line
// starting with a list marker ("✓ ", "- ", …) hangs under its text.
// Newlines are kept; w is at least 8 cells.
func wrapText(s string, w int) []string {
	return unglue(strings.Split(render.Wrap(glueParticles(s, max(w, 8)-6), max(w, 8)), "\n"))
}

// glue stands for a space that must not break a line while wrapping (one
// cell wide like the space, and not a space to render.Wrap); unglue turns
// it back into a space.
const glue = "\u2007"

// glueParticles joins every Korean particle (조사) written after a word
// with a space — "노드 dslab-worker2 을", "hostPort 가", "데몬셋 %s 의" — to
// that word, so that a wrapped line never starts with a bare particle, and
// a command's flag to its value ("-n kube-system": isFlag).
// A word that would then be wider than limit cells stays apart from its
// particle: a name cut in two is worse than a particle on the next line.
func glueParticles(s string, limit int) string {
	if !strings.Contains(s, " ") {
		return s
	}
	parts := strings.Split(s, " ")
	var b strings.Builder
	b.Grow(len(s))
	run := 0 // the width of the glued words ending at parts[i-1]
	for i, p := range parts {
		pw := ansi.StringWidth(p)
		if i > 0 {
			prev := parts[i-1]
			need := run + 1 + pw
			if introducesName(prev, p) && i+1 < len(parts) && isParticle(parts[i+1]) {
				// The name's particle must fit too: a particle parted
				// from its name is worse than a noun parted from it.
				need += 1 + ansi.StringWidth(parts[i+1])
			}
			if prev != "" && p != "" && (isParticle(p) || isFlag(prev) || introducesName(prev, p)) && need <= limit {
				b.WriteString(glue)
				run += 1 + pw
			} else {
				b.WriteByte(' ')
				run = pw
			}
		} else {
			run = pw
		}
		b.WriteString(p)
	}
	return b.String()
}

// isFlag reports whether the word w is a command-line flag that takes
// the next word as its value ("-n", "--namespace", "`-l`", "(kubectl -n"'s
// "-n"): the flag and its value stay on one line (issue 14: "-n" ended a
// line and "kube-system" began the next). A flag with its value after =
// stands alone.
func isFlag(w string) bool {
	w = strings.TrimRight(strings.TrimLeft(w, "(`"), "`")
	if !strings.HasPrefix(w, "-") || strings.Contains(w, "=") {
		return false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-")
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return false
	}
	for _, r := range name {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// nameNouns are the Korean nouns that introduce the name written after
// them ("데몬셋 dslab/gpu-monitor", "노드 dslab-worker2", "연습 gpu-only").
var nameNouns = map[string]bool{
	"데몬셋": true, "파드": true, "노드": true, "네임스페이스": true, "연습": true, "컨테이너": true,
	"이미지": true, "레이블": true, "테인트": true, "톨러레이션": true, "디플로이먼트": true, "파일": true,
	"컨텍스트": true, "클러스터": true, "오브젝트": true, "필드": true, "키": true,
}

// introducesName reports whether noun, one of nameNouns (after an
// opening bracket or quote), is followed by the name it introduces: a
// word written in Latin letters or digits (an identifier, a path, a
// number; issue 14: the exercise header broke "데몬셋" / "dslab/gpu-monitor").
// The two stay on one line.
func introducesName(noun, name string) bool {
	if !nameNouns[strings.TrimLeft(noun, "(「『'\"`")] {
		return false
	}
	name = strings.TrimLeft(name, "`'\"")
	if name == "" {
		return false
	}
	r := name[0]
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// isParticle reports whether the word w is a Korean particle standing
// alone (trailing punctuation aside), or one followed by a short ending
// ("에는", "으로는"). Fallback forms are banned (internal/hangul tests),
// so they are not listed.
func isParticle(w string) bool {
	w = strings.TrimRight(w, ".,;:!?)」』'\"…")
	switch w {
	case "을", "를", "이", "가", "은", "는", "에", "의", "로", "으로", "와", "과", "도", "만",
		"에는", "에서", "에게", "에도", "에만", "으로는", "로는", "으로도", "로도", "와는", "과는",
		"이나", "나", "까지", "부터", "처럼", "보다", "이라는", "라는", "이고", "이며", "이라", "라":
		return true
	}
	return false
}

// unglue turns glue back into spaces.
func unglue(lines []string) []string {
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, glue, " ")
	}
	return lines
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
		out = append(out, strings.Split(render.WrapHanging(prefix+p[:len(p)-len(body)], glueParticles(body, max(width, 8)-ansi.StringWidth(prefix)), max(width, 8)), "\n")...)
	}
	return unglue(out)
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
