package render

import (
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	gansi "github.com/charmbracelet/glamour/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// The book layout. Every line is built here from the goldmark tree, so the
// wrapping rules are ours (see Render for why glamour's are not used):
//   - prose breaks only at spaces; an inline code span is never broken unless
//     it is wider than the whole line;
//   - code blocks keep their lines; a line wider than the block is cut by
//     cells and continued on the next line after ContinuationMark, set in the
//     block's gutter so that the code column stays aligned — except a shell
//     command (a shell/sh/bash block), which is broken as bash continues a
//     line: at a space between words outside quotes, the line ending with
//     " \" and the rest indented, so that it pastes as shown (shellLines);
//   - block quotes prefix every line, blank ones included, with their bar.

// ContinuationMark starts the gutter of a code line that continues the line
// above it (the source line was wider than the code block).
const ContinuationMark = "↪"

// Layout constants, in cells.
const (
	docMargin  = 2 // left and right margin of the whole document
	codeIndent = 2 // code blocks sit this far right of the text (their gutter)
)

// lineKind tells what a rendered line belongs to; the tests check the
// layout properties by kind.
type lineKind int

const (
	kBlank lineKind = iota
	kProse          // paragraph, list item or quote text
	kHeading
	kRule // heading underline, thematic break
	kCode
	kCodeCont // continuation of a code line (starts with ContinuationMark)
	// kShellCont continues a shell command: the line above ends with " \"
	// (bash's line continuation) and this one is indented.
	kShellCont
	kTable
	kNote // folded answer note
)

// line is one rendered line with what the tests need to know about it.
type line struct {
	text  string   // final text, styled, without the document margin
	kind  lineKind //
	block int      // id of the paragraph/code block the line belongs to
	// prefix is the width of what precedes the wrapped content (quote bars,
	// list bullets and indents); avail is the width the content was wrapped to.
	prefix, avail int
	quoted        bool // inside a block quote
	// joinSep is, on a kShellCont line, the spaces the source had where the
	// command was broken (the tests rejoin the source line with them).
	joinSep string
	// flush lines continue a shell word wider than a line at column 0 of
	// the page: no margin, list indent or gutter is put before them.
	flush     bool
	itemStart bool // first line of a list item
}

// sty is a resolved text style.
type sty struct {
	fg, bg                                 string
	bold, italic, underline, strike, faint bool
}

func (s sty) with(p gansi.StylePrimitive) sty {
	if p.Color != nil {
		s.fg = *p.Color
	}
	if p.BackgroundColor != nil {
		s.bg = *p.BackgroundColor
	}
	set := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	set(&s.bold, p.Bold)
	set(&s.italic, p.Italic)
	set(&s.underline, p.Underline)
	set(&s.strike, p.CrossedOut)
	set(&s.faint, p.Faint)
	return s
}

// span is a run of text in one style. Spaces inside a code span do not
// break a line.
type span struct {
	text string
	st   sty
	code bool
}

// word is a run of spans without a breaking space; brk marks a hard line
// break instead of a word.
type word struct {
	spans []span
	width int
	brk   bool
}

// book renders one document.
type book struct {
	r      *Renderer
	src    []byte
	blocks int // block id counter
	// answers collected for AnswersAtEnd.
	answers [][]line
}

func (b *book) paint(s string, st sty) string {
	if b.r.profile == termenv.Ascii || s == "" || st == (sty{}) {
		return s
	}
	p := b.r.profile
	t := p.String(s)
	if st.fg != "" {
		t = t.Foreground(p.Color(st.fg))
	}
	if st.bg != "" {
		t = t.Background(p.Color(st.bg))
	}
	if st.bold {
		t = t.Bold()
	}
	if st.italic {
		t = t.Italic()
	}
	if st.underline {
		t = t.Underline()
	}
	if st.strike {
		t = t.CrossOut()
	}
	if st.faint {
		t = t.Faint()
	}
	return t.String()
}

func width(s string) int { return xansi.StringWidth(s) }

// Width is the number of terminal cells s takes, the measure every layout
// of this package uses: ANSI escapes count nothing, Hangul and other wide
// characters two cells (github.com/charmbracelet/x/ansi StringWidth).
func Width(s string) int { return width(s) }

// CodeWidth is the number of cells a line of a top-level code block gets in
// a document rendered at width cells: width less the document's margins (2
// cells each side) and the code gutter (2 cells). A wider line is cut and
// continued on the next line after ContinuationMark. A code block inside a
// list or a quote gets less (the marker's or the bar's width).
func CodeWidth(width int) int { return max(width-2*docMargin-codeIndent, 1) }

// ---- inline content ----

// inlines collects the spans of n's inline children.
func (b *book) inlines(n ast.Node, st sty) []span {
	var out []span
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, b.inline(c, st)...)
	}
	return out
}

