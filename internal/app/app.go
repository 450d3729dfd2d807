// Package app holds dslab's cobra commands. Only Main calls os.Exit; every
// command gets its IO streams and paths passed in.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

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

func (e *ExitError) Error() string { return e.Err.Error() }
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
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, env, os.Args[1:])
}

// Run executes one dslab command line and returns its exit code.
func Run(ctx context.Context, env Env, args []string) int {
	root := NewRootCommand(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil && ee.Err.Error() != "" {
			fmt.Fprintf(env.Streams.Err, "오류: %v\n", ee.Err)
		}
		return ee.Code
	}
	fmt.Fprintf(env.Streams.Err, "오류: %v\n", err)
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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &flagError{err: fmt.Errorf("잘못된 플래그(flag)입니다: %w", err)}
	})
	root.AddCommand(
		newVersionCommand(env),
		newLessonsCommand(env),
	)
	root.AddCommand(hiddenCommands(env)...)
	return root
}

func newVersionCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "버전을 출력합니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(env.Streams.Out, "dslab %s\n", Version)
			return nil
		},
	}
}
