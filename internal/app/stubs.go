package app

import (
	"context"

	"github.com/spf13/cobra"
)

// Temporary stubs; each is replaced by its own file.

func runTUI(ctx context.Context, env Env) error {
	return usageError("TUI 는 아직 준비 중입니다")
}

func newLessonsCommand(env Env) *cobra.Command {
	return &cobra.Command{Use: "lessons", Short: "강의 목록"}
}

func hiddenCommands(env Env) []*cobra.Command { return nil }
