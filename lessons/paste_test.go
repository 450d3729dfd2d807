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
// pane and `dslab lessons show` do at 80 columns, joins the rendered lines
// of each command of a shell block as bash joins a paste (backslash-newline;
// the gutter's blanks stay) and fails unless bash gets the source command's
// words. A shell block holds only commands, no prompt and no output
// (TestCommandBlocksHoldOnlyCommands), so the lines a learner copies are
// exactly what bash runs (issue 14: commands broken inside a word,
// custom-columns=\, became two arguments once the screen indented their
// continuation; a "$ " prompt pasted along ran "$").
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
	for _, l := range course {
		out, err := r.Render(l.Body, paneWidth)
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
				want := strings.Fields(testutil.BashJoin(raw))
				got, next, ok := pasted(lines, first, from)
				if !ok {
					t.Errorf("lessons/%s: %q not found rendered", l.File, first)
					continue
				}
				from = next
				if strings.Join(strings.Fields(got), " ") != strings.Join(want, " ") {
					t.Errorf("lessons/%s: pasted as shown at %d columns, bash runs\n%s\nwant\n%s", l.File, paneWidth, got, strings.Join(want, " "))
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no shell command found")
	}
}

// pasted finds, from line from on, the rendered command whose first line
// is first and joins its rendered lines, gutter included, as bash would;
// next is the line after them.
func pasted(lines []string, first string, from int) (cmd string, next int, ok bool) {
	for i := from; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " ")
		if !strings.HasSuffix(l, first) || strings.TrimSpace(strings.TrimSuffix(l, first)) != "" {
			continue
		}
		raw := []string{first}
		j := i + 1
		for ; j < len(lines) && strings.HasSuffix(raw[len(raw)-1], `\`); j++ {
			raw = append(raw, lines[j])
		}
		return testutil.BashJoin(raw), j, true
	}
	return "", from, false
}
