package app

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/cluster/embedded/components"
	"github.com/dslab-kr/dslab/internal/cluster/embedded/supervisor"
)

// hiddenCommands are the internal entry points the dslab binary re-execs
// itself as. They are not for users.
func hiddenCommands(env Env) []*cobra.Command {
	return []*cobra.Command{
		supervisorCommand(env),
		componentCommand(),
		recorderCommand(env),
	}
}

func supervisorCommand(env Env) *cobra.Command {
	var name, dir string
	cmd := &cobra.Command{
		Use:    "__supervisor",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" || dir == "" {
				return usageError("__supervisor needs --name and --dir")
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			// stdout/stderr are the supervisor log file (set by `cluster up`).
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			err = supervisor.Run(cmd.Context(), supervisor.Options{
				Name: name, Dir: embedded.Dir(abs), Executable: env.Executable, Logger: log,
			})
			if errors.Is(err, supervisor.ErrAlreadyRunning) {
				return &ExitError{Code: supervisor.ExitAlreadyRunning, Err: errors.New("이 클러스터는 이미 다른 dslab 관리 프로세스(supervisor)가 실행 중입니다")}
			}
			if err != nil {
				log.Error("supervisor failed", "err", err)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "cluster name")
	cmd.Flags().StringVar(&dir, "dir", "", "cluster state directory")
	return cmd
}

func componentCommand() *cobra.Command {
	return &cobra.Command{
		Use:                "__component NAME [FLAGS…]",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("__component needs a component name: %v", components.Names())
			}
			c, err := components.Command(args[0])
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			c.SetArgs(args[1:])
			return c.Execute()
		},
	}
}
