package server

import (
	"slices"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// The scoring rule of the class table, the export and the board's cells
// (docs/class.md "점수 규칙"): of one student's submissions to one
// exercise, in receive (id) order,
//   - a submission flagged FlagLate (received while frozen) never counts;
//   - once an on-time submission passed, the exercise stays passed with the
//     best on-time passing submission (the earliest among equal scores, so
//     the first pass time is kept): a later failing or not-started
//     submission (after `reset-exercise`, a broken cluster…) does not take
//     it away;
//   - until then the newest on-time submission counts.

// IsLate reports whether sub was received while submissions were frozen.
func IsLate(sub store.Submission) bool { return slices.Contains(sub.Flags, FlagLate) }

// Counts reports whether next (received after cur) replaces cur as the
// submission the score columns use; cur is nil when none counted yet.
func Counts(cur *store.Submission, next store.Submission) bool {
	if IsLate(next) {
		return false
	}
	if cur == nil || cur.Status != api.StatusPassed {
		return true
	}
	return next.Status == api.StatusPassed && next.Score > cur.Score
}

// CountedSubmission returns the submission the score columns use among
// subs (one student's submissions to one exercise, in id order); false
// when every one of them is late (or there is none).
func CountedSubmission(subs []store.Submission) (store.Submission, bool) {
	var cur *store.Submission
	for i := range subs {
		if Counts(cur, subs[i]) {
			cur = &subs[i]
		}
	}
	if cur == nil {
		return store.Submission{}, false
	}
	return *cur, true
}
