package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// Exercise status values of class results (docs/cli.md "반 채점 결과").
const (
	statusPassed     = "passed"      // a recorded pass (or attempt) whose snapshot this grader re-grades as passed
	statusFailed     = "failed"      // a recorded attempt, or a recorded pass that no longer passes under this grader
	statusInProgress = "in-progress" // the exercise currently started: its live state
	statusNotStarted = "not-started" // no recorded pass and not the started exercise
)

// exerciseOutcome is one exercise of one student in `grade --all`.
type exerciseOutcome struct {
	Exercise string `json:"exercise"`
	Status   string `json:"status"`
	// Score is null only for a student whose cluster could not be read.
	Score    *int `json:"score"`
	MaxScore int  `json:"maxScore"`
	// PassedAt, HintsUsed and Attempts come from the recorded pass;
	// AttemptedAt and (without a pass) HintsUsed and Attempts from the
	// recorded attempt (the last failing grade).
	PassedAt    *time.Time `json:"passedAt"`
	HintsUsed   *int       `json:"hintsUsed"`
	Attempts    *int       `json:"attempts"`
	AttemptedAt *time.Time `json:"attemptedAt,omitempty"`
	// StartedAt is when the exercise in progress was started.
	StartedAt *time.Time `json:"startedAt,omitempty"`
	// FirstFailure is the first failing check's reason (Korean) of an
	// exercise that is not passed; "" otherwise.
	FirstFailure string         `json:"firstFailure,omitempty"`
	Result       *grader.Result `json:"result,omitempty"`
	// local is set when the pass or attempt graded came from the
	// learner's local records (an earlier cluster's), not this cluster.
	local bool
	// recordedAt is when the recorded pass's snapshot was captured: the
	// last passing grade (the cluster's record is replaced on every
	// pass), later than PassedAt, the first pass, after a pass again.
	recordedAt time.Time

	// State and StateText are a class export's board state of the
	// exercise (api.CellState, api.CellStateText: 제출 없음, 시작 전, 진행
	// 중, 실패, 통과, 마감 후 통과); the CSV's <id>.상태 is StateText when
	// set. Empty outside `dslab class export`.
	State     string `json:"state,omitempty"`
	StateText string `json:"stateText,omitempty"`
	// Flags are a class export's submission flags of the exercise, each
	// once in the order first seen (server.Flag…: late,
	// solution-viewed, copied-cluster …); the CSV's <id>.표시 gives them
	// in Korean (api.FlagsText). Empty outside `dslab class export`.
	Flags []string `json:"flags,omitempty"`
	// PassedReceivedAt is a class export's server receive time of the
	// submission whose capture time is PassedAt (the CSV's <id>.서버가
	// 받은 시각); nil outside `dslab class export`.
	PassedReceivedAt *time.Time `json:"passedReceivedAt,omitempty"`
}

func intp(v int) *int { return &v }

// captureBundle reads everything `grade --all` needs from one cluster: the
// recorded passes, the exercise currently started and its live snapshot.
func captureBundle(ctx context.Context, conn *kube.Conn, exs []exercises.Exercise, st localState) (kube.Bundle, error) {
	b := kube.Bundle{Kind: kube.BundleKind, Version: 1, CapturedAt: time.Now().UTC(), Context: conn.Context}
	var err error
	if b.Passes, b.Attempts, err = loadRecords(ctx, st.env, conn, st.own); err != nil {
		return b, err
	}
	if b.Current, err = kube.LoadCurrent(ctx, conn.Client); err != nil {
		return b, err
	}
	if b.Current == nil {
		return b, nil
	}
	for _, ex := range exs {
		if ex.ID != b.Current.Exercise {
			continue
		}
		snaps, err := captureFor(ctx, conn, []exercises.Exercise{ex}, st)
		if err != nil {
			return b, err
		}
		b.Live = &snaps[0]
	}
	return b, nil
}

