package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/testutil"
)

// TestShellBlockWrapsAsBashContinues renders a shell command wider than
// a 60-column pane and checks that it is broken as bash continues a line
// (issue 14: a "↪" continuation pasted as a command, "bash: ↪: command not
// found", and "-o" / "↪ custom-columns=…" as a flag without its argument):
// no continuation mark, every line but the last ends with " \", no line
// wider than the pane, no break inside a word or a quoted argument that
// fits a line (one wider is cut and continues at column 0, where bash
// joins it back), and the lines pasted as shown (margin and gutter
// included) are the command.
func TestShellBlockWrapsAsBashContinues(t *testing.T) {
	r, err := New(Options{Plain: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	cmds := []string{
		"dslab kubectl -n dslab get pods -l app=metrics-agent -o custom-columns=POD:metadata.name,NODE:spec.nodeName",
		`dslab kubectl -n dslab patch ds log-agent --type merge -p '{"spec": {"updateStrategy": null}}'`,
		"dslab kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {end}' --sort-by=.metadata.name",
		// A word wider than a whole line: cut, the rest at column 0.
		"kubectl get pods -n monitoring -o custom-columns=POD:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP",
	}
	for _, cmd := range cmds {
		for _, md := range []string{"```shell\n" + cmd + "\n```\n", "- 항목\n\n  ```bash\n  " + cmd + "\n  ```\n"} {
			out, err := r.Render(md, 60)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(ansi.Strip(out), "\n")
			first := strings.Fields(cmd)[0]
			at := -1
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > 60 {
					t.Errorf("line %d is %d cells wide: %q", i+1, w, l)
				}
				if strings.Contains(l, ContinuationMark) {
					t.Errorf("continuation mark in a shell block: %q", l)
				}
				if at < 0 && strings.Contains(l, first+" ") {
					at = i
				}
			}
			if at < 0 {
				t.Fatalf("command not found:\n%s", out)
			}
			raw := []string{strings.TrimLeft(lines[at], " -")}
			for j := at + 1; j < len(lines) && strings.HasSuffix(raw[len(raw)-1], `\`); j++ {
				if !strings.HasSuffix(raw[len(raw)-1], ` \`) && strings.HasPrefix(lines[j], " ") {
					t.Errorf("a word cut with a backslash continues after blanks (bash reads two words): %q / %q", raw[len(raw)-1], lines[j])
				}
				raw = append(raw, lines[j])
			}
			if len(raw) < 2 {
				t.Errorf("%q not continued at 60 columns:\n%s", cmd, out)
			}
			got := strings.Fields(testutil.BashJoin(raw))
			if strings.Join(got, " ") != strings.Join(strings.Fields(cmd), " ") {
				t.Errorf("pasted as shown, bash runs\n%s\nwant\n%s\nrendered:\n%s", strings.Join(got, " "), cmd, out)
			}
		}
	}
}

// TestShellTokensKeepQuotesWhole: spaces inside quotes or escaped do not
// split a shell word.
func TestShellTokensKeepQuotesWhole(t *testing.T) {
	line := `  a -p '{"x": 1}' "b c" d\ e f`
	rs := []rune(line)
	var got []string
	for _, tk := range shellTokens(rs, 2) {
		got = append(got, string(rs[tk.from:tk.to]))
	}
	want := []string{"a", "-p", `'{"x": 1}'`, `"b c"`, `d\ e`, "f"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("shellTokens = %q, want %q", got, want)
	}
}
