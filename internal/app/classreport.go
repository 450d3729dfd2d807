package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// classReportVersion is the version of the class results schema
// (docs/cli.md "반 채점 결과 JSON 스키마").
const classReportVersion = 2

// classReport is the JSON document of `dslab grade --all --contexts …
// -o json`; the CSV has the same fields, one row per student.
type classReport struct {
	Version   int             `json:"version"`
	GradedAt  time.Time       `json:"gradedAt"`
	Exercises []exerciseStats `json:"exercises"`
	Students  []studentRow    `json:"students"`
	// SourceLabel is the CSV header of the source column: "출처" (context
	// or file, `dslab grade --all`) when empty, "학번" for a class export.
	SourceLabel string `json:"-"`
	// Unsubmitted makes writeClassJUnit write an exercise without a result
	// as a failing testcase "제출 없음" (a class export: every student ×
	// class exercise is a testcase) instead of leaving it out.
	Unsubmitted bool `json:"-"`
	// Received adds <id>.서버가 받은 시각 (PassedReceivedAt) after <id>.통과
	// 시각 in the CSV: a class export, whose 통과 시각 is the capture time.
	Received bool `json:"-"`
	// Loc is the time zone the CSV writes times in (with the offset, as
	// 2026-12-01 11:05:09 +09:00); nil is the local one (time.Local).
	// JSON keeps RFC 3339.
	Loc *time.Location `json:"-"`
}

// exerciseStats summarises one exercise over the students that could be
// graded.
type exerciseStats struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	MaxScore int    `json:"maxScore"`
	// Passed counts students with status passed; InProgress those who are
	// working on it; Average is the mean score over graded students (null
	// when none could be graded).
	Passed     int      `json:"passed"`
	InProgress int      `json:"inProgress"`
	Average    *float64 `json:"average"`
}

// studentRow is one student. A student whose cluster could not be read has
// null scores, an empty exercise list and an error.
type studentRow struct {
	Student   string            `json:"student"`
	Source    string            `json:"source"`
	Error     *string           `json:"error"`
	Score     *int              `json:"score"`
	MaxScore  *int              `json:"maxScore"`
	Passed    *int              `json:"passed"`
	HintsUsed *int              `json:"hintsUsed"`
	Attempts  *int              `json:"attempts"`
	Exercises []exerciseOutcome `json:"exercises"`
}

func (r *studentRow) totals() {
	score, maxScore, passed, hints, attempts := 0, 0, 0, 0, 0
	for _, o := range r.Exercises {
		if o.Score != nil {
			score += *o.Score
		}
		maxScore += o.MaxScore
		if o.Status == statusPassed {
			passed++
		}
		if o.HintsUsed != nil {
			hints += *o.HintsUsed
		}
		if o.Attempts != nil {
			attempts += *o.Attempts
		}
	}
	r.Score, r.MaxScore, r.Passed, r.HintsUsed, r.Attempts = &score, &maxScore, &passed, &hints, &attempts
}

func (r studentRow) outcome(id string) (exerciseOutcome, bool) {
	for _, o := range r.Exercises {
		if o.Exercise == id {
			return o, true
		}
	}
	return exerciseOutcome{}, false
}

// stuck counts exercises in progress or failed.
func (r studentRow) stuck() int {
	n := 0
	for _, o := range r.Exercises {
		if o.Status == statusInProgress || o.Status == statusFailed {
			n++
		}
	}
	return n
}

func buildClassReport(exs []exercises.Exercise, rows []studentRow, now time.Time) classReport {
	rep := classReport{Version: classReportVersion, GradedAt: now.UTC(), Students: rows}
	for _, ex := range exs {
		st := exerciseStats{ID: ex.ID, Title: ex.Title, MaxScore: ex.Spec.MaxScore()}
		sum, n := 0, 0
		for _, r := range rows {
			o, ok := r.outcome(ex.ID)
			if r.Error != nil || !ok {
				continue
			}
			n++
			if o.Score != nil {
				sum += *o.Score
			}
			switch o.Status {
			case statusPassed:
				st.Passed++
			case statusInProgress:
				st.InProgress++
			}
		}
		if n > 0 {
			avg := float64(sum) / float64(n)
			st.Average = &avg
		}
		rep.Exercises = append(rep.Exercises, st)
	}
	return rep
}

