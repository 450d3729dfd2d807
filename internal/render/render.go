// Package render turns lesson markdown into terminal text, laid out as a book,
// with the dslab glamour styles from assets/.
//
// Hangul is two cells wide. Render measures with charmbracelet/x/ansi, as
// lipgloss and the TUI layout do; go-runewidth (used by bubbles and reflow)
// counts East Asian ambiguous characters differently under a Korean locale.
// Call NarrowAmbiguousWidth once at start-up so that both agree (see its
// comment).
package render

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/glamour/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/dslab-kr/dslab/assets"
)

// Width limits accepted by Render. Below MinWidth glamour's margins and
// list indents leave no room for Korean text.
const (
	MinWidth = 20
	MaxWidth = 1000
)

// Options configure a Renderer.
type Options struct {
	// Plain selects the ASCII style and disables every escape sequence.
	Plain bool
	// Profile is the colour profile of the output (ignored when Plain).
	// The zero value is termenv.TrueColor; with termenv.Ascii the output
	// has no escape sequences (but the decorations of the colour style).
	Profile termenv.Profile
}

// Answers says what Render does with quiz answers: block quotes whose text
// starts with AnswerLabel (the lessons' "> 정답: …" lines).
type Answers int

// The answers modes.
const (
	AnswersShown  Answers = iota // in place, like any block quote
	AnswersFolded                // replaced by the fold note
	AnswersAtEnd                 // replaced by the fold note, listed at the end under AnswersHeading
)

// AnswerLabel starts a quiz answer quote (lessons.AnswerPrefix without "> ").
const AnswerLabel = "정답:"

// AnswersHeading heads the answers listed at the end (AnswersAtEnd).
const AnswersHeading = "확인 문제 정답"

// Renderer renders markdown. It is immutable and safe for concurrent use:
// every call builds its own glamour TermRenderer (they are stateful).
type Renderer struct {
	styles   ansi.StyleConfig
	profile  termenv.Profile
	plain    bool
	answers  Answers
	foldNote string
	whole    bool
}

// WithWholeWords returns a copy of r whose prose never cuts a word: one
// wider than the line (a long identifier or flag in a code span) stands
// whole on a line of its own, wider than width, as CLI text does
// (textOut); a code line wider than the block is not cut either (a line
// cut with ContinuationMark cannot be pasted into a shell as shown). For
// terminal output that scrolls, not for fixed-size TUI panes.
func (r *Renderer) WithWholeWords() *Renderer {
	c := *r
	c.whole = true
	return &c
}

// WithAnswers returns a copy of r that renders quiz answers as mode says;
// note (Korean, one line) replaces each answer when they are not shown.
func (r *Renderer) WithAnswers(mode Answers, note string) *Renderer {
	c := *r
	c.answers, c.foldNote = mode, note
	return &c
}

// New parses the embedded style for opts.
func New(opts Options) (*Renderer, error) {
	raw := assets.GlamourDark()
	profile := opts.Profile
	if opts.Plain {
		raw = assets.GlamourPlain()
		profile = termenv.Ascii
	}
	var sc ansi.StyleConfig
	if err := json.Unmarshal(raw, &sc); err != nil {
		return nil, fmt.Errorf("render: parse glamour style: %w", err)
	}
	return &Renderer{styles: sc, profile: profile, plain: opts.Plain}, nil
}

// Plain reports whether r renders without escape sequences.
func (r *Renderer) Plain() bool { return r.plain }

// Profile is the colour profile r renders for.
func (r *Renderer) Profile() termenv.Profile { return r.profile }

