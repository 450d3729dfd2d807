package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// suggestMaxDistance is how many single edits (insert, delete, replace,
// swap two neighbours) a typo may be from a candidate to be suggested —
// cobra's own default (cobra.Command.SuggestionsMinimumDistance).
const suggestMaxDistance = 2

// suggest returns the candidates the learner probably meant by typed, best
// first: those equal to it once case, '_', '.', spaces and '-' are ignored
// ("gpu_only", "gpuonly" → gpu-only); otherwise those within
// suggestMaxDistance edits of it or starting with it ("taint" → taints).
// An empty result means nothing is close.
func suggest(typed string, candidates []string) []string {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case '_', '.', ' ', '-':
				return -1
			}
			return r
		}, strings.ToLower(s))
	}
	t := norm(typed)
	if t == "" {
		return nil
	}
	type scored struct {
		name string
		d    int
	}
	var out []scored
	for _, c := range candidates {
		n := norm(c)
		d := editDistance(t, n)
		switch {
		case n == t:
			return []string{c}
		case d <= suggestMaxDistance:
		case len(t) >= 3 && strings.HasPrefix(n, t):
			d = suggestMaxDistance + 1
		default:
			continue
		}
		out = append(out, scored{c, d})
	}
	slices.SortStableFunc(out, func(a, b scored) int { return a.d - b.d })
	var names []string
	for _, s := range out {
		names = append(names, s.name)
	}
	return names
}

// editDistance is the optimal string alignment distance of a and b (the
// Levenshtein distance where swapping two neighbouring letters is one edit).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// didYouMean is the Korean "혹시 … 를 찾으셨나요?" sentence for the
// suggestions (empty when there are none), the particle chosen by
// internal/hangul after the last one.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	last := suggestions[len(suggestions)-1]
	return fmt.Sprintf("혹시 %s %s 찾으셨나요?", strings.Join(suggestions, ", "), hangul.EulReul(last))
}

// subcommandArgs wraps the Args of a command that groups subcommands (the
// root, `exercise`, …): an argument close to a subcommand's name is a
// mistyped subcommand, answered in Korean with a suggestion (exit code 2);
// other arguments go to orig (nil: none are taken), and cobra's English
// "unknown command" becomes Korean.
func subcommandArgs(orig cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		if len(suggest(args[0], commandNames(cmd))) > 0 || intent(cmd, args) != "" {
			return unknownCommand(cmd, args...)
		}
		if orig == nil {
			return unknownCommand(cmd, args...)
		}
		err := orig(cmd, args)
		if err != nil && (strings.HasPrefix(err.Error(), "unknown command") || intents()[cmd.CommandPath()] != nil) {
			// A group of subcommands only (`dslab exercise hint …`):
			// the argument is a subcommand that does not exist.
			return unknownCommand(cmd, args...)
		}
		return err
	}
}

// commandNames are the names and aliases of parent's visible subcommands.
func commandNames(parent *cobra.Command) []string {
	var names []string
	for _, c := range parent.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
			names = append(names, c.Aliases...)
		}
	}
	return names
}

// intents are the commands a learner reaches for under another name
// (issue 14: `dslab exercise hint ds-basics`): by the group's path, the
// word typed and the real command, whose %s is the argument after the
// word (an exercise id) or "<ID>".
func intents() map[string]map[string]string {
	return map[string]map[string]string{
		"dslab exercise": {
			"hint": "dslab exercise show %s --hint 1", "hints": "dslab exercise show %s --hint 1", "힌트": "dslab exercise show %s --hint 1",
			"grade": "dslab grade %s", "check": "dslab grade %s", "채점": "dslab grade %s",
			"list": "dslab exercises", "ls": "dslab exercises", "목록": "dslab exercises",
			"restart": "dslab exercise reset %s", "answer": "dslab exercise solution %s",
		},
		"dslab": {
			"hint": "dslab exercise show <ID> --hint 1", "hints": "dslab exercise show <ID> --hint 1",
			"list": "dslab exercises", "status": "dslab progress",
		},
	}
}

// intent is the real command for args[0] typed under cmd (intents), with
// the exercise id of args[1] when given; "" when none is known.
func intent(cmd *cobra.Command, args []string) string {
	if len(args) == 0 {
		return ""
	}
	f := intents()[cmd.CommandPath()][strings.ToLower(args[0])]
	if f == "" {
		return ""
	}
	if !strings.Contains(f, "%s") {
		return f
	}
	id := "<ID>"
	if len(args) > 1 {
		id = args[1]
	}
	return fmt.Sprintf(f, id)
}

// unknownCommand is the usage error for args[0], not a subcommand of
// parent: the closest subcommands, or the command meant (intent).
func unknownCommand(parent *cobra.Command, args ...string) error {
	typed := args[0]
	names := commandNames(parent)
	msg := fmt.Sprintf("알 수 없는 명령입니다: %s %s.", parent.CommandPath(), strings.Join(args, " "))
	if c := intent(parent, args); c != "" {
		msg += " 혹시 " + c + " 명령을 찾으셨나요?"
	} else if s := didYouMean(suggest(typed, names)); s != "" {
		msg += " " + s
	}
	return usageError("%s %s --help 로 명령 목록을 보세요", msg, parent.CommandPath())
}

// flagSuggestion is the Korean "혹시 --all 을 찾으셨나요?" for pflag's
// "unknown flag: --al" error on cmd (its own and inherited flags), or ""
// when err is another flag error or nothing is close.
func flagSuggestion(cmd *cobra.Command, err error) string {
	_, typed, ok := strings.Cut(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	typed, _, _ = strings.Cut(typed, "=")
	var names []string
	add := func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	found := suggest(strings.TrimSpace(typed), names)
	for i := range found {
		found[i] = "--" + found[i]
	}
	return didYouMean(found)
}
