package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/text/unicode/norm"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

type gradeOptions struct {
	cluster       clusterFlags
	all           bool
	output        string
	contexts      []string
	kubeconfigDir string
	parallel      int
	snapshotIn    string
	snapshotOut   string
	sort          string
	view          string
	width         int
	// single is set for -o csv on one cluster: a class of one student.
	single bool
	// status is the "클러스터 상태를 읽는 중… 3초" line on a terminal's
	// stderr while a live grade connects, captures and grades.
	status *progressLine
	// classLines holds the class lines of a live grade (submitted to the
	// class server, the instructor's commands applied) until the report is
	// written: they go to stderr after it (the instructor trial on f9ad301
	// read "수업 서버에 제출했습니다: …" above the grade report). Nil: to
	// stderr at once.
	classLines *bytes.Buffer
}

func newGradeCommand(env Env) *cobra.Command {
	var o gradeOptions
	cmd := &cobra.Command{
		Use:   "grade <ID>... | --all",
		Short: "클러스터를 채점합니다 (종료 코드: 0 모두 통과, 1 실패가 있음, 2 채점할 수 없음)",
		Long: "연습의 기대 배치와 클러스터를 노드마다 비교하고, 무엇이 왜 틀렸는지 한국어로 알려 줍니다.\n" +
			"통과하면 통과 기록(스냅숏, 시각, 힌트, 시도 횟수)을 진행 상황과 클러스터(dslab-system 네임스페이스)에 남기고,\n" +
			"이 컴퓨터에도($XDG_DATA_HOME/dslab/records) 남겨 cluster down 뒤의 새 클러스터에서도 셉니다 (이전 클러스터의 기록).\n\n" +
			"연습마다 TUI 와 dslab progress 와 같은 상태와 점수를 냅니다: 통과(기록된 스냅숏을 다시 채점), 진행 중(시도한 연습:\n" +
			"지금 시작한 연습은 현재 상태, 아니면 마지막 시도 기록의 점수), 시작함·시작 전(점수 없음, 10점 만점으로 표시).\n\n" +
			exerciseNumberHelp + "\n\n" +
			"실습 셸(TUI 의 s)에서는 ID 없이 그 연습(DSLAB_EXERCISE)을 채점합니다. 클러스터가 꺼져 있거나 없으면 진행 상황에\n" +
			"기록된 결과를 보여 줍니다 (종료 코드: 모두 통과 기록이 있으면 0, 아니면 2).\n\n" +
			"강사용: --contexts a,b,c (--kubeconfig 와 함께 쓸 수 있음) 또는 --kubeconfig-dir DIR (학생마다 kubeconfig 하나,\n" +
			"파일 이름이 학생 이름)로 여러 클러스터를 한꺼번에 채점해 학생 × 연습 점수표를 출력합니다 (-o text|csv|json|junit).\n\n" +
			"자세한 계약(JSON 스키마, 종료 코드)은 docs/cli.md 에 있습니다.",
		ValidArgsFunction: completeExercises,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGrade(cmd.Context(), env, o, args)
		},
	}
	o.cluster.add(cmd)
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "모든 연습을 채점합니다")
	f.StringVarP(&o.output, "output", "o", "text", "출력 형식: text, json, junit (강사용 점수표는 csv 도)")
	f.StringSliceVar(&o.contexts, "contexts", nil, "강사용: 채점할 컨텍스트(context) 목록 (쉼표로 구분)")
	f.StringVar(&o.kubeconfigDir, "kubeconfig-dir", "", "강사용: 학생별 kubeconfig 파일이 있는 디렉터리")
	f.IntVar(&o.parallel, "parallel", 8, "강사용: 동시에 채점할 클러스터 수")
	f.StringVar(&o.snapshotIn, "snapshot", "", "클러스터 대신 저장된 스냅숏(JSON)을 채점합니다 (--all 은 묶음 파일)")
	f.StringVar(&o.snapshotOut, "save-snapshot", "", "채점한 스냅숏을 JSON 파일로 저장합니다 (연습 하나, 또는 --all 이면 모든 연습의 기록을 한 파일에)")
	f.StringVar(&o.sort, "sort", "name", "강사용: 학생 정렬 순서: name, score(합계 높은 순), passed(통과 많은 순), stuck(막힌 연습 많은 순)")
	f.StringVar(&o.view, "view", "auto", "강사용 text 출력: auto(터미널 폭에 맞춰), table(학생 × 연습 표), student(학생별 목록)")
	f.IntVar(&o.width, "width", 0, "text 출력의 폭(칸). 0 이면 터미널 폭 (터미널이 아니면 COLUMNS, 없으면 80)")
	return cmd
}

