package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// clusterFlags are the flags that choose a cluster.
type clusterFlags struct {
	kubeconfig string
	context    string
}

func (f *clusterFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig 파일 (기본: KUBECONFIG 또는 ~/.kube/config)")
	cmd.Flags().StringVar(&f.context, "context", "", "kubeconfig 컨텍스트(context) (기본: dslab)")
}

func (f clusterFlags) target() kube.Target {
	return kube.Target{Kubeconfig: f.kubeconfig, Context: f.context}
}

// connect connects to the chosen cluster; failures are exit-code-2 errors
// with a Korean message: a lab cluster of this machine that does not run
// says its state first (explainLabDown: 중지됨), a missing default context
// names the lab cluster under another name (explainMissingLab).
func connect(ctx context.Context, env Env, t kube.Target) (*kube.Conn, error) {
	conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, t)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: explainMissingLab(env.Paths, t, explainLabDown(ctx, env, t, err))}
	}
	return conn, nil
}

func loadCatalog() (*exercises.Catalog, error) {
	c, err := exercises.Load()
	if err != nil {
		return nil, fmt.Errorf("연습 문제를 읽을 수 없습니다 (dslab 빌드 문제): %w", err)
	}
	return c, nil
}

// loadExercise loads the catalog and the exercise with id.
func loadExercise(id string) (*exercises.Catalog, exercises.Exercise, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, exercises.Exercise{}, err
	}
	ex, err := findExercise(c, id)
	return c, ex, err
}

// findExercise returns the exercise with id — or with that course number
// ("5": the # column of dslab exercises and progress, "연습 5" in the TUI;
// trainee trial on 32bac4b: `dslab grade 5` said 알 수 없는 연습) — or a
// Korean usage error listing the valid ids. The one resolver of every
// command that takes an exercise ID.
func findExercise(c *exercises.Catalog, id string) (exercises.Exercise, error) {
	if n, err := strconv.Atoi(id); err == nil {
		all := c.All()
		for _, ex := range all {
			if ex.Order == n {
				return ex, nil
			}
		}
		num := strconv.Itoa(n)
		return exercises.Exercise{}, usageError("연습 번호 %s %s 없습니다: 1 부터 %d 까지입니다 (dslab exercises 로 목록을 봅니다)", num, hangul.EunNeun(num), len(all))
	}
	ex, err := c.Get(id)
	if err != nil {
		if n := otherKindNote(id, lessonIDs(), "강의", "dslab lessons show"); n != "" && len(suggest(id, c.IDs())) == 0 {
			// A lesson's ID, and no exercise close to it.
			return ex, usageError("알 수 없는 연습 %q 입니다. %s", id, n)
		}
		if s := didYouMean(suggest(id, c.IDs())); s != "" {
			return ex, usageError("알 수 없는 연습 %q 입니다. %s (dslab exercises 로 목록을 봅니다)", id, s)
		}
		return ex, usageError("알 수 없는 연습 %q 입니다: %s 중 하나를 쓰세요 (dslab exercises 로 목록을 봅니다)", id, strings.Join(c.IDs(), ", "))
	}
	return ex, nil
}

// exerciseNumberHelp is what every command that takes an exercise ID says
// of the course numbers findExercise accepts.
const exerciseNumberHelp = "<ID> 대신 연습 번호(dslab exercises 와 dslab progress 의 # 열, TUI 의 연습 5)를 써도 됩니다."

// completeExercises completes an exercise argument: the IDs, or the course
// numbers when a digit is typed, each described by the other and the title.
func completeExercises(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	c, err := exercises.Load()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	_, numeric := strconv.Atoi(toComplete)
	var out []string
	for _, ex := range c.All() {
		if toComplete != "" && numeric == nil {
			out = append(out, fmt.Sprintf("%d\t%s · %s", ex.Order, ex.ID, ex.Title))
		} else {
			out = append(out, fmt.Sprintf("%s\t연습 %d · %s", ex.ID, ex.Order, ex.Title))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func newExercisesCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "exercises",
		Short: "연습 문제 목록을 보여 줍니다",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadCatalog()
			if err != nil {
				return err
			}
			prog, err := progress.Read(env.Paths.ProgressFile())
			if err != nil {
				newTextOut(env, env.Streams.Err, 0).Printf("참고: 진행 상황을 읽을 수 없습니다: %v\n", err)
			}
			titles := map[string]string{}
			if course, err := lessons.Course(); err == nil {
				for _, l := range course {
					titles[l.ID] = l.Title
				}
			}
			writeExerciseList(env.textOut(), c, titles, func(id string) string {
				return exerciseStatus(withLocalAttempt(env, id, prog.Exercises[id]), preparedAt(env, kube.StateName(""), id))
			})
			return nil
		},
	}
}

