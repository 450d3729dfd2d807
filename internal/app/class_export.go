package app

import (
	"slices"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// exportClassReport turns a class server export into the class report of
// `dslab grade --all`, so `dslab class export` writes CSV and JUnit with
// the same writers: one row per student, the source column is the 학번
// (roster id), and every exercise of the class is a column — an exercise
// the student never submitted is not-started with 0 of its maximum, so
// every student's maxScore is the whole class's. passedAt is when the
// server received the first passing submission with the counted score.
func exportClassReport(exp api.Export, cat *exercises.Catalog) classReport {
	rep := classReport{Version: classReportVersion, GradedAt: exp.Exported, SourceLabel: "학번"}
	var exs []exercises.Exercise
	for _, id := range exp.Report.Exercises {
		ex := exercises.Exercise{ID: id}
		if cat != nil {
			if e, err := cat.Get(id); err == nil {
				ex = e
			}
		}
		exs = append(exs, ex)
	}
	attempts := map[string][]api.ExportAttempts{}
	for _, s := range exp.Students {
		attempts[s.RosterID] = s.Attempts
	}
	var rows []studentRow
	for _, s := range exp.Report.Students {
		row := studentRow{Student: s.Student, Source: s.Source}
		if s.Error != "" {
			e := s.Error
			row.Error = &e
			rows = append(rows, row)
			continue
		}
		for _, ex := range exs {
			o := exerciseOutcome{Exercise: ex.ID, Status: statusNotStarted, Score: intp(0), MaxScore: ex.Spec.MaxScore()}
			for _, r := range s.Results {
				if r.Exercise != ex.ID {
					continue
				}
				o.MaxScore, o.Score = r.MaxScore, intp(r.Score)
				switch {
				case r.Passed || r.Status == grader.StatusPassed:
					o.Status = statusPassed
					o.PassedAt = firstPass(exp.Submissions, s.Source, ex.ID, r.Score)
				case r.Status == grader.StatusNotStarted:
				default:
					o.Status, o.FirstFailure = statusFailed, firstFailure(r)
				}
				if r.Status != grader.StatusNotStarted || len(r.Checks) > 0 {
					rr := r
					o.Result = &rr
				}
			}
			// 시도, 시도 시각 and 첫 실패 from the stored submissions: the
			// number of them, the newest one's receive time and, for a
			// passed exercise that failed before, the first failure's
			// reason (a not-passed one keeps the counted failure's).
			o.Attempts = intp(0)
			for _, a := range attempts[s.Source] {
				if a.Exercise != ex.ID {
					continue
				}
				o.Attempts = intp(a.Count)
				if !a.Last.IsZero() {
					at := a.Last
					o.AttemptedAt = &at
				}
				if o.FirstFailure == "" && a.Failed > 0 {
					o.FirstFailure = a.FirstFailure
				}
			}
			row.Exercises = append(row.Exercises, o)
		}
		row.totals()
		rows = append(rows, row)
	}
	built := buildClassReport(exs, rows, exp.Exported)
	built.SourceLabel = rep.SourceLabel
	built.Unsubmitted = true // docs/class.md: unsubmitted counts as 0 in JUnit too
	return built
}

// firstPass is the receive time of the first passing submission of that
// student (roster id) and exercise with score points, or nil.
func firstPass(subs []api.ExportSubmission, rosterID, exercise string, score int) *time.Time {
	for _, s := range subs {
		if s.RosterID == rosterID && s.Exercise == exercise && s.Status == api.StatusPassed && s.Score == score && !slices.Contains(s.Flags, server.FlagLate) {
			at := s.ReceivedAt
			return &at
		}
	}
	return nil
}
