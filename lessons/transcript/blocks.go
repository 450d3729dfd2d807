package transcript

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Commands is the set of programs a learner-facing command block may start
// a command with; a line of a shell block that starts with anything else is
// output (or a typo) mixed into the commands. Add a program here when a
// lesson or hint teaches it.
var Commands = map[string]bool{
	"kubectl": true, "dslab": true, "curl": true, "aws": true,
	"make": true, "export": true, "cd": true,
}

// CommandBlockProblems lists what in md's code would not paste as shown
// into bash: a "console" transcript, a "$ " prompt in a code block or an
// inline code span (bash: $: command not found), and in a shell block a line
// that is not a command of Commands (output pasted along runs as a command).
// Each problem names its line, counting md's first line as firstLine (the
// line of a file md starts on). md is learner-facing markdown: a lesson, an
// exercise's task or hint, the README.
func CommandBlockProblems(md string, firstLine int) []string {
	src := []byte(md)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var out []string
	add := func(off int, format string, args ...any) {
		out = append(out, fmt.Sprintf("line %d: ", lineOf(src, off)+firstLine-1)+fmt.Sprintf(format, args...))
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if cs, ok := n.(*ast.CodeSpan); ok {
			var b strings.Builder
			for c := cs.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			if t := strings.TrimSpace(b.String()); strings.HasPrefix(t, "$ ") {
				if first := cs.FirstChild(); first != nil {
					if t0, ok := first.(*ast.Text); ok {
						add(t0.Segment.Start, "inline code %q starts with a \"$ \" prompt", t)
					}
				}
			}
			return ast.WalkSkipChildren, nil
		}
		var lang string
		switch cb := n.(type) {
		case *ast.FencedCodeBlock:
			lang = string(cb.Language(src))
		case *ast.CodeBlock:
		default:
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		if lang == "console" {
			at := 0
			if lines.Len() > 0 {
				at = lines.At(0).Start
			}
			add(at, "a \"console\" block mixes a prompt and output into the commands: write the commands in a \"shell\" block and the output in a \"text\" block after %q", OutputIntro)
			return ast.WalkSkipChildren, nil
		}
		shell := lang == "shell" || lang == "sh" || lang == "bash"
		continued := false
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			l := strings.TrimRight(string(seg.Value(src)), "\n")
			t := strings.TrimSpace(l)
			switch {
			case t == "$" || strings.HasPrefix(t, "$ "):
				add(seg.Start, "%q: a \"$ \" prompt in a code block is pasted along (bash: $: command not found)", t)
			case shell && !continued && t != "" && !strings.HasPrefix(t, "#"):
				if f := strings.Fields(t); !Commands[f[0]] {
					add(seg.Start, "%q in a shell block is not a command (output belongs in a \"text\" block after %q)", t, OutputIntro)
				}
			}
			continued = strings.HasSuffix(t, `\`)
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}
