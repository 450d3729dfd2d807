package app

// The board's side of `dslab class`: serve's board flags and lines, `dslab
// class board` (the web board's link with the instructor token), `dslab
// class send` (instructor actions), and the broadcasts `dslab class status`
// shows.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// boardServeFlags are serve's board options.
type boardServeFlags struct {
	stuck time.Duration
	dist  string
	// stuckSet: --stuck was given (else the class's remembered one).
	stuckSet bool
}

// StuckFile is where serve remembered --stuck in the data dir before the
// class's store did (store.SettingStuckAfter): rememberStuck moves it into
// the store once and deletes it.
const StuckFile = "stuck-after"

// rememberStuck keeps serve's --stuck in the class's store (every replica of
// a PostgreSQL class sees it, as it sees the class's --exercises): it
// stores f.stuck when --stuck was given, or reads the remembered one into
// f.stuck when it was not. A StuckFile left in dataDir by an older dslab
// is moved into the store first (when the store has none yet) and then
// deleted. It returns whether f.stuck came from the store; an unreadable
// or invalid stored value is an error and f.stuck keeps its default.
// change is the Korean line serve prints when --stuck replaced another
// value (the remembered one, or the default when none was): "" otherwise.
func (f *boardServeFlags) rememberStuck(ctx context.Context, st store.SettingsStore, dataDir string) (fromStore bool, change string, err error) {
	legacy := filepath.Join(dataDir, StuckFile)
	if b, err := os.ReadFile(legacy); err == nil {
		if d, perr := time.ParseDuration(strings.TrimSpace(string(b))); perr == nil && d > 0 {
			if _, err := st.Setting(ctx, store.SettingStuckAfter); errors.Is(err, store.ErrNotFound) {
				if err := st.SetSetting(ctx, store.SettingStuckAfter, d.String()); err != nil {
					return false, "", err
				}
			}
		}
		if err := os.Remove(legacy); err != nil {
			return false, "", err
		}
	}
	if f.stuckSet {
		old := server.DefaultStuckAfter
		if v, err := st.Setting(ctx, store.SettingStuckAfter); err == nil {
			if d, perr := time.ParseDuration(v); perr == nil && d > 0 {
				old = d
			}
		}
		if old != f.stuck {
			change = fmt.Sprintf("막힘 기준을 바꿉니다: %s → %s", koDuration(old), koDuration(f.stuck))
		}
		return false, change, st.SetSetting(ctx, store.SettingStuckAfter, f.stuck.String())
	}
	v, err := st.Setting(ctx, store.SettingStuckAfter)
	if errors.Is(err, store.ErrNotFound) {
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return false, "", fmt.Errorf("stored %s %q is not a positive duration: %v", store.SettingStuckAfter, v, err)
	}
	f.stuck = d
	return true, "", nil
}

func (f *boardServeFlags) add(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&f.stuck, "stuck", server.DefaultStuckAfter, "현재 연습의 점수가 이만큼 오르지 않으면 보드에 '막힘'으로 표시합니다 (예: 10m)")
	cmd.Flags().StringVar(&f.dist, "dist", "dist", "다른 플랫폼 빌드(make dist)가 있는 디렉터리: /download/ 에서 함께 내려줍니다")
}

func (f boardServeFlags) config() server.BoardConfig {
	return server.BoardConfig{StuckAfter: f.stuck, DistDir: f.dist}
}

// printInstallLine prints the install line of `class serve`'s banner:
// its prose to out (wrapped), the line itself to raw (never wrapped inside
// a word: it is copied; it is broken at a " \" continuation when it is
// wider than width cells, commandLines; width <= 0 never breaks it). The
// board's link carries the instructor token, so it is never printed on a
// screen that may be projected: `dslab class board` prints it.
func printInstallLine(out, raw io.Writer, baseURL, joinCode string, width int) {
	fmt.Fprintln(out, "dslab 이 없는 학생은 다음 한 줄로 설치하고 참가합니다 (이름·학번을 바꿔서):")
	for _, l := range commandLines(server.InstallLine(baseURL, joinCode), "  ", width) {
		fmt.Fprintln(raw, l)
	}
}

