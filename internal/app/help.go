package app

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// setKoreanHelp makes root's help and usage (and, by inheritance, every
// subcommand's) Korean and wrapped to the terminal by display cells
// (textOut): headings, the usage line's "[플래그]", flag value kinds and
// defaults are Korean; command and flag names stay English. It replaces
// cobra's English templates ("Usage:", "Flags:", "Available Commands:",
// `(default "text")`).
func setKoreanHelp(env Env, root *cobra.Command) {
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		t := newTextOut(env, c.OutOrStdout(), 0)
		t.Print(helpText(c, t.width))
	})
	root.SetUsageFunc(func(c *cobra.Command) error {
		t := newTextOut(env, c.OutOrStderr(), 0)
		t.Print(usageText(c, t.width))
		return nil
	})
}

// groupAnnotation marks a command that only groups subcommands: running
// it alone shows its help (localize), so its usage has no line of its own.
const groupAnnotation = "dslab/group"

// helpText is c's help: its long (or short) description, then its usage.
// The description keeps its author's line breaks and is wrapped to width
// cells by the caller; the flag and command lists hang their descriptions
// under one column themselves.
func helpText(c *cobra.Command, width int) string {
	var b strings.Builder
	desc := c.Long
	if desc == "" {
		desc = c.Short
	}
	if desc = strings.TrimRight(desc, " \n"); desc != "" {
		b.WriteString(desc + "\n\n")
	}
	if c.Runnable() || c.HasSubCommands() {
		b.WriteString(usageText(c, width))
	}
	return b.String()
}

// useLine is cobra's UseLine with a Korean "[플래그]".
func useLine(c *cobra.Command) string {
	use := c.Use
	if c.HasParent() {
		use = c.Parent().CommandPath() + " " + use
	}
	if !c.DisableFlagsInUseLine && c.HasAvailableFlags() && !strings.Contains(use, "[플래그]") {
		use += " [플래그]"
	}
	return use
}

// usageText is c's usage in Korean: usage lines, aliases, examples,
// subcommands, flags and inherited flags.
func usageText(c *cobra.Command, width int) string {
	var b strings.Builder
	b.WriteString("사용법:\n")
	if c.Runnable() && c.Annotations[groupAnnotation] == "" {
		b.WriteString("  " + useLine(c) + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("  " + c.CommandPath() + " [명령]\n")
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\n별칭:\n  " + c.NameAndAliases() + "\n")
	}
	if c.HasExample() {
		b.WriteString("\n예:\n" + strings.TrimRight(c.Example, "\n") + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n명령:\n")
		var rows [][2]string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				rows = append(rows, [2]string{sub.Name(), sub.Short})
			}
		}
		b.WriteString(hangingList(rows, width))
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n플래그:\n" + flagList(c.LocalFlags(), width))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n공통 플래그:\n" + flagList(c.InheritedFlags(), width))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n명령마다 자세한 설명: " + c.CommandPath() + " [명령] --help\n")
	}
	return b.String()
}

// flagKind is the Korean name of a pflag value type (Value.Type()) shown
// after a flag's name, as pflag.UnquoteUsage shows the English one; bool
// flags take no value ("").
func flagKind(typ string) string {
	switch typ {
	case "bool", "count", "boolfunc":
		return ""
	case "string", "stringArray":
		return "문자열"
	case "int", "int32", "int64", "uint", "uint32", "uint64":
		return "정수"
	case "float32", "float64":
		return "수"
	case "duration":
		return "시간"
	case "stringSlice", "intSlice":
		return "목록"
	}
	return "값"
}

// flagList lists the visible flags of fs, two spaces in, their
// descriptions in one column, wrapped under it, with the default value
// when it is not the zero value ("(기본값: text)").
func flagList(fs *pflag.FlagSet, width int) string {
	var rows [][2]string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "    --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		if kind := flagKind(f.Value.Type()); kind != "" {
			name += " " + kind
		}
		usage := f.Usage
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "[]" && def != "0s" && def != "<nil>" {
			usage += " (기본값: " + def + ")"
		}
		if f.Deprecated != "" {
			usage += " (더 이상 쓰지 않음: " + f.Deprecated + ")"
		}
		rows = append(rows, [2]string{name, usage})
	})
	return hangingList(rows, width)
}

// hangingList writes rows as "  name   text" with the names padded to one
// column and each text wrapped (render.WrapHangingWhole) under that
// column; a name too wide for a shared column gets a line of its own.
func hangingList(rows [][2]string, width int) string {
	col := 0
	for _, r := range rows {
		col = max(col, ansi.StringWidth(r[0]))
	}
	// Room for the descriptions on a narrow terminal.
	col = min(col, 28, max(12, width/2-8))
	var b strings.Builder
	t := textOut{w: &b, width: width}
	for _, r := range rows {
		name := "  " + r[0]
		if ansi.StringWidth(r[0]) > col {
			t.Println(name)
			t.Hanging(strings.Repeat(" ", col+5), r[1])
			continue
		}
		t.Hanging(name+strings.Repeat(" ", col-ansi.StringWidth(r[0])+3), r[1])
	}
	return b.String()
}

// printHelpOf is `dslab help ARGS…`: the help of the command args name, or
// a Korean unknown-command error with a suggestion.
func printHelpOf(c *cobra.Command, args []string) error {
	cmd, rest, err := c.Root().Find(args)
	if cmd == nil || err != nil {
		return usageError("알 수 없는 명령입니다: %s", strings.Join(args, " "))
	}
	if len(rest) > 0 {
		return unknownCommand(cmd, rest[0])
	}
	return cmd.Help()
}

// helpFlagUsage is the Korean description of a command's -h/--help flag.
func helpFlagUsage(c *cobra.Command) string {
	return fmt.Sprintf("%s 의 도움말을 보여 줍니다", c.Name())
}