// loadRecords reads the recorded passes and attempts of the cluster and,
// for the learner's own lab (own), adds the learner's local records
// (kube.LocalRecords: those of earlier clusters, kept across `cluster
// down`) for an exercise the cluster has none of; of two attempts the
// newer wins. An instructor grading a student's cluster (own false) sees
// only the cluster's.
func loadRecords(ctx context.Context, env Env, conn *kube.Conn, own bool) (map[string]kube.Evidence, map[string]kube.Attempt, error) {
	passes, err := kube.LoadEvidence(ctx, conn.Client)
	if err != nil {
		return nil, nil, err
	}
	attempts, err := kube.LoadAttempts(ctx, conn.Client)
	if err != nil {
		return nil, nil, err
	}
	if !own {
		return passes, attempts, nil
	}
	lp, la, err := localRecords(env).Load()
	if err != nil {
		env.textErr().Println("참고: " + err.Error())
	}
	mergeLocalRecords(passes, attempts, lp, la)
	return passes, attempts, nil
}

// mergeLocalRecords adds the local passes lp and attempts la to the
// cluster's passes and attempts: a local pass where the cluster has no
// pass, a local attempt where the cluster has none or an older one.
func mergeLocalRecords(passes map[string]kube.Evidence, attempts map[string]kube.Attempt, lp map[string]kube.Evidence, la map[string]kube.Attempt) {
	for id, ev := range lp {
		if _, ok := passes[id]; !ok {
			passes[id] = ev
		}
	}
	for id, a := range la {
		if c, ok := attempts[id]; !ok || a.GradedAt.After(c.GradedAt) {
			attempts[id] = a
		}
	}
}

// localRecords is the learner's local record store (kube.RecordsDir).
func localRecords(env Env) kube.LocalRecords {
	return kube.LocalRecords{Dir: kube.RecordsDir(env.Paths)}
}

// withLocalAttempt returns p counting one attempt when it counts none but
// this computer keeps a failing grade of exercise id made since its
// start (kube.LocalRecords: `dslab grade` writes one when the learner
// grades the started exercise, e.g. after a kubectl apply from a shell
// the lab did not see). It is for progress.StateOf only, so that `dslab
// progress`, `dslab exercises` and `grade --all` agree that the exercise
// is 진행 중 rather than 시작함.
func withLocalAttempt(env Env, id string, p progress.ExerciseProgress) progress.ExerciseProgress {
	if p.Attempts > 0 || p.Passed {
		return p
	}
	_, attempts, err := localRecords(env).Load()
	if err != nil {
		return p
	}
	// A record that counts no attempt is a grade of the set-up state (an
	// older dslab wrote those on every `dslab grade`): not an attempt.
	if a, ok := attempts[id]; ok && a.Attempts > 0 && !a.GradedAt.Before(p.StartedAt) {
		p.Attempts = 1
	}
	return p
}

// ownSummary is `dslab progress`'s summary (text and JSON alike) of the
// learner's own lab: every exercise's state and score from
// progress.StandingOf over the same facts `dslab exercises` and `grade
// --all` use (withLocalAttempt, preparedAt on the lab cluster).
func ownSummary(env Env, course []lessons.Lesson, exs []exercises.Exercise, f progress.File) lab.Summary {
	own := progress.File{Lessons: f.Lessons, Exercises: map[string]progress.ExerciseProgress{}}
	for id, p := range f.Exercises {
		own.Exercises[id] = p
	}
	for _, ex := range exs {
		own.Exercises[ex.ID] = withLocalAttempt(env, ex.ID, f.Exercises[ex.ID])
	}
	return lab.SummarizeWith(course, exs, own, func(id string) (bool, bool) {
		return !preparedAt(env, kube.StateName(""), id).IsZero(), false
	})
}

