package app

import (
	"errors"
	"fmt"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// ShellExerciseEnv names the environment variable the lab shell sets to the
// exercise the cluster is set up for (internal/lab.ShellCommand): inside
// that shell `dslab grade` and `dslab exercise show` need no ID.
const ShellExerciseEnv = "DSLAB_EXERCISE"

// shellExercise is the exercise of the lab shell ($DSLAB_EXERCISE), or ""
// outside it. When it is set, the caller uses it for a missing ID and says so
// on stderr with chosenNote.
func shellExercise(env Env) string {
	if env.Getenv == nil {
		return ""
	}
	return env.Getenv(ShellExerciseEnv)
}

// chosenNote tells on stderr which exercise a command without an ID chose:
// "연습 ID 를 적지 않아 실습 셸의 연습 gpu-only 를 채점합니다 (DSLAB_EXERCISE)";
// hint says "연습 gpu-only 의 힌트를 보여 줍니다" instead of id + 을/를 + verb.
func chosenNote(env Env, id, verb string, hint bool) {
	what := id + " " + hangul.EulReul(id) + " " + verb
	if hint {
		what = id + " 의 힌트를 보여 줍니다"
	}
	env.textErr().Printf("연습 ID 를 적지 않아 실습 셸의 연습 %s (%s)\n", what, ShellExerciseEnv)
}

// offlineResults grades exs from the learner's progress.json when the lab
// cluster cannot be reached (connectErr, a *kube.ConnectError): a recorded
// pass is shown as passed with its recorded score and time, anything else
// as not graded (not started, or started and not passed). ok reports that
// every exercise has a recorded pass. The Korean note and the connection
// error go to stderr.
func offlineResults(env Env, exs []exercises.Exercise, connectErr error) (results []grader.Result, ok bool) {
	prog, err := progress.Read(env.Paths.ProgressFile())
	if err != nil {
		env.textErr().Printf("참고: 진행 상황을 읽을 수 없습니다: %v\n", err)
	}
	if down := (*labDownError)(nil); errors.As(connectErr, &down) {
		// The runtime says why first (중지됨), as the TUI does.
		env.textErr().Printf("%s\n지금 상태는 채점할 수 없어 진행 상황(progress.json)에 기록된 결과를 보여 줍니다.\n(연결 오류: %s)\n", down.Korean(), down.detail)
	} else {
		env.textErr().Printf("클러스터에 연결할 수 없어 지금 상태는 채점할 수 없습니다. 진행 상황(progress.json)에 기록된 결과를 보여 줍니다.\n연결 오류: %v\n", connectErr)
	}
	ok = true
	for _, ex := range exs {
		p := prog.Exercises[ex.ID]
		r := grader.Result{Exercise: ex.ID, Title: ex.Title, MaxScore: ex.Spec.MaxScore(), Checks: []grader.CheckResult{}}
		// One exercise state and score everywhere (progress.StandingOf):
		// only opened is 시작함 (no score), attempted is 진행 중 with its
		// best score, as dslab progress says.
		sd := progress.StandingOf(p, false, false, nil, ex.Spec.MaxScore())
		switch sd.State {
		case progress.StatePassed:
			r = progressPassResult(ex, p, "클러스터 없이 진행 상황의 통과 기록%s으로 보여 줍니다: 항목별 결과는 클러스터를 켠 뒤 다시 채점하면 나옵니다")
		case progress.StateNotStarted:
			ok = false
			r = standingResult(ex, r, sd)
			r.Notes = []string{"시작 전: 통과 기록이 없습니다 (시작: dslab exercise start " + ex.ID + ")"}
		default:
			ok = false
			r = standingResult(ex, r, sd)
			r.Notes = []string{"통과 기록이 없고 클러스터에 연결할 수 없어 채점하지 못했습니다: 클러스터를 켠 뒤(dslab cluster up) dslab grade " + ex.ID + " " + hangul.EuroRo(ex.ID) + " 채점하세요"}
		}
		results = append(results, r)
	}
	return results, ok
}

// progressPassResult is the result of an exercise whose pass only
// progress.json records (no snapshot to re-grade): passed with the
// recorded score (full marks when none), and note, a format whose %s is
// " (2026-11-30 16:31)" (the pass time) or "".
func progressPassResult(ex exercises.Exercise, p progress.ExerciseProgress, note string) grader.Result {
	r := grader.Result{Exercise: ex.ID, Title: ex.Title, MaxScore: ex.Spec.MaxScore(), Checks: []grader.CheckResult{},
		Score: p.Score, Status: grader.StatusPassed, Passed: true}
	if r.Score == 0 || r.Score > r.MaxScore {
		r.Score = r.MaxScore
	}
	when := ""
	if !p.PassedAt.IsZero() {
		when = " (" + p.PassedAt.Local().Format("2006-01-02 15:04") + ")"
	}
	r.Notes = []string{fmt.Sprintf(note, when)}
	return r
}

// progressPassNote is the note of a pass that only progress.json
// records, in `grade --all` with a cluster (progressPassResult).
const progressPassNote = "이전 클러스터의 기록: 진행 상황(progress.json)의 통과 기록%s으로 셉니다 (그 클러스터와 함께 스냅숏이 지워져 항목별 결과는 없습니다)"

// isConnectError reports whether err is a failure to reach the cluster
// (kube.ConnectError), not a failure of the grade itself.
func isConnectError(err error) bool {
	var ce *kube.ConnectError
	return errors.As(err, &ce)
}

// offlineError is the error of a grade without the cluster (docs/cli.md):
// nil (exit code 0) when every exercise asked for has a recorded pass, else
// exit code 2, "could not grade".
func offlineError(ok bool) error {
	if ok {
		return nil
	}
	return &ExitError{Code: ExitUsage, Err: errors.New("클러스터에 연결할 수 없어, 통과 기록이 없는 연습은 채점하지 못했습니다")}
}