// ServerAddrFile, in the class data dir, holds the address `dslab class
// serve` listens on (a loopback URL when it listens on every interface),
// so that `dslab class board`, `send` and `watch` on the same machine
// find it without --server. serve writes it at start.
const ServerAddrFile = "server-addr"

func writeServerAddr(dataDir, url string) error {
	return os.WriteFile(filepath.Join(dataDir, ServerAddrFile), []byte(url+"\n"), 0o600)
}

// localServerURL is the class server address for instructor commands
// without --server: what the last `dslab class serve` with this data dir
// recorded, else http://127.0.0.1:7070 (DefaultClassListen); recorded
// reports which.
func localServerURL(dataDir string) (url string, recorded bool) {
	b, err := os.ReadFile(filepath.Join(dataDir, ServerAddrFile))
	if u := strings.TrimSpace(string(b)); err == nil && strings.HasPrefix(u, "http") {
		return u, true
	}
	return "http://127.0.0.1" + DefaultClassListen, false
}

func newClassBoardCommand(env Env) *cobra.Command {
	var inst instructorFlags
	cmd := &cobra.Command{
		Use:   "board [URL]",
		Short: "웹 보드 주소(강사 토큰 포함)를 보여 줍니다: 강사 컴퓨터의 브라우저로 여세요",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				inst.server = args[0]
			}
			given := inst.server != ""
			inst.defaultServer()
			base, recorded := inst.server, given
			if !given {
				_, recorded = localServerURL(inst.store.data)
			}
			tok, err := inst.token()
			if err != nil {
				return err
			}
			// The link is only worth printing when the server answers and
			// takes the token (issue 12: with the server down this exited
			// 0 and printed a dead link). A cheap instructor call: the
			// commands after the largest seq (none).
			var none api.CommandsResponse
			if err := inst.call(cmd.Context(), "GET", api.PathInstructorCommands+"?after=9223372036854775807", nil, &none); err != nil {
				return err
			}
			out := env.textOut().Lines()
			raw := env.Streams.Out // raw: the board's URLs are copied whole, never wrapped
			u := strings.TrimRight(base, "/") + api.PathBoardPage
			fmt.Fprintf(raw, "%s#token=%s\n", u, tok)
			fmt.Fprintln(out, "프로젝터용(이름은 이니셜):")
			fmt.Fprintf(raw, "%s?projector=1#token=%s\n", u, tok)
			if !recorded {
				env.textErr().Printf("주소를 모릅니다: %s 에 dslab class serve 가 남긴 주소가 없어 기본 주소를 썼습니다. 서버가 다른 곳에서 들으면 그 주소를 --server 옵션에 주세요 (예: dslab class board --server http://192.168.0.10:7070).\n", inst.store.data)
			}
			env.textErr().Println("이 주소에는 강사 토큰이 들어 있습니다: 화면 공유·프로젝터에 띄우지 마세요 (브라우저는 열자마자 주소에서 지웁니다).")
			return nil
		},
	}
	inst.add(cmd, env)
	return cmd
}

