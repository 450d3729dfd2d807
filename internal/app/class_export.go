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
// student's lab captured the first passing submission with the counted
// score, passedReceivedAt when the server received it.
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
	hints := map[string][]api.ExportHints{}
	for _, s := range exp.Students {
		attempts[s.RosterID] = s.Attempts
		hints[s.RosterID] = s.Hints
	}
	subs := map[[2]string][]api.ExportSubmission{} // roster id, exercise → receive order
	for _, sub := range exp.Submissions {
		k := [2]string{sub.RosterID, sub.Exercise}
		subs[k] = append(subs[k], sub)
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
				if r.MaxScore > 0 {
					o.MaxScore = r.MaxScore
				}
				o.Score = intp(r.Score)
				if r.Status != grader.StatusNotStarted && !r.Passed && r.Status != grader.StatusPassed {
					o.FirstFailure = firstFailure(r)
				}
				o.Status = exportStatus(subs[[2]string{s.Source, ex.ID}])
				var pass *api.ExportSubmission
				switch o.Status {
				case statusPassed:
					pass = firstPass(exp.Submissions, s.Source, ex.ID, r.Score)
				case statusPassedLate:
					pass = firstLatePass(subs[[2]string{s.Source, ex.ID}])
				}
				if pass != nil {
					// 통과 시각 is when the student's lab captured the
					// pass (issue 12: the receive time put a pass sent
					// after an outage at the end of class); the receive
					// time has its own column.
					captured, received := capturedAt(*pass), pass.ReceivedAt
					o.PassedAt, o.PassedReceivedAt = &captured, &received
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
			// <id>.힌트: the hints the student had, whoever opened them
			// (api.HintsHad, the board's and class watch's number).
			for _, h := range hints[s.Source] {
				if h.Exercise != ex.ID {
					continue
				}
				o.HintsUsed = intp(api.HintsHad(h.Opened, h.Unlocked, len(ex.Hints)))
			}
			if o.HintsUsed == nil {
				o.HintsUsed = intp(0)
			}
			for _, sub := range subs[[2]string{s.Source, ex.ID}] {
				for _, f := range sub.Flags {
					if !slices.Contains(o.Flags, f) {
						o.Flags = append(o.Flags, f)
					}
				}
			}
			o.State = api.CellState(exportCell(subs[[2]string{s.Source, ex.ID}]))
			o.StateText = api.CellStateText(o.State)
			row.Exercises = append(row.Exercises, o)
		}
		row.totals()
		rows = append(rows, row)
	}
	built := buildClassReport(exs, rows, exp.Exported)
	built.SourceLabel = rep.SourceLabel
	built.Unsubmitted = true // docs/class.md: unsubmitted counts as 0 in JUnit too
	built.Received = true
	return built
}

// statusPassedLate is a class export's state of an exercise passed only
// by a submission received while submissions were frozen (늦은 통과).
const statusPassedLate = "passed-late"

// exportStatus is <id>.상태 of a class export from one student's
// submissions of one exercise (receive order), docs/class.md "내보내기의
// 상태":
//   - passed (통과): a submission received on time passed — it stays
//     passed whatever came after (reset, a broken cluster, late ones);
//   - passed-late (늦은 통과): only a late submission (received while
//     frozen, flag late) passed; the score columns keep the on-time one;
//   - failed (미통과): the newest on-time submission was graded and fails;
//   - in-progress (진행 중): there are submissions but none of the above —
//     only late ones that did not pass, or only "not started" ones (the
//     exercise's DaemonSet was not there: captured before it was made,
//     after `reset-exercise`, or the capture missed it);
//   - not-started (시작 전): no submission at all.
func exportStatus(subs []api.ExportSubmission) string {
	if len(subs) == 0 {
		return statusNotStarted
	}
	var onTime *api.ExportSubmission
	latePass := false
	for i, sub := range subs {
		late := slices.Contains(sub.Flags, server.FlagLate)
		switch {
		case !late && sub.Status == api.StatusPassed:
			return statusPassed
		case late && sub.Status == api.StatusPassed:
			latePass = true
		case !late:
			onTime = &subs[i]
		}
	}
	switch {
	case latePass:
		return statusPassedLate
	case onTime != nil && onTime.Status == api.StatusFailed:
		return statusFailed
	}
	return statusInProgress
}

// capturedAt is when the student's lab captured sub (its client time,
// server.ClientTime), or the receive time for a submission without one.
func capturedAt(sub api.ExportSubmission) time.Time {
	if sub.ClientTime.IsZero() {
		return sub.ReceivedAt
	}
	return sub.ClientTime
}

// firstLatePass is the first passing late submission of subs, or nil.
func firstLatePass(subs []api.ExportSubmission) *api.ExportSubmission {
	for i, sub := range subs {
		if sub.Status == api.StatusPassed && slices.Contains(sub.Flags, server.FlagLate) {
			return &subs[i]
		}
	}
	return nil
}

// firstPass is the first passing submission (receive order) of that
// student (roster id) and exercise with score points, or nil.
func firstPass(subs []api.ExportSubmission, rosterID, exercise string, score int) *api.ExportSubmission {
	for i, s := range subs {
		if s.RosterID == rosterID && s.Exercise == exercise && s.Status == api.StatusPassed && s.Score == score && !slices.Contains(s.Flags, server.FlagLate) {
			return &subs[i]
		}
	}
	return nil
}

// exportCell is the board's cell (only what api.CellState reads) of one
// student's submissions of one exercise in receive order, counted as the
// board counts them (docs/class.md "점수 규칙"): the first on-time pass,
// else the newest on-time submission; Now is the newest submission when
// it is late or differs, or a late pass when there is one.
func exportCell(subs []api.ExportSubmission) api.BoardCell {
	c := api.BoardCell{Submissions: len(subs)}
	var counted *api.ExportSubmission
	var latePass *api.ExportSubmission
	for i, sub := range subs {
		late := slices.Contains(sub.Flags, server.FlagLate)
		switch {
		case late:
			if sub.Status == api.StatusPassed && latePass == nil {
				latePass = &subs[i]
			}
		case counted == nil || counted.Status != api.StatusPassed:
			counted = &subs[i]
		}
	}
	if counted != nil {
		c.Status, c.Score, c.MaxScore = counted.Status, counted.Score, counted.MaxScore
	}
	if latePass != nil {
		c.Now = &api.BoardCellNow{Status: latePass.Status, Score: latePass.Score, MaxScore: latePass.MaxScore, Late: true}
	} else if len(subs) > 0 {
		n := subs[len(subs)-1]
		if late := slices.Contains(n.Flags, server.FlagLate); late || counted == nil || n.Status != counted.Status {
			c.Now = &api.BoardCellNow{Status: n.Status, Score: n.Score, MaxScore: n.MaxScore, Late: late}
		}
	}
	return c
}

// fillExportStates sets every student's States in exp: the board's state
// of each class exercise (api.CellState over exportCell), so the JSON
// export names them as the CSV and the board do.
func fillExportStates(exp *api.Export) {
	subs := map[[2]string][]api.ExportSubmission{}
	for _, sub := range exp.Submissions {
		k := [2]string{sub.RosterID, sub.Exercise}
		subs[k] = append(subs[k], sub)
	}
	for i := range exp.Students {
		s := &exp.Students[i]
		s.States = nil
		for _, ex := range exp.Report.Exercises {
			st := api.CellState(exportCell(subs[[2]string{s.RosterID, ex}]))
			s.States = append(s.States, api.ExportState{Exercise: ex, State: st, StateText: api.CellStateText(st)})
		}
	}
}