func gradeIDs(c *exercises.Catalog, o gradeOptions, args []string) ([]exercises.Exercise, error) {
	if o.all && len(args) > 0 {
		return nil, usageError("--all 과 연습 ID 를 함께 쓸 수 없습니다")
	}
	if !o.all && len(args) == 0 {
		return nil, usageError("채점할 연습 ID 나 --all 이 필요합니다: 클러스터에 지금 시작한 연습이 없습니다 (dslab exercise start <ID> 로 시작하거나 dslab exercises 로 목록을 봅니다)")
	}
	if o.all {
		return c.All(), nil
	}
	var out []exercises.Exercise
	for _, id := range args {
		ex, err := findExercise(c, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

func runGrade(ctx context.Context, env Env, o gradeOptions, args []string) error {
	class := len(o.contexts) > 0 || o.kubeconfigDir != ""
	switch o.output {
	case "text", "json", "junit":
	case "csv":
		if !class {
			// A class of one: the chosen cluster (--context, else the
			// --kubeconfig file's current context, else the lab).
			if o.cluster.context == "" && o.cluster.kubeconfig == "" {
				o.cluster.context = kube.LabContexts[0]
				if conn, err := connect(ctx, env, o.cluster.target()); err == nil {
					o.cluster.context = conn.Context
				}
			}
			o.single, class = true, true
		}
	default:
		return badFlagValue("--output(-o)", o.output, "text, json, junit, csv 중 하나를 쓰세요")
	}
	switch o.sort {
	case "name", "score", "passed", "stuck":
	default:
		return badFlagValue("--sort", o.sort, "name, score, passed, stuck 중 하나를 쓰세요")
	}
	switch o.view {
	case "auto", "table", "student":
	default:
		return badFlagValue("--view", o.view, "auto, table, student 중 하나를 쓰세요")
	}
	if class && o.cluster.context != "" && !o.single {
		return usageError("--contexts/--kubeconfig-dir 와 --context 는 함께 쓸 수 없습니다 (--contexts 에 모두 적으세요)")
	}
	if o.kubeconfigDir != "" && o.cluster.kubeconfig != "" {
		return usageError("--kubeconfig-dir 와 --kubeconfig 는 함께 쓸 수 없습니다")
	}
	if len(o.contexts) > 0 && o.kubeconfigDir != "" {
		return usageError("--contexts 와 --kubeconfig-dir 중 하나만 쓰세요")
	}
	c, err := loadCatalog()
	if err != nil {
		return err
	}
	if id := shellExercise(env); id != "" && len(args) == 0 && !o.all && !class {
		args = []string{id}
		chosenNote(env, id, "채점합니다", false)
	} else if len(args) == 0 && !o.all && !class && o.snapshotIn == "" {
		// Outside the lab shell: the exercise started on the cluster
		// (dslab-current), as the lab shell would.
		id, connErr := currentExercise(ctx, env, o.cluster.target())
		if id != "" {
			args = []string{id}
			env.textErr().Printf("연습 ID 를 적지 않아 지금 시작한 연습 %s %s 채점합니다 (이 클러스터에서 마지막으로 시작한 연습)\n", id, hangul.EulReul(id))
		} else if connErr != nil && o.cluster.ownLab(env.Paths) {
			// No cluster: the cause is that, not a missing start (issue 14);
			// a stopped cluster says so first, as the TUI does.
			var down *labDownError
			if errors.As(connErr, &down) {
				return usageError("%s\n그래서 지금 시작한 연습을 알 수 없습니다: 채점할 연습 ID 나 --all 을 주세요 — dslab grade <ID> 나 dslab grade --all 은 진행 상황에 기록된 결과를 보여 줍니다\n(연결 오류: %s)", down.Korean(), down.detail)
			}
			return usageError("채점할 연습 ID 나 --all 이 필요합니다: 클러스터에 연결할 수 없어 지금 시작한 연습을 알 수 없습니다 — dslab grade <ID> 나 dslab grade --all 은 진행 상황에 기록된 결과를 보여 줍니다 (클러스터 시작: dslab cluster up)\n연결 오류: %w", connErr)
		}
	}
	exs, err := gradeIDs(c, o, args)
	if err != nil {
		return err
	}
	if class && (o.snapshotOut != "" || o.snapshotIn != "") {
		return usageError("--snapshot/--save-snapshot 은 강사용 점수표에서는 쓰지 않습니다: 학생 한 명씩 --kubeconfig 로 저장하세요")
	}
	if o.snapshotOut != "" && len(exs) != 1 && !o.all {
		return usageError("--save-snapshot 은 연습 하나, 또는 --all 과 함께 씁니다")
	}
	if o.snapshotIn != "" && o.snapshotOut != "" {
		return usageError("--snapshot 과 --save-snapshot 은 함께 쓸 수 없습니다")
	}
	if class {
		return runClassGrade(ctx, env, o, exs)
	}
	var results []grader.Result
	if o.snapshotIn == "" {
		o.status = stderrProgress(env)
		defer o.status.Done()
	}
	// The class lines after the report and its next-exercise line.
	o.classLines = new(bytes.Buffer)
	defer flushClassLines(env, o.classLines)
	switch {
	case o.all:
		results, err = gradeAll(ctx, env, o, exs)
	case o.snapshotIn != "":
		results, err = gradeSnapshotFile(o.snapshotIn, exs)
	default:
		results, err = gradeLive(ctx, env, o, exs)
	}
	o.status.Done() // erased before the result
	if err != nil && o.snapshotIn == "" && o.snapshotOut == "" && o.cluster.ownLab(env.Paths) && isConnectError(err) {
		// The lab cluster is down or gone: the records still say what
		// passed (gradeoffline.go).
		results, allPassed := offlineResults(env, exs, err)
		if err := writeResults(env, o.output, o.width, results); err != nil {
			return err
		}
		return offlineError(allPassed)
	}
	if err != nil {
		return err
	}
	if err := writeResults(env, o.output, o.width, results); err != nil {
		return err
	}
	for _, r := range results {
		if !r.Passed {
			return &ExitError{Code: ExitFailure, Err: errors.New("")}
		}
	}
	if o.output == "text" && !o.all && o.snapshotIn == "" && len(results) == 1 && o.cluster.ownLab(env.Paths) {
		prog, _ := progress.Read(env.Paths.ProgressFile())
		passed := func(id string) bool { return id == results[0].Exercise || prog.Exercises[id].Passed }
		newTextOut(env, env.Streams.Out, o.width).Println(nextExerciseLine(exercises.InClass(c.All(), classExerciseIDs(env)), len(classExerciseIDs(env)) > 0, results[0].Exercise, passed))
	}
	return nil
}

// nextExerciseLine is the suggestion after current passed: the exercise
// exercises.NextUnpassed names (the one the TUI's n opens: after current
// in course order, skipping passed ones), "다음 연습: gpu-only — 제목
// (dslab exercise start gpu-only)", or that every exercise is passed
// (inClass: every one of the class's exercises, exs being the class's).
func nextExerciseLine(exs []exercises.Exercise, inClass bool, current string, passed func(id string) bool) string {
	if ex, ok := exercises.NextUnpassed(exs, current, passed); ok {
		return fmt.Sprintf("다음 연습: %s — %s (dslab exercise start %s)", ex.ID, ex.Title, ex.ID)
	}
	if inClass {
		return "수업의 연습을 모두 통과했습니다 (dslab progress 로 기록을 봅니다)"
	}
	return "모든 연습을 통과했습니다 (dslab progress 로 기록을 봅니다)"
}

// classExerciseIDs is the class's exercise list saved in the learner's
// class credentials (nil when not in a class or the credentials cannot be
// read): the next-exercise suggestion picks from it (issue 12).
func classExerciseIDs(env Env) []string {
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil || creds == nil {
		return nil
	}
	return creds.Exercises
}

// currentExercise is the exercise started on the cluster t (the
// dslab-current record, kube.LoadCurrent), "" when none is or the cluster
// cannot be read. connErr is the kube.Connect error when the cluster
// cannot be reached at all (no context, refused), else nil.
func currentExercise(ctx context.Context, env Env, t kube.Target) (id string, connErr error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := kube.Connect(cctx, env.Paths.Kubeconfigs, t)
	if err != nil {
		return "", explainLabDown(ctx, env, t, err)
	}
	cur, err := kube.LoadCurrent(cctx, conn.Client)
	if err != nil || cur == nil {
		return "", nil
	}
	return cur.Exercise, nil
}

// gradeLive grades the exercises on the cluster. The exercise currently
// started (dslab-current) is graded as the cluster is now, and the
// learner's own grades are recorded (progress; a pass as in-cluster
// evidence, a failing grade as its attempt record). Any other exercise is
// graded from its evidence — the recorded pass, else the last recorded
// attempt, else not started — because the cluster now holds another
// exercise's setup (issue 15). A cluster on which no exercise was ever
// started is graded as it is now.
func gradeLive(ctx context.Context, env Env, o gradeOptions, exs []exercises.Exercise) ([]grader.Result, error) {
	o.status.Set("클러스터에 연결하는 중…")
	conn, err := connect(ctx, env, o.cluster.target())
	if err != nil {
		return nil, err
	}
	o.status.Set("클러스터 상태를 읽는 중…")
	cur, err := kube.LoadCurrent(ctx, conn.Client)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
	}
	var live []exercises.Exercise
	var b kube.Bundle
	for _, ex := range exs {
		if cur == nil || cur.Exercise == ex.ID {
			live = append(live, ex)
		} else if b.Passes == nil {
			if b.Passes, b.Attempts, err = loadRecords(ctx, env, conn, o.cluster.ownLab(env.Paths)); err != nil {
				return nil, &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
			}
		}
	}
	var snaps []grader.Snapshot
	if len(live) > 0 {
		if snaps, err = captureFor(ctx, conn, live, localState{env: env, name: kube.StateName(conn.Context)}); err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
		}
	}
	o.status.Done() // warnings go to stderr below
	for _, ex := range exs {
		warnLeftovers(ctx, env, conn.Client, ex, false)
	}
	rec := passRecorder{}
	if o.cluster.ownLab(env.Paths) {
		rec = newPassRecorder(env, conn)
		if cur != nil {
			rec.current = cur.Exercise
		}
	}
	var results []grader.Result
	var saved *grader.Snapshot
	li := 0
	for _, ex := range exs {
		if cur == nil || cur.Exercise == ex.ID {
			r := grader.Grade(ex.Spec, snaps[li])
			rec.record(ctx, ex, r, snaps[li], time.Now())
			if cur != nil && rec.store != nil {
				// The learner's own lab: the exercise's one state and score
				// (progress.StandingOf, as the TUI header, dslab progress and
				// grade --all say them) — 진행 중 rather than 미통과 for an
				// attempt that does not pass yet, 시작함 with no score when
				// nothing was attempted (issue 14).
				p := withLocalAttempt(env, ex.ID, rec.progressOf(ex.ID))
				r = standingResult(ex, r, progress.StandingOf(p, true, false, r.Current(), ex.Spec.MaxScore()))
			}
			r.LastApplyFailure = lastApplyFailure(ctx, rec.store, conn, ex) // gradeapply.go
			if n := earlierPassNote(r, rec.progressOf(ex.ID)); n != "" {
				r.Notes = append(r.Notes, n)
			}
			results = append(results, r)
			saved = &snaps[li]
			li++
			continue
		}
		out := gradeBundle([]exercises.Exercise{ex}, b)[0]
		r := outcomeResult(ex, out)
		if rec.store != nil {
			p := withLocalAttempt(env, ex.ID, rec.progressOf(ex.ID))
			r = stateResult(ex, p, !preparedAt(env, kube.StateName(conn.Context), ex.ID).IsZero(), out, r)
		}
		r.Notes = append([]string{fmt.Sprintf("지금 시작한 연습은 %s 입니다: 연습 %s %s 지금의 클러스터가 아니라 기록으로 채점했습니다", cur.Exercise, ex.ID, hangul.EunNeun(ex.ID))}, r.Notes...)
		results = append(results, r)
		switch {
		case out.PassedAt != nil:
			s := b.Passes[ex.ID].Snapshot
			saved = &s
		case out.AttemptedAt != nil:
			s := b.Attempts[ex.ID].Snapshot
			saved = &s
		default:
			saved = nil
		}
	}
	if o.snapshotOut != "" {
		if saved == nil {
			return nil, usageError("연습 %s %s 시작 전이라 저장할 스냅숏이 없습니다", exs[0].ID, hangul.EunNeun(exs[0].ID))
		}
		if err := writeJSONFile(o.snapshotOut, *saved); err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
	}
	if o.cluster.ownLab(env.Paths) {
		// Only what was graded live is this lab's evidence now: the
		// others were graded from records the server already has (and
		// snaps holds one snapshot per live exercise, not per exs).
		w := o.classWriter(env)
		submitGrades(ctx, env, o.output, live, snaps, w)
		applyClassCommands(ctx, env, w) // class_actions.go
	}
	return results, nil
}

// gradeAll grades every exercise by its status (gradeBundle), from the
// cluster or from a bundle file.
func gradeAll(ctx context.Context, env Env, o gradeOptions, exs []exercises.Exercise) ([]grader.Result, error) {
	var b kube.Bundle
	if o.snapshotIn != "" {
		bp, _, err := readGradeInput(o.snapshotIn)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		if bp == nil {
			return nil, usageError("--all --snapshot 에는 dslab grade --all --save-snapshot 으로 저장한 묶음 파일이 필요합니다 (%s %s 연습 하나의 스냅숏입니다)", o.snapshotIn, hangul.EunNeun(o.snapshotIn))
		}
		b = *bp
	} else {
		o.status.Set("클러스터에 연결하는 중…")
		conn, err := connect(ctx, env, o.cluster.target())
		if err != nil {
			return nil, err
		}
		o.status.Set(fmt.Sprintf("클러스터 상태를 읽는 중… 연습 %d개", len(exs)))
		b, err = captureBundle(ctx, conn, exs, localState{env: env, name: kube.StateName(conn.Context), own: o.cluster.ownLab(env.Paths)})
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
		}
		if o.cluster.ownLab(env.Paths) && b.Live != nil {
			for _, ex := range exs {
				if ex.ID == b.Current.Exercise {
					rec := newPassRecorder(env, conn)
					rec.current = ex.ID
					rec.record(ctx, ex, grader.Grade(ex.Spec, *b.Live), *b.Live, time.Now())
				}
			}
		}
		if o.snapshotOut != "" {
			if err := writeJSONFile(o.snapshotOut, b); err != nil {
				return nil, &ExitError{Code: ExitUsage, Err: err}
			}
		}
	}
	// One exercise at a time, so that the status line names the one being
	// graded (gradeBundle grades each exercise on its own).
	own := o.snapshotIn == "" && o.cluster.ownLab(env.Paths)
	var prog progress.File
	if own {
		prog, _ = progress.Read(env.Paths.ProgressFile())
	}
	var results []grader.Result
	for i, ex := range exs {
		o.status.Set(gradeCounter(i+1, len(exs), ex.ID))
		out := gradeBundle([]exercises.Exercise{ex}, b)[0]
		r := outcomeResult(ex, out)
		if own {
			p := withLocalAttempt(env, ex.ID, prog.Exercises[ex.ID])
			r = stateResult(ex, p, !preparedAt(env, kube.StateName(b.Context), ex.ID).IsZero(), out, r)
		}
		results = append(results, r)
	}
	return results, nil
}

