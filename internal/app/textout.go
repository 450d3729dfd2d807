package app

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/render"
)

// defaultTextWidth is the width, in display cells, that CLI text wraps to
// when the output is not a terminal, the command has no --width and
// $COLUMNS is unset.
const defaultTextWidth = 80

// textWidth is the width, in display cells, that CLI text written to w
// wraps to: flag (a command's --width) when > 0; else w's own width when w
// is a terminal; else $COLUMNS; else the width of the other standard
// stream when it is a terminal (stdout piped to a pager, stderr on the
// terminal); else defaultTextWidth (80).
func textWidth(env Env, w io.Writer, flag int) int {
	if flag > 0 {
		return flag
	}
	if n, ok := terminalWidth(w); ok {
		return n
	}
	if env.Getenv != nil {
		if n, err := strconv.Atoi(env.Getenv("COLUMNS")); err == nil && n > 0 {
			return n
		}
	}
	// Piped to a pager (dslab … | less) with the other stream still on the
	// terminal: the learner reads it in that terminal.
	for _, s := range []io.Writer{env.Streams.Err, env.Streams.Out} {
		if n, ok := terminalWidth(s); ok {
			return n
		}
	}
	return defaultTextWidth
}

// textOut is the one way internal/app prints prose (messages, reports,
// warnings, errors) to the learner or instructor: every call writes whole
// lines that start at column 0, word-wrapped to width display cells by
// render.WrapWhole (Hangul two cells; a break only at spaces, never inside a
// word, an identifier, a path or a URL; a word wider than the line stands
// whole on its own line). Machine output (JSON, CSV, YAML, kubeconfigs,
// kubectl's own output) does not go through it. Write errors are ignored,
// as fmt.Fprint's are for terminal output.
type textOut struct {
	w     io.Writer
	width int
}

// newTextOut is the text writer for w (env.Streams.Out or Err); flag is the
// command's --width (0 when it has none; see textWidth).
func newTextOut(env Env, w io.Writer, flag int) textOut {
	return textOut{w: w, width: textWidth(env, w, flag)}
}

// Printf formats and writes wrapped text; it should end with "\n" (a prompt
// need not).
func (t textOut) Printf(format string, args ...any) {
	t.Print(fmt.Sprintf(format, args...))
}

// Print writes s wrapped.
func (t textOut) Print(s string) {
	_, _ = io.WriteString(t.w, render.WrapWhole(s, t.width))
}

// Println writes s wrapped and a newline.
func (t textOut) Println(s string) { t.Print(s + "\n") }

// Hanging writes one item, prefix then text, with text's continuation lines
// indented as far as prefix is wide (a label or a table's leading
// columns), and a newline. Further lines of a multi-line text are indented
// the same way.
func (t textOut) Hanging(prefix, text string) {
	first, rest, more := strings.Cut(strings.TrimRight(text, "\n"), "\n")
	out := render.WrapHangingWhole(prefix, first, t.width) + "\n"
	if more {
		pad := strings.Repeat(" ", ansi.StringWidth(prefix))
		for _, l := range strings.Split(rest, "\n") {
			out += render.WrapWhole(pad+l, t.width) + "\n"
		}
	}
	_, _ = io.WriteString(t.w, out)
}

// Items writes items (short commands such as "채점: dslab grade gpu-only")
// on one line separated by three spaces when they fit, else one per line,
// so that no command is split between two lines.
func (t textOut) Items(items ...string) {
	line := strings.Join(items, "   ")
	if t.width <= 0 || ansi.StringWidth(line) <= t.width {
		t.Println(line)
		return
	}
	for _, it := range items {
		t.Println(it)
	}
}

// Markdown writes md (an exercise's task or hint, lesson markdown) rendered
// as `dslab lessons show` renders it: internal/render with the dslab style,
// colours only when t's writer is a terminal that takes them (no escape
// sequences when piped or with NO_COLOR), no markdown marks left (no
// backticks, ** or # heading marks), flush left and wrapped to t.width
// cells, an inline code span (a command) never broken when it fits on a
// line. A newline ends the text.
func (t textOut) Markdown(md string) {
	t.MarkdownHanging("", md)
}

// MarkdownHanging writes prefix ("힌트 1: ") then md rendered as Markdown
// does, its lines indented as far as prefix is wide.
func (t textOut) MarkdownHanging(prefix, md string) {
	pw := ansi.StringWidth(prefix)
	text, err := renderMarkdown(t.w, md, t.width-pw)
	if err != nil {
		// Too narrow to render: the source, wrapped.
		t.Hanging(prefix, reflow(strings.TrimSpace(md)))
		return
	}
	pad := strings.Repeat(" ", pw)
	var b strings.Builder
	for i, l := range strings.Split(text, "\n") {
		switch {
		case i == 0:
			b.WriteString(prefix + l)
		case l != "":
			b.WriteString(pad + l)
		}
		b.WriteString("\n")
	}
	_, _ = io.WriteString(t.w, b.String())
}

// renderMarkdown renders md flush left to width cells for w (see
// textOut.Markdown).
func renderMarkdown(w io.Writer, md string, width int) (string, error) {
	render.NarrowAmbiguousWidth()
	r, err := render.New(render.Options{Profile: termenv.NewOutput(w).EnvColorProfile()})
	if err != nil {
		return "", err
	}
	// A very wide text (COLUMNS=100000) is laid out at render's limit.
	return r.WithWholeWords().RenderFlush(md, min(width, render.MaxWidth-2*render.MinMargin))
}

// textOut is the text writer for env.Streams.Out (no --width).
func (env Env) textOut() textOut { return newTextOut(env, env.Streams.Out, 0) }

// textErr is the text writer for env.Streams.Err: warnings, notes, errors.
func (env Env) textErr() textOut { return newTextOut(env, env.Streams.Err, 0) }

// Lines is t as an io.Writer for code that builds a line in pieces
// (fmt.Fprintf(w, …) several times, then a newline): each complete line is
// wrapped when its newline arrives; text after the last newline waits for
// the next one, so every piece of text written must end with a newline
// eventually (a prompt uses Print instead).
func (t textOut) Lines() io.Writer { return &lineWriter{t: t} }

type lineWriter struct {
	t       textOut
	pending []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.pending = append(l.pending, p...)
	if i := bytes.LastIndexByte(l.pending, '\n'); i >= 0 {
		l.t.Print(string(l.pending[:i+1]))
		l.pending = append([]byte(nil), l.pending[i+1:]...)
	}
	return len(p), nil
}

// blockStart matches a line that starts a Markdown list item or block.
var blockStart = regexp.MustCompile(`^\s*([-*+] |\d+[.)] |#|>|\||` + "```" + `)`)

// reflow joins the lines of each Markdown paragraph of s (source text
// broken at ~80 columns) into one line, so that textOut wraps it to the
// terminal instead of leaving ragged short lines. Blank lines, list items,
// headings, quotes, tables, indented lines and fenced code keep their line
// breaks.
func reflow(s string) string {
	var out []string
	fence, joinable := false, false
	for _, l := range strings.Split(s, "\n") {
		trim := strings.TrimSpace(l)
		if strings.HasPrefix(trim, "```") {
			fence = !fence
			out = append(out, l)
			joinable = false
			continue
		}
		switch {
		case fence || trim == "":
			out = append(out, l)
			joinable = false
		case joinable && !blockStart.MatchString(l) && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t"):
			out[len(out)-1] += " " + trim
		default:
			out = append(out, l)
			joinable = !strings.HasPrefix(trim, "#") && !strings.HasPrefix(trim, "|")
		}
	}
	return strings.Join(out, "\n")
}