// exerciseStatus is the 상태 column of `dslab exercises`: the exercise's
// state (progress.StateOf, the same as `dslab progress` and `grade --all`
// say), with the time of the pass ("통과 01-02 15:04", kept after a later
// reset) or of the start ("시작함 01-02 15:04", from the baseline's time;
// zero: not prepared on this cluster).
func exerciseStatus(p progress.ExerciseProgress, started time.Time) string {
	const layout = "01-02 15:04"
	st := progress.StateOf(p, !started.IsZero(), false)
	switch {
	case st == progress.StatePassed && !p.PassedAt.IsZero():
		return st.Korean() + " " + p.PassedAt.Local().Format(layout)
	case st == progress.StateStarted && !started.IsZero():
		return st.Korean() + " " + started.Local().Format(layout)
	case st == progress.StateStarted && !p.StartedAt.IsZero():
		return st.Korean() + " " + p.StartedAt.Local().Format(layout)
	}
	return st.Korean()
}

// preparedAt is when exercise id was last prepared on the lab cluster
// stateName (kube.StateName): its baseline's time, zero when none.
func preparedAt(env Env, stateName, id string) time.Time {
	b, _ := kube.LoadBaseline(kube.BaselineFile(kube.ExerciseDir(env.Paths, stateName, id)))
	if b == nil {
		return time.Time{}
	}
	return b.Recorded
}

// writeExerciseList is `dslab exercises`: each exercise with its lesson's
// Korean title (lessonTitles: lesson id → title; the id when missing), its
// full marks ("10점") and status.
func writeExerciseList(t textOut, c *exercises.Catalog, lessonTitles map[string]string, status func(string) string) {
	var rows [][]string
	for _, ex := range c.Localize("").All() {
		lesson := ex.Lesson
		if title := lessonTitles[ex.Lesson]; title != "" {
			lesson = title
		}
		rows = append(rows, []string{strconv.Itoa(ex.Order), ex.ID, ex.Title, lesson, strconv.Itoa(ex.Spec.MaxScore()) + "점", status(ex.ID)})
	}
	writeTableFit(t, []string{"번호", "ID", "제목", "강의", "만점", "상태"}, rows, 0, 4)
	t.Println("")
	t.Items("시작: dslab exercise start <ID>", "문제: dslab exercise show <ID>", "채점: dslab grade <ID>")
	t.Println(exerciseListNumberNote)
}

// exerciseListNumberNote ends `dslab exercises`: every command that takes
// an exercise ID takes its number too (exerciseNumberHelp).
const exerciseListNumberNote = "<ID> 대신 번호 열의 숫자를 써도 됩니다 (예: dslab exercise show 1)."

func newExerciseCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exercise",
		Short: "연습 문제를 시작하고, 되돌리고, 보여 줍니다 (start, reset, show, solution)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(
		newExerciseStartCommand(env, false),
		newExerciseStartCommand(env, true),
		newExerciseShowCommand(env),
		newExerciseSolutionCommand(env),
		newExerciseCleanCommand(env),
	)
	return cmd
}