// stateResult makes the result r of outcome out of the learner's own lab
// say the exercise's one state and score (progress.StandingOf over p,
// prepared on the lab cluster or not, with r's score as the current one
// when out has a grade — as `dslab progress`, `dslab exercises` and the
// TUI say them):
//   - passed (통과) where the cluster has no pass: the live grade of the
//     exercise started now with the pass kept beside it ("통과 · 지금
//     5/10점"), else passed on a cluster whose records are gone, from
//     progress.json (progressPassResult);
//   - started (시작함): prepared, no attempt — no score, and a recorded
//     grade is not the learner's attempt, so it is not re-graded (the live
//     grade of the exercise started now keeps its checks, listed as not
//     graded yet);
//   - in progress (진행 중): the live grade or the re-graded attempt with
//     its score (not 미통과), or with nothing to grade, score 0, saying so.
//
// Any other r is returned as it is.
func stateResult(ex exercises.Exercise, p progress.ExerciseProgress, prepared bool, out exerciseOutcome, r grader.Result) grader.Result {
	if out.Status == statusPassed {
		return r
	}
	var current *int
	if out.Result != nil {
		current = r.Current()
	}
	sd := progress.StandingOf(p, prepared, false, current, ex.Spec.MaxScore())
	empty := grader.Result{Exercise: ex.ID, Title: ex.Title, MaxScore: ex.Spec.MaxScore(), Checks: []grader.CheckResult{}}
	switch sd.State {
	case progress.StatePassed:
		if out.StartedAt != nil {
			r = standingResult(ex, r, sd)
			if n := earlierPassNote(r, p); n != "" {
				r.Notes = append(r.Notes, n)
			}
			return r
		}
		return progressPassResult(ex, p, progressPassNote)
	case progress.StateStarted:
		if out.StartedAt != nil {
			return standingResult(ex, r, sd)
		}
		empty.Status = grader.StatusStarted
		empty.Notes = []string{"시작함: 연습을 준비했지만 아직 적용한 것(시도)이 없습니다 (이어서 하려면 dslab exercise start " + ex.ID + ")"}
		return empty
	case progress.StateInProgress:
		if out.Status == statusNotStarted {
			empty.Status = grader.StatusInProgress
			// The attempts are counted in progress.json; what is missing is
			// the cluster's record of the last one (issue 14 said both "3번
			// 시도했지만" and "시도 기록도 남지 않았습니다").
			counted := "진행 기록(progress)에는 진행 중으로 남아 있지만"
			if p.Attempts > 0 {
				counted = fmt.Sprintf("시도 %d번이 진행 기록(progress)에 남아 있지만", p.Attempts)
			}
			empty.Notes = []string{fmt.Sprintf("진행 중: %s, 다시 채점할 마지막 시도의 클러스터 상태(시도 기록)는 이 클러스터에 없습니다 — 지금 시작한 연습이 아닙니다 (이어서 하려면 dslab exercise start %s)", counted, ex.ID)}
			return empty
		}
		return standingResult(ex, r, sd)
	}
	return r
}