func newClassSendCommand(env Env) *cobra.Command {
	var inst instructorFlags
	var req api.CommandRequest
	cmd := &cobra.Command{
		Use:   "send KIND",
		Short: "강사 동작을 보냅니다: broadcast, unlock-hint, reset-exercise, freeze, unfreeze, regrade, close-join, open-join",
		Long: "강사 동작은 서버에 차례대로 저장되고, 학생 쪽은 다시 연결될 때 놓친 것까지 받습니다.\n" +
			"서버가 꺼져 있으면 --data/--db 의 수업 데이터에 바로 저장하고, 학생들은 서버가 다시 켜지면 받습니다.\n" +
			"  dslab class send broadcast --message \"10분 뒤 쉽니다\"\n" +
			"  dslab class send unlock-hint --exercise taints [--student 학번]\n" +
			"  dslab class send reset-exercise --exercise taints --student 학번\n" +
			"  dslab class send freeze   (이후 제출은 저장하되 '마감 후'로 표시)\n" +
			"  dslab class send close-join   (새 학생 참가를 닫음; 이미 있는 학생은 다시 참가 가능, open-join 으로 다시 엶)",
		// No KIND lists the kinds as an unknown one does (issue 12: cobra's
		// English "accepts 1 arg(s)").
		Args: exactArgs(1, "보낼 동작을 하나 주세요: "+sendKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Kind = args[0]
			if err := sendUsage(req, cmd.Flags().Changed); err != nil {
				return err
			}
			// Through the server with --server or when one runs on
			// --data, otherwise stored in --data/--db for the next serve
			// (instructorFlags.reachLocal).
			var c api.Command
			if err := inst.reachLocal(cmd.Context(), instructorCall{method: "POST", path: api.PathInstructorCommands, in: req, out: &c, roster: req.RosterID}); err != nil {
				return err
			}
			to := "수업 전체"
			if c.RosterID != "" {
				to = "학번 " + c.RosterID
			}
			what := commandWord(c.Kind) + "(" + c.Kind + ")"
			if c.Exercise != "" {
				what += " · 연습 " + c.Exercise
			}
			msg := fmt.Sprintf("보냈습니다 (#%d): %s → %s", c.Seq, what, to)
			if c.Message != "" {
				msg += ": " + c.Message
			}
			env.textOut().Println(msg)
			if note := inst.directNote(false); note != "" {
				env.textOut().Println(note + " 학생들은 서버가 다시 켜지면 받습니다.")
			}
			return nil
		},
	}
	inst.add(cmd, env)
	f := cmd.Flags()
	f.StringVar(&req.Message, "message", "", "공지 내용 (broadcast), 초기화 이유 (reset-exercise)")
	f.StringVar(&req.Exercise, "exercise", "", "연습 ID (unlock-hint, reset-exercise)")
	f.StringVar(&req.RosterID, "student", "", "학번: 한 학생에게만 (없으면 모든 학생)")
	return cmd
}

// sendKinds lists the kinds `dslab class send` takes, for its usage errors.
const sendKinds = "broadcast, unlock-hint, reset-exercise, freeze, unfreeze, regrade, close-join, open-join; 학생 빼기는 dslab class remove 학번"

// sendFlags are, per kind, the flags of `dslab class send` it takes (the
// server's validateCommand: a broadcast may go to one student; unlock-hint
// has no message; the class-wide kinds take none).
var sendFlags = map[string][]string{
	api.CommandBroadcast:     {"message", "student"},
	api.CommandUnlockHint:    {"exercise", "student"},
	api.CommandResetExercise: {"exercise", "student", "message"},
	api.CommandFreeze:        nil,
	api.CommandUnfreeze:      nil,
	api.CommandRegrade:       nil,
	api.CommandCloseJoin:     nil,
	api.CommandOpenJoin:      nil,
}

// sendUsage checks `dslab class send` locally, before any server is
// asked: an unknown KIND, a flag its KIND needs left out, or a flag
// (given, per changed) its KIND does not take is a usage error (exit 2,
// class_exit.go; issue 12: broadcast without --message went to the server
// and came back as HTTP 400, exit 1, and `broadcast --exercise taints`
// was sent with the exercise silently dropped). What only the server
// knows (the 학번, the class's exercises, the length) it still checks.
func sendUsage(req api.CommandRequest, changed func(flag string) bool) error {
	takes, ok := sendFlags[req.Kind]
	if !ok {
		return usageError("모르는 동작입니다: %q (%s)", req.Kind, sendKinds)
	}
	var extra []string
	for _, f := range []string{"message", "exercise", "student"} {
		if changed(f) && !slices.Contains(takes, f) {
			extra = append(extra, "--"+f)
		}
	}
	if len(extra) > 0 {
		if len(takes) == 0 {
			return usageError("%s 동작은 수업 전체에 적용되고 옵션을 받지 않습니다: %s 없이 보내세요", req.Kind, strings.Join(extra, ", "))
		}
		return usageError("%s 동작은 %s 옵션을 받지 않습니다 (받는 옵션: --%s): 빼고 보내세요", req.Kind, strings.Join(extra, ", "), strings.Join(takes, ", --"))
	}
	switch req.Kind {
	case api.CommandBroadcast:
		if strings.TrimSpace(req.Message) == "" {
			return usageError("공지(broadcast)에는 보낼 내용이 필요합니다: --message \"10분 뒤 쉽니다\"")
		}
	case api.CommandUnlockHint:
		if req.Exercise == "" {
			return usageError("힌트 열기(unlock-hint)에는 연습이 필요합니다: --exercise 연습ID [--student 학번]")
		}
	case api.CommandResetExercise:
		if req.Exercise == "" || req.RosterID == "" {
			return usageError("연습 초기화(reset-exercise)는 연습 하나를 한 학생에게만 보냅니다: --exercise 연습ID --student 학번")
		}
	}
	return nil
}