func newExerciseStartCommand(env Env, reset bool) *cobra.Command {
	var cf clusterFlags
	var removeLeft, yes bool
	use, short, long := "start <ID>", "연습을 위해 클러스터를 준비하고 기준선(baseline)을 기록합니다",
		"연습에 필요한 네임스페이스, 노드 레이블과 테인트(taint), 준비 오브젝트를 만들고\n"+
			"이전 시도의 오브젝트를 지운 뒤, 노드의 레이블과 테인트를 기준선(baseline)으로 기록합니다.\n"+
			"rolling-update 는 롤아웃 기록기(recorder)도 시작합니다.\n"+exerciseNumberHelp
	if reset {
		use, short, long = "reset [ID]", "연습을 처음 상태로 되돌립니다 (대상 데몬셋을 지우고 다시 start)",
			"연습의 대상 데몬셋까지 지운 뒤 start 와 똑같이 준비합니다. 작업 파일($XDG_DATA_HOME/dslab/work/<ID>.yaml)은 그대로 둡니다.\n"+
				"ID 를 적지 않으면 dslab grade 처럼 지금 시작한 연습(실습 셸의 연습, 아니면 클러스터에서 마지막으로 시작한 연습)을 되돌립니다:\n"+
				"먼저 어느 연습을 어떻게 되돌리는지 말하고, 터미널에서는 [y/N] 으로 묻습니다 (--yes 면 묻지 않음; 파이프 등 터미널이 아니면\n"+
				"kubectl 처럼 묻지 않고 되돌립니다).\n"+exerciseNumberHelp
	}
	args := exactArgs(1, "연습 ID 하나가 필요합니다 (dslab exercises 로 목록을 봅니다)")
	if reset {
		args = func(_ *cobra.Command, a []string) error {
			if len(a) > 1 {
				return usageError("연습 ID 는 하나만 적습니다 (적지 않으면 지금 시작한 연습)")
			}
			return nil
		}
	}
	cmd := &cobra.Command{
		Use:               use,
		Short:             short,
		Long:              long,
		Args:              args,
		ValidArgsFunction: completeExercises,
		RunE: func(cmd *cobra.Command, args []string) error {
			chosen := len(args) == 0
			if chosen {
				id, err := resetCurrentID(cmd.Context(), env, cf.target())
				if err != nil {
					return err
				}
				args = []string{id}
			}
			c, ex, err := loadExercise(args[0])
			if err != nil {
				return err
			}
			if chosen {
				// The exercise was not named: say what the reset does to
				// which one, and ask at a terminal (trainee trial on 32bac4b).
				_, tty := terminalFile(env.Streams.In)
				if !confirmReset(env, ex, yes, tty) {
					return nil
				}
			}
			return startExercise(cmd.Context(), env, c, ex, cf.target(), reset, removeLeft)
		},
	}
	cf.add(cmd)
	if reset {
		cmd.Flags().BoolVar(&removeLeft, "remove-leftovers", false, "다른 네임스페이스에 남은 대상 데몬셋의 복사본을 묻지 않고 지웁니다")
		cmd.Flags().BoolVarP(&yes, "yes", "y", false, "ID 없이 되돌릴 때 묻지 않습니다")
	}
	return cmd
}

// confirmReset says what `dslab exercise reset` without an ID does to ex
// — its DaemonSet deleted and the exercise prepared again, the work file
// kept — and, at a terminal (tty) without --yes, asks [y/N]; it reports
// whether to go on. Not at a terminal it goes on, as kubectl does.
func confirmReset(env Env, ex exercises.Exercise, yes, tty bool) bool {
	target := ex.Spec.Target.Namespace + "/" + ex.Spec.Target.Name
	work := lab.WorkFile(env.Paths, ex.ID)
	what := fmt.Sprintf("연습 %d. %s (%s): 데몬셋 %s %s 지우고 연습을 처음 상태로 다시 준비합니다. 작업 파일 %s %s 그대로 둡니다.",
		ex.Order, ex.Title, ex.ID, target, hangul.EulReul(target), work, hangul.EunNeun(work))
	if ex.Spec.Target.Name == "" {
		what = fmt.Sprintf("연습 %d. %s (%s): 연습을 처음 상태로 다시 준비합니다. 작업 파일 %s %s 그대로 둡니다.",
			ex.Order, ex.Title, ex.ID, work, hangul.EunNeun(work))
	}
	out := env.textErr()
	if yes || !tty {
		out.Println(what)
		return true
	}
	out.Printf("%s 되돌릴까요? [y/N] ", what)
	line, _ := bufio.NewReader(env.Streams.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "예", "네":
		return true
	}
	out.Printf("되돌리지 않았습니다: 묻지 않고 되돌리려면 dslab exercise reset %s --yes\n", ex.ID)
	return false
}