// standingResult makes r, a grade of the learner's own lab, say the
// exercise's standing sd (progress.StandingOf), the one state and score
// every screen shows: its status is the state (the state values are
// grader's Status values), its score the standing's — 0 without one
// (시작함, 시작 전; the checks are then listed as not graded yet), the
// live score beside a pass kept ("통과 · 지금 5/10점"). A grade that found
// nothing of an exercise under way or passed says its DaemonSet is not in
// the cluster now (inProgressResult, grader.AbsentTargetNote) rather than
// "시작 전". Passed stays the
// grade's own verdict (the exit code: does the cluster pass now).
func standingResult(ex exercises.Exercise, r grader.Result, sd progress.Standing) grader.Result {
	if (r.Status == grader.StatusNotStarted || r.NothingGraded) && (sd.State == progress.StateInProgress || sd.State == progress.StatePassed) {
		r = inProgressResult(ex, r, sd.State == progress.StatePassed, sd.State == progress.StateInProgress)
	}
	r.Status = string(sd.State)
	switch {
	case !sd.HasScore:
		r.Score = 0
	case sd.Now != nil:
		r.Score = *sd.Now
	default:
		r.Score = sd.Score
	}
	return r
}

// earlierPassNote is the note of a live grade r that does not pass while
// the learner's progress p keeps a pass of the exercise (earned earlier,
// maybe on a cluster since deleted), as the TUI's "기록: ✓ 통과 10/10"
// says it; "" when r passes or p has no pass.
func earlierPassNote(r grader.Result, p progress.ExerciseProgress) string {
	if r.Passed || !p.Passed {
		return ""
	}
	maxScore := p.MaxScore
	if maxScore == 0 {
		maxScore = r.MaxScore
	}
	when := ""
	if !p.PassedAt.IsZero() {
		when = " (" + p.PassedAt.Local().Format("2006-01-02 15:04") + ")"
	}
	return fmt.Sprintf("이전 통과 기록 %d/%d%s — 통과는 진행 상황에 남아 있고, 아래는 지금 클러스터의 채점입니다", p.Score, maxScore, when)
}

