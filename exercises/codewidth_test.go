package exercises_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/testutil"
	"github.com/dslab-kr/dslab/lessons/transcript"
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
		for where, md := range learnerTexts(ex) {
			tokens := codeTokens(md)
			for _, cols := range panelWidths {
				for _, out := range shownAt(t, r, md, cols) {
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

// panelWidths are the terminal widths the exercise panel is checked at:
// the smallest terminal (README: 60x12), 80 columns, and 160, where the
// panel shares the screen with the lesson pane and is 79 columns wide
// (internal/tui splitMinWidth, lessonPaneWidth).
var panelWidths = []int{60, 79, 80}

// shown is one rendering of a task or hint as a surface shows it.
type shown struct{ name, text string }

// shownAt renders md as the TUI's exercise panel and `dslab exercise show
// --hint` show it in a terminal cols wide: the TUI numbers a hint ("  1. ",
// 5 cells) and renders it 2 cells wider to drop the renderer's margin; the
// CLI hangs it after "힌트 1: " (8 cells).
func shownAt(t *testing.T, r *render.Renderer, md string, cols int) []shown {
	t.Helper()
	tui, err := r.Render(md, cols-5+2)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := r.WithWholeWords().RenderFlush(md, cols-8)
	if err != nil {
		t.Fatal(err)
	}
	return []shown{{"panel", tui}, {"cli", cli}}
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

// shellFenceRE matches a command block of a task or hint.
var shellFenceRE = regexp.MustCompile("(?s)```shell[^\n]*\n(.*?)\n[ \t]*```")

// shellCommand is one command of a shell block: its first source line
// and the whole command joined as bash joins its lines.
type shellCommand struct{ first, joined string }

// shellCommands are the commands of a shell block's source: each line
// and the lines its trailing backslashes continue, joined as bash joins
// them (backslash-newline removed). A shell block holds only commands
// (TestHintAndTaskCommandBlocksHoldOnlyCommands).
func shellCommands(block string) []shellCommand {
	var out []shellCommand
	lines := strings.Split(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		var raw []string
		raw = append(raw, l)
		for strings.HasSuffix(raw[len(raw)-1], `\`) && i+1 < len(lines) {
			i++
			raw = append(raw, strings.TrimLeft(lines[i], "\t"))
		}
		out = append(out, shellCommand{first: l, joined: testutil.BashJoin(raw)})
	}
	return out
}

// shellWords splits a command into the words bash passes on (quotes kept
// in the words; spaces inside quotes do not split).
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quote := rune(0)
	in := false
	for _, r := range s {
		switch {
		case quote != 0:
			cur.WriteRune(r)
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote, in = r, true
			cur.WriteRune(r)
		case r == ' ' || r == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// pastedAsShown finds the rendered lines of the command whose first
// source line is first (a rendered line that is first, after the gutter or
// indent, or its first words continued with " \" where the renderer broke
// a line too wide for the panel), from line from on, and returns what bash
// runs when a learner pastes them as the screen shows them, gutter and
// indent included; next is the line after them.
func pastedAsShown(lines []string, first string, from int) (cmd string, next int, ok bool) {
	for i := from; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if t == "" || (t != first && !(strings.HasSuffix(t, ` \`) && strings.HasPrefix(first, strings.TrimSuffix(t, `\`)))) {
			continue
		}
		raw := []string{strings.TrimLeft(l, " ")}
		j := i + 1
		for ; j < len(lines) && strings.HasSuffix(raw[len(raw)-1], `\`); j++ {
			raw = append(raw, lines[j])
		}
		return testutil.BashJoin(raw), j, true
	}
	return "", from, false
}

// TestHintAndTaskCommandsPasteAsShown renders every shell block of the
// tasks and hints as the TUI's exercise panel and `dslab exercise show
// --hint` do at 60 and 80 columns, joins the rendered lines of each command
// as bash joins a paste (backslash-newline; the gutter's blanks stay) and
// fails unless bash gets the source command's words (issue 14: the taints
// hint broke custom-columns=\ inside a word, and its indented continuation
// became a node name: nodes "NAME:…" not found). The rendered lines carry no
// prompt to strip: what the learner copies is what bash runs.
func TestHintAndTaskCommandsPasteAsShown(t *testing.T) {
	r, err := render.New(render.Options{Plain: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ex := range load(t).All() {
		for where, md := range learnerTexts(ex) {
			var cmds []shellCommand
			for _, m := range shellFenceRE.FindAllStringSubmatch(md, -1) {
				cmds = append(cmds, shellCommands(m[1])...)
			}
			if len(cmds) == 0 {
				continue
			}
			for _, cols := range panelWidths {
				for _, out := range shownAt(t, r, md, cols) {
					lines := strings.Split(ansi.Strip(out.text), "\n")
					from := 0 // commands are found in order
					for _, cmd := range cmds {
						checked++
						got, next, ok := pastedAsShown(lines, cmd.first, from)
						if !ok {
							t.Errorf("%s %s (%s at %d columns): command %q not found on a line:\n%s", ex.ID, where, out.name, cols, cmd.joined, out.text)
							continue
						}
						from = next
						want := shellWords(cmd.joined)
						if g := shellWords(got); strings.Join(g, "\x00") != strings.Join(want, "\x00") {
							t.Errorf("%s %s (%s at %d columns): pasted as shown, bash runs %q, want %q:\n%s", ex.ID, where, out.name, cols, g, want, out.text)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no shell command found in the exercises")
	}
}

// TestPastedAsShownCatchesABreakInsideAWord checks the checker: a command
// broken inside a word and shown with a gutter is two words in bash.
func TestPastedAsShownCatchesABreakInsideAWord(t *testing.T) {
	src := "kubectl get nodes -o custom-columns=\\\nNAME:.metadata.name"
	cmd := shellCommands(src)[0].joined
	if cmd != "kubectl get nodes -o custom-columns=NAME:.metadata.name" {
		t.Fatalf("source joined = %q", cmd)
	}
	got, _, ok := pastedAsShown([]string{"  kubectl get nodes -o custom-columns=\\", "  NAME:.metadata.name"}, "kubectl get nodes -o custom-columns=\\", 0)
	if !ok || len(shellWords(got)) != 6 {
		t.Fatalf("pasted = %q (%d words), want the spec split into 2 words", got, len(shellWords(got)))
	}
}

// TestHintAndTaskCommandBlocksHoldOnlyCommands fails if a task or hint
// shows a "$ " prompt or output inside a command block, or a console
// transcript (issue 14: the taints hint had to tell learners to leave out
// the "$ "; pasted along, bash said "$: command not found").
func TestHintAndTaskCommandBlocksHoldOnlyCommands(t *testing.T) {
	for _, ex := range load(t).All() {
		for where, md := range learnerTexts(ex) {
			for _, p := range transcript.CommandBlockProblems(md, 1) {
				t.Errorf("%s %s: %s", ex.ID, where, p)
			}
		}
	}
}

// TestHintAndTaskKubectlRunsInAnyTerminal: a task or hint is read in the
// TUI and in `dslab exercise show --hint` in any terminal, where a bare
// kubectl may point at another cluster; lesson 1 says bare kubectl is for
// the lab shell and `dslab kubectl …` runs anywhere, so every kubectl
// command a task or hint shows is written `dslab kubectl …`.
func TestHintAndTaskKubectlRunsInAnyTerminal(t *testing.T) {
	for _, ex := range load(t).All() {
		for where, md := range learnerTexts(ex) {
			var cmds []string
			for _, m := range shellFenceRE.FindAllStringSubmatch(md, -1) {
				for _, c := range shellCommands(m[1]) {
					cmds = append(cmds, c.joined)
				}
			}
			for _, m := range codeSpanRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(md, ""), -1) {
				cmds = append(cmds, m[1])
			}
			for _, c := range cmds {
				if f := strings.Fields(c); len(f) > 0 && f[0] == "kubectl" {
					t.Errorf("%s %s: %q: write `dslab kubectl …` (runs in any terminal)", ex.ID, where, c)
				}
			}
		}
	}
}

// TestHintAndTaskCommandsStandAlone: a command a learner should run stands
// in its own code block, not in an inline code span inside prose, where
// the panel wraps it mid-command at 60 columns (issue 14: noexecute-churn
// hint 1, "dslab kubectl -n dslab get ds metrics-agent -o yaml 의
// 톨러레이션을"). An inline span that starts with dslab or kubectl and has
// four words or more is a whole command.
func TestHintAndTaskCommandsStandAlone(t *testing.T) {
	for _, ex := range load(t).All() {
		for where, md := range learnerTexts(ex) {
			for _, m := range codeSpanRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(md, ""), -1) {
				if f := strings.Fields(m[1]); len(f) >= 4 && (f[0] == "dslab" || f[0] == "kubectl") {
					t.Errorf("%s %s: command %q inline in prose: put it in its own code block", ex.ID, where, m[1])
				}
			}
		}
	}
}

// learnerTexts are the markdown texts of ex a learner reads, by where they
// stand: "task", "hint 1", "hint 2", ….
func learnerTexts(ex exercises.Exercise) map[string]string {
	texts := map[string]string{"task": ex.Task}
	for i, h := range ex.Hints {
		texts[fmt.Sprintf("hint %d", i+1)] = h
	}
	return texts
}