// keepClusterRecords copies the records of the lab cluster behind
// contextName (its passes and attempts, kube.LoadEvidence and
// kube.LoadAttempts) to the learner's local records before `cluster down`
// deletes its data, so that `grade --all` on the next cluster still counts
// them. A cluster that cannot be reached is skipped (logged only): the
// records `dslab grade` made were also written locally then. The error is
// a failure to write the local copy (Korean).
func keepClusterRecords(ctx context.Context, env Env, contextName string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, kube.Target{Context: contextName})
	if err != nil {
		env.Logger().Warn("keep records: connect", "context", contextName, "err", err)
		return nil
	}
	passes, err := kube.LoadEvidence(ctx, conn.Client)
	if err != nil {
		env.Logger().Warn("keep records: passes", "err", err)
		return nil
	}
	attempts, err := kube.LoadAttempts(ctx, conn.Client)
	if err != nil {
		env.Logger().Warn("keep records: attempts", "err", err)
		return nil
	}
	return localRecords(env).Keep(passes, attempts)
}

// gradeBundle grades every exercise of a bundle: a recorded pass is
// re-graded from its snapshot (never its stored verdict); else a recorded
// attempt (the last failing grade) is re-graded from its snapshot; the
// exercise currently started is graded live (a live pass wins over a pass
// kept from an earlier cluster, whose note would say so); every other
// exercise is not started (score 0). This is what keeps exercises that share a DaemonSet
// from scoring each other (issue 15 §1).
func gradeBundle(exs []exercises.Exercise, b kube.Bundle) []exerciseOutcome {
	out := make([]exerciseOutcome, 0, len(exs))
	for _, ex := range exs {
		o := exerciseOutcome{Exercise: ex.ID, MaxScore: ex.Spec.MaxScore(), Status: statusNotStarted, Score: intp(0)}
		ev, passed := b.Passes[ex.ID]
		current := b.Current != nil && b.Current.Exercise == ex.ID && b.Live != nil
		if at, ok := b.Attempts[ex.ID]; ok && !passed {
			o = gradeAttempt(ex, at)
		}
		if passed {
			r := grader.Grade(ex.Spec, ev.Snapshot)
			at := ev.PassedAt
			o.PassedAt, o.HintsUsed, o.Attempts = &at, intp(ev.HintsUsed), intp(ev.Attempts)
			o.Result, o.Score, o.Status = &r, intp(r.Score), statusPassed
			o.local = ev.Source == kube.SourceLocal
			o.recordedAt = ev.Snapshot.CapturedAt
			if !r.Passed {
				o.Status, o.FirstFailure = statusFailed, firstFailure(r)
			}
		}
		if current && (!passed || o.Status != statusPassed || o.local) {
			_, attempted := b.Attempts[ex.ID]
			r := inProgressResult(ex, grader.Grade(ex.Spec, *b.Live), passed && o.Status == statusPassed, attempted)
			started := b.Current.Started
			switch {
			case r.Passed:
				// A pass on this cluster wins over an earlier cluster's
				// record (issue 14: "이전 클러스터의 기록" after passing
				// again on the new cluster).
				o.Result, o.Score, o.StartedAt = &r, intp(r.Score), &started
				o.Status, o.FirstFailure, o.local = statusPassed, "", false
			case passed && o.Status == statusPassed:
				// The earlier cluster's pass stays earned.
			default:
				o.Result, o.Score, o.StartedAt = &r, intp(r.Score), &started
				o.Status, o.FirstFailure = statusInProgress, firstFailure(r)
			}
		}
		out = append(out, o)
	}
	return out
}

// inProgressResult is the live grade r of the exercise currently started:
// a grade that finds no target DaemonSet (grader.StatusNotStarted, whose
// reasons begin with "시작 전") is in progress, so its status is
// grader.StatusInProgress and every reason says what grader.AbsentTargetNote
// says: the DaemonSet is not in the cluster now — under a pass kept in the
// records (recordedPass) or after an attempt (attempted), not "아직", which
// reads as never made. Any other r is returned unchanged.
func inProgressResult(ex exercises.Exercise, r grader.Result, recordedPass, attempted bool) grader.Result {
	if r.Status != grader.StatusNotStarted && !r.NothingGraded {
		return r
	}
	msg := grader.AbsentTargetNote(ex.Spec.Target.String(), recordedPass, attempted)
	checks := make([]grader.CheckResult, len(r.Checks))
	for i, c := range r.Checks {
		c.Message = msg
		checks[i] = c
	}
	r.Checks, r.Status = checks, grader.StatusInProgress
	return r
}