// gradeCounter is the status line's text while exercise id, the i-th of
// n, is graded: "연습 3/12 · gpu-only 채점 중" (progressLine adds " · 4초").
func gradeCounter(i, n int, id string) string {
	return fmt.Sprintf("연습 %d/%d · %s 채점 중", i, n, id)
}

// gradeSnapshotFile grades named exercises from a saved file: one
// exercise's snapshot (refused when it was captured for another exercise)
// or a bundle (each exercise from its recorded pass or the live state).
func gradeSnapshotFile(path string, exs []exercises.Exercise) ([]grader.Result, error) {
	b, snap, err := readGradeInput(path)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	if b == nil {
		if len(exs) != 1 {
			return nil, usageError("--snapshot 은 연습 하나를 채점할 때만 씁니다 (모든 연습은 --all 과 묶음 파일)")
		}
		if id := snapshotExercise(snap); id != "" && id != exs[0].ID {
			return nil, usageError("스냅숏 %s %s 연습 %s %s 채점할 때 저장한 것이라 연습 %s %s 채점할 수 없습니다 (dslab grade %s --snapshot %s)", path, hangul.EunNeun(path), id, hangul.EulReul(id), exs[0].ID, hangul.EuroRo(exs[0].ID), id, path)
		}
		return []grader.Result{grader.Grade(exs[0].Spec, snap)}, nil
	}
	var results []grader.Result
	for _, ex := range exs {
		if ev, ok := b.Passes[ex.ID]; ok {
			results = append(results, grader.Grade(ex.Spec, ev.Snapshot))
			continue
		}
		if b.Current != nil && b.Current.Exercise == ex.ID && b.Live != nil {
			results = append(results, grader.Grade(ex.Spec, *b.Live))
			continue
		}
		results = append(results, outcomeResult(ex, exerciseOutcome{Exercise: ex.ID, MaxScore: ex.Spec.MaxScore(), Status: statusNotStarted}))
	}
	return results, nil
}

