package app

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

func newProgressCommand(env Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "진행 현황을 보여 줍니다: 읽은 강의, 통과한 연습(점수, 사용한 힌트)",
		Long: "TUI 에서 읽은 강의와 통과한 연습(점수, 사용한 힌트 수, 시도 횟수)을 보여 줍니다.\n" +
			"진행 상황은 " + "$XDG_CONFIG_HOME/dslab/progress.json 에 저장됩니다.\n\n" +
			"-o json 의 필드: lessons[] (id, order, title, read, readAt), exercises[] (id, order, title, lesson,\n" +
			"passed, score, maxScore, hintsUsed, attempts, passedAt, lastGradedAt, state, hasScore), totals.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return badFlagValue("--output(-o)", output, "text 또는 json 을 쓰세요")
			}
			course, err := lessons.Course()
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("강의 파일을 읽지 못했습니다(lessons): %w", err)}
			}
			c, err := loadCatalog()
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			f, err := progress.Read(env.Paths.ProgressFile())
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("진행 상황 파일을 읽을 수 없습니다: %w (dslab 을 열면 손상된 파일은 옆으로 옮기고 새로 기록합니다)", err)}
			}
			s := ownSummary(env, course, c.All(), f)
			if output == "json" {
				enc := json.NewEncoder(env.Streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			writeProgress(env.textOut(), s, env.Paths.ProgressFile())
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "출력 형식: text, json")
	return cmd
}

// writeProgress is `dslab progress`'s text: each exercise's state and
// score as s has them (progress.StandingOf, as -o json, `dslab
// exercises`, `grade --all` and the TUI say them).
func writeProgress(out textOut, s lab.Summary, file string) {
	t := s.Totals
	out.Printf("강의 %d/%d 읽음 · 연습 %d/%d 통과 · 점수 %d/%d · 사용한 힌트 %d개\n\n",
		t.LessonsRead, t.Lessons, t.ExercisesPassed, t.Exercises, t.Score, t.MaxScore, t.HintsUsed)
	var rows [][]string
	for _, l := range s.Lessons {
		read := "-"
		if l.Read {
			read = "✓ " + l.ReadAt.Local().Format("01-02 15:04")
		}
		rows = append(rows, []string{fmt.Sprint(l.Order), l.Title, read})
	}
	writeTableFit(out, []string{"강의", "제목", "읽음"}, rows, 0)
	out.Println("")
	rows = nil
	for _, e := range s.Exercises {
		// The words of the TUI's 진행 현황 (progress.Standing.StateText):
		// "✓ 통과", "✓ 통과 기록" beside "지금 4/10".
		text := e.Standing().StateText()
		if e.State == progress.StatePassed && !e.PassedAt.IsZero() {
			text += " " + e.PassedAt.Local().Format("01-02 15:04")
		}
		rows = append(rows, []string{fmt.Sprint(e.Order), e.ID, e.Title, text, e.Standing().ScoreText(), fmt.Sprint(e.HintsUsed), fmt.Sprint(e.Attempts)})
	}
	writeTableFit(out, []string{"연습", "ID", "제목", "상태", "점수", "힌트", "시도"}, rows, 0, 4, 5, 6)
	out.Println("")
	out.Hanging("진행 상황 파일: ", file)
}