// sortStudents orders rows by name (roster order, the default), score
// (total, highest first), passed (most passed first) or stuck (most
// exercises in progress or failed first). Unreachable students go last.
func sortStudents(rows []studentRow, by string) {
	key := func(r studentRow) int {
		switch {
		case r.Error != nil:
			return -1
		case by == "score":
			return *r.Score
		case by == "passed":
			return *r.Passed
		case by == "stuck":
			return r.stuck()
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if by == "name" {
			return false
		}
		return key(rows[i]) > key(rows[j])
	})
}

// cellText is the short table cell of an outcome: the score, with * while
// in progress and ! when a recorded pass no longer passes; - not started.
func cellText(o exerciseOutcome) string {
	switch o.Status {
	case statusNotStarted:
		return "-"
	case statusInProgress:
		return fmt.Sprintf("%d*", *o.Score)
	case statusFailed:
		return fmt.Sprintf("%d!", *o.Score)
	}
	return strconv.Itoa(*o.Score)
}

// outcomeText is the Korean word for an outcome's status: a failed
// exercise is an unfinished attempt, or a recorded pass this grader fails.
func outcomeText(o exerciseOutcome) string {
	if o.Status == statusFailed && o.PassedAt == nil {
		return "미통과(시도 기록)"
	}
	return statusText(o.Status)
}

// statusText is the Korean word for a status.
func statusText(status string) string {
	switch status {
	case statusPassed:
		return "통과"
	case statusFailed:
		return "기록 불일치"
	case statusInProgress:
		return "진행 중"
	case statusNotStarted:
		return "시작 전"
	case statusPassedLate:
		return "늦은 통과"
	}
	return status
}

// writeClassText prints the class: a student × exercise table with pass
// counts and averages when it fits width, otherwise (or with view
// "student") one block per student; then who is stuck where and why. The
// prose (legend, reasons, errors) wraps to width cells and is never cut.
func writeClassText(w io.Writer, rep classReport, view string, width int) error {
	t := textOut{w: w, width: width}
	table := classTable(rep)
	tableWidth := 0
	for _, line := range table {
		tableWidth = max(tableWidth, ansi.StringWidth(line))
	}
	if view == "table" || (view == "auto" && tableWidth <= width) {
		for _, line := range table {
			fmt.Fprintln(w, line)
		}
		var legend []string
		for i, st := range rep.Exercises {
			legend = append(legend, fmt.Sprintf("%d=%s", i+1, st.ID))
		}
		t.Println("")
		t.Hanging("연습: ", strings.Join(legend, "  "))
		t.Hanging("칸: ", "숫자=통과 점수(기록된 스냅숏을 다시 채점)  숫자*=진행 중(지금 시작한 연습의 현재 점수)  숫자!=미통과(마지막 시도 기록을 다시 채점, 또는 기록된 통과가 다시 채점하면 실패)  -=시작 전")
	} else {
		writeStudentBlocks(t, rep)
	}
	writeStuck(t, rep)
	return nil
}

// classTable is the student × exercise table (exercise columns numbered;
// the legend names them) with a pass-count and an average row.
func classTable(rep classReport) []string {
	// Attempts and pass times are in the per-student view, JSON and CSV;
	// the table keeps to what fits 80 columns for a class of short names.
	header := []string{"학생", "합계", "통과", "힌트"}
	for i := range rep.Exercises {
		header = append(header, strconv.Itoa(i+1))
	}
	var rows [][]string
	for _, s := range rep.Students {
		if s.Error != nil {
			row := []string{s.Student, "-", "-", "-"}
			for range rep.Exercises {
				row = append(row, "?")
			}
			rows = append(rows, row)
			continue
		}
		row := []string{s.Student, fmt.Sprintf("%d/%d", *s.Score, *s.MaxScore), fmt.Sprintf("%d/%d", *s.Passed, len(rep.Exercises)),
			strconv.Itoa(*s.HintsUsed)}
		for _, st := range rep.Exercises {
			o, _ := s.outcome(st.ID)
			row = append(row, cellText(o))
		}
		rows = append(rows, row)
	}
	passRow := []string{"통과 수", "", "", ""}
	avgRow := []string{"평균", "", "", ""}
	for _, st := range rep.Exercises {
		passRow = append(passRow, strconv.Itoa(st.Passed))
		if st.Average != nil {
			avgRow = append(avgRow, strings.TrimSuffix(strconv.FormatFloat(*st.Average, 'f', 1, 64), ".0"))
		} else {
			avgRow = append(avgRow, "-")
		}
	}
	rows = append(rows, passRow, avgRow)
	right := []int{1, 2, 3}
	for i := range rep.Exercises {
		right = append(right, 4+i)
	}
	var b strings.Builder
	writeTable(&b, header, rows, right...)
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
}