// printClassCommands prints the instructor's newest commands that concern
// this student (for `dslab class status`): the server's student command
// list already holds only the class-wide ones and this student's own, so
// every kind is shown, class-wide unlock-hint and freeze included.
//
// The commands from before this machine joined (Client.JoinCursor) are
// not listed one by one: one line counts every kind of them
// (earlierCommandsLine: broadcasts, hints opened, resets, freezes), at
// every status, whoever applied them first (issue 12: the TUI's poll
// applied them silently, and the list showed only the newest few, so the
// hints unlocked before the join were never counted). The returned list
// (for -o json) is the newest five of all of them, as before.
func printClassCommands(ctx context.Context, out io.Writer, c *client.Client) []api.Command {
	cmds, err := c.Commands(ctx, 0)
	if err != nil {
		return nil
	}
	shown := cmds
	if len(shown) > 5 {
		shown = shown[len(shown)-5:]
	}
	if out == nil {
		return shown
	}
	var earlier, recent []api.Command
	for _, x := range cmds {
		if x.Seq <= c.JoinCursor {
			earlier = append(earlier, x)
		} else {
			recent = append(recent, x)
		}
	}
	recent = statusCommands(recent)
	if len(earlier) == 0 && len(recent) == 0 {
		return shown
	}
	fmt.Fprintln(out, "강사의 공지와 동작 (최근):")
	if line := earlierCommandsLine(earlier); line != "" {
		fmt.Fprintln(out, "  "+line)
	}
	for _, x := range recent {
		fmt.Fprintln(out, "  "+x.Time.Local().Format("15:04")+" "+commandLine(x))
	}
	return shown
}

// statusCommands are the commands since the join that `class status`
// lists, in order: every broadcast, hint and reset (what a student who was
// away must still read — the instructor trial lost two broadcasts behind
// a freeze/unfreeze/regrade run when the list was the newest five), and of
// the class's switches only those no later one supersedes — the rule the
// lab's catch-up tells by (api.SupersededCommands: a freeze and a later
// unfreeze are one state, so only the unfreeze is listed, as the lab shows
// only the unfreeze).
func statusCommands(cmds []api.Command) []api.Command {
	superseded := api.SupersededCommands(cmds, 0)
	var out []api.Command
	for i, x := range cmds {
		if !superseded[i] {
			out = append(out, x)
		}
	}
	return out
}

// commandLine is x in Korean, saying whether it was for the whole class
// or for this student.
func commandLine(x api.Command) string {
	var line string
	switch x.Kind {
	case api.CommandBroadcast:
		line = "공지: " + x.Message
	case api.CommandUnlockHint:
		line = "힌트 열림: " + x.Exercise
	case api.CommandResetExercise:
		// The lab resets the cluster and keeps the work file
		// (lab.ResetDoneNote; issue 12).
		line = "연습 초기화 요청: " + x.Exercise + " (클러스터만; 작업 파일은 그대로)"
		if x.Message != "" {
			line += " — " + x.Message
		}
	case api.CommandFreeze:
		line = "제출 마감 (이후 제출은 '마감 후'로 표시됩니다)"
	case api.CommandUnfreeze:
		line = "제출 마감 해제"
	case api.CommandRegrade:
		line = "다시 채점"
	default:
		line = x.Kind
	}
	if x.RosterID != "" {
		return line + " (나에게)"
	}
	return line + " (수업 전체)"
}
