package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// koreanFlagError turns one of pflag's flag errors on cmd into a Korean
// usage error: a Korean sentence naming the flag and what is allowed (or
// that it does not exist), pflag's own words after it in parentheses, and
// for an unknown flag dslab's "혹시 … 을 찾으셨나요?" suggestion.
//
// err is what cobra passes to its FlagErrorFunc: pflag's *NotExistError,
// *ValueRequiredError, *InvalidValueError or *InvalidSyntaxError
// (github.com/spf13/pflag errors.go); other errors keep their text after
// the generic Korean sentence.
func koreanFlagError(cmd *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	path := cmd.CommandPath()
	help := fmt.Sprintf("'%s --help' 로 플래그 목록을 보세요", path)
	var msg string
	switch {
	case errors.As(err, &notExist):
		name := "--" + notExist.GetSpecifiedName()
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			name = "-" + notExist.GetSpecifiedName()[:1]
		}
		msg = fmt.Sprintf("%s 에는 %s 플래그(flag)가 없습니다 (%v).", path, name, err)
		if hint := flagSuggestion(cmd, err); hint != "" {
			msg += " " + hint
		} else {
			msg += " " + help
		}
	case errors.As(err, &required):
		f := required.GetFlag()
		msg = fmt.Sprintf("%s 플래그(flag)에는 값이 있어야 합니다: %s (%v)", flagName(f), flagAllows(f), err)
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		msg = fmt.Sprintf("%s 플래그(flag)의 값 %q %s 쓸 수 없습니다: %s (%v)", flagName(f), invalid.GetValue(), hangul.EunNeun(fmt.Sprintf("%q", invalid.GetValue())), flagAllows(f), err)
	case errors.As(err, &syntax):
		msg = fmt.Sprintf("플래그(flag)를 쓰는 형식이 잘못되었습니다: %s — 플래그는 --이름 또는 --이름=값 으로 씁니다 (%v)", syntax.GetSpecifiedFlag(), err)
	default:
		msg = fmt.Sprintf("잘못된 플래그(flag)입니다. %s (%v)", help, err)
	}
	return &flagError{err: errors.New(msg)}
}

// flagName is how a learner types f: "--hint", or "--output(-o)" when it
// has a shorthand.
func flagName(f *pflag.Flag) string {
	if f.Shorthand != "" && f.ShorthandDeprecated == "" {
		return fmt.Sprintf("--%s(-%s)", f.Name, f.Shorthand)
	}
	return "--" + f.Name
}

// flagAllows is the Korean "what is allowed" for f: its kind of value with
// an example, then its own usage text (which names ranges and choices,
// e.g. "힌트를 N번째까지 보여 줍니다 (1~3, …)").
func flagAllows(f *pflag.Flag) string {
	var kind string
	switch f.Value.Type() {
	case "int", "int32", "int64", "uint", "uint32", "uint64":
		kind = fmt.Sprintf("정수 (예: --%s 2)", f.Name)
	case "bool":
		kind = fmt.Sprintf("true 또는 false (예: --%s 또는 --%s=false)", f.Name, f.Name)
	case "duration":
		kind = fmt.Sprintf("시간 길이 (예: --%s 30s, 5m, 1h)", f.Name)
	case "float32", "float64":
		kind = fmt.Sprintf("수 (예: --%s 1.5)", f.Name)
	default:
		kind = "값"
	}
	if usage := strings.TrimSpace(f.Usage); usage != "" {
		return kind + " — " + usage
	}
	return kind
}

// badFlagValue is the usage error for a flag value dslab itself rejects
// (an unknown choice, a number out of range), in koreanFlagError's shape:
// `--output(-o) 플래그(flag)의 값 "xml" 은 쓸 수 없습니다: text, json 중
// 하나를 쓰세요`. flag is the flag as flagName shows it; allowed says in
// Korean what is allowed.
func badFlagValue(flag, value, allowed string) error {
	q := fmt.Sprintf("%q", value)
	return usageError("%s 플래그(flag)의 값 %s %s 쓸 수 없습니다: %s", flag, q, hangul.EunNeun(q), allowed)
}