// gradeAttempt re-grades a recorded attempt: failed with the first
// failing check's reason (passed if this grader passes its snapshot;
// not started if the snapshot shows nothing attempted).
func gradeAttempt(ex exercises.Exercise, a kube.Attempt) exerciseOutcome {
	r := grader.Grade(ex.Spec, a.Snapshot)
	at := a.GradedAt
	o := exerciseOutcome{Exercise: ex.ID, MaxScore: ex.Spec.MaxScore(), Status: statusFailed, Score: intp(r.Score),
		HintsUsed: intp(a.HintsUsed), Attempts: intp(a.Attempts), AttemptedAt: &at, Result: &r, FirstFailure: firstFailure(r)}
	o.local = a.Source == kube.SourceLocal
	switch {
	case r.Passed:
		o.Status, o.FirstFailure = statusPassed, ""
	case r.Status == grader.StatusNotStarted:
		o.Status, o.Result, o.FirstFailure, o.Score = statusNotStarted, nil, "", intp(0)
	}
	return o
}

// firstFailure is the reason of the first failing check: its message, or
// the first failing node's reason.
func firstFailure(r grader.Result) string { return r.FirstFailure() }

// outcomeResult is the grader.Result shown for an outcome in the
// single-cluster formats (text, json, junit): a not-started exercise is a
// result with no checks and a Korean note.
func outcomeResult(ex exercises.Exercise, o exerciseOutcome) grader.Result {
	if o.Result != nil {
		r := *o.Result
		where := ""
		if o.local {
			where = "이전 클러스터의 기록: "
		}
		switch {
		case o.PassedAt != nil && o.StartedAt == nil:
			r.Notes = append(r.Notes, passRecordNote(where, *o.PassedAt, o.recordedAt))
		case o.AttemptedAt != nil && o.StartedAt == nil:
			r.Notes = append(r.Notes, fmt.Sprintf("%s마지막 시도 기록(%s, 통과하지 못한 채점)의 스냅숏을 다시 채점했습니다", where, o.AttemptedAt.Local().Format("2006-01-02 15:04")))
		}
		if o.Status == statusInProgress && !r.Passed {
			r.Status = grader.StatusInProgress
		}
		return r
	}
	return grader.Result{Exercise: ex.ID, Title: ex.Title, Status: grader.StatusNotStarted, MaxScore: o.MaxScore, Checks: []grader.CheckResult{},
		Notes: []string{"시작 전: 통과 기록이 없고 지금 시작한 연습도 아닙니다 (dslab exercise start " + ex.ID + ")"}}
}

// passRecordNote is the note of a pass re-graded from its record, where
// (a prefix, "이전 클러스터의 기록: " or "") before it. first is the
// record's PassedAt, the first pass — the time dslab progress, dslab
// exercises and the class board give the pass —, snap when the snapshot
// re-graded was captured, the last passing grade: the note names each
// for what it is, "마지막 통과 기록(2026-12-01 10:30)의 스냅숏을 다시
// 채점했습니다 (처음 통과 2026-12-01 10:10)", never the first pass's time
// as the snapshot's (trainee trial, issue 14: grade --all named an older
// time than the pass it re-graded). Within the same minute, or without
// snap (an older record), one time: "통과 기록(…)의 스냅숏을 …".
func passRecordNote(where string, first, snap time.Time) string {
	const layout = "2006-01-02 15:04"
	f := first.Local().Format(layout)
	if snap.IsZero() || !snap.After(first) || snap.Local().Format(layout) == f {
		return fmt.Sprintf("%s통과 기록(%s)의 스냅숏을 다시 채점했습니다", where, f)
	}
	return fmt.Sprintf("%s마지막 통과 기록(%s)의 스냅숏을 다시 채점했습니다 (처음 통과 %s)", where, snap.Local().Format(layout), f)
}