// writeResults writes the results in format; text wraps to width cells
// (0: the terminal's, see textWidth).
func writeResults(env Env, format string, width int, results []grader.Result) error {
	switch format {
	case "json":
		return grader.WriteJSON(env.Streams.Out, results)
	case "junit":
		return grader.WriteJUnit(env.Streams.Out, results)
	}
	return writeGradeText(newTextOut(env, env.Streams.Out, width), results, env.Paths)
}

// localState says where a learner's own baselines and recordings are; an
// instructor grading students' clusters has none (zero value).
type localState struct {
	env  Env
	name string
	// own is set for the learner's own lab cluster: the learner's local
	// records (kube.LocalRecords) count along with the cluster's.
	own bool
}

// captureFor captures the cluster once and returns one snapshot per
// exercise, each with its baseline (state dir, else in-cluster copy, else
// derived from the lab topology) and, for rolling-update, its recording.
func captureFor(ctx context.Context, conn *kube.Conn, exs []exercises.Exercise, st localState) ([]grader.Snapshot, error) {
	var targets []grader.ObjectRef
	for _, ex := range exs {
		targets = append(targets, ex.Spec.Target)
	}
	base, err := kube.Capture(ctx, conn.Client, kube.CaptureOptions{Targets: targets, Context: conn.Context})
	if err != nil {
		return nil, fmt.Errorf("클러스터 상태를 읽을 수 없습니다: %w", err)
	}
	out := make([]grader.Snapshot, len(exs))
	for i, ex := range exs {
		s := base
		var dir string
		if st.name != "" {
			dir = kube.ExerciseDir(st.env.Paths, st.name, ex.ID)
			b, err := kube.LoadBaseline(kube.BaselineFile(dir))
			if err != nil {
				return nil, err
			}
			s.Baseline = b
		}
		if s.Baseline == nil {
			if b, err := kube.LoadBaselineFromCluster(ctx, conn.Client, ex.ID); err == nil && b != nil {
				s.Baseline = b
			}
		}
		if s.Baseline == nil {
			s.Baseline = kube.TopologyBaseline(ex, s.Nodes)
		}
		if ex.Setup.Recorder && dir != "" {
			rec, err := kube.ReadRecording(kube.RecorderDir(dir))
			if err != nil {
				return nil, fmt.Errorf("롤아웃 기록을 읽을 수 없습니다: %w", err)
			}
			s.Rollout = rec
		}
		if ex.Setup.Recorder && s.Rollout == nil {
			// A grader on another machine reads what the recorder published
			// in the cluster.
			rec, err := kube.LoadRecordingFromCluster(ctx, conn.Client, ex.ID)
			if err != nil {
				return nil, err
			}
			s.Rollout = rec
		}
		out[i] = s
	}
	return out, nil
}