func (b *book) inline(n ast.Node, st sty) []span {
	s := b.r.styles
	switch n := n.(type) {
	case *ast.Text:
		out := []span{{text: string(n.Segment.Value(b.src)), st: st}}
		switch {
		case n.HardLineBreak():
			out = append(out, span{text: "\n"})
		case n.SoftLineBreak():
			out = append(out, span{text: " "})
		}
		return out
	case *ast.String:
		return []span{{text: string(n.Value), st: st}}
	case *ast.CodeSpan:
		var t strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				t.Write(tx.Segment.Value(b.src))
			}
		}
		text := strings.ReplaceAll(t.String(), "\n", " ")
		return []span{{text: s.Code.Prefix + text + s.Code.Suffix, st: st.with(s.Code.StylePrimitive), code: true}}
	case *ast.Emphasis:
		p := s.Emph
		if n.Level >= 2 {
			p = s.Strong
		}
		return b.inlines(n, st.with(p))
	case *east.Strikethrough:
		return b.inlines(n, st.with(s.Strikethrough))
	case *ast.Link:
		out := b.inlines(n, st.with(s.LinkText))
		dest := string(n.Destination)
		if dest != "" && dest != spansText(out) {
			out = append(out, span{text: " ", st: st}, span{text: "(" + dest + ")", st: st.with(s.Link), code: true})
		}
		return out
	case *ast.AutoLink:
		return []span{{text: string(n.URL(b.src)), st: st.with(s.Link), code: true}}
	case *ast.Image:
		return []span{{text: "그림: " + spansText(b.inlines(n, st)), st: st.with(s.ImageText)}}
	case *ast.RawHTML:
		var t strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			t.Write(seg.Value(b.src))
		}
		return []span{{text: t.String(), st: st}}
	case *east.TaskCheckBox:
		mark := s.Task.Unticked
		if n.IsChecked {
			mark = s.Task.Ticked
		}
		return []span{{text: mark, st: st}}
	}
	return b.inlines(n, st)
}

func spansText(ss []span) string {
	var t strings.Builder
	for _, s := range ss {
		t.WriteString(s.text)
	}
	return t.String()
}

// words splits spans at spaces (outside code spans) and hard breaks.
func words(spans []span) []word {
	var out []word
	var cur word
	flush := func() {
		if len(cur.spans) > 0 {
			out = append(out, cur)
		}
		cur = word{}
	}
	add := func(text string, sp span) {
		if text == "" {
			return
		}
		sp.text = text
		cur.spans = append(cur.spans, sp)
		cur.width += width(text)
	}
	for _, sp := range spans {
		if sp.text == "\n" && !sp.code {
			flush()
			out = append(out, word{brk: true})
			continue
		}
		if sp.code {
			add(sp.text, sp)
			continue
		}
		text := strings.ReplaceAll(strings.ReplaceAll(sp.text, "\t", " "), "\n", " ")
		for i, part := range strings.Split(text, " ") {
			if i > 0 {
				flush()
			}
			add(part, sp)
		}
	}
	flush()
	return out
}

// wrap lays words out greedily in lines of at most avail cells, breaking
// only between words; a word wider than avail holding a code span with
// spaces (a long command) breaks at those spaces, and a piece still wider
// than avail is cut by cells.
func (b *book) wrap(ws []word, avail int) []string {
	avail = max(avail, 1)
	ws = glueWords(splitWide(ws, avail), avail)
	var lines []string
	var cur strings.Builder
	curW := 0
	emit := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, w := range ws {
		if w.brk {
			emit()
			continue
		}
		if curW > 0 && curW+1+w.width <= avail {
			cur.WriteString(" ")
			curW++
		} else if curW > 0 {
			emit()
		}
		if w.width <= avail-curW {
			for _, sp := range w.spans {
				cur.WriteString(b.paint(sp.text, sp.st))
			}
			curW += w.width
			continue
		}
		if b.r.whole {
			// Wider than a whole line: whole, on a line of its own.
			for _, sp := range w.spans {
				cur.WriteString(b.paint(sp.text, sp.st))
			}
			curW += w.width
			continue
		}
		// Wider than a whole line: cut by cells.
		for _, sp := range w.spans {
			for _, r := range sp.text {
				rw := width(string(r))
				if curW+rw > avail && curW > 0 {
					emit()
				}
				cur.WriteString(b.paint(string(r), sp.st))
				curW += rw
			}
		}
	}
	if curW > 0 || len(lines) == 0 {
		emit()
	}
	return lines
}