// resetCurrentID is the exercise `dslab exercise reset` without an ID
// resets, as `dslab grade` chooses it (issue 14): the lab shell's
// exercise, else the one started on the cluster t, said on stderr; a
// Korean usage error when there is none or the cluster cannot be read.
func resetCurrentID(ctx context.Context, env Env, t kube.Target) (string, error) {
	if id := shellExercise(env); id != "" {
		chosenNote(env, id, "처음 상태로 되돌립니다", false)
		return id, nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	id, connErr := currentExercise(ctx, env, t)
	if id != "" {
		env.textErr().Printf("연습 ID 를 적지 않아 지금 시작한 연습 %s %s 처음 상태로 되돌립니다 (이 클러스터에서 마지막으로 시작한 연습)\n", id, hangul.EulReul(id))
		return id, nil
	}
	if connErr != nil {
		var down *labDownError
		if errors.As(connErr, &down) {
			return "", usageError("%s\n그래서 지금 시작한 연습을 알 수 없습니다: 되돌릴 연습 ID 를 적으세요 (dslab exercise reset <ID>)\n(연결 오류: %s)", down.Korean(), down.detail)
		}
		return "", usageError("되돌릴 연습 ID 가 필요합니다: 클러스터에 연결할 수 없어 지금 시작한 연습을 알 수 없습니다 (클러스터 시작: dslab cluster up)\n연결 오류: %w", connErr)
	}
	return "", usageError("되돌릴 연습 ID 가 필요합니다: 클러스터에 지금 시작한 연습이 없습니다 (dslab exercises 로 목록을 봅니다)")
}

func startExercise(ctx context.Context, env Env, c *exercises.Catalog, ex exercises.Exercise, t kube.Target, reset, removeLeft bool) error {
	conn, err := connect(ctx, env, t)
	if err != nil {
		return err
	}
	// A copy of the target in another namespace is pointed out; reset
	// offers to remove it (never silently).
	_, asks := terminalFile(env.Streams.In) // removeLeftovers asks [y/N]
	if ls := warnLeftovers(ctx, env, conn.Client, ex, reset && (removeLeft || asks)); reset {
		if err := removeLeftovers(ctx, env, conn.Client, ls, removeLeft); err != nil {
			return &ExitError{Code: ExitFailure, Err: err}
		}
	}
	dir := kube.ExerciseDir(env.Paths, kube.StateName(conn.Context), ex.ID)
	ex = ex.Localize(kube.StateName(conn.Context))
	// A recorder from an earlier start would mix two attempts.
	if err := kube.StopRecorder(kube.RecorderDir(dir)); err != nil {
		env.Logger().Warn("stop recorder", "err", err)
	}
	// Setup takes seconds (pods to become ready, namespaces to go): the
	// step and the time so far are shown all along (issue 14).
	_, tty := terminalFile(env.Streams.Err)
	what := "연습 " + ex.ID + " 준비 중"
	if reset {
		what = "연습 " + ex.ID + " 되돌리는 중"
	}
	steps := newStepReporter(env.Streams.Err, tty, time.Now, newTextOut(env, env.Streams.Err, 0), what, true)
	defer steps.Done()
	p := &kube.Preparer{Client: conn.Client, Catalog: c, Progress: steps.Step}
	var b grader.Baseline
	if reset {
		b, err = p.Reset(ctx, ex)
	} else {
		b, err = p.Start(ctx, ex)
	}
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("연습 %s 준비에 실패했습니다: %w", ex.ID, explainForbidden(err))}
	}
	if err := kube.SaveBaseline(kube.BaselineFile(dir), b); err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("기준선(baseline)을 저장하지 못했습니다: %w", err)}
	}
	steps.Note(fmt.Sprintf("기준선(baseline) 기록: 노드 %d개 (%s)", len(b.Nodes), kube.BaselineFile(dir)))
	if ex.Setup.Recorder {
		steps.Step("롤아웃 기록기(recorder)를 시작하는 중")
		if err := startRecorder(ctx, env, conn, ex, t, dir); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		steps.Note("롤아웃 기록기(recorder) 시작: 이제부터의 변경을 관측합니다")
	}
	steps.Done() // erased before the task is printed
	if (clusterFlags{kubeconfig: t.Kubeconfig, context: t.Context}).ownLab(env.Paths) {
		recordStart(env, ex.ID, reset)
		// In a class, the instructor's pending commands first (a short
		// wait, nothing when offline): the task's line of the hints the
		// instructor opened names them all (the instructor trial on
		// f9ad301: it named them only after the next class status).
		cctx, cancel := context.WithTimeout(ctx, classStartFetch)
		applyClassCommands(cctx, env, env.textErr().Lines()) // class_actions.go
		cancel()
	}
	out := newTextOut(env, env.Streams.Out, 0)
	out.Printf("연습 %s 준비 완료: %s\n\n", ex.ID, ex.Title)
	writeTask(out, ex, hintsUnlocked(env, ex.ID))
	// The work file is where the trainee writes the answer: the TUI applies
	// it on every save, the command line with kubectl apply -f.
	if path, _, err := lab.EnsureWorkFile(env.Paths, ex); err != nil {
		newTextOut(env, env.Streams.Err, 0).Printf("참고: 작업 파일을 준비하지 못했습니다: %v\n", err)
	} else {
		out.Println("")
		writeWorkFileLines(out, path)
	}
	writeOthersRunning(ctx, env, conn, c, ex)
	return nil
}