// explainForbidden puts a Korean explanation before an API server's
// Forbidden (403) answer, which otherwise reaches the instructor raw; other
// errors are returned unchanged.
func explainForbidden(err error) error {
	if err == nil || !apierrors.IsForbidden(err) {
		return err
	}
	return fmt.Errorf("API 서버가 권한이 없다며 거부했습니다(403 Forbidden). 채점용 kubeconfig(dslab cluster kubeconfig --grader)는 "+
		"읽기 전용이라 쓰기는 할 수 없고, 이 dslab 이 읽어야 하는 것을 읽을 권한이 빠졌을 수도 있습니다 "+
		"(학생 쪽에서 dslab cluster kubeconfig --grader 를 다시 실행하면 권한(RBAC)을 새로 만듭니다). 서버의 말: %w", err)
}

// readFileKorean reads a file a user named, saying in Korean why it
// cannot (missing, not allowed, a directory) before the system's words.
func readFileKorean(what, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s 파일 %s %s 없습니다: %w", what, path, hangul.IGa(path), err)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%s 파일 %s %s 읽을 권한이 없습니다: %w", what, path, hangul.EulReul(path), err)
	}
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		return nil, fmt.Errorf("%s %s %s 파일이 아니라 디렉터리입니다", what, path, hangul.EunNeun(path))
	}
	return nil, fmt.Errorf("%s 파일 %s %s 읽을 수 없습니다: %w", what, path, hangul.EulReul(path), err)
}

// jsonErrorKorean says where a JSON document is broken (line and column)
// or which field has the wrong type, then the decoder's words.
func jsonErrorKorean(what, path string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return fmt.Errorf("%s %s %s 올바른 JSON 이 아닙니다 (%d번째 줄 %d번째 글자 근처): %w", what, path, hangul.IGa(path), line, col, err)
	case errors.As(err, &typ):
		return fmt.Errorf("%s %s 의 필드 %s 값의 형식이 다릅니다 (기대: %s, 실제: JSON %s): %w", what, path, typ.Field, typ.Type, typ.Value, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s %s %s 중간에 끝났습니다 (파일이 잘렸나요?): %w", what, path, hangul.IGa(path), err)
	}
	return fmt.Errorf("%s %s %s 올바른 JSON 이 아닙니다: %w", what, path, hangul.IGa(path), err)
}

// lineCol is the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i, c := range data {
		if int64(i) >= off-1 {
			break
		}
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// readGradeInput reads a --snapshot file: a bundle (grade --all
// --save-snapshot) or one exercise's snapshot.
func readGradeInput(path string) (*kube.Bundle, grader.Snapshot, error) {
	data, err := readFileKorean("스냅숏", path)
	if err != nil {
		return nil, grader.Snapshot{}, err
	}
	var probe struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Kind == kube.BundleKind {
		var b kube.Bundle
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, grader.Snapshot{}, jsonErrorKorean("스냅숏 묶음", path, data, err)
		}
		if b.Version > 1 {
			return nil, grader.Snapshot{}, fmt.Errorf("스냅숏 묶음 버전 %d %s 이 dslab 보다 새롭습니다: dslab 을 업데이트하세요", b.Version, hangul.EunNeun(strconv.Itoa(b.Version)))
		}
		return &b, grader.Snapshot{}, nil
	}
	s, err := readSnapshot(path)
	return nil, s, err
}

// snapshotExercise is the exercise a single snapshot was captured for (its
// baseline's exercise), "" when unknown.
func snapshotExercise(s grader.Snapshot) string {
	if s.Baseline != nil {
		return s.Baseline.Exercise
	}
	return ""
}