// glueWords joins each word to the one before it, with a space between,
// when a line must not break between them — a particle written one space
// after a code span or a Latin word ("`Terminating` 이"), a unit after a
// number, a lone closing paren: gluesTo, as the CLI's wrapping does —
// unless the pair is wider than avail.
func glueWords(ws []word, avail int) []word {
	out := make([]word, 0, len(ws))
	for _, w := range ws {
		if n := len(out); n > 0 && !w.brk && !out[n-1].brk && out[n-1].width+1+w.width <= avail &&
			gluesTo(spansText(out[n-1].spans), spansText(w.spans)) {
			p := &out[n-1]
			spans := append(append([]span(nil), p.spans...), span{text: " "})
			p.spans = append(spans, w.spans...)
			p.width += 1 + w.width
			continue
		}
		out = append(out, w)
	}
	return out
}

// splitWide splits every word wider than avail at the spaces inside its
// code spans, so that a command longer than a line breaks between its
// arguments rather than inside one.
func splitWide(ws []word, avail int) []word {
	var out []word
	for _, w := range ws {
		if w.brk || w.width <= avail {
			out = append(out, w)
			continue
		}
		cur := word{}
		for _, sp := range w.spans {
			parts := []string{sp.text}
			if sp.code {
				parts = strings.Split(sp.text, " ")
			}
			for i, part := range parts {
				if i > 0 && len(cur.spans) > 0 {
					out = append(out, cur)
					cur = word{}
				}
				if part == "" {
					continue
				}
				piece := sp
				piece.text = part
				cur.spans = append(cur.spans, piece)
				cur.width += width(part)
			}
		}
		if len(cur.spans) > 0 {
			out = append(out, cur)
		}
	}
	return out
}

// cutCells cuts plain text s into pieces of at most n cells.
func cutCells(s string, n int) []string {
	n = max(n, 1)
	var out []string
	var cur strings.Builder
	w := 0
	for _, r := range s {
		rw := width(string(r))
		if w+rw > n && w > 0 {
			out = append(out, cur.String())
			cur.Reset()
			w = 0
		}
		cur.WriteRune(r)
		w += rw
	}
	return append(out, cur.String())
}

// ---- blocks ----

func (b *book) nextBlock() int {
	b.blocks++
	return b.blocks
}

// children renders the block children of n at width w, separated by blank
// lines (tight list items are not separated).
func (b *book) children(n ast.Node, w int) []line {
	var out []line
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		ls := b.block(c, w)
		if len(ls) == 0 {
			continue
		}
		if len(out) > 0 && !tightPair(c) {
			out = append(out, line{kind: kBlank})
		}
		out = append(out, ls...)
	}
	return out
}

// tightPair reports whether c follows its previous sibling without a blank
// line: in a tight list item, and between items of a tight list.
func tightPair(c ast.Node) bool {
	if _, ok := c.PreviousSibling().(*ast.TextBlock); ok {
		return true
	}
	if l, ok := c.Parent().(*ast.List); ok && l.IsTight {
		return true
	}
	return false
}

func (b *book) block(n ast.Node, w int) []line {
	s := b.r.styles
	base := sty{}.with(s.Text)
	switch n := n.(type) {
	case *ast.Heading:
		return b.heading(n, w)
	case *ast.Paragraph, *ast.TextBlock:
		id := b.nextBlock()
		var out []line
		for _, t := range b.wrap(words(b.inlines(n, base)), w) {
			out = append(out, line{text: t, kind: kProse, block: id, avail: w})
		}
		return out
	case *ast.FencedCodeBlock:
		return b.code(n, string(n.Language(b.src)), w)
	case *ast.CodeBlock:
		return b.code(n, "", w)
	case *ast.Blockquote:
		return b.quote(n, w)
	case *ast.List:
		return b.list(n, w)
	case *ast.ThematicBreak:
		ch := "─"
		if b.r.plain {
			ch = "-"
		}
		return []line{{text: b.paint(strings.Repeat(ch, w), sty{}.with(s.HorizontalRule)), kind: kRule}}
	case *ast.HTMLBlock:
		var out []line
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			for _, t := range cutCells(strings.TrimRight(string(seg.Value(b.src)), "\n"), w) {
				out = append(out, line{text: t, kind: kProse, block: b.nextBlock(), avail: w})
			}
		}
		return out
	case *east.Table:
		return b.table(n, w)
	}
	return b.children(n, w)
}