func readSnapshot(path string) (grader.Snapshot, error) {
	var s grader.Snapshot
	data, err := readFileKorean("스냅숏", path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, jsonErrorKorean("스냅숏", path, data, err)
	}
	if s.Version > grader.SnapshotVersion {
		return s, fmt.Errorf("스냅숏 버전 %d %s 이 dslab(버전 %d 까지)보다 새롭습니다: dslab 을 업데이트하세요", s.Version, hangul.EunNeun(strconv.Itoa(s.Version)), grader.SnapshotVersion)
	}
	// A snapshot always has its version and the cluster's nodes; a file
	// without them (e.g. {}) is not one and would grade as "not started".
	if s.Version < 1 || len(s.Nodes) == 0 {
		return s, fmt.Errorf("%s %s dslab 스냅숏이 아닙니다: version 과 nodes 가 있어야 합니다 (dslab grade <연습> --save-snapshot 으로 저장한 파일을 쓰세요; version=%d, 노드 %d개)", path, hangul.EunNeun(path), s.Version, len(s.Nodes))
	}
	return s, nil
}

func writeJSONFile(path string, s any) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("스냅숏을 저장할 수 없습니다: %w", err)
	}
	return nil
}

// student is one cluster of a class.
type student struct {
	name   string
	source string
	target kube.Target
}

// isKubeconfigName reports whether a file of --kubeconfig-dir is a
// kubeconfig by its name: *.yaml, *.yml, *.conf, or no extension (kubectl's
// own "config"); backups (*.bak, *~, .#*, *.orig, *.swp) and documents are not.
func isKubeconfigName(name string) (ok, byContent bool) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"), strings.HasSuffix(name, "~"):
		return false, false
	}
	switch filepath.Ext(lower) {
	case ".yaml", ".yml", ".conf", ".kubeconfig":
		return true, false
	case "":
		return true, true // decide by content
	}
	return false, false
}

// looksLikeKubeconfig reports whether data is a kubeconfig (kind: Config
// with clusters or contexts).
func looksLikeKubeconfig(data []byte) bool {
	cfg, err := clientcmd.Load(data)
	return err == nil && (len(cfg.Contexts) > 0 || len(cfg.Clusters) > 0)
}

// studentName is a roster name: the file name without its extension,
// NFC-normalised (macOS keeps Hangul file names decomposed, NFD).
func studentName(file string) string {
	name := file
	if ext := filepath.Ext(file); ext != "" && ext != file {
		name = strings.TrimSuffix(file, ext)
	}
	return norm.NFC.String(name)
}