// writeOthersRunning says on stderr, as the TUI does after a prepare, which
// other exercises' DaemonSets still run and the commands that remove them
// (lab.OthersRunningNote; trainee trial on 32bac4b: exercise start and
// reset never listed them). Each command is written whole on its own line,
// never wrapped. Nothing when the cluster cannot be read (a courtesy).
func writeOthersRunning(ctx context.Context, env Env, conn *kube.Conn, c *exercises.Catalog, ex exercises.Exercise) {
	prog, _ := progress.Read(env.Paths.ProgressFile())
	startedAt := func(id string) time.Time { return prog.Exercises[id].StartedAt }
	rs, err := lab.ListOthersRunning(ctx, conn.Client, c.All(), ex, startedAt)
	if err != nil {
		env.Logger().Warn("list daemonsets after prepare", "err", err)
		return
	}
	if len(rs) == 0 {
		return
	}
	errOut := newTextOut(env, env.Streams.Err, 0)
	errOut.Println("")
	errOut.Println(lab.OthersRunningHead(rs))
	if len(rs) > lab.OthersRunningListMax {
		// Counted, with the one command that removes them all.
		_, _ = io.WriteString(env.Streams.Err, lab.CleanCommand+"\n") // raw: a command to copy, whole
		return
	}
	for _, r := range rs {
		_, _ = io.WriteString(env.Streams.Err, lab.DeleteCommand(r.Ref)+"\n") // raw: a command to copy, whole
	}
}

// writeWorkFileLines prints where the work file is and the command that
// applies it. The command is one unbroken line of its own (issue 12:
// "적용: dslab" / "kubectl apply -f …" was split over two lines), after
// its label when both fit, else under it; the note about the TUI follows
// it when it fits, else on a line of its own.
func writeWorkFileLines(out textOut, path string) {
	const note = "(TUI 에서는 작업 파일을 저장하면 적용됩니다)"
	cmd := "dslab kubectl apply -f " + path
	out.Hanging("작업 파일: ", path)
	fits := func(s string) bool { return out.width <= 0 || ansi.StringWidth(s) <= out.width }
	switch {
	case fits("적용: " + cmd + " " + note):
		out.Println("적용: " + cmd + " " + note)
	case fits("적용: " + cmd):
		_, _ = io.WriteString(out.w, "적용: "+cmd+"\n")
		out.Println(note)
	case fits("  " + cmd):
		out.Println("적용 " + note + ":")
		_, _ = io.WriteString(out.w, "  "+cmd+"\n")
	default:
		// Continued as bash continues a line, the path whole on its own
		// line: a terminal would otherwise break the path inside a word
		// (issue 14: "noexecute-chu" / "rn.yaml" at 80 columns).
		out.Println("적용 " + note + ":")
		_, _ = io.WriteString(out.w, "  dslab kubectl apply -f \\\n    "+path+"\n")
	}
}