func (b *book) heading(n *ast.Heading, w int) []line {
	s := b.r.styles
	var p gansi.StyleBlock
	switch n.Level {
	case 1:
		p = s.H1
	case 2:
		p = s.H2
	case 3:
		p = s.H3
	case 4:
		p = s.H4
	case 5:
		p = s.H5
	default:
		p = s.H6
	}
	st := sty{}.with(s.Heading.StylePrimitive).with(p.StylePrimitive)
	// The heading's own text, without markdown marks: its style's prefix
	// and suffix (the padding of a coloured H1) wrap each line.
	pre, suf := p.Prefix, p.Suffix
	if t := strings.TrimLeft(pre, "#"); t != pre {
		pre = strings.TrimLeft(t, " ") // a "## " prefix: a book has no marks
	}
	inner := b.inlines(n, sty{})
	for i := range inner {
		inner[i].st = st
	}
	avail := w - width(pre) - width(suf)
	var out []line
	maxW := 0
	for _, t := range b.wrap(words(inner), avail) {
		text := b.paint(pre, st) + t + b.paint(suf, st)
		maxW = max(maxW, width(text))
		out = append(out, line{text: text, kind: kHeading})
	}
	// Underline H1 and H2 (plain: = and -; colour: a thin rule under H2).
	rule := ""
	switch {
	case b.r.plain && n.Level == 1:
		rule = "="
	case b.r.plain && n.Level == 2:
		rule = "-"
	case !b.r.plain && n.Level == 2:
		rule = "─"
	}
	if rule != "" {
		out = append(out, line{text: b.paint(strings.Repeat(rule, maxW), sty{}.with(s.HorizontalRule)), kind: kRule})
	}
	return out
}

// code renders a code block: highlighted (colour) and cut by cells with a
// continuation mark in the gutter.
func (b *book) code(n ast.Node, lang string, w int) []line {
	s := b.r.styles.CodeBlock
	var src strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		src.Write(seg.Value(b.src))
	}
	code := strings.TrimRight(src.String(), "\n")
	codeLines := b.highlight(code, lang)
	avail := max(w-codeIndent, 1)
	id := b.nextBlock()
	gutter := strings.Repeat(" ", codeIndent)
	cont := b.paint(ContinuationMark, sty{}.with(s.StylePrimitive).with(b.r.styles.HorizontalRule)) + strings.Repeat(" ", codeIndent-1)
	shell := shellLangs[strings.ToLower(lang)]
	var out []line
	for _, spans := range codeLines {
		if shell {
			// Scrolling CLI text (WithWholeWords) continues a command as
			// bash does too, but never cuts a word: one wider than a line
			// stays whole (below) for the terminal to wrap.
			if ls, ok := b.shellLines(spans, avail, gutter, id, !inQuote(n) && !b.r.whole); ok {
				out = append(out, ls...)
				continue
			}
		}
		pieces := [][]span{spans}
		if !b.r.whole {
			// A cut line cannot be pasted as shown; scrolling CLI text
			// (WithWholeWords) keeps it whole and lets the terminal wrap
			// it, which copies back as one line.
			pieces = cutSpans(spans, avail)
		}
		for i, p := range pieces {
			var t strings.Builder
			for _, sp := range p {
				t.WriteString(b.paint(sp.text, sp.st))
			}
			l := line{text: gutter + strings.TrimRight(t.String(), " "), kind: kCode, block: id, prefix: codeIndent, avail: avail}
			if i > 0 {
				l.text, l.kind = cont+t.String(), kCodeCont
			}
			if strings.TrimSpace(xansi.Strip(l.text)) == "" {
				l.text = ""
			}
			out = append(out, l)
		}
	}
	return out
}

// highlight splits code into lines of styled spans (chroma tokens with the
// style's colours; one plain span per line without colour).
func (b *book) highlight(code, lang string) [][]span {
	s := b.r.styles.CodeBlock
	base := sty{}.with(s.StylePrimitive)
	if b.r.profile == termenv.Ascii || s.Chroma == nil {
		var out [][]span
		for _, l := range strings.Split(code, "\n") {
			out = append(out, []span{{text: expandTabs(l), st: base}})
		}
		return out
	}
	lexer := lexers.Get(lang)
	if lang == "" || lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return [][]span{{{text: code, st: base}}}
	}
	out := [][]span{nil}
	for tok := it(); tok != chroma.EOF; tok = it() {
		st := base.with(s.Chroma.Text).with(chromaStyle(s.Chroma, tok.Type))
		for i, part := range strings.Split(tok.Value, "\n") {
			if i > 0 {
				out = append(out, nil)
			}
			if part != "" {
				out[len(out)-1] = append(out[len(out)-1], span{text: expandTabs(part), st: st})
			}
		}
	}
	if len(out) > 1 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	return out
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

