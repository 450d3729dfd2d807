// Package app holds dslab's cobra commands. Only Main calls os.Exit; every
// command gets its IO streams and paths passed in.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/klog/v2"

	"github.com/dslab-kr/dslab/internal/paths"
)

// Version is set at build time with -ldflags "-X github.com/dslab-kr/dslab/internal/app.Version=…".
var Version = "dev"

// Streams are the IO streams a command reads and writes.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Env is everything a command depends on, built once in Main.
type Env struct {
	Streams Streams
	Paths   paths.Paths
	Getenv  func(string) string
	// Executable is the path of the running dslab binary (re-exec'd for the
	// embedded control plane).
	Executable string
	// Log is dslab's own log (a file; never the terminal). Nil discards.
	Log *slog.Logger
	// TTYWidth is the width of the controlling terminal (/dev/tty), for
	// output piped to a pager; nil (tests) or ok false: none.
	TTYWidth func() (int, bool)
}

// Logger returns env.Log, or a logger that discards.
func (env Env) Logger() *slog.Logger {
	if env.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return env.Log
}

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1 // the command ran and found a problem (e.g. a failed grade)
	ExitUsage   = 2 // bad flags or arguments, or the command could not run at all
)

// ExitError carries an exit code and a message meant for the learner.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

// usageError wraps err as an exit-code-2 error.
func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Main runs dslab with the process's arguments and environment and returns
// the exit code.
func Main() int {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	env := Env{
		Streams:    Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr},
		Paths:      paths.FromEnv(os.Getenv),
		Getenv:     os.Getenv,
		Executable: exe,
		TTYWidth:   controllingTerminalWidth,
	}
	if len(os.Args) > 1 && os.Args[1] == "__component" {
		// A control-plane component: it installs its own signal handlers
		// and logging; keep out of its way.
		return Run(context.Background(), env, os.Args[1:])
	}
	logFile, closeLog := openLog(env.Paths)
	defer closeLog()
	env.Log = logFile
	// SIGHUP too: a closed terminal or a dropped SSH session stops
	// `class serve` (and the TUI) gracefully, releasing serve.lock.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return Run(ctx, env, os.Args[1:])
}

// openLog opens dslab's log file ($XDG_DATA_HOME/dslab/logs/dslab.log) and
// routes klog there too, so that nothing but dslab's own output reaches the
// terminal.
func openLog(p paths.Paths) (*slog.Logger, func()) {
	discard := slog.New(slog.DiscardHandler)
	if err := os.MkdirAll(p.LogDir(), 0o700); err != nil {
		klog.SetOutput(io.Discard)
		klog.LogToStderr(false)
		return discard, func() {}
	}
	f, err := os.OpenFile(filepath.Join(p.LogDir(), "dslab.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		klog.SetOutput(io.Discard)
		klog.LogToStderr(false)
		return discard, func() {}
	}
	klog.LogToStderr(false)
	klog.SetOutput(f)
	return slog.New(slog.NewTextHandler(f, nil)).With("pid", os.Getpid()), func() {
		klog.Flush()
		f.Close()
	}
}

// Run executes one dslab command line and returns its exit code.
func Run(ctx context.Context, env Env, args []string) int {
	root := NewRootCommand(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	err = koreanCobraError(err)
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil && ee.Err.Error() != "" {
			env.textErr().Printf("오류: %v\n", ee.Err)
		}
		return ee.Code
	}
	env.textErr().Printf("오류: %v\n", err)
	if isFlagError(err) {
		return ExitUsage
	}
	return ExitFailure
}

// flagError marks errors cobra reports for bad flags or arguments.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe)
}

// NewRootCommand builds the dslab command tree.
func NewRootCommand(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "dslab",
		Short:         "쿠버네티스 데몬셋(DaemonSet) 실습 랩",
		Long:          "dslab 은 쿠버네티스 데몬셋(DaemonSet)을 한국어로 배우는 터미널 실습 랩입니다.\n인수 없이 실행하면 TUI 가 열립니다.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), env)
		},
	}
	root.SetIn(env.Streams.In)
	root.SetOut(env.Streams.Out)
	root.SetErr(env.Streams.Err)
	root.SetFlagErrorFunc(koreanFlagError)
	root.AddCommand(
		newVersionCommand(env),
		newLessonsCommand(env),
		newClusterCommand(env),
		newKubectlCommand(env),
		newExercisesCommand(env),
		newExerciseCommand(env),
		newGradeCommand(env),
		newProgressCommand(env),
		newDoctorCommand(env), newImagesCommand(env),
		newClassCommand(env),
	)
	root.AddCommand(hiddenCommands(env)...)
	localize(env, root)
	return root
}

// localize gives the command tree Korean help and hides the flags that
// Kubernetes libraries register on the process-wide pflag set (cobra merges
// that set into the root command; e.g. component-base's --version).
func localize(env Env, root *cobra.Command) {
	pflag.CommandLine.VisitAll(func(f *pflag.Flag) { f.Hidden = true })
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [명령]",
		Short: "명령의 도움말을 보여 줍니다",
		RunE:  printHelpOf,
	})
	setKoreanHelp(env, root)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && !c.DisableFlagParsing {
			if !c.Runnable() {
				// A group without its own action shows its help, and
				// answers a mistyped subcommand (below) instead of
				// ignoring it.
				c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
				if c.Annotations == nil {
					c.Annotations = map[string]string{}
				}
				c.Annotations[groupAnnotation] = "help"
			}
			// An argument of a command that groups subcommands is a
			// mistyped subcommand: Korean, with a suggestion.
			c.Args = subcommandArgs(c.Args)
			c.SuggestionsMinimumDistance = suggestMaxDistance
		}
		if c.Flags().Lookup("help") == nil && !c.DisableFlagParsing {
			c.Flags().BoolP("help", "h", false, helpFlagUsage(c))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// koreanCobraError turns cobra's own English errors (unknown command,
// wrong number of arguments) into Korean usage errors.
func koreanCobraError(err error) error {
	msg := err.Error()
	// cobra appends an English "Did you mean this?" block after a blank
	// line; the suggestions dslab gives are its own (suggest.go).
	msg, _, _ = strings.Cut(msg, "\n")
	switch {
	case strings.HasPrefix(msg, "unknown command"):
		return usageError("알 수 없는 명령입니다 (%s). dslab --help 로 명령 목록을 보세요", msg)
	case strings.Contains(msg, "arg(s)"):
		return usageError("인수(argument) 개수가 맞지 않습니다 (%s). '--help' 로 사용법을 보세요", msg)
	case strings.HasPrefix(msg, "unknown flag"), strings.HasPrefix(msg, "unknown shorthand flag"):
		return usageError("잘못된 플래그(flag)입니다: %s", msg)
	}
	return err
}

func newVersionCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "버전을 출력합니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(env.Streams.Out, "dslab %s\n", Version) // raw: one token for scripts
			return nil
		},
	}
}
