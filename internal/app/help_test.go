package app

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/paths"
)

// cobraEnglish is what cobra's and pflag's own help chrome says in English.
var cobraEnglish = regexp.MustCompile(`Usage:|\[flags\]|Flags:|Available Commands|Additional help topics|Use "|help for |\(default |Aliases:|Examples:|--[a-z-]+ (string|strings|int|duration|stringArray|stringSlice)\b`)

// Every command's help (`dslab … --help` and `dslab help …`) is Korean:
// none of cobra's English chrome, flag kinds and defaults in Korean, and it
// fits 60 and 80 columns without splitting a word.
func TestHelpIsKorean(t *testing.T) {
	root := NewRootCommand(Env{Paths: paths.FromEnv(func(string) string { return "" })})
	var all [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden || c.DisableFlagParsing {
			return // internal entry points; kubectl prints kubectl's own help
		}
		all = append(all, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(root, nil)
	if len(all) < 30 {
		t.Fatalf("only %d commands walked", len(all))
	}
	vars := proseEnv(t)
	for _, path := range all {
		for _, args := range [][]string{append(append([]string(nil), path...), "--help"), append([]string{"help"}, path...)} {
			flat := runAt(t, vars, 100000, args...)
			what := strings.Join(args, " ")
			if m := cobraEnglish.FindString(flat); m != "" {
				t.Errorf("%s: cobra's English %q:\n%s", what, m, flat)
			}
			if !strings.Contains(flat, "사용법:") {
				t.Errorf("%s: no Korean usage:\n%s", what, flat)
			}
			for _, w := range []int{60, 80} {
				checkProse(t, what, w, runAt(t, vars, w, args...), flat)
			}
		}
	}
	// Defaults are shown in Korean.
	if out := runAt(t, vars, 200, "grade", "--help"); !strings.Contains(out, "(기본값: text)") || !strings.Contains(out, "--output 문자열") {
		t.Errorf("grade --help lacks the Korean default or kind:\n%s", out)
	}
}

// A group command given a mistyped subcommand answers with a suggestion
// instead of its help; `dslab help` of a mistyped command too.
func TestGroupCommandTypos(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"class", "jion"}, "혹시 join 을 찾으셨나요?"},
		{[]string{"cluster", "stauts"}, "혹시 status 를 찾으셨나요?"},
		{[]string{"cluster", "node", "stpo", "dslab-worker"}, "혹시 stop 을 찾으셨나요?"},
		{[]string{"images", "lst"}, "혹시 list 를 찾으셨나요?"},
		{[]string{"help", "grde"}, "혹시 grade 를 찾으셨나요?"},
		{[]string{"help", "cluster", "stauts"}, "혹시 status 를 찾으셨나요?"},
		// Mistyped flags, the command's own and inherited.
		{[]string{"grade", "--al"}, "혹시 --all 을 찾으셨나요?"},
		{[]string{"exercise", "show", "gpu-only", "--hnt", "1"}, "혹시 --hint 를 찾으셨나요?"},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != ExitUsage || !strings.Contains(errs, tc.want) || strings.Contains(out, "사용법:") {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, out, errs)
		}
	}
	// Alone, a group shows its help.
	if code, out, _ := runCLI(t, "class"); code != ExitOK || !strings.Contains(out, "dslab class [명령]") {
		t.Errorf("class alone: exit %d\n%s", code, out)
	}
}

// Wrapped prose (class errors and hints, help texts, unknown-command
// errors, a rendered hint) shows commands as plain text, without markdown
// backticks (issue 14: the terminal showed the backticks themselves), and
// wrapping never splits a word of a command: at every width the words are
// those of the unwrapped text (a command block's " \" continuations aside).
func TestBacktickCommandsStayWhole(t *testing.T) {
	vars := proseEnv(t)
	cmdRe := regexp.MustCompile(`(?:dslab|kubectl) [a-z]`)
	n := 0
	for _, args := range [][]string{
		{"class", "submit", "gpu-only"}, {"class", "status"}, {"class", "leave"}, {"class", "--help"},
		{"class", "jion"}, {"cluster", "stauts"}, {"grade", "gpu_only"}, {"exercise", "show", "xyzzy"},
		{"lessons", "--help"}, {"cluster", "kubeconfig", "--help"}, {"exercise", "show", "selector-change", "--hint", "3"},
	} {
		flat := runAt(t, vars, 100000, args...)
		if strings.Contains(flat, "`") {
			t.Errorf("%v: a markdown backtick in plain output:\n%s", args, flat)
		}
		n += len(cmdRe.FindAllString(flat, -1))
		for _, w := range []int{40, 60, 80} {
			out := runAt(t, vars, w, args...)
			// A command block continued as bash continues a line (" \"
			// at a line's end) is the same command.
			if !slices.Equal(strings.Fields(strings.ReplaceAll(out, " \\\n", "\n")), strings.Fields(flat)) {
				t.Errorf("%v at %d: words differ from the unwrapped text:\n%s", args, w, out)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d commands checked", n)
	}
}
