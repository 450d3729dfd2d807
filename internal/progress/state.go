package progress

import (
	"fmt"
	"time"

	"github.com/dslab-kr/dslab/grader"
)

// ExerciseState is where a learner stands on one exercise. It is the one
// answer every screen gives (`dslab progress`, `dslab exercises`,
// `dslab grade --all`, the TUI), so that they never contradict each other
// (issue 14):
//
//   - StatePassed (통과): the exercise was passed (progress.json, or a
//     recorded pass in the cluster or on this computer);
//   - StateInProgress (진행 중): not passed, and the learner has made at
//     least one attempt (ExerciseProgress.Attempts: every apply of the work
//     file, and every change to the target DaemonSet from a shell the lab
//     saw);
//   - StateStarted (시작함): prepared (`dslab exercise start`, or opened
//     in the TUI) but no attempt yet;
//   - StateNotStarted (시작 전): none of these.
type ExerciseState string

// ExerciseState values (also the JSON form).
const (
	StateNotStarted ExerciseState = "not-started"
	StateStarted    ExerciseState = "started"
	StateInProgress ExerciseState = "in-progress"
	StatePassed     ExerciseState = "passed"
)

// Korean is the state's Korean word: 시작 전, 시작함, 진행 중, 통과 — the
// words of grader.StatusWord, which `dslab grade` prints (the state
// values are grader's Status values).
func (s ExerciseState) Korean() string { return grader.StatusWord(string(s)) }

// StateOf is the state of an exercise from its progress e, whether it is
// prepared on the cluster (a baseline recorded by exercise start, or
// e.StartedAt set) and whether a pass is recorded elsewhere (the cluster's
// or this computer's records: recordedPass).
func StateOf(e ExerciseProgress, prepared, recordedPass bool) ExerciseState {
	switch {
	case e.Passed || recordedPass:
		return StatePassed
	case e.Attempts > 0:
		return StateInProgress
	case prepared || !e.StartedAt.IsZero():
		return StateStarted
	}
	return StateNotStarted
}

// Standing is an exercise's state with the score every screen shows
// beside it (the TUI's exercise header, node map and 진행 현황, `dslab
// progress` text and JSON, `dslab exercises`, `dslab grade`, `dslab grade
// --all`): one rule, from StandingOf.
type Standing struct {
	State ExerciseState
	// Score out of MaxScore counts in totals only when HasScore; a
	// 시작함 or 시작 전 exercise has none (shown "-", 0 in totals).
	Score, MaxScore int
	HasScore        bool
	// Now is set on a pass (kept once earned) whose live grade is lower:
	// the cluster's score now, shown "통과 기록 · 지금 5/10점".
	Now *int
	// Absent is set by a caller that sees a pass recorded while nothing
	// of the exercise is in the cluster now (prepared again, or its
	// DaemonSet deleted: the TUI's live grade, dslab grade's
	// NothingGraded): shown grader.RecordedPassBadge, "통과 기록 10/10점 ·
	// 클러스터에 없음", as dslab grade says it.
	Absent bool
}

// StandingOf is the one state and score of an exercise (issue 14): the
// state is StateOf(e, prepared, recordedPass); current is the score of
// the exercise's live grade or re-graded attempt (nil: none, or a grade
// that found nothing of the exercise in the cluster — grader.Result.Current).
//   - 통과 shows the pass's score (e.Score, or current when it is higher,
//     else maxScore when neither is known), and Now when current is lower;
//   - 진행 중 always shows a score: current, else the best score in the
//     progress file;
//   - 시작함 and 시작 전 have no score — whatever a grade of the set-up
//     state said is not the learner's.
//
// maxScore is the exercise's full marks. Without current, a pass takes
// the last grade's score from the progress (e.LastScore): the exercise
// screen, 진행 현황, the chooser, `dslab progress` and `dslab grade` then
// say the same "통과 기록 · 지금 4/10점" of a pass reset and re-started.
func StandingOf(e ExerciseProgress, prepared, recordedPass bool, current *int, maxScore int) Standing {
	s := Standing{State: StateOf(e, prepared, recordedPass), MaxScore: maxScore}
	if current == nil && s.State == StatePassed && e.LastScore != nil {
		last := *e.LastScore
		current = &last
	}
	// The last grade found nothing of a passed exercise: the pass is the
	// record's, the cluster has none of it (issue 14: `dslab grade` said
	// "통과 기록 10/10점 · 클러스터에 없음", `dslab progress` "✓ 통과").
	s.Absent = current == nil && s.State == StatePassed && e.LastAbsent
	switch s.State {
	case StatePassed:
		s.Score, s.HasScore = e.Score, true
		if current != nil && *current > s.Score {
			s.Score = *current
		}
		if s.Score == 0 {
			s.Score = maxScore
		}
		if current != nil && *current < min(s.Score, maxScore) {
			now := max(*current, 0)
			s.Now = &now
		}
	case StateInProgress:
		s.Score, s.HasScore = e.Score, true
		if current != nil {
			s.Score = *current
		}
	}
	s.Score = min(s.Score, maxScore)
	return s
}

// ScoreText is the score column: "7/10", "지금 4/10" beside a pass
// whose live score is lower (Now), or "-" without a score.
func (s Standing) ScoreText() string {
	switch {
	case !s.HasScore:
		return "-"
	case s.Absent && s.Now == nil:
		return fmt.Sprintf("%d/%d · 클러스터에 없음", s.Score, s.MaxScore)
	case s.Now != nil:
		return fmt.Sprintf("지금 %d/%d", *s.Now, s.MaxScore)
	}
	return fmt.Sprintf("%d/%d", s.Score, s.MaxScore)
}

// StateText is the state column of the tables (진행 현황, `dslab
// progress`): "✓ 통과", "✓ 통과 기록" beside a lower live score (Now; the
// words of Badge) or with nothing in the cluster (Absent), else the state
// word.
func (s Standing) StateText() string {
	switch {
	case s.State != StatePassed:
		return s.State.Korean()
	case s.Now != nil, s.Absent:
		return "✓ " + s.State.Korean() + " 기록"
	}
	return "✓ " + s.State.Korean()
}

// Badge is the state word with its score, grader.ScoreBadge (the one
// display `dslab grade` prints too): "진행 중 · 7/10점", "통과 · 10/10점",
// "통과 기록 · 지금 5/10점", or without a score the full marks ("시작함 ·
// 10점 만점").
func (s Standing) Badge() string {
	if s.State == StatePassed && s.Absent && s.Now == nil {
		return grader.RecordedPassBadge(s.Score, s.MaxScore)
	}
	return grader.ScoreBadge(string(s.State), s.Score, s.MaxScore, s.HasScore, s.Now)
}

// ExerciseNow is the progress of exercise id in f as every screen reads
// it for StandingOf: without its last grade (LastScore, LastAbsent) when
// another exercise was started after it — the cluster is prepared for
// that one, and no grade of it is this exercise's "지금" (issue 14:
// "통과 기록 · 지금 9/10" after `exercise start 13`, where dslab grade
// said "통과 · 10/10점").
func (f File) ExerciseNow(id string) ExerciseProgress {
	e := f.Exercises[id]
	var last time.Time
	for _, o := range f.Exercises {
		if o.StartedAt.After(last) {
			last = o.StartedAt
		}
	}
	if e.StartedAt.Before(last) {
		e.LastScore, e.LastAbsent = nil, false
	}
	return e
}

// ExerciseNow is File.ExerciseNow of the store's state (refreshed from
// the file first).
func (s *Store) ExerciseNow(id string) ExerciseProgress { return s.Snapshot().ExerciseNow(id) }
