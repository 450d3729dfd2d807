package app

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// newExerciseCleanCommand is `dslab exercise clean`: the one command that
// removes the DaemonSets other exercises left running (lab.CleanOthers),
// keeping those of the exercise started last on the cluster (trainee
// trial, issue 14: 8 DaemonSets listed one command a line on every start).
func newExerciseCleanCommand(env Env) *cobra.Command {
	var cf clusterFlags
	cmd := &cobra.Command{
		Use:   "clean",
		Short: "다른 연습의 데몬셋을 모두 지웁니다 (지금 시작한 연습의 것은 둡니다)",
		Long: "클러스터에서 마지막으로 시작한 연습을 뺀 다른 연습들의 대상 데몬셋을 지우고, 지운 것을 하나씩 말합니다.\n" +
			"지금 연습의 데몬셋과 어느 연습도 쓰지 않는 데몬셋(kube-proxy 등)은 그대로 둡니다.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cleanOthers(cmd.Context(), env, cf.target())
		},
	}
	cf.add(cmd)
	return cmd
}

func cleanOthers(ctx context.Context, env Env, t kube.Target) error {
	if ctx == nil {
		ctx = context.Background()
	}
	c, err := loadCatalog()
	if err != nil {
		return err
	}
	conn, err := connect(ctx, env, t)
	if err != nil {
		return err
	}
	cur, err := kube.LoadCurrent(ctx, conn.Client)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
	}
	if cur == nil {
		return usageError("지금 시작한 연습이 없어 어느 데몬셋을 남길지 알 수 없습니다: 먼저 dslab exercise start <ID> 로 연습을 시작하세요")
	}
	ex, err := findExercise(c, cur.Exercise)
	if err != nil {
		return err
	}
	prog, _ := progress.Read(env.Paths.ProgressFile())
	startedAt := func(id string) time.Time { return prog.Exercises[id].StartedAt }
	done, err := lab.CleanOthers(ctx, conn.Client, c.All(), ex, startedAt)
	out := env.textOut()
	for _, r := range done {
		ref := r.Ref.String()
		out.Printf("지웠습니다: 데몬셋 %s (연습 %s)\n", ref, strings.Join(r.Exercises, "·"))
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if len(done) == 0 {
		out.Printf("지울 다른 연습의 데몬셋이 없습니다 (지금 연습: %s)\n", ex.ID)
		return nil
	}
	target := ex.Spec.Target.String()
	out.Printf("다른 연습의 데몬셋 %d개를 지웠습니다 — 지금 연습 %s: 데몬셋 %s %s 그대로 둡니다\n", len(done), ex.ID, target, hangul.EunNeun(target))
	return nil
}