func startRecorder(ctx context.Context, env Env, conn *kube.Conn, ex exercises.Exercise, t kube.Target, dir string) error {
	rdir := kube.RecorderDir(dir)
	args := []string{"--dir", rdir, "--namespace", ex.Spec.Target.Namespace, "--name", ex.Spec.Target.Name, "--context", conn.Context, "--exercise", ex.ID}
	if t.Kubeconfig != "" {
		args = append(args, "--kubeconfig", t.Kubeconfig)
	}
	_, exited, err := kube.SpawnRecorder(env.Executable, args, rdir)
	if err != nil {
		return fmt.Errorf("롤아웃 기록기(recorder)를 시작하지 못했습니다: %w", err)
	}
	return kube.WaitRecorderReady(ctx, rdir, exited, 90*time.Second)
}

// recordStart records the start (reset: the reset) of exercise id in
// progress.json.
func recordStart(env Env, id string, reset bool) {
	recordProgress(env, func(s *progress.Store) bool {
		if reset {
			lab.RecordReset(s, id, time.Now())
		} else {
			lab.RecordStart(s, id, time.Now())
		}
		return true
	})
}

// recordProgress changes the learner's progress.json with f and saves it
// when f reports a change; a failure is a Korean note on stderr, never an
// error of the command.
func recordProgress(env Env, f func(*progress.Store) bool) {
	errOut := newTextOut(env, env.Streams.Err, 0)
	store, notice, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		errOut.Printf("참고: 진행 상황을 기록할 수 없습니다: %v\n", err)
		return
	}
	if notice != "" {
		errOut.Println("참고: " + notice)
	}
	if f(store) {
		if err := store.Save(); err != nil {
			errOut.Printf("참고: 진행 상황을 저장하지 못했습니다: %v\n", err)
		}
	}
}

// writeChecks lists the exercise's checks: the ids `dslab grade -o json`
// reports (checks[].id), their titles and points, each title hanging
// after its id and points.
func writeChecks(t textOut, ex exercises.Exercise) {
	t.Printf("\n채점 항목 (%d점):\n", ex.Spec.MaxScore())
	idWidth := 0
	for _, c := range ex.Spec.Checks {
		idWidth = max(idWidth, len(c.ID))
	}
	for _, c := range ex.Spec.Checks {
		t.Hanging(fmt.Sprintf("  %-*s %2d점  ", idWidth, c.ID, c.Points), c.Title)
	}
}

// writeTask prints the exercise's title and task, rendered from their
// markdown (textOut.Markdown), and the commands that go with it (a command
// is never split between two lines). ex is localized (Exercise.Localize).
// unlocked is how many hints the class instructor opened (progress
// HintsUnlocked).
func writeTask(t textOut, ex exercises.Exercise, unlocked int) {
	t.Markdown(fmt.Sprintf("# %d. %s (%s)\n\n%s", ex.Order, ex.Title, ex.ID, strings.TrimSpace(ex.Task)))
	t.Println("")
	items := []string{"관련 강의: dslab lessons show " + ex.Lesson}
	items = append(items, hintItems(ex.ID, unlocked, len(ex.Hints))...)
	t.Items(append(items, "채점: dslab grade "+ex.ID)...)
}

// hintItems are the task's hint commands: --hint 1, or, when the class
// instructor opened hints 1..unlocked, where to read them (exercise show
// prints them, not counted as used) and the next one (issue 12: `exercise
// start gpu-only` said --hint 1 with hints 1–2 opened).
func hintItems(id string, unlocked, total int) []string {
	unlocked = min(unlocked, total)
	if unlocked <= 0 {
		return []string{"힌트: dslab exercise show " + id + " --hint 1"}
	}
	opened := "힌트 1"
	if unlocked > 1 {
		opened = fmt.Sprintf("힌트 1~%d", unlocked)
	}
	items := []string{fmt.Sprintf("강사가 연 %s: dslab exercise show %s", opened, id)}
	if unlocked < total {
		items = append(items, fmt.Sprintf("다음 힌트: dslab exercise show %s --hint %d", id, unlocked+1))
	}
	return items
}