func chromaStyle(c *gansi.Chroma, t chroma.TokenType) gansi.StylePrimitive {
	exact := map[chroma.TokenType]gansi.StylePrimitive{
		chroma.Error: c.Error, chroma.CommentPreproc: c.CommentPreproc,
		chroma.KeywordReserved: c.KeywordReserved, chroma.KeywordNamespace: c.KeywordNamespace,
		chroma.KeywordType: c.KeywordType, chroma.NameBuiltin: c.NameBuiltin, chroma.NameTag: c.NameTag,
		chroma.NameAttribute: c.NameAttribute, chroma.NameClass: c.NameClass, chroma.NameConstant: c.NameConstant,
		chroma.NameDecorator: c.NameDecorator, chroma.NameException: c.NameException,
		chroma.NameFunction: c.NameFunction, chroma.NameOther: c.NameOther,
		chroma.LiteralNumber: c.LiteralNumber, chroma.LiteralDate: c.LiteralDate,
		chroma.LiteralString: c.LiteralString, chroma.LiteralStringEscape: c.LiteralStringEscape,
		chroma.GenericDeleted: c.GenericDeleted, chroma.GenericEmph: c.GenericEmph,
		chroma.GenericInserted: c.GenericInserted, chroma.GenericStrong: c.GenericStrong,
		chroma.GenericSubheading: c.GenericSubheading, chroma.Operator: c.Operator,
		chroma.Punctuation: c.Punctuation,
	}
	if p, ok := exact[t]; ok {
		return p
	}
	if p, ok := exact[t.SubCategory()]; ok {
		return p
	}
	switch t.Category() {
	case chroma.Comment:
		return c.Comment
	case chroma.Keyword:
		return c.Keyword
	case chroma.Name:
		return c.Name
	case chroma.Literal:
		if t.SubCategory() == chroma.LiteralString {
			return c.LiteralString
		}
		return c.Literal
	case chroma.Operator:
		return c.Operator
	case chroma.Punctuation:
		return c.Punctuation
	}
	return gansi.StylePrimitive{}
}

// cutSpans cuts one line of spans into pieces of at most n cells. A piece
// ends before the last space that fits, so a word is never cut when a space
// before it on the same line allows a break (the space starts the next
// piece, so the pieces joined are the line); only a word wider than n with
// no space before it in the piece is cut by cells.
func cutSpans(spans []span, n int) [][]span {
	type cell struct {
		r  rune
		w  int
		sp int // index into spans
	}
	var cells []cell
	for i, sp := range spans {
		for _, r := range sp.text {
			cells = append(cells, cell{r: r, w: width(string(r)), sp: i})
		}
	}
	// Break points: each piece is cells[start:end].
	var ends []int
	for start := 0; start < len(cells); {
		w, end := 0, start
		for end < len(cells) && (w+cells[end].w <= n || end == start) {
			w += cells[end].w
			end++
		}
		if end < len(cells) {
			// The last space after some non-space content of this piece.
			cut := -1
			seen := false
			for i := start; i <= end && i < len(cells); i++ {
				if cells[i].r == ' ' {
					if seen && i > start {
						cut = i
					}
				} else if i < end {
					seen = true
				}
			}
			if cut > start {
				for cut > start && cells[cut-1].r == ' ' {
					cut--
				}
				if cut > start {
					end = cut
				}
			}
		}
		ends = append(ends, end)
		start = end
	}
	var out [][]span
	start := 0
	for _, end := range ends {
		var piece []span
		for i := start; i < end; {
			j := i
			var t strings.Builder
			for j < end && cells[j].sp == cells[i].sp {
				t.WriteRune(cells[j].r)
				j++
			}
			piece = append(piece, span{text: t.String(), st: spans[cells[i].sp].st, code: spans[cells[i].sp].code})
			i = j
		}
		out = append(out, piece)
		start = end
	}
	if len(out) == 0 {
		out = append(out, nil)
	}
	return out
}

// quote renders a block quote with its bar on every line. A quiz answer
// ("> 정답: …") is folded, kept or moved to the end by the answers mode.
func (b *book) quote(n *ast.Blockquote, w int) []line {
	s := b.r.styles.BlockQuote
	bar := "│ "
	if s.IndentToken != nil {
		bar = *s.IndentToken
	}
	barSt := sty{}.with(s.StylePrimitive)
	inner := b.children(n, w-width(bar))
	mark := func(ls []line) []line {
		for i := range ls {
			ls[i].text = strings.TrimRight(b.paint(bar, barSt)+ls[i].text, " ")
			ls[i].prefix += width(bar)
			ls[i].quoted = true
		}
		return ls
	}
	if isAnswer(n, b.src) {
		switch b.r.answers {
		case AnswersFolded:
			return b.note(b.r.foldNote, w)
		case AnswersAtEnd:
			b.answers = append(b.answers, b.children(n, w-width(bar)-3))
			return b.note(b.r.foldNote, w)
		}
	}
	return mark(inner)
}

// note is a one-line (wrapped) dim notice in place of a folded answer.
func (b *book) note(text string, w int) []line {
	if text == "" {
		return nil
	}
	var out []line
	st := sty{faint: true}
	if b.r.plain {
		st = sty{}
	}
	for _, t := range b.wrap(words([]span{{text: text, st: st}}), w) {
		out = append(out, line{text: t, kind: kNote})
	}
	return out
}