func classStudents(o gradeOptions) ([]student, error) {
	var out []student
	if o.single {
		t := o.cluster.target()
		name, src := t.Context, "context "+t.Context
		if t.Kubeconfig != "" {
			src = t.Kubeconfig
			if name == "" {
				name = studentName(filepath.Base(t.Kubeconfig))
			} else {
				src += " context " + t.Context
			}
		}
		return []student{{name: norm.NFC.String(name), source: src, target: t}}, nil
	}
	for _, c := range o.contexts {
		if c = strings.TrimSpace(c); c != "" {
			src := "context " + c
			if o.cluster.kubeconfig != "" {
				src = o.cluster.kubeconfig + " context " + c
			}
			out = append(out, student{name: norm.NFC.String(c), source: src, target: kube.Target{Kubeconfig: o.cluster.kubeconfig, Context: c}})
		}
	}
	if o.kubeconfigDir != "" {
		entries, err := os.ReadDir(o.kubeconfigDir)
		if err != nil {
			return nil, usageError("kubeconfig 디렉터리를 읽을 수 없습니다: %v", err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			ok, byContent := isKubeconfigName(e.Name())
			if !ok {
				continue
			}
			path := filepath.Join(o.kubeconfigDir, e.Name())
			if byContent {
				data, err := os.ReadFile(path)
				if err != nil || !looksLikeKubeconfig(data) {
					continue
				}
			}
			out = append(out, student{name: studentName(e.Name()), source: path, target: kube.Target{Kubeconfig: path}})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	}
	if len(out) == 0 {
		return nil, usageError("채점할 학생 클러스터가 없습니다 (--contexts 가 비었거나 디렉터리에 kubeconfig 파일(*.yaml, *.yml, *.conf)이 없습니다)")
	}
	return out, nil
}

// runClassGrade grades many clusters in parallel. An unreachable cluster
// is a row with the reason, never an abort.
func runClassGrade(ctx context.Context, env Env, o gradeOptions, exs []exercises.Exercise) error {
	students, err := classStudents(o)
	if err != nil {
		return err
	}
	rows := make([]studentRow, len(students))
	workers := max(1, o.parallel)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	progress := progressPrinter(newTextOut(env, env.Streams.Err, 0))
	var mu sync.Mutex
	for i, s := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := gradeStudent(ctx, env, s, exs)
			mu.Lock()
			rows[i] = r
			if r.Error != nil {
				progress(fmt.Sprintf("%s: 채점 불가", s.name))
			} else {
				progress(fmt.Sprintf("%s: %d/%d점", s.name, *r.Score, *r.MaxScore))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	report := buildClassReport(exs, rows, time.Now())
	sortStudents(report.Students, o.sort)
	switch o.output {
	case "csv":
		err = writeClassCSV(env.Streams.Out, report)
	case "json":
		err = writeClassJSON(env.Streams.Out, report)
	case "junit":
		err = writeClassJUnit(env.Streams.Out, report)
	default:
		err = writeClassText(env.Streams.Out, report, o.view, textWidth(env, env.Streams.Out, o.width))
	}
	if err != nil {
		return err
	}
	graded, perfect := 0, true
	for _, s := range report.Students {
		if s.Error == nil {
			graded++
		}
		if s.Error != nil || *s.Score != *s.MaxScore {
			perfect = false
		}
	}
	switch {
	case graded == 0:
		return &ExitError{Code: ExitUsage, Err: errors.New("어느 클러스터도 채점하지 못했습니다")}
	case !perfect:
		return &ExitError{Code: ExitFailure, Err: errors.New("")}
	}
	return nil
}

// gradeStudent grades one student's cluster on every exercise by status
// (recorded passes re-graded, the started exercise live, the rest not
// started); it never writes to the student's cluster.
func gradeStudent(ctx context.Context, env Env, s student, exs []exercises.Exercise) studentRow {
	r := studentRow{Student: s.name, Source: s.source}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, s.target)
	if err != nil {
		msg := explainForbidden(err).Error()
		r.Error = &msg
		return r
	}
	b, err := captureBundle(ctx, conn, exs, localState{})
	if err != nil {
		msg := explainForbidden(err).Error()
		r.Error = &msg
		return r
	}
	r.Exercises = gradeBundle(exs, b)
	r.totals()
	return r
}

// classWriter is where a live grade's class lines go: o.classLines,
// wrapped to stderr's width, or stderr itself when there is no buffer.
func (o gradeOptions) classWriter(env Env) io.Writer {
	if o.classLines == nil {
		return env.Streams.Err
	}
	return o.classLines
}

// flushClassLines writes the class lines held back (gradeOptions.
// classLines) to stderr, once.
func flushClassLines(env Env, b *bytes.Buffer) {
	if b == nil || b.Len() == 0 {
		return
	}
	_, _ = env.Streams.Err.Write(b.Bytes())
	b.Reset()
}