// hintsUnlocked is how many hints of exercise id the class instructor
// opened (progress HintsUnlocked; 0 when the progress cannot be read).
func hintsUnlocked(env Env, id string) int {
	store, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		return 0
	}
	return store.Exercise(id).HintsUnlocked
}

// hintNote is the line `exercise show --hint n` prints after the hints so
// that opening a hint is never recorded silently (issue 14): the hints
// used count is the highest hint number opened in the exercise (not how
// many times hints were opened); an exercise already passed keeps the
// count recorded with its pass, so a hint opened after it is not counted;
// hints the class instructor opened are not the learner's.
func hintNote(e progress.ExerciseProgress, n int) string {
	switch {
	case e.Passed:
		return fmt.Sprintf("참고: 이미 통과한 연습이라 이 힌트는 기록하지 않습니다 (통과 기록의 사용한 힌트는 %d개 그대로입니다).", e.HintsUsed)
	case n <= e.HintsUnlocked:
		return fmt.Sprintf("참고: 힌트 %d 까지는 강사가 열어 준 힌트라 사용한 힌트로 세지 않습니다.", e.HintsUnlocked)
	default:
		return fmt.Sprintf("참고: 힌트를 연 것은 진행 기록에 남습니다: 이 연습에서 힌트를 %d개 썼습니다 (연 힌트 가운데 가장 높은 번호로 세고, 통과하면 점수와 함께 기록됩니다).", max(n, e.HintsUsed))
	}
}

// writeHint prints hint n (markdown) rendered, hanging after "힌트 n: ".
func writeHint(t textOut, n int, hint string) {
	t.MarkdownHanging(fmt.Sprintf("힌트 %d: ", n), hint)
}