// isAnswer reports whether the quote's text starts with AnswerLabel.
func isAnswer(n *ast.Blockquote, src []byte) bool {
	p := n.FirstChild()
	if p == nil {
		return false
	}
	return strings.HasPrefix(strings.TrimSpace(string(p.Text(src))), AnswerLabel) //nolint:staticcheck // Text is fine for a prefix test
}

func (b *book) list(n *ast.List, w int) []line {
	s := b.r.styles
	num := n.Start
	var out []line
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		var marker string
		if n.IsOrdered() {
			marker = strconv.Itoa(num) + s.Enumeration.BlockPrefix
			num++
		} else {
			marker = s.Item.BlockPrefix
		}
		if marker == "" {
			marker = "• "
		}
		ind := width(marker)
		inner := b.children(c, w-ind)
		if len(out) > 0 && !n.IsTight {
			out = append(out, line{kind: kBlank})
		}
		for i, l := range inner {
			if i == 0 {
				l.text = b.paint(marker, sty{}.with(s.Item)) + l.text
				l.itemStart = true
			} else if l.flush {
				out = append(out, l)
				continue
			} else if l.kind != kBlank || l.text != "" {
				l.text = strings.Repeat(" ", ind) + l.text
			}
			l.prefix += ind
			out = append(out, l)
		}
	}
	return out
}

// table renders a GFM table: columns sized to their content and shrunk to
// fit (widest first, never below their longest word while possible), cells
// wrapped like prose, the column separator on every line, a rule under the
// header (none between rows: a terminal page is short).
func (b *book) table(n *east.Table, w int) []line {
	s := b.r.styles.Table
	colSep, rowSep, cross := " │ ", "─", "─┼─"
	if s.ColumnSeparator != nil {
		colSep = " " + *s.ColumnSeparator + " "
	}
	if s.RowSeparator != nil && s.CenterSeparator != nil {
		rowSep, cross = *s.RowSeparator, *s.RowSeparator+*s.CenterSeparator+*s.RowSeparator
	}
	base := sty{}.with(b.r.styles.Text)
	var rows [][][]word
	header := 0
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var cells [][]word
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			st := base
			if _, ok := r.(*east.TableHeader); ok {
				st.bold = true
			}
			cells = append(cells, words(b.inlines(c, st)))
		}
		if _, ok := r.(*east.TableHeader); ok {
			header = len(rows) + 1
		}
		rows = append(rows, cells)
	}
	cols := len(n.Alignments)
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return nil
	}
	natural, minW := make([]int, cols), make([]int, cols)
	for _, r := range rows {
		for i, ws := range r {
			lw := 0
			for j, wd := range ws {
				if j > 0 {
					lw++
				}
				lw += wd.width
				minW[i] = max(minW[i], wd.width)
			}
			natural[i] = max(natural[i], lw)
		}
	}
	avail := w - (cols-1)*width(colSep)
	sumMin := 0
	for _, m := range minW {
		sumMin += m
	}
	if sumMin > avail && header > 0 {
		return b.stackedTable(rows, header, w)
	}
	widths := append([]int(nil), natural...)
	total := func() int {
		t := 0
		for _, x := range widths {
			t += x
		}
		return t
	}
	for total() > avail {
		// Shrink the widest column that is still above its longest word;
		// when none is, the widest one (its words will be cut).
		best := -1
		for i := range widths {
			if widths[i] > minW[i] && (best < 0 || widths[i] > widths[best]) {
				best = i
			}
		}
		if best < 0 {
			for i := range widths {
				if best < 0 || widths[i] > widths[best] {
					best = i
				}
			}
		}
		if widths[best] <= 1 {
			break
		}
		widths[best]--
	}
	id := b.nextBlock()
	var out []line
	sepLine := func() {
		parts := make([]string, cols)
		for i, cw := range widths {
			parts[i] = strings.Repeat(rowSep, cw)
		}
		out = append(out, line{text: b.paint(strings.Join(parts, cross), sty{}.with(b.r.styles.HorizontalRule)), kind: kTable, block: id})
	}
	wrapped := make([][][]string, len(rows))
	for ri, r := range rows {
		wrapped[ri] = make([][]string, cols)
		for ci := 0; ci < cols; ci++ {
			var ws []word
			if ci < len(r) {
				ws = r[ci]
			}
			wrapped[ri][ci] = b.wrap(ws, widths[ci])
		}
	}
	for ri := range rows {
		if ri == header && header > 0 {
			sepLine()
		}
		h := 0
		for _, c := range wrapped[ri] {
			h = max(h, len(c))
		}
		for li := 0; li < h; li++ {
			parts := make([]string, cols)
			for ci := 0; ci < cols; ci++ {
				t := ""
				if li < len(wrapped[ri][ci]) {
					t = wrapped[ri][ci][li]
				}
				pad := max(widths[ci]-width(t), 0)
				align := east.AlignNone
				if ci < len(n.Alignments) {
					align = n.Alignments[ci]
				}
				switch align {
				case east.AlignRight:
					t = strings.Repeat(" ", pad) + t
				case east.AlignCenter:
					t = strings.Repeat(" ", pad/2) + t + strings.Repeat(" ", pad-pad/2)
				default:
					t += strings.Repeat(" ", pad)
				}
				parts[ci] = t
			}
			out = append(out, line{text: strings.TrimRight(strings.Join(parts, b.paint(colSep, sty{}.with(b.r.styles.HorizontalRule))), " "), kind: kTable, block: id})
		}
	}
	return out
}

