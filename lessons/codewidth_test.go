package lessons

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

	"github.com/dslab-kr/dslab/internal/render"
)

// paneWidth is the width the TUI renders a lesson at on an 80x24 terminal:
// the reader uses the whole terminal width up to 120 cells
// (internal/tui Common.ReadingWidth), so 80.
const paneWidth = 80

// codeLimit is how many cells a line of a code block may take so that the
// lesson pane at 80 columns shows it on one line: 74, not the 76 an 80-column
// terminal leaves after a 2-cell margin each side, because the renderer also
// sets code 2 cells right of the text, in a gutter where it marks continued
// lines (render.CodeWidth). Shell commands longer than that continue with
// "\" at a token boundary; kubectl tables show fewer columns
// (custom-columns or a "열은 생략했습니다" note); prose output is wrapped.
var codeLimit = render.CodeWidth(paneWidth)

// TestCodeBlocksFitTheLessonPane fails on any line of a fenced code block
// (commands, kubectl output, YAML) wider than codeLimit display cells
// (Hangul two cells, render.Width), naming the lesson file and line: at 80
// columns such a line would wrap in the TUI's lesson pane and in
// `dslab lessons show`, splitting a table row or an identifier.
func TestCodeBlocksFitTheLessonPane(t *testing.T) {
	course, err := Course()
	if err != nil {
		t.Fatal(err)
	}
	if codeLimit > 76 || codeLimit < 60 {
		t.Fatalf("codeLimit = %d: the renderer's code width at %d columns changed; check the comment", codeLimit, paneWidth)
	}
	for _, l := range course {
		for _, p := range wideCodeLines(l, codeLimit) {
			t.Error(p)
		}
	}
}

// wideCodeLines lists the lines of l's top-level fenced code blocks wider
// than limit cells as "lessons/<file>:<line>: <n> cells > <limit>: <text>".
func wideCodeLines(l Lesson, limit int) []string {
	src := []byte(l.Body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var out []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cb, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		// A block inside a list item or a quote is set further right.
		lim := limit
		for p := n.Parent(); p != nil; p = p.Parent() {
			switch p := p.(type) {
			case *ast.ListItem:
				lim -= max(p.Offset, 2)
			case *ast.Blockquote:
				lim -= 2
			}
		}
		for i := 0; i < cb.Lines().Len(); i++ {
			seg := cb.Lines().At(i)
			line := strings.TrimRight(strings.ReplaceAll(string(seg.Value(src)), "\t", "    "), "\n")
			if w := render.Width(line); w > lim {
				at := l.BodyLine + strings.Count(l.Body[:seg.Start], "\n")
				out = append(out, fmt.Sprintf("lessons/%s:%d: %d cells > %d: %s", l.File, at, w, lim, line))
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// TestLessonPaneShowsCodeWithoutContinuation renders every lesson as the
// TUI does at 80 columns and fails on any code line the renderer had to
// continue (ContinuationMark in the gutter): the rendered check behind the
// source check above, for blocks nested in lists or quotes too.
func TestLessonPaneShowsCodeWithoutContinuation(t *testing.T) {
	course, err := Course()
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Plain: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range course {
		out, err := r.Render(l.Body, paneWidth)
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		lines := strings.Split(ansi.Strip(out), "\n")
		for i, line := range lines {
			if i == 0 || !strings.HasPrefix(strings.TrimLeft(line, " "), render.ContinuationMark) {
				continue
			}
			t.Errorf("lessons/%s: a code line wraps in the lesson pane at %d columns:\n%s\n%s", l.File, paneWidth, lines[i-1], line)
		}
	}
}

// TestWideCodeLinesNamesTheLine checks the checker on a lesson with one
// line too wide (Hangul counted two cells) and one that just fits.
func TestWideCodeLinesNamesTheLine(t *testing.T) {
	fits := "echo " + strings.Repeat("가", 34) + "x" // 5 + 68 + 1 = 74 cells
	wide := "echo " + strings.Repeat("가", 35)       // 75 cells
	l := Lesson{File: "99-x.md", BodyLine: 7, Body: "글\n\n```shell\n" + fits + "\n" + wide + "\n```\n"}
	got := wideCodeLines(l, 74)
	if len(got) != 1 || !strings.HasPrefix(got[0], "lessons/99-x.md:11: 75 cells > 74: ") {
		t.Fatalf("wideCodeLines = %q, want one report for line 11", got)
	}
}
