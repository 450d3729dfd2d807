package lab

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

// Summary is a learner's progress through the course: what `dslab
// progress` prints and the TUI's summary screen shows. Its JSON form is
// `dslab progress -o json`.
type Summary struct {
	Lessons   []LessonStatus   `json:"lessons"`
	Exercises []ExerciseStatus `json:"exercises"`
	Totals    Totals           `json:"totals"`
}

// LessonStatus is one lesson's progress.
type LessonStatus struct {
	ID     string    `json:"id"`
	Order  int       `json:"order"`
	Title  string    `json:"title"`
	Read   bool      `json:"read"`
	ReadAt time.Time `json:"readAt,omitzero"`
}

// ExerciseStatus is one exercise's progress. Score is the best score seen.
type ExerciseStatus struct {
	ID           string    `json:"id"`
	Order        int       `json:"order"`
	Title        string    `json:"title"`
	Lesson       string    `json:"lesson"`
	Passed       bool      `json:"passed"`
	Score        int       `json:"score"`
	MaxScore     int       `json:"maxScore"`
	HintsUsed    int       `json:"hintsUsed"`
	Attempts     int       `json:"attempts"`
	PassedAt     time.Time `json:"passedAt,omitzero"`
	LastGradedAt time.Time `json:"lastGradedAt,omitzero"`
	// State is the exercise's state (통과, 진행 중, 시작함, 시작 전) and
	// Score (above) its score, both from progress.StandingOf: the TUI's
	// 진행 현황, `dslab progress` (text and JSON), `dslab exercises` and
	// `grade --all` say the same. HasScore is false for 시작함 and 시작
	// 전: no score ("-"), 0 in the totals.
	State    progress.ExerciseState `json:"state"`
	HasScore bool                   `json:"hasScore"`
	// Now is the score of the last grade beside a pass it is lower than
	// (progress.Standing.Now: "통과 기록 · 지금 4/10점"); absent otherwise.
	Now *int `json:"now,omitempty"`
	// Absent is set beside a pass whose last grade found nothing of the
	// exercise in the cluster (progress.Standing.Absent: "통과 기록 10/10점
	// · 클러스터에 없음").
	Absent bool `json:"absent,omitempty"`
}

// Standing is the exercise's state and score as progress.StandingOf gave
// them to Summarize.
func (e ExerciseStatus) Standing() progress.Standing {
	return progress.Standing{State: e.State, Score: e.Score, MaxScore: e.MaxScore, HasScore: e.HasScore, Now: e.Now, Absent: e.Absent}
}

// StateFacts says, for an exercise id, what Summarize cannot read from the
// progress file: whether the exercise is prepared on the lab cluster (a
// baseline recorded by exercise start, or the watcher saw it started) and
// whether a pass is recorded elsewhere (the cluster's or this computer's
// records).
type StateFacts func(id string) (prepared, recordedPass bool)

// Totals add up the course.
type Totals struct {
	LessonsRead     int `json:"lessonsRead"`
	Lessons         int `json:"lessons"`
	ExercisesPassed int `json:"exercisesPassed"`
	Exercises       int `json:"exercises"`
	Score           int `json:"score"`
	MaxScore        int `json:"maxScore"`
	HintsUsed       int `json:"hintsUsed"`
}

// Summarize combines the course, the exercises and the saved progress
// (SummarizeWith without facts beyond the progress file).
func Summarize(course []lessons.Lesson, exs []exercises.Exercise, f progress.File) Summary {
	return SummarizeWith(course, exs, f, nil)
}

// SummarizeWith combines the course, the exercises and the saved
// progress; each exercise's state and score are progress.StandingOf with
// facts (nil: not prepared, no recorded pass).
func SummarizeWith(course []lessons.Lesson, exs []exercises.Exercise, f progress.File, facts StateFacts) Summary {
	s := Summary{Lessons: []LessonStatus{}, Exercises: []ExerciseStatus{}}
	for _, l := range course {
		lp := f.Lessons[l.ID]
		s.Lessons = append(s.Lessons, LessonStatus{ID: l.ID, Order: l.Order, Title: l.Title, Read: lp.Read, ReadAt: lp.ReadAt})
		s.Totals.Lessons++
		if lp.Read {
			s.Totals.LessonsRead++
		}
	}
	for _, ex := range exs {
		ep := f.ExerciseNow(ex.ID)
		var prepared, recordedPass bool
		if facts != nil {
			prepared, recordedPass = facts(ex.ID)
		}
		// One rule with `dslab grade --all` and the TUI's header: an
		// exercise only opened (nothing applied, no attempt) has no score
		// yet, even if a watch grade of its set-up state stored one
		// (issue 14).
		sd := progress.StandingOf(ep, prepared, recordedPass, nil, ex.Spec.MaxScore())
		st := ExerciseStatus{
			ID: ex.ID, Order: ex.Order, Title: ex.Title, Lesson: ex.Lesson,
			Passed: sd.State == progress.StatePassed, Score: sd.Score, MaxScore: ex.Spec.MaxScore(),
			HintsUsed: ep.HintsUsed, Attempts: ep.Attempts, PassedAt: ep.PassedAt, LastGradedAt: ep.LastGradedAt,
			State: sd.State, HasScore: sd.HasScore, Now: sd.Now, Absent: sd.Absent,
		}
		s.Exercises = append(s.Exercises, st)
		s.Totals.Exercises++
		s.Totals.MaxScore += st.MaxScore
		if st.HasScore {
			s.Totals.Score += st.Score
		}
		s.Totals.HintsUsed += st.HintsUsed
		if st.Passed {
			s.Totals.ExercisesPassed++
		}
	}
	return s
}

