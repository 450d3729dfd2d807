package exercises_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/render"
)

// codeSpanRE matches an inline code span of a task or hint.
var codeSpanRE = regexp.MustCompile("`([^`\n]+)`")

// fenceRE matches a fenced code block of a task or hint.
var fenceRE = regexp.MustCompile("(?s)```[a-z]*\n(.*?)\n```")

// codeTokens are the space-separated tokens of md's code (inline spans and
// the lines of fenced blocks): what a learner copies and must find whole
// on one rendered line.
func codeTokens(md string) []string {
	var out []string
	for _, m := range fenceRE.FindAllStringSubmatch(md, -1) {
		out = append(out, strings.Fields(m[1])...)
	}
	for _, m := range codeSpanRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(md, ""), -1) {
		out = append(out, strings.Fields(m[1])...)
	}
	return out
}

// TestHintAndTaskCodeNeverSplit renders every exercise's task and hints
// as the TUI's exercise panel (render.Render, cut by cells at the line's
// end) and the CLI (`dslab exercise show --hint`: whole words, after the
// "힌트 n: " label) do at 60 and 80 columns, and fails on any code token —
// an argument of a command, a field path, a custom-columns spec — that is
// not found whole on one rendered line (issue 14: the taints hint's
// custom-columns spec was cut at 80 columns).
func TestHintAndTaskCodeNeverSplit(t *testing.T) {
	r, err := render.New(render.Options{Plain: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ex := range load(t).All() {
		texts := map[string]string{"task": ex.Task}
		for i, h := range ex.Hints {
			texts[fmt.Sprintf("hint %d", i+1)] = h
		}
		for where, md := range texts {
			tokens := codeTokens(md)
			for _, cols := range []int{60, 80} {
				// The TUI numbers a hint ("  1. ", 5 cells) and renders it
				// 2 cells wider to drop the renderer's margin; the CLI
				// hangs it after "힌트 1: " (8 cells).
				tui, err := r.Render(md, cols-5+2)
				if err != nil {
					t.Fatal(err)
				}
				cli, err := r.WithWholeWords().RenderFlush(md, cols-8)
				if err != nil {
					t.Fatal(err)
				}
				for _, out := range []struct{ name, text string }{{"panel", tui}, {"cli", cli}} {
					lines := strings.Split(ansi.Strip(out.text), "\n")
					for _, tok := range tokens {
						checked++
						if !onOneLine(lines, tok) {
							t.Errorf("%s %s (%s at %d columns): %q is split:\n%s", ex.ID, where, out.name, cols, tok, out.text)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no code found in the exercises")
	}
}

// onOneLine reports whether tok appears whole on one of lines.
func onOneLine(lines []string, tok string) bool {
	for _, l := range lines {
		if strings.Contains(l, tok) {
			return true
		}
	}
	return false
}
