package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/dslab-kr/dslab/lessons"
)

// source is what the book properties are checked against: the code lines and
// inline code spans of a markdown document, read with goldmark.
type source struct {
	codeLines []string
	spans     []string
}

func readSource(md string) source {
	src := []byte(md)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var s source
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				s.codeLines = append(s.codeLines, strings.TrimRight(expandTabs(l), " "))
			}
		case *ast.CodeSpan:
			var b strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			s.spans = append(s.spans, strings.ReplaceAll(b.String(), "\n", " "))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return s
}

// content is l's text without its prefix (quote bars, list indents, the
// code gutter), escape sequences stripped.
func content(l line) string { return ansi.TruncateLeft(ansi.Strip(l.text), l.prefix, "") }

// firstWord is the first unbreakable word of s in plain output: spaces
// inside `code` do not break.
func firstWord(s string) string {
	in := false
	for i, r := range s {
		switch {
		case r == '`':
			in = !in
		case r == ' ' && !in:
			return s[:i]
		}
	}
	return s
}

// checkBook checks the book properties of one rendering.
func checkBook(t *testing.T, name string, r *Renderer, md string, width int) {
	t.Helper()
	out, err := r.Render(md, width)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	lines, err := r.layout(md, width)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	outLines := strings.Split(out, "\n")

	// 1. No line wider than the width.
	for i, l := range outLines {
		if w := ansi.StringWidth(l); w > width {
			fail("line %d is %d cells wide (limit %d): %q", i+1, w, width, ansi.Strip(l))
		}
	}

	// 2. Headings without # marks.
	for _, l := range lines {
		if l.kind == kHeading && strings.HasPrefix(strings.TrimSpace(ansi.Strip(l.text)), "#") {
			fail("heading keeps its # mark: %q", ansi.Strip(l.text))
		}
	}
	for _, l := range outLines {
		if strings.HasPrefix(ansi.Strip(l), strings.Repeat(" ", docMargin)+"#") {
			fail("line at the text margin starts with #: %q", ansi.Strip(l))
		}
	}

	// 3. Code lines: rejoined at the continuation marks they are the source's
	// code lines, every one of them, in order.
	src := readSource(md)
	var code []string
	for _, l := range lines {
		switch l.kind {
		case kCode:
			code = append(code, strings.TrimRight(content(l), " "))
		case kShellCont:
			// A shell command continued as bash continues it: the line
			// above ends with " \", this one is indented.
			// A word wider than a line continues flush at column 0 after a
			// "\\" (a single quote closed before it, opened again after).
			if len(code) == 0 {
				fail("continued shell line before any code line")
				continue
			}
			prev, c := code[len(code)-1], content(l)
			switch {
			case l.flush && strings.HasSuffix(prev, `'\`) && strings.HasPrefix(c, "'"):
				prev = strings.TrimSuffix(prev, `'\`) + c[1:]
			case l.flush && strings.HasSuffix(prev, `\`):
				prev = strings.TrimSuffix(prev, `\`) + c
			case !l.flush && strings.HasSuffix(prev, ` \`):
				prev = strings.TrimSuffix(prev, ` \`) + l.joinSep + strings.TrimLeft(c, " ")
			default:
				fail("continued shell line after a line without \\: %q", ansi.Strip(l.text))
				continue
			}
			code[len(code)-1] = prev
		case kCodeCont:
			plain := ansi.TruncateLeft(ansi.Strip(l.text), l.prefix-codeIndent, "")
			if !strings.HasPrefix(plain, ContinuationMark) {
				fail("continued code line without %s: %q", ContinuationMark, ansi.Strip(l.text))
			}
			if len(code) == 0 {
				fail("continuation before any code line")
				continue
			}
			code[len(code)-1] = strings.TrimRight(code[len(code)-1]+content(l), " ")
		}
	}
	if strings.Join(code, "\n") != strings.Join(src.codeLines, "\n") {
		for i := range max(len(code), len(src.codeLines)) {
			var got, want string
			if i < len(code) {
				got = code[i]
			}
			if i < len(src.codeLines) {
				want = src.codeLines[i]
			}
			if got != want {
				fail("code line %d = %q, want %q (a code line was split or lost)", i+1, got, want)
				break
			}
		}
	}

	// 3b. A code line is continued at a space where the piece has one: no
	// break inside a word that had a space before it in the same piece
	// (issue 14: "kube-nod ↪ e-lease"); only a word wider than the line
	// with no space before it is cut by cells.
	for i := 1; i < len(lines); i++ {
		if lines[i].kind != kCodeCont || (lines[i-1].kind != kCode && lines[i-1].kind != kCodeCont) {
			continue
		}
		prev, next := content(lines[i-1]), content(lines[i])
		if prev == "" || next == "" || strings.HasSuffix(prev, " ") || strings.HasPrefix(next, " ") {
			continue
		}
		if strings.Contains(strings.TrimLeft(prev, " "), " ") {
			fail("code line broken inside a word although it had a space: %q ↪ %q", prev, next)
		}
	}

	// 4. Inline code spans that fit on a line are never broken: in plain
	// output each one appears whole on one line (without its backticks:
	// plain text has no markdown code marks, issue 14).
	if r.Plain() {
		count := map[string]int{}
		for _, sp := range src.spans {
			if ansi.StringWidth(sp)+2 <= width-2*docMargin-8 {
				count[sp]++
			}
		}
		for sp, n := range count {
			got := 0
			for _, l := range outLines {
				got += strings.Count(l, sp)
			}
			if got < n {
				fail("inline code `%s` appears whole %d times, want %d (broken across lines)", sp, got, n)
			}
		}
	}

	// 5. Block quotes keep their bar on every line: in every run of
	// non-blank lines that starts with the bar, every line has it.
	bar := "│"
	if r.Plain() {
		bar = "|"
	}
	inQuote := false
	for i, l := range outLines {
		p := strings.TrimLeft(ansi.Strip(l), " ")
		switch {
		case p == "":
			inQuote = false
		case i > 0 && strings.TrimSpace(ansi.Strip(outLines[i-1])) == "":
			inQuote = strings.HasPrefix(p, bar)
		case inQuote && !strings.HasPrefix(p, bar):
			fail("line %d of a block quote lost its bar: %q", i+1, ansi.Strip(l))
		}
	}

	// 6. No orphan line breaks in paragraphs: a prose line is broken only
	// when the next word does not fit on it.
	if r.Plain() {
		for i := 1; i < len(lines); i++ {
			a, b := lines[i-1], lines[i]
			if a.kind != kProse || b.kind != kProse || a.block != b.block || b.itemStart {
				continue
			}
			used := ansi.StringWidth(content(a))
			next := ansi.StringWidth(firstWord(content(b)))
			// A code span is one unit of wrapping (kept whole with the word
			// it is glued to), and plain output shows it without
			// backticks: a span that starts in the first word extends the
			// unit to the first space after the span.
			cb := content(b)
			fw := firstWord(cb)
			unitEnd := len(fw)
			for _, sp := range src.spans {
				if at := strings.Index(cb, sp); at >= 0 && at <= len(fw) {
					end := at + len(sp)
					if sep := strings.IndexByte(cb[end:], ' '); sep >= 0 {
						end += sep
					} else {
						end = len(cb)
					}
					next = max(next, ansi.StringWidth(cb[:end]))
					unitEnd = max(unitEnd, end)
				}
			}
			// The words glued to the unit (a particle after it, a unit
			// after a number: gluesTo) move with it.
			unit := cb[:min(unitEnd, len(cb))]
			for _, w := range strings.Fields(cb[len(unit):]) {
				if !gluesTo(unit, w) {
					break
				}
				unit += " " + w
				next += 1 + ansi.StringWidth(w)
			}
			if used+1+next <= a.avail {
				fail("orphan line break: %q fits after %q (%d+1+%d <= %d)", firstWord(content(b)), content(a), used, next, a.avail)
			}
		}
	}
}

// TestLessonsReadAsABook renders every lesson at 60, 80 and 120 columns,
// styled and plain, with answers shown, folded and at the end, and checks
// the book properties.
func TestLessonsReadAsABook(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	styled, err := New(Options{Profile: termenv.TrueColor})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range course {
		for _, width := range []int{60, 80, 120} {
			for _, r := range []*Renderer{styled, plain} {
				name := fmt.Sprintf("%s at %d (plain=%v)", l.File, width, r.Plain())
				checkBook(t, name, r, l.Body, width)
			}
		}
	}
}

// The answers modes: folded answers are gone from the text (a note in each
// place), at-end answers come after AnswersHeading in quiz order.
func TestQuizAnswersFold(t *testing.T) {
	if AnswerLabel != strings.TrimPrefix(lessons.AnswerPrefix, "> ") {
		t.Fatalf("AnswerLabel %q does not match lessons.AnswerPrefix %q", AnswerLabel, lessons.AnswerPrefix)
	}
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	base, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	const note = "(정답 접힘)"
	for _, l := range course {
		var answers []string
		for _, line := range strings.Split(l.Body, "\n") {
			if strings.HasPrefix(line, lessons.AnswerPrefix) {
				answers = append(answers, strings.TrimSpace(strings.TrimPrefix(line, lessons.AnswerPrefix)))
			}
		}
		if len(answers) == 0 {
			t.Fatalf("%s: no answers found", l.File)
		}
		shown, err := base.Render(l.Body, 80)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(shown, AnswerLabel); got < len(answers) {
			t.Errorf("%s shown: %d answer labels, want %d", l.File, got, len(answers))
		}
		folded, err := base.WithAnswers(AnswersFolded, note).Render(l.Body, 80)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(folded, AnswerLabel) {
			t.Errorf("%s folded: an answer is still shown:\n%s", l.File, folded)
		}
		if got := strings.Count(folded, note); got != len(answers) {
			t.Errorf("%s folded: %d notes, want %d", l.File, got, len(answers))
		}
		atEnd, err := base.WithAnswers(AnswersAtEnd, note).Render(l.Body, 80)
		if err != nil {
			t.Fatal(err)
		}
		head := strings.Index(atEnd, "\n  "+AnswersHeading+"\n")
		if head < 0 {
			t.Fatalf("%s at end: no %q heading:\n%s", l.File, AnswersHeading, atEnd)
		}
		if strings.Count(atEnd[:head], AnswerLabel) != 0 || strings.Count(atEnd[:head], note) != len(answers) {
			t.Errorf("%s at end: answers before the end, or notes missing", l.File)
		}
		// Each answer's first words appear after the heading, in order.
		rest := strings.Join(strings.Fields(atEnd[head:]), " ")
		for i, a := range answers {
			// The plain renderer drops code marks.
			plainA := strings.ReplaceAll(a, "`", "")
			first := strings.Join(strings.Fields(plainA)[:min(3, len(strings.Fields(plainA)))], " ")
			at := strings.Index(rest, fmt.Sprintf("%d. %s %s", i+1, AnswerLabel, first))
			if at < 0 {
				t.Errorf("%s at end: answer %d (%q…) not found in order after the heading:\n%s", l.File, i+1, first, atEnd[head:])
				break
			}
			rest = rest[at:]
		}
	}
}