// RecordGrade stores a watch-mode grade in the progress: the best score,
// the time, and a pass (kept once earned). It reports whether anything
// worth saving changed and whether this grade is the first pass.
func RecordGrade(store *progress.Store, res grader.Result, at time.Time) (changed, firstPass bool) {
	other := startedLaterThan(store, res.Exercise)
	store.UpdateExercise(res.Exercise, func(e *progress.ExerciseProgress) {
		e.LastGradedAt = at
		// The score now, beside a pass kept (progress.StandingOf); none
		// for a grade that found nothing of the exercise (LastAbsent), nor
		// while another exercise was started since this one: the cluster
		// is prepared for that one, and a grade of it is never this
		// exercise's "지금" (issue 14: "통과 기록 · 지금 9/10" after
		// `exercise start 13`, where dslab grade said "통과 · 10/10점").
		var last *int
		if !other && !res.NothingGraded && res.Status != grader.StatusNotStarted {
			score := res.Score
			last = &score
		}
		if (last == nil) != (e.LastScore == nil) || last != nil && *last != *e.LastScore {
			e.LastScore, changed = last, true
		}
		if absent := !other && res.NothingGraded; absent != e.LastAbsent {
			e.LastAbsent, changed = absent, true
		}
		if res.MaxScore != e.MaxScore {
			e.MaxScore, changed = res.MaxScore, true
		}
		if res.Score > e.Score {
			e.Score, changed = res.Score, true
		}
		if res.Passed && !e.Passed {
			e.Passed, e.PassedAt = true, at
			changed, firstPass = true, true
		}
	})
	return changed, firstPass
}

// startedLaterThan reports whether an exercise other than id was started
// (progress StartedAt) after id was, or id never was while another was:
// the cluster is then prepared for that other exercise.
func startedLaterThan(store *progress.Store, id string) bool {
	f := store.Snapshot()
	mine := f.Exercises[id].StartedAt
	for other, e := range f.Exercises {
		if other != id && e.StartedAt.After(mine) {
			return true
		}
	}
	return false
}

// forgetOthersNow clears the last grade ("지금", LastScore, LastAbsent) of
// every exercise but id, which was just started: the cluster is prepared
// for id now, so no other exercise's grade describes it (issue 14).
func forgetOthersNow(store *progress.Store, id string) {
	for other, e := range store.Snapshot().Exercises {
		if other == id || e.LastScore == nil && !e.LastAbsent {
			continue
		}
		store.UpdateExercise(other, func(e *progress.ExerciseProgress) {
			e.LastScore, e.LastAbsent = nil, false
		})
	}
}

// RecordPassEvidence stores a passing grade in the cluster as evidence
// (kube.RecordPass: snapshot, first pass time, hints used and attempts
// from store), so that an instructor grading the cluster re-grades it.
// Both the TUI and `dslab grade` call it. A failing grade records nothing.
func RecordPassEvidence(ctx context.Context, client kubernetes.Interface, store *progress.Store, res grader.Result, snap grader.Snapshot, now time.Time) error {
	if !res.Passed {
		return nil
	}
	return kube.RecordPass(ctx, client, PassEvidence(store, res, snap, now))
}

// PassEvidence is the record of a passing grade res as RecordPassEvidence
// stores it in the cluster (and `dslab grade` keeps locally): the first
// pass time (now when the progress has none) and hints used and attempts
// from store (nil: none).
func PassEvidence(store *progress.Store, res grader.Result, snap grader.Snapshot, now time.Time) kube.Evidence {
	var ep progress.ExerciseProgress
	if store != nil {
		ep = store.Exercise(res.Exercise)
	}
	at := ep.PassedAt
	if at.IsZero() {
		at = now
	}
	return kube.Evidence{Exercise: res.Exercise, PassedAt: at.UTC(), HintsUsed: ep.HintsUsed,
		Attempts: ep.Attempts, Score: res.Score, MaxScore: res.MaxScore, Snapshot: snap}
}

// RecordHint stores that hint n (1-based) was revealed; it reports whether
// the count grew.
func RecordHint(store *progress.Store, id string, n int) bool {
	grew := false
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		if n > e.HintsUsed {
			e.HintsUsed, grew = n, true
		}
	})
	return grew
}

// HintRecord is what opening a hint meant for the progress
// (RecordOpenedHint).
type HintRecord int