// stackedTable lays a table too narrow for its columns out as one block per
// row, each cell on its own line after its column's header ("헤더: 값").
func (b *book) stackedTable(rows [][][]word, header, w int) []line {
	head := rows[header-1]
	var out []line
	for _, r := range rows[header:] {
		id := b.nextBlock()
		if len(out) > 0 {
			out = append(out, line{kind: kBlank})
		}
		for ci, cell := range r {
			var ws []word
			if ci < len(head) && len(head[ci]) > 0 {
				ws = append(ws, head[ci]...)
				last := &ws[len(ws)-1]
				last.spans = append(append([]span(nil), last.spans...), span{text: ":", st: last.spans[len(last.spans)-1].st})
				last.width++
			}
			ws = append(ws, cell...)
			marker := "• "
			if b.r.plain {
				marker = "* "
			}
			if ci > 0 {
				marker = "  "
			}
			for i, t := range b.wrap(ws, w-2) {
				lead := marker
				if i > 0 {
					lead = "  "
				}
				out = append(out, line{text: lead + t, kind: kProse, block: id*1000 + ci, prefix: 2, avail: w - 2, itemStart: i == 0})
			}
		}
	}
	return out
}

// shellLangs are the code block languages whose lines are shell commands,
// wrapped as bash continues a line (shellLines).
var shellLangs = map[string]bool{"shell": true, "sh": true, "bash": true, "zsh": true}

// shellIndent is how far a continued shell command's next lines are set
// right of its first line.
const shellIndent = 2