// writeStudentBlocks is the narrow view: one block per student, one item
// per exercise (its first failure's reason hanging after the columns).
func writeStudentBlocks(t textOut, rep classReport) {
	idWidth := 0
	for _, st := range rep.Exercises {
		idWidth = max(idWidth, len(st.ID))
	}
	for i, s := range rep.Students {
		if i > 0 {
			t.Println("")
		}
		if s.Error != nil {
			t.Println(s.Student + "  채점 불가")
			t.Hanging("  ", *s.Error)
			continue
		}
		t.Printf("%s  %d/%d점  통과 %d/%d  힌트 %d  시도 %d\n", s.Student, *s.Score, *s.MaxScore, *s.Passed, len(rep.Exercises), *s.HintsUsed, *s.Attempts)
		for _, st := range rep.Exercises {
			o, _ := s.outcome(st.ID)
			line := fmt.Sprintf("  %-*s  %5s  %s", idWidth, st.ID, fmt.Sprintf("%d/%d", *o.Score, o.MaxScore), outcomeText(o))
			if o.Status == statusNotStarted {
				line = fmt.Sprintf("  %-*s  %5s  %s", idWidth, st.ID, "-", statusText(o.Status))
			}
			switch {
			case o.PassedAt != nil && o.Status == statusPassed:
				line += " " + o.PassedAt.Local().Format("01-02 15:04")
			case o.AttemptedAt != nil && o.StartedAt == nil:
				line += " " + o.AttemptedAt.Local().Format("01-02 15:04")
			}
			if o.HintsUsed != nil && o.Attempts != nil && o.StartedAt == nil {
				line += fmt.Sprintf(" (힌트 %d, 시도 %d)", *o.HintsUsed, *o.Attempts)
			}
			if o.FirstFailure == "" {
				t.Println(line)
				continue
			}
			t.Hanging(line+": ", o.FirstFailure)
		}
	}
}

// writeStuck lists, per student, the unfinished exercises they worked on
// with the first failing check's reason, whole (wrapped, never cut).
func writeStuck(t textOut, rep classReport) {
	var items [][2]string // prefix, reason
	for _, s := range rep.Students {
		if s.Error != nil {
			items = append(items, [2]string{s.Student + ": 채점 불가 — ", *s.Error})
			continue
		}
		for _, o := range s.Exercises {
			if o.FirstFailure == "" {
				continue
			}
			items = append(items, [2]string{fmt.Sprintf("%s · %s (%s %d/%d): ", s.Student, o.Exercise, outcomeText(o), *o.Score, o.MaxScore), o.FirstFailure})
		}
	}
	if len(items) == 0 {
		return
	}
	t.Println("")
	t.Println("막힌 곳 (첫 번째로 실패한 검사):")
	for _, it := range items {
		t.Hanging(it[0], it[1])
	}
}