const (
	// HintRecorded: the exercise's count of used hints grew to the hint.
	HintRecorded HintRecord = iota
	// HintCounted: a hint up to the count was opened again (no change).
	HintCounted
	// HintAfterPass: the exercise had passed; the pass keeps the count
	// of hints it was earned with.
	HintAfterPass
	// HintUnlocked: the instructor opened the hint (HintsUnlocked); it is
	// not the learner's.
	HintUnlocked
)

// RecordOpenedHint records that the learner opened hints 1..n (1-based) of
// exercise id, by the one rule of `dslab exercise show --hint` and the
// TUI's h: a hint opened after the exercise passed is not recorded (the
// recorded pass keeps its count, and the class board counts hints from
// it), nor one the instructor opened (n <= HintsUnlocked); otherwise the
// count of used hints becomes the highest hint opened. The check and the
// change are one store update. Every opened hint, recorded or not, raises
// HintsViewed (so it is shown again after a restart). It reports what the
// hint meant; only HintRecorded changed the count of used hints.
func RecordOpenedHint(store *progress.Store, id string, n int) HintRecord {
	r := HintCounted
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		e.HintsViewed = max(e.HintsViewed, n)
		switch {
		case e.Passed:
			r = HintAfterPass
		case n <= e.HintsUnlocked:
			r = HintUnlocked
		case n > e.HintsUsed:
			e.HintsUsed, r = n, HintRecorded
		}
	})
	return r
}

// RecordStart stores that the exercise was (re)started.
func RecordStart(store *progress.Store, id string, at time.Time) {
	RecordStartBy(store, id, at, "")
}

// RecordStartBy stores a start made by by (progress.ExerciseProgress.StartedBy:
// "" for the learner, progress.StartedByInstructor for a class reset).
func RecordStartBy(store *progress.Store, id string, at time.Time, by string) {
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		e.StartedAt = at
		e.StartedBy = by
		e.StartedReset = false
		// Nothing of the new start graded yet.
		e.LastScore, e.LastAbsent = nil, false
	})
	forgetOthersNow(store, id)
}

// RecordReset stores a reset of exercise id by the learner made at at: a
// start (RecordStart) that says it was a reset (StartedReset).
func RecordReset(store *progress.Store, id string, at time.Time) {
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		e.StartedAt = at
		e.StartedBy = ""
		e.StartedReset = true
		e.LastScore, e.LastAbsent = nil, false
	})
	forgetOthersNow(store, id)
}

// RecordApply stores one attempt: every apply of the work file counts,
// whether the API server accepted it or not.
func RecordApply(store *progress.Store, id string) {
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		e.Attempts++
	})
}

// RecordApplyOutcome stores an apply of the work file from the lab (the
// TUI's a, the apply on save) made at at of the file whose content has
// SHA-256 sum (Stamp.Sum): one attempt (RecordApply) and its outcome
// (RecordApplyResult) — except
//   - an apply kubectl found unchanged (err nil, ApplyResult.Unchanged:
//     the cluster already holds the file), which is not an attempt:
//     nothing the learner tried reached the cluster, as `dslab kubectl
//     apply` of the same file counts nothing (the DaemonSet's spec did
//     not change). It only clears a failed apply on record, since the
//     cluster now holds what the file says;
//   - a failed apply of the same content as the failed apply on record
//     (issue 14: `a a` on a file whose apply failed counted three
//     attempts): the learner tried nothing new; only the record's time
//     moves.
//
// It reports whether an attempt was counted.
func RecordApplyOutcome(store *progress.Store, id string, at time.Time, err error, unchanged bool, sum [sha256.Size]byte) bool {
	if err == nil && unchanged {
		if la := store.Exercise(id).LastApply; la != nil && la.Failed {
			RecordApplyResult(store, id, at, nil)
		}
		return false
	}
	hash := ""
	if sum != ([sha256.Size]byte{}) {
		hash = hex.EncodeToString(sum[:])
	}
	again := false
	if la := store.Exercise(id).LastApply; err != nil && hash != "" && la != nil && la.Failed && la.Hash == hash {
		again = true
	} else {
		RecordApply(store, id)
	}
	recordApplyResult(store, id, at, err, hash)
	return !again
}

// RecordApplyResult stores the outcome of an apply of the work file made
// from the lab at at: a failure with its Korean summary and kubectl's and
// the API server's words (*ApplyError; any other error as its text), a
// success (err nil) as a record without them, which clears the failure
// (progress.ExerciseProgress.LastApply).
func RecordApplyResult(store *progress.Store, id string, at time.Time, err error) {
	recordApplyResult(store, id, at, err, "")
}

// recordApplyResult is RecordApplyResult of the file with SHA-256 hash
// (hex; "" unknown), kept with a failure (progress.ApplyRecord.Hash).
func recordApplyResult(store *progress.Store, id string, at time.Time, err error, hash string) {
	rec := &progress.ApplyRecord{At: at.UTC()}
	if err != nil {
		rec.Failed, rec.Summary, rec.Detail, rec.Hash = true, "적용에 실패했습니다", err.Error(), hash
		var ae *ApplyError
		if errors.As(err, &ae) {
			rec.Summary, rec.Detail = ae.Summary, ae.Detail
		}
	}
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) { e.LastApply = rec })
}