// passRecorder records the learner's own grades (progress.json, the
// evidence of a pass in the cluster and, for the exercise currently
// started, the last failing grade as an attempt record). The zero value
// records nothing.
type passRecorder struct {
	store *progress.Store
	conn  *kube.Conn
	warn  func(string)
	// local keeps a copy of every record on the learner's disk.
	local kube.LocalRecords
	// current is the exercise started on the cluster ("" when none).
	current string
}

// newPassRecorder opens the learner's progress; failures only warn.
func newPassRecorder(env Env, conn *kube.Conn) passRecorder {
	warn := func(s string) { env.textErr().Println("참고: " + s) }
	store, notice, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		warn("진행 상황을 기록할 수 없습니다: " + err.Error())
		return passRecorder{conn: conn, warn: warn, local: localRecords(env)}
	}
	if notice != "" {
		warn(notice)
	}
	return passRecorder{store: store, conn: conn, warn: warn, local: localRecords(env)}
}

// record stores one live grade r of exercise ex; a pass also goes to the
// cluster as evidence with its snapshot, hints used and attempts. A
// failing grade of the started exercise is its attempt record only when
// the learner has made an attempt (learnerAttempted): a grade of the state
// exercise start left is not one, so that the exercise stays 시작함
// everywhere (issue 14).
func (p passRecorder) record(ctx context.Context, ex exercises.Exercise, r grader.Result, snap grader.Snapshot, now time.Time) {
	if p.store == nil && p.conn == nil {
		return
	}
	if p.store != nil {
		lab.RecordGrade(p.store, r, now)
		if err := p.store.Save(); err != nil {
			p.warn("진행 상황을 저장하지 못했습니다: " + err.Error())
		}
	}
	if p.conn == nil {
		return
	}
	if !r.Passed {
		if r.Exercise == p.current && r.Status != grader.StatusNotStarted && p.learnerAttempted(ctx, ex, r) {
			a := lab.NewAttempt(p.store, r, snap, now)
			if err := kube.RecordAttempt(ctx, p.conn.Client, a); err != nil {
				p.warn(err.Error())
			}
			if err := p.local.SaveAttempt(a); err != nil {
				p.warn(err.Error())
			}
		}
		return
	}
	if err := lab.RecordPassEvidence(ctx, p.conn.Client, p.store, r, snap, now); err != nil {
		p.warn(err.Error())
	}
	if err := p.local.SavePass(lab.PassEvidence(p.store, r, snap, now)); err != nil {
		p.warn(err.Error())
	}
}

// learnerAttempted reports whether the failing live grade r of the
// started exercise ex follows an attempt of the learner's: one counted in
// the progress (applies of the work file, `dslab kubectl`, changes the
// lab saw), or work no counter saw (lab.HandAttempt on the target
// DaemonSet now: kubectl from another shell), which is then counted as
// one attempt so that every screen says 진행 중.
func (p passRecorder) learnerAttempted(ctx context.Context, ex exercises.Exercise, r grader.Result) bool {
	if p.store != nil && p.store.Exercise(ex.ID).Attempts > 0 {
		return true
	}
	t := ex.Spec.Target
	ds, err := p.conn.Client.AppsV1().DaemonSets(t.Namespace).Get(ctx, t.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		ds = nil
	case err != nil:
		return false
	}
	if !lab.HandAttempt(ex, r, ds) {
		return false
	}
	if p.store != nil {
		lab.RecordApply(p.store, ex.ID)
		if err := p.store.Save(); err != nil {
			p.warn("진행 상황을 저장하지 못했습니다: " + err.Error())
		}
	}
	return true
}

// progressOf is the learner's progress of exercise id (zero without a
// progress store: an instructor's grade).
func (p passRecorder) progressOf(id string) progress.ExerciseProgress {
	if p.store == nil {
		return progress.ExerciseProgress{}
	}
	return p.store.Exercise(id)
}
