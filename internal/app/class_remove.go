package app

// `dslab class remove 학번`: take a wrong join or a test account off the
// class roster through the running server (a durable remove-student
// command, docs/class.md "학생 빼기").

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

func newClassRemoveCommand(env Env) *cobra.Command {
	var inst instructorFlags
	var yes bool
	cmd := &cobra.Command{
		Use:   "remove 학번",
		Short: "강사용: 학생을 수업 명단에서 뺍니다 (잘못된 참가, 시험용 계정; 보드와 내보내기에서 사라짐)",
		Long: "학생을 수업 명단에서 뺍니다. 보드·class watch·내보내기에 더 나오지 않고, 그 학생의 컴퓨터는\n" +
			"다음 제출이나 dslab class status 때 한국어 안내를 받고 제출을 멈춥니다 (참가 정보를 지움).\n" +
			"같은 학번은 참가가 열려 있을 때만 새 학생으로 다시 참가할 수 있습니다 (dslab class send close-join 이면 거절).\n" +
			"묻지 않고 빼려면 --yes.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			roster := strings.TrimSpace(args[0])
			if roster == "" {
				return usageError("뺄 학생의 학번을 주세요: dslab class remove 학번")
			}
			// The student first (issue 12: an unknown 학번 was asked
			// about, and the question named no one).
			ctx := cmd.Context()
			var board api.Board
			var name string
			err := inst.reach(ctx, instructorCall{method: "GET", path: api.PathBoard, out: &board}, func(st store.Store) error {
				x, err := st.StudentByRosterID(ctx, roster)
				if errors.Is(err, store.ErrNotFound) {
					return noStudentError(roster, "")
				}
				name = x.Name
				return err
			})
			if err != nil {
				return err
			}
			if board.Students != nil || board.Class != "" {
				i := slices.IndexFunc(board.Students, func(x api.BoardStudent) bool { return x.RosterID == roster })
				if i < 0 {
					return noStudentError(roster, "")
				}
				name = board.Students[i].Name
			}
			if !yes {
				if err := confirmRemove(env, roster, name); errors.Is(err, errNotRemoved) {
					return nil
				} else if err != nil {
					return err
				}
			}
			// As approve: through the server with --server or when one
			// runs on --data, otherwise straight on --data/--db
			// (instructorFlags.reach).
			var c api.Command
			req := api.CommandRequest{Kind: api.CommandRemoveStudent, RosterID: roster}
			err = inst.reach(ctx, instructorCall{method: "POST", path: api.PathInstructorCommands, in: req, out: &c, roster: roster}, func(st store.Store) error {
				x, err := st.StudentByRosterID(ctx, roster)
				if err == nil {
					var stored store.Command
					_, stored, err = st.RemoveStudent(ctx, roster, store.Command{Kind: store.CommandRemoveStudent, Time: time.Now().UTC(), Message: api.RemoveMessage(x.RosterID)})
					c.Seq, c.Message = stored.Seq, stored.Message
				}
				if errors.Is(err, store.ErrNotFound) {
					return noStudentError(roster, "") // as the server's 404 (class_exit.go)
				}
				return err
			})
			if err != nil {
				return err
			}
			// The 학번 once (the command's message is "학번 …" too; the
			// instructor trial on f9ad301 read it twice).
			env.textOut().Printf("학번 %s 학생을 수업 명단에서 뺐습니다 (#%d): 보드와 내보내기에 더 나오지 않고, 그 학생의 컴퓨터는 다음 연결 때 안내를 받고 제출을 멈춥니다. 다시 참가하려면 참가가 열려 있어야 합니다.\n",
				roster, c.Seq)
			if note := inst.directNote(false); note != "" {
				env.textOut().Println(note)
			}
			return nil
		},
	}
	inst.add(cmd, env)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "묻지 않고 뺍니다")
	return cmd
}

// errNotRemoved is confirmRemove's answer when the instructor declined:
// not an error, the command says so and exits 0.
var errNotRemoved = errors.New("not removed: declined")

// confirmRemove asks on the command's input whether to remove roster; only
// "y"/"yes"/"예"/"네" goes on. Any other answer declines (errNotRemoved,
// after "빼지 않았습니다." on its own line); no answer at all (end of
// input, as in a script without --yes) refuses with a usage error
// (exit 2). When the input is not a terminal it echoed no newline, so the
// prompt's line is ended here.
func confirmRemove(env Env, roster, name string) error {
	who := "학번 " + roster
	if name != "" {
		who = fmt.Sprintf("%s (학번 %s)", name, roster)
	}
	env.textErr().Printf("%s 학생을 수업 명단에서 뺄까요? 보드와 내보내기에서 사라지고, 그 컴퓨터는 더 이상 제출하지 않습니다. [y/N] ", who)
	line, err := bufio.NewReader(env.Streams.In).ReadString('\n')
	if _, tty := terminalFile(env.Streams.In); !tty || !strings.HasSuffix(line, "\n") {
		env.textErr().Println("")
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	switch answer {
	case "y", "yes", "예", "네":
		return nil
	}
	if answer == "" && err != nil {
		return usageError("확인 답이 없어 빼지 않았습니다: 묻지 않고 빼려면 dslab class remove %s --yes", roster)
	}
	if answer == "" {
		env.textOut().Println("빼지 않았습니다.")
	} else {
		env.textOut().Printf("빼지 않았습니다 (답: %s).\n", strings.TrimSpace(line))
	}
	return errNotRemoved
}