// Render renders markdown to fit width terminal cells, as a book rather
// than as markdown: headings without their # marks, prose broken only at
// spaces (never inside an inline code span that fits on a line), code blocks
// cut by cells with ContinuationMark at the start of every continued line,
// block quotes with their bar on every line, tables sized to their content.
// No line is wider than width cells (measured as lipgloss.Width does).
// Trailing blanks are trimmed from every line.
//
// The layout is dslab's own, on glamour's parser (goldmark, GFM) and style
// files: glamour v1 wraps paragraphs with reflow's wordwrap, which breaks at
// hyphens inside identifiers and has no hard-wrap fallback, then re-wraps the
// whole document (code blocks and quote bars included) with x/ansi's
// Wordwrap, which cuts code lines at dots and drops quote bars
// (charmbracelet/glamour#185, #595). glamour v2 fixes part of this with
// lipgloss' wrap but needs bubbletea/lipgloss v2 for the whole TUI.
func (r *Renderer) Render(markdown string, width int) (string, error) {
	lines, err := r.layout(markdown, width)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	out.WriteString("\n")
	margin := strings.Repeat(" ", docMargin)
	for _, l := range lines {
		if l.text != "" {
			if !l.flush {
				out.WriteString(margin)
			}
			out.WriteString(l.text)
		}
		out.WriteString("\n")
	}
	return trimTrailingBlanks(out.String()), nil
}

// MinMargin is the document margin Render puts left and right; RenderFlush
// accepts widths up to MaxWidth-2*MinMargin.
const MinMargin = docMargin

// RenderFlush renders markdown as Render does but flush left, for text
// printed among other CLI output: no document margin, no blank line above
// or below, every line at most width cells. Errors as Render's.
func (r *Renderer) RenderFlush(markdown string, width int) (string, error) {
	lines, err := r.layout(markdown, width+2*docMargin)
	if err != nil {
		return "", err
	}
	var out []string
	for _, l := range lines {
		out = append(out, strings.TrimRight(l.text, " "))
	}
	for len(out) > 0 && strings.TrimSpace(out[0]) == "" {
		out = out[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n"), nil
}

// layout renders markdown into lines without the document margin.
func (r *Renderer) layout(markdown string, width int) ([]line, error) {
	if width < MinWidth || width > MaxWidth {
		return nil, fmt.Errorf("render: width %d out of range [%d, %d]", width, MinWidth, MaxWidth)
	}
	src := []byte(markdown)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	b := &book{r: r, src: src}
	w := width - 2*docMargin
	lines := b.children(doc, w)
	if len(b.answers) > 0 {
		lines = append(lines, line{kind: kBlank})
		lines = append(lines, b.heading(answersHeading(src), w)...)
		for i, a := range b.answers {
			lines = append(lines, line{kind: kBlank})
			marker := fmt.Sprintf("%d. ", i+1)
			for j, l := range a {
				if j == 0 {
					l.text = marker + l.text
					l.itemStart = true
				} else if l.text != "" {
					l.text = strings.Repeat(" ", len(marker)) + l.text
				}
				l.prefix += len(marker)
				lines = append(lines, l)
			}
		}
	}
	return lines, nil
}

// answersHeading is the H2 "확인 문제 정답" put above answers moved to the end.
func answersHeading(src []byte) *ast.Heading {
	_ = src
	h := ast.NewHeading(2)
	h.AppendChild(h, ast.NewString([]byte(AnswersHeading)))
	return h
}

// trimTrailingBlanks removes spaces glamour pads lines with. Padding that
// sits inside an escape sequence (a background colour) is kept.
func trimTrailingBlanks(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// NarrowAmbiguousWidth makes go-runewidth treat East Asian "ambiguous"
// characters (│ • → … ·) as one cell wide, as x/ansi, lipgloss and almost
// every terminal emulator do. go-runewidth otherwise counts them as two cells
// when LANG/LC_ALL names a Korean locale (ko_KR.UTF-8), which makes glamour's
// wrapping and padding disagree with lipgloss and breaks borders and columns.
//
// It changes go-runewidth's process-wide default, so call it once at
// start-up before anything renders (app does, for the TUI and lessons show).
func NarrowAmbiguousWidth() {
	runewidth.EastAsianWidth = false
	if runewidth.DefaultCondition.EastAsianWidth {
		runewidth.DefaultCondition = runewidth.NewCondition()
		runewidth.DefaultCondition.EastAsianWidth = false
	}
}