func writeClassJSON(w io.Writer, rep classReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// writeClassCSV writes one row per student with a UTF-8 BOM (spreadsheet
// programs then read Hangul correctly). Columns mirror the JSON, headed in
// Korean for the person who opens the file (docs/cli.md): 학생 (student),
// 출처 or 학번 (source, rep.SourceLabel), 오류 (error), 점수 (score), 만점
// (maxScore), 통과 (passed), 힌트 (hintsUsed), 시도 (attempts), then for
// every exercise <id>.상태 (status), <id>.점수, <id>.통과 시각 (passedAt),
// [<id>.서버가 받은 시각 (passedReceivedAt), a class export's only: its
// 통과 시각 is when the student's lab captured the pass],
// <id>.힌트, <id>.시도, <id>.첫 실패 (firstFailure), <id>.시도 시각
// (attemptedAt), <id>.표시 (flags in Korean, a class export's only: 참고
// 답안 봄, 마감 후 제출 …). Exercise ids and status values stay as they are; a null
// is an empty cell. Times are in rep.Loc (the instructor's time zone)
// with the offset written (timeCell).
func writeClassCSV(w io.Writer, rep classReport) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	source := rep.SourceLabel
	if source == "" {
		source = "출처"
	}
	header := []string{"학생", source, "오류", "점수", "만점", "통과", "힌트", "시도"}
	fields := []string{"상태", "점수", "통과 시각", "힌트", "시도", "첫 실패", "시도 시각", "표시"}
	if rep.Received {
		fields = slices.Insert(fields, 3, "서버가 받은 시각")
	}
	for _, st := range rep.Exercises {
		for _, f := range fields {
			header = append(header, st.ID+"."+f)
		}
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	for _, s := range rep.Students {
		errText := ""
		if s.Error != nil {
			errText = *s.Error
		}
		row := []string{grader.SafeCSVCell(s.Student), grader.SafeCSVCell(s.Source), grader.SafeCSVCell(errText), num(s.Score), num(s.MaxScore), num(s.Passed), num(s.HintsUsed), num(s.Attempts)}
		for _, st := range rep.Exercises {
			o, ok := s.outcome(st.ID)
			if !ok {
				row = append(row, make([]string, len(fields))...)
				continue
			}
			status := o.Status
			if o.StateText != "" {
				status = o.StateText // a class export: the board's words
			}
			row = append(row, grader.SafeCSVCell(status), num(o.Score), timeCell(o.PassedAt, rep.Loc))
			if rep.Received {
				row = append(row, timeCell(o.PassedReceivedAt, rep.Loc))
			}
			row = append(row, num(o.HintsUsed), num(o.Attempts), grader.SafeCSVCell(o.FirstFailure), timeCell(o.AttemptedAt, rep.Loc), api.FlagsText(o.Flags))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// timeCell is a CSV cell for a time in loc (nil: time.Local), with its
// offset (server.CSVTimeLayout); empty for null.
func timeCell(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return server.CSVTime(*t, loc)
}

// unsubmittedResult is the JUnit stand-in for a class exercise the student
// never submitted: failed, 0 points of its maximum, one failing check
// "submitted" whose message is the Korean "제출 없음".
//
// A class export's exercise with submissions but none that scores says
// why instead (exportStatus): passed only after the freeze, or only late
// or "not started" submissions.
func unsubmittedResult(o exerciseOutcome) grader.Result {
	msg := "제출 없음: 이 연습을 한 번도 제출하지 않았습니다 (0점)"
	switch o.Status {
	case statusPassedLate:
		msg = "늦은 통과: 제출 마감 뒤에 받은 제출만 통과했습니다 (마감 후 제출은 점수에 들어가지 않음, 0점)"
	case statusInProgress:
		msg = "점수가 되는 제출 없음: 마감 후 제출이나 데몬셋이 없는 '시작 전' 제출만 있습니다 (0점)"
	}
	return grader.Result{Exercise: o.Exercise, Status: grader.StatusFailed, MaxScore: o.MaxScore, Checks: []grader.CheckResult{{
		ID: "submitted", MaxPoints: o.MaxScore,
		Message: msg,
	}}}
}

// writeClassJUnit writes one testsuite per student and graded exercise
// (not-started exercises are left out, except in a class export where
// rep.Unsubmitted makes each a failing "제출 없음" testcase); an
// unreachable student is a suite with one erroring testcase. Students sharing a name are named
// "이름 (출처)" so their suites never collide.
func writeClassJUnit(w io.Writer, rep classReport) error {
	legacy := grader.ClassReport{}
	for _, st := range rep.Exercises {
		legacy.Exercises = append(legacy.Exercises, st.ID)
	}
	names := map[string]int{}
	for _, s := range rep.Students {
		names[s.Student]++
	}
	for _, s := range rep.Students {
		sr := grader.StudentResult{Student: s.Student, Source: s.Source}
		if names[s.Student] > 1 && s.Source != "" {
			// Two students of one name are two suites, told apart by
			// their source (학번 in a class export).
			sr.Student = s.Student + " (" + s.Source + ")"
		}
		if s.Error != nil {
			sr.Error = *s.Error
		}
		for _, o := range s.Exercises {
			switch {
			case o.Result != nil:
				sr.Results = append(sr.Results, *o.Result)
			case rep.Unsubmitted:
				sr.Results = append(sr.Results, unsubmittedResult(o))
			}
		}
		sr.Totals()
		legacy.Students = append(legacy.Students, sr)
	}
	return grader.WriteClassJUnit(w, legacy)
}