func newExerciseShowCommand(env Env) *cobra.Command {
	var hint int
	var cf clusterFlags
	cmd := &cobra.Command{
		Use:               "show [ID]",
		Short:             "연습 문제(한국어)를 보여 줍니다; --hint N 으로 힌트 1~3 (실습 셸에서는 ID 없이 그 연습)",
		Long:              "연습 문제(한국어)를 보여 줍니다; --hint N 으로 힌트 1~3 (실습 셸에서는 ID 없이 그 연습).\n" + exerciseNumberHelp,
		ValidArgsFunction: completeExercises,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 || len(args) == 0 && shellExercise(env) == "" {
				return usageError("연습 ID 하나가 필요합니다 (dslab exercises 로 목록을 봅니다)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{shellExercise(env)}
				chosenNote(env, args[0], "보여 줍니다", hint > 0)
			}
			_, ex, err := loadExercise(args[0])
			if err != nil {
				return err
			}
			ex = ex.Localize(kube.StateName(cf.context))
			if hint < 0 || hint > len(ex.Hints) {
				return badFlagValue("--hint", strconv.Itoa(hint), fmt.Sprintf("이 연습의 힌트는 1 부터 %d 까지입니다", len(ex.Hints)))
			}
			out := newTextOut(env, env.Streams.Out, 0)
			if hint == 0 {
				writeTask(out, ex, hintsUnlocked(env, ex.ID))
				writeChecks(out, ex)
				writeUnlockedHints(env, ex) // class_actions.go
				return nil
			}
			for i := 0; i < hint; i++ {
				writeHint(out, i+1, ex.Hints[i])
			}
			note := ""
			recordProgress(env, func(s *progress.Store) bool {
				before := s.Exercise(ex.ID)
				note = hintNote(before, hint)
				// Hints the instructor opened are not the learner's, and a
				// recorded pass keeps the hint count it was earned with
				// (the TUI's h follows the same rule); every opened hint
				// is still kept as viewed (hintsViewed, which the TUI shows
				// again after a restart), also after a pass.
				counted := lab.RecordOpenedHint(s, ex.ID, hint) == lab.HintRecorded
				return counted || s.Exercise(ex.ID).HintsViewed > before.HintsViewed
			})
			if note != "" {
				env.textErr().Println(note)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&hint, "hint", 0, "힌트를 N번째까지 보여 줍니다 (1~3, 뒤로 갈수록 구체적)")
	cmd.Flags().StringVar(&cf.context, "context", "", "노드 이름을 이 컨텍스트(context)의 클러스터 이름으로 보여 줍니다 (기본: dslab)")
	return cmd
}

func newExerciseSolutionCommand(env Env) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:               "solution <ID>",
		Short:             "참고 답안 매니페스트를 출력합니다 (강사용)",
		Long:              "참고 답안 매니페스트를 출력합니다 (강사용).\n" + exerciseNumberHelp,
		ValidArgsFunction: completeExercises,
		Args:              exactArgs(1, "연습 ID 하나가 필요합니다 (dslab exercises 로 목록을 봅니다)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, ex, err := loadExercise(args[0])
			if err != nil {
				return err
			}
			// A joined student is told the instructor will see it, and
			// the view is recorded (class_solution.go).
			if err := confirmSolution(env, ex.ID, yes); errors.Is(err, errSolutionDeclined) {
				return nil
			} else if err != nil {
				return err
			}
			if err := recordSolutionViewed(env, ex.ID, time.Now()); err != nil {
				env.Logger().Warn("record the solution view", "err", err)
			}
			var before, after []string
			for _, s := range ex.SolutionSteps {
				if s.Before {
					before = append(before, s.Command("dslab"))
				} else {
					after = append(after, s.Command("dslab"))
				}
			}
			if len(before) > 0 {
				fmt.Fprintln(env.Streams.Out, "# 매니페스트를 적용하기 전에:") // raw: YAML comments to copy
				for _, c := range before {
					fmt.Fprintf(env.Streams.Out, "#   %s\n", c) // raw: a command to copy
				}
			}
			env.Streams.Out.Write(ex.Solution) // raw: the manifest
			if len(after) > 0 {
				fmt.Fprintln(env.Streams.Out, "# 매니페스트를 적용한 뒤:") // raw: YAML comments to copy
				for _, c := range after {
					fmt.Fprintf(env.Streams.Out, "#   %s\n", c) // raw: a command to copy
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "수업에 참가한 컴퓨터에서도 묻지 않고 보여 줍니다 (강사에게 보인다는 안내는 나옵니다)")
	return cmd
}

// recorderCommand is the hidden `dslab __recorder` entry point that
// `exercise start rolling-update` runs detached. It records until it gets
// SIGTERM (exercise start/reset stop it) or --for runs out.
func recorderCommand(env Env) *cobra.Command {
	var cf clusterFlags
	var dir, ns, name, exercise string
	var interval, lifetime time.Duration
	cmd := &cobra.Command{
		Use:    "__recorder",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" || ns == "" || name == "" {
				return usageError("__recorder needs --dir, --namespace and --name")
			}
			conn, err := connect(cmd.Context(), env, cf.target())
			if err != nil {
				return err
			}
			r := &kube.Recorder{Client: conn.Client, Namespace: ns, Name: name, Dir: dir, Interval: interval, Until: time.Now().Add(lifetime), Exercise: exercise}
			fmt.Fprintf(env.Streams.Err, "recorder pid %d: %s/%s -> %s\n", os.Getpid(), ns, name, dir) // raw: the detached recorder's log
			return r.Run(cmd.Context())
		},
	}
	cf.add(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "output directory")
	cmd.Flags().StringVar(&ns, "namespace", "", "DaemonSet namespace")
	cmd.Flags().StringVar(&name, "name", "", "DaemonSet name")
	cmd.Flags().StringVar(&exercise, "exercise", "", "exercise id: also publish the recording in the cluster (dslab-system)")
	cmd.Flags().DurationVar(&interval, "interval", grader.DefaultRecorderInterval, "heartbeat interval")
	cmd.Flags().DurationVar(&lifetime, "for", 8*time.Hour, "stop after this long")
	return cmd
}