// shellLines wraps one line of a shell command block that is wider than
// avail cells as bash continues a line, so that pasting the lines as shown
// runs the command: breaks only at a space between words outside quotes,
// every line but the last ends with " \\", the following ones are
// indented (shellIndent; no indent for a word that fits only without it).
// A word wider than a whole line (a long custom-columns spec or JSON
// patch) is the one thing cut inside: when flush is allowed (not inside a
// block quote) its rest continues at column 0 of the page (line.flush: no
// margin, gutter or indent, which bash would read as a space), after a
// "\\" that bash removes with the newline — a single quote is closed before
// it and opened again after; ok is false when flush is not allowed, and the
// caller cuts the line with ContinuationMark.
func (b *book) shellLines(spans []span, avail int, gutter string, id int, flush bool) ([]line, bool) {
	var runes []rune
	for _, sp := range spans {
		runes = append(runes, []rune(sp.text)...)
	}
	text := string(runes)
	if width(text) <= avail {
		return nil, false
	}
	lead := len(text) - len(strings.TrimLeft(text, " "))
	toks := shellTokens(runes, lead)
	if len(toks) == 0 {
		return nil, false
	}
	base := spans[len(spans)-1].st
	// A row is one rendered line: literal text and ranges of the source.
	type seg struct {
		lit      string
		from, to int
	}
	type row struct {
		segs  []seg
		w     int
		flush bool
		sep   string // the source's spaces where the line was broken
	}
	const cont = 2 // " \\"
	flushW := avail + codeIndent
	var rows []row
	cur := row{segs: []seg{{from: 0, to: lead}}, w: lead}
	empty := true
	addRange := func(from, to int) {
		cur.segs = append(cur.segs, seg{from: from, to: to})
		cur.w += width(string(runes[from:to]))
	}
	newRow := func(indent string, fl bool, sep string) {
		cur.segs = append(cur.segs, seg{lit: " \\"})
		rows = append(rows, cur)
		cur = row{segs: []seg{{lit: indent}}, w: width(indent), flush: fl, sep: sep}
		empty = true
	}
	limit := func(r row, last bool) int {
		l := avail
		if r.flush {
			l = flushW
		}
		if !last {
			l -= cont
		}
		return l
	}
	prevEnd := lead
	for i, t := range toks {
		last := i == len(toks)-1
		word := runes[t.from:t.to]
		ww := width(string(word))
		sep := string(runes[prevEnd:t.from])
		sw := width(sep)
		if empty && i == 0 {
			sw = 0
		}
		switch {
		case cur.w+sw+ww <= limit(cur, last):
			// fits where it stands
		case !empty && shellIndent+ww <= limit(row{}, last):
			newRow(strings.Repeat(" ", lead+shellIndent)[:min(lead+shellIndent, max(limit(row{}, last)-ww, 0))], false, sep)
			sw = 0
		case !empty && ww <= limit(row{}, last):
			newRow("", false, sep)
			sw = 0
		default:
			// Wider than a whole line: cut inside the word.
			if !flush {
				return nil, false
			}
			if !empty && cur.w+sw+8 > limit(cur, false) {
				newRow(strings.Repeat(" ", lead+shellIndent), false, sep)
				sw = 0
			}
			if sw > 0 {
				cur.segs = append(cur.segs, seg{from: prevEnd, to: t.from})
				cur.w += sw
			}
			from := t.from
			var quote rune
			for from < t.to {
				rest := width(string(runes[from:t.to]))
				if cur.w+rest <= limit(cur, last) {
					break
				}
				room := limit(cur, false) - cur.w - 1 // the "\\" (and a closing quote)
				// Take runes while they fit, tracking the quote state; never
				// end a piece after a backslash.
				end, w := from, 0
				q := quote
				for end < t.to {
					r := runes[end]
					rw := width(string(r))
					closeQ := 0
					if q == '\'' {
						closeQ = 1
					}
					if w+rw+closeQ > room {
						break
					}
					w += rw
					switch {
					case q != 0 && r == q:
						q = 0
					case q == 0 && (r == '\'' || r == '"'):
						q = r
					}
					end++
					if r == '\\' && end < t.to {
						w += width(string(runes[end]))
						end++
					}
				}
				if end == from {
					return nil, false
				}
				addRange(from, end)
				quote = q
				close, reopen := "\\", ""
				if quote == '\'' {
					close, reopen = "'\\", "'"
				}
				cur.segs = append(cur.segs, seg{lit: close})
				rows = append(rows, cur)
				cur = row{segs: []seg{{lit: reopen}}, w: len(reopen), flush: true}
				empty = false
				from = end
			}
			addRange(from, t.to)
			empty = false
			prevEnd = t.to
			continue
		}
		if sw > 0 {
			cur.segs = append(cur.segs, seg{from: prevEnd, to: t.from})
			cur.w += sw
		}
		addRange(t.from, t.to)
		empty = false
		prevEnd = t.to
	}
	rows = append(rows, cur)
	var out []line
	for i, r := range rows {
		var t strings.Builder
		if !r.flush {
			t.WriteString(gutter)
		}
		for _, sg := range r.segs {
			if sg.lit != "" {
				t.WriteString(b.paint(sg.lit, base))
				continue
			}
			for _, sp := range sliceSpans(spans, sg.from, sg.to) {
				t.WriteString(b.paint(sp.text, sp.st))
			}
		}
		l := line{text: strings.TrimRight(t.String(), " "), kind: kCode, block: id, prefix: codeIndent, avail: avail}
		if i > 0 {
			l.kind, l.joinSep = kShellCont, r.sep
		}
		if r.flush {
			l.flush, l.prefix = true, 0
		}
		out = append(out, l)
	}
	return out, true
}

// shellToken is a word of a shell line: runes [from, to).
type shellToken struct{ from, to int }

// shellTokens splits a shell line into words at spaces outside quotes
// ('…', "…") and not escaped with a backslash; from is where the words
// start (after the line's indent).
func shellTokens(rs []rune, from int) []shellToken {
	var out []shellToken
	start := -1
	var quote rune
	for i := from; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' && i+1 < len(rs) {
				i++
			}
			continue
		case r == ' ' || r == '\t':
			if start >= 0 {
				out = append(out, shellToken{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
		switch {
		case r == '\'' || r == '"':
			quote = r
		case r == '\\' && i+1 < len(rs):
			i++
		}
	}
	if start >= 0 {
		out = append(out, shellToken{start, len(rs)})
	}
	return out
}

// sliceSpans is the part of spans between rune offsets from and to, in
// their styles.
func sliceSpans(spans []span, from, to int) []span {
	var out []span
	at := 0
	for _, sp := range spans {
		rs := []rune(sp.text)
		a, z := max(from-at, 0), min(to-at, len(rs))
		if a < z {
			out = append(out, span{text: string(rs[a:z]), st: sp.st, code: sp.code})
		}
		at += len(rs)
	}
	return out
}

// inQuote reports whether n is inside a block quote (its lines get the
// quote's bar: none can start at column 0).
func inQuote(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Blockquote); ok {
			return true
		}
	}
	return false
}
