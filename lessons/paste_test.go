package lessons

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/testutil"
)

// shellRE matches a command block of a lesson (nested ones too).
var shellRE = regexp.MustCompile("(?s)```shell[^\n]*\n(.*?)\n[ \t]*```")

// TestLessonCommandsPasteAsShown renders every lesson as the TUI's lesson
// pane and `dslab lessons show` do at 80 columns and as the lesson pane of
// the smallest terminal (60x12) does at 60, joins the rendered lines
// of each command of a shell block as bash joins a paste (backslash-newline;
// the gutter's blanks stay) and fails unless bash gets the source command's
// words. A shell block holds only commands, no prompt and no output
// (TestCommandBlocksHoldOnlyCommands), so the lines a learner copies are
// exactly what bash runs (issue 14: commands broken inside a word,
// custom-columns=\, became two arguments once the screen indented their
// continuation; a "$ " prompt pasted along ran "$"; at 60 columns a long
// command was cut with "↪", which bash ran as a command, and "-o" lost its
// argument to the next line).
func TestLessonCommandsPasteAsShown(t *testing.T) {
	course, err := Course()
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Plain: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, cols := range []int{paneWidth, smallPaneWidth} {
		checked += checkPastes(t, r, course, cols)
	}
	if checked == 0 {
		t.Fatal("no shell command found")
	}
}

// smallPaneWidth is the lesson pane of the smallest terminal dslab runs in
// (README: 60x12): the reader takes the whole width.
const smallPaneWidth = 60

// checkPastes checks every shell command of course rendered at cols
// columns (TestLessonCommandsPasteAsShown) and returns how many it checked.
func checkPastes(t *testing.T, r *render.Renderer, course []Lesson, cols int) int {
	t.Helper()
	checked := 0
	for _, l := range course {
		out, err := r.Render(l.Body, cols)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(ansi.Strip(out), "\n")
		from := 0 // commands are found in order
		for _, m := range shellRE.FindAllStringSubmatch(l.Body, -1) {
			src := strings.Split(m[1], "\n")
			for i := 0; i < len(src); i++ {
				first := strings.TrimSpace(src[i])
				if first == "" {
					continue
				}
				raw := []string{first}
				for strings.HasSuffix(raw[len(raw)-1], `\`) && i+1 < len(src) {
					i++
					raw = append(raw, src[i])
				}
				checked++
				want := shellValues(testutil.BashJoin(raw))
				got, next, ok := pasted(lines, first, from)
				if !ok {
					t.Errorf("lessons/%s: %q not found rendered at %d columns", l.File, first, cols)
					continue
				}
				from = next
				if g := shellValues(got); strings.Join(g, "\x00") != strings.Join(want, "\x00") {
					t.Errorf("lessons/%s: pasted as shown at %d columns, bash runs\n%q\nwant\n%q", l.File, cols, g, want)
				}
			}
		}
	}
	return checked
}

// pasted finds, from line from on, the rendered command whose first
// source line is first — shown whole on a line, or its first words on a
// line that the renderer continued with " \" — and joins its rendered
// lines, gutter included, as bash would; next is the line after them.
func pasted(lines []string, first string, from int) (cmd string, next int, ok bool) {
	for i := from; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || (l != first && !(strings.HasSuffix(l, ` \`) && strings.HasPrefix(first, strings.TrimSuffix(l, `\`)))) {
			continue
		}
		raw := []string{l}
		j := i + 1
		for ; j < len(lines) && strings.HasSuffix(raw[len(raw)-1], `\`); j++ {
			raw = append(raw, lines[j])
		}
		return testutil.BashJoin(raw), j, true
	}
	return "", from, false
}

// shellValues are the arguments bash passes on for the command line s:
// split at blanks outside quotes, quotes removed ('…' literal, "…" with
// backslash escapes of $ ` " \\, a backslash outside quotes escaping the
// next character), so that 'ab”cd' and 'abcd' are the same argument.
func shellValues(s string) []string {
	var out []string
	var cur strings.Builder
	in := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
			continue
		case r == '\'':
			for i++; i < len(rs) && rs[i] != '\''; i++ {
				cur.WriteRune(rs[i])
			}
		case r == '"':
			for i++; i < len(rs) && rs[i] != '"'; i++ {
				if rs[i] == '\\' && i+1 < len(rs) && strings.ContainsRune("$`\"\\", rs[i+1]) {
					i++
				}
				cur.WriteRune(rs[i])
			}
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
		default:
			cur.WriteRune(r)
		}
		in = true
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}
