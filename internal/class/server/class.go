package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// InstructorTokenFile is the instructor token's file name in the data dir.
const InstructorTokenFile = "instructor-token"

// Setup opens or creates the class in st. A new class gets a join code and
// an instructor token written to tokenFile (mode 0600). An existing class
// keeps both; its token is read from tokenFile, and when that file is
// missing (another replica created the class) token is "" — unless
// tokenFile is missing and the class is new, nothing is changed.
func Setup(ctx context.Context, st store.Store, title string, exs []string, tokenFile string) (c store.Class, token string, err error) {
	if b, err := os.ReadFile(tokenFile); err == nil {
		token = strings.TrimSpace(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return c, "", fmt.Errorf("강사 토큰 파일을 읽을 수 없습니다: %w", err)
	}
	fresh := token == ""
	if fresh {
		token = NewToken("dsi_")
	}
	c, created, err := st.EnsureClass(ctx, store.Class{Title: title, JoinCode: NewJoinCode(), InstructorTokenHash: HashToken(token), Exercises: exs})
	if err != nil {
		return c, "", fmt.Errorf("수업을 열 수 없습니다: %w", err)
	}
	switch {
	case created && fresh:
		if err := writeSecret(tokenFile, token); err != nil {
			return c, "", err
		}
	case !created && fresh:
		// The class exists and this machine has no token file: the
		// token is with whoever created the class.
		return c, "", nil
	case HashToken(token) != c.InstructorTokenHash:
		return c, "", fmt.Errorf("강사 토큰 파일의 토큰이 이 수업의 토큰과 다릅니다 (%s): 다른 수업의 --data 를 쓰고 있지 않은지 확인하세요", tokenFile)
	}
	return c, token, nil
}

// ChangeClass applies an explicit change of a resumed class (serve run
// again with --title and/or --exercises; a nil title or exs keeps it) to
// st, stored with an EventClassChanged event. It returns the class as
// stored now and one Korean line per change (nil when nothing changed).
// An exercise removed from the list keeps its submissions in the store
// (and in `export --submissions`) but leaves the board, the score table
// and new submissions; the line says how many it had.
func ChangeClass(ctx context.Context, st store.Store, c store.Class, title *string, exs []string) (store.Class, []string, error) {
	var lines []string
	newTitle, newExs := c.Title, c.Exercises
	if title != nil && *title != c.Title {
		lines = append(lines, fmt.Sprintf("수업 이름을 바꿉니다: %q → %q", c.Title, *title))
		newTitle = *title
	}
	if exs != nil && !slices.Equal(exs, c.Exercises) {
		list := func(ids []string) string {
			if len(ids) == 0 {
				return "모든 연습"
			}
			return strings.Join(ids, ", ")
		}
		lines = append(lines, fmt.Sprintf("연습 목록을 바꿉니다: %s → %s", list(c.Exercises), list(exs)))
		if len(exs) > 0 {
			subs, err := st.Submissions(ctx, 0, false)
			if err != nil {
				return c, nil, err
			}
			count := map[string]int{}
			for _, s := range subs {
				count[s.Exercise]++
			}
			removed := c.Exercises
			if len(removed) == 0 {
				for id := range count {
					removed = append(removed, id)
				}
				slices.Sort(removed)
			}
			for _, id := range removed {
				if !slices.Contains(exs, id) && count[id] > 0 {
					lines = append(lines, fmt.Sprintf("  목록에서 뺀 연습 %s 의 제출 %d건은 저장소에 남습니다 (보드와 점수표에서는 빠지고, dslab class export --submissions 에는 남습니다; 다시 넣으면 다시 보입니다)", id, count[id]))
				}
			}
		}
		newExs = exs
	}
	if lines == nil {
		return c, nil, nil
	}
	if err := st.UpdateClass(ctx, newTitle, newExs); err != nil {
		return c, nil, fmt.Errorf("수업 설정을 바꾸지 못했습니다: %w", err)
	}
	c.Title, c.Exercises = newTitle, newExs
	return c, lines, nil
}

// writeSecret writes data to path (mode 0600) atomically.
func writeSecret(path, data string) error {
	return atomicfile.WriteFile(path, []byte(data+"\n"), 0o700)
}

// BuildExport reads the whole class from st: roster, every submission
// (snapshots only when withSnapshots) and the class table built from the
// submission that counts per student and exercise (CountedSubmission: a
// pass stays, late submissions never change a score). Every student has a
// result for every exercise of the class: one never submitted is
// not-started with 0 points, so maxScore is the same for every student
// (the sum of the class's exercises' maxima).
func BuildExport(ctx context.Context, st store.Store, cat *exercises.Catalog, withSnapshots bool, now time.Time) (api.Export, error) {
	c, err := st.GetClass(ctx)
	if err != nil {
		return api.Export{}, err
	}
	students, err := st.Students(ctx)
	if err != nil {
		return api.Export{}, err
	}
	subs, err := st.Submissions(ctx, 0, withSnapshots)
	if err != nil {
		return api.Export{}, err
	}
	exIDs := c.Exercises
	if len(exIDs) == 0 {
		exIDs = cat.IDs()
	}
	exp := api.Export{
		Class:       api.ExportClass{Title: c.Title, Exercises: exIDs, Created: c.Created},
		Report:      grader.ClassReport{Exercises: exIDs, Students: []grader.StudentResult{}},
		Students:    []api.ExportStudent{},
		Submissions: []api.ExportSubmission{},
		Exported:    now.UTC(),
	}
	byID := map[int64]store.Student{}
	latest := map[int64]map[string]store.Submission{}
	for _, s := range students {
		byID[s.ID] = s
		exp.Students = append(exp.Students, api.ExportStudent{RosterID: s.RosterID, Name: s.Name, Joined: s.Joined})
	}
	for _, sub := range subs {
		s, listed := byID[sub.StudentID]
		if !listed {
			continue // a removed student (store.RemoveStudent): not in the export
		}
		es := api.ExportSubmission{ID: sub.ID, RosterID: s.RosterID, Name: s.Name, Exercise: sub.Exercise, Status: sub.Status,
			Score: sub.Score, MaxScore: sub.MaxScore, GraderVersion: sub.GraderVersion, ReceivedAt: sub.ReceivedAt,
			ClientTime: sub.ClientTime, CreatedAt: sub.CreatedAt, Flags: sub.Flags, Result: json.RawMessage(sub.Result)}
		if es.Flags == nil {
			es.Flags = []string{}
		}
		if withSnapshots {
			es.Snapshot = json.RawMessage(sub.Snapshot)
		}
		exp.Submissions = append(exp.Submissions, es)
		if latest[sub.StudentID] == nil {
			latest[sub.StudentID] = map[string]store.Submission{}
		}
		cur, ok := latest[sub.StudentID][sub.Exercise]
		var curp *store.Submission
		if ok {
			curp = &cur
		}
		if Counts(curp, sub) { // ids ascend: receive order
			latest[sub.StudentID][sub.Exercise] = sub
		}
	}
	attempts, err := exportAttempts(subs, exIDs)
	if err != nil {
		return exp, err
	}
	hints, lab, err := exportHints(ctx, st, cat, students, exIDs)
	if err != nil {
		return exp, err
	}
	for i, s := range students {
		exp.Students[i].Attempts = withLabAttempts(attempts[s.ID], lab[s.ID])
		exp.Students[i].Hints = hints[s.ID]
		sr := grader.StudentResult{Student: s.Name, Source: s.RosterID}
		for _, id := range exIDs {
			sub, ok := latest[s.ID][id]
			if !ok {
				// Not submitted: 0 points of the exercise's maximum, so
				// every student's maxScore is the whole class's.
				r := grader.Result{Exercise: id, Status: grader.StatusNotStarted, Checks: []grader.CheckResult{}}
				if ex, err := cat.Get(id); err == nil {
					r.Title, r.MaxScore = ex.Title, ex.Spec.MaxScore()
				}
				sr.Results = append(sr.Results, r)
				continue
			}
			var r grader.Result
			if err := json.Unmarshal(sub.Result, &r); err != nil {
				return exp, fmt.Errorf("submission %d: %w", sub.ID, err)
			}
			sr.Results = append(sr.Results, r)
		}
		sr.Totals()
		exp.Report.Students = append(exp.Report.Students, sr)
	}
	return exp, nil
}

// exportAttempts sums up each student's submissions (by student id) per
// class exercise, in exIDs order; subs are in receive order.
func exportAttempts(subs []store.Submission, exIDs []string) (map[int64][]api.ExportAttempts, error) {
	type key struct {
		student  int64
		exercise string
	}
	sums := map[key]*api.ExportAttempts{}
	for _, sub := range subs {
		k := key{sub.StudentID, sub.Exercise}
		a := sums[k]
		if a == nil {
			a = &api.ExportAttempts{Exercise: sub.Exercise}
			sums[k] = a
		}
		a.Count++
		a.Submissions++
		if sub.ReceivedAt.After(a.Last) {
			a.Last = sub.ReceivedAt
		}
		if sub.Status != api.StatusFailed {
			continue
		}
		a.Failed++
		if a.Failed == 1 {
			var r grader.Result
			if err := json.Unmarshal(sub.Result, &r); err != nil {
				return nil, fmt.Errorf("submission %d: %w", sub.ID, err)
			}
			a.FirstFailure = FirstFailure(r)
		}
	}
	out := map[int64][]api.ExportAttempts{}
	seen := map[int64]bool{}
	for _, sub := range subs {
		if seen[sub.StudentID] {
			continue
		}
		seen[sub.StudentID] = true
		for _, id := range exIDs {
			if a := sums[key{sub.StudentID, id}]; a != nil {
				a.Last = a.Last.UTC()
				out[sub.StudentID] = append(out[sub.StudentID], *a)
			}
		}
	}
	return out, nil
}

// labAttempts is what a student's snapshots of one exercise say of the
// lab's attempts: the most applies any says (nil: none said) and the
// first failing check's reason of the first failing submission whose
// snapshot shows the cluster settled (api.Settled; "" when none).
type labAttempts struct {
	applies      *int
	firstFailure string
}

// withLabAttempts sets the attempts of a student (exportAttempts) from
// the lab's own records: Count is the lab's apply count when a snapshot
// said it (Submissions keeps the number stored), and FirstFailure the
// first settled failure's reason when there was one (issue 12: 10 시도
// for 3 edits and a reset; 첫 실패 "실제 Ready 파드: []" of a moment
// mid-rollout).
func withLabAttempts(as []api.ExportAttempts, lab map[string]labAttempts) []api.ExportAttempts {
	for i := range as {
		l := lab[as[i].Exercise]
		if l.applies != nil {
			as[i].Count = *l.applies
		}
		if l.firstFailure != "" {
			as[i].FirstFailure = l.firstFailure
		}
	}
	return as
}

// exportHints is, per student id, the hints of each class exercise (in
// exIDs order) the student had: the most any of their snapshots says they
// opened, and the instructor's unlock-hint commands for everyone (student
// id 0) or for them; and what the snapshots say of the lab's attempts
// (labAttempts, per student id and exercise). Snapshots are read one
// student at a time.
func exportHints(ctx context.Context, st store.Store, cat *exercises.Catalog, students []store.Student, exIDs []string) (map[int64][]api.ExportHints, map[int64]map[string]labAttempts, error) {
	type key struct {
		student  int64
		exercise string
	}
	unlocked := map[key]int{}
	for after := int64(0); ; {
		cmds, err := st.Commands(ctx, 0, after, 1000)
		if err != nil {
			return nil, nil, err
		}
		if len(cmds) == 0 {
			break
		}
		for _, c := range cmds {
			if c.Kind == store.CommandUnlockHint {
				unlocked[key{c.StudentID, c.Exercise}]++
			}
			after = c.Seq
		}
	}
	out := map[int64][]api.ExportHints{}
	labs := map[int64]map[string]labAttempts{}
	for _, s := range students {
		subs, err := st.Submissions(ctx, s.ID, true)
		if err != nil {
			return nil, nil, err
		}
		opened := map[string]*int{}
		lab := map[string]labAttempts{}
		for _, sub := range subs {
			f := snapshotFactsOf(sub.Snapshot)
			if n := f.HintsUsed; n != nil && (opened[sub.Exercise] == nil || *n > *opened[sub.Exercise]) {
				opened[sub.Exercise] = n
			}
			l := lab[sub.Exercise]
			if n := f.Attempts; n != nil && (l.applies == nil || *n > *l.applies) {
				l.applies = n
			}
			if l.firstFailure == "" && sub.Status == api.StatusFailed && settledSubmission(cat, sub) {
				var r grader.Result
				if json.Unmarshal(sub.Result, &r) == nil {
					l.firstFailure = FirstFailure(r)
				}
			}
			lab[sub.Exercise] = l
		}
		labs[s.ID] = lab
		for _, id := range exIDs {
			h := api.ExportHints{Exercise: id, Opened: opened[id], Unlocked: unlocked[key{0, id}] + unlocked[key{s.ID, id}]}
			if h.Opened != nil || h.Unlocked > 0 {
				out[s.ID] = append(out[s.ID], h)
			}
		}
	}
	return out, labs, nil
}

// settledSubmission reports whether sub's snapshot shows the cluster
// settled for its exercise's target (api.Settled): not a moment of a
// rollout or of the lab's reset. An exercise the catalog does not know,
// or a snapshot that cannot be read, is not.
func settledSubmission(cat *exercises.Catalog, sub store.Submission) bool {
	if cat == nil {
		return false
	}
	ex, err := cat.Get(sub.Exercise)
	if err != nil {
		return false
	}
	var snap grader.Snapshot
	if json.Unmarshal(sub.Snapshot, &snap) != nil {
		return false
	}
	return api.Settled(snap, ex.Spec.Target)
}

// FirstFailure is the first failing check's reason in r (Korean): its
// message, else the first failed node's "node: reason", else the check id;
// "" when every check passed.
func FirstFailure(r grader.Result) string { return r.FirstFailure() }

// regradeMessage is the regrade command's detail (api.RegradeText).
func regradeMessage(regraded, changed int) string { return api.RegradeText(regraded, changed) }

// RegradeAll is the one path of "re-grade the class" (the board's 모두
// 다시 채점 button, dslab class regrade --all through the server or on the
// store directly): Regrade, then the regrade command that the board's 최근
// 동작 and the students' command lists show (issue 12: the CLI's regrade
// left no trace). The message is plain Korean for students; the grader
// version is in the answer.
func RegradeAll(ctx context.Context, st store.Store, cat *exercises.Catalog, version string, now time.Time) (api.RegradeResponse, store.Command, error) {
	res, err := Regrade(ctx, st, cat, version)
	if err != nil {
		return res, store.Command{}, err
	}
	c := store.Command{Kind: store.CommandRegrade, Time: now,
		Message: regradeMessage(res.Regraded, res.Changed)}
	stored, err := st.AddCommand(ctx, c)
	return res, stored, err
}

// Regrade re-runs every stored snapshot through the current catalog and
// grader and stores the results that changed (or carry another grader
// version), each with a "regraded" event.
func Regrade(ctx context.Context, st store.Store, cat *exercises.Catalog, version string) (api.RegradeResponse, error) {
	out := api.RegradeResponse{GraderVersion: version}
	subs, err := st.Submissions(ctx, 0, true)
	if err != nil {
		return out, err
	}
	// The previous submission of each student and exercise, with its new
	// status (gradeSubmission: a DaemonSet deleted after an attempt).
	type key struct {
		student  int64
		exercise string
	}
	prevs := map[key]store.Submission{}
	for _, sub := range subs {
		ex, err := cat.Get(sub.Exercise)
		if err != nil {
			continue // an exercise this dslab no longer has
		}
		snap, err := parseSnapshot(sub.Snapshot)
		if err != nil {
			continue
		}
		k := key{sub.StudentID, sub.Exercise}
		var before *store.Submission
		if p, ok := prevs[k]; ok {
			before = &p
		}
		res, stat := gradeSubmission(ex.Spec, snap, before)
		cur := sub
		cur.Status = stat
		prevs[k] = cur
		b, err := json.Marshal(res)
		if err != nil {
			return out, err
		}
		out.Regraded++
		if bytes.Equal(b, sub.Result) && sub.GraderVersion == version && sub.Status == stat {
			continue
		}
		if err := st.UpdateResult(ctx, sub.ID, b, res.Score, res.MaxScore, stat, version); err != nil {
			return out, err
		}
		out.Changed++
	}
	return out, nil
}

// UTF8BOM makes Excel (Korean locale) read a CSV file as UTF-8.
const UTF8BOM = "\uFEFF"

// WriteExportCSV writes the class table (grader.WriteClassCSV: student,
// source = roster id, one score column per exercise, …) after a UTF-8
// byte-order mark. Text cells go through grader.SafeCSVCell.
func WriteExportCSV(w io.Writer, exp api.Export) error {
	if _, err := io.WriteString(w, UTF8BOM); err != nil {
		return err
	}
	return grader.WriteClassCSV(w, exp.Report)
}

// statusWord is the board's Korean word of a submission status
// (api.StatusMark without its icon).
func statusWord(status string) string {
	_, word := api.StatusMark(status)
	return word
}

// CSVTimeLayout is how a CSV cell writes a time: to the second, in the
// instructor's time zone with its offset, 2026-12-01 11:05:09 +09:00
// (issue 12: UTC cells read as the wrong hour in Korean Excel). JSON
// keeps RFC 3339.
const CSVTimeLayout = "2006-01-02 15:04:05 -07:00"

// CSVTime is t in loc (nil: time.Local) as CSVTimeLayout; "" for zero.
func CSVTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format(CSVTimeLayout)
}

// SubmissionsCSVHeader is the header of WriteSubmissionsCSV: Korean like
// the score CSV's (issue 12: this one was English beside a Korean score
// table). The JSON export keeps its English keys for programs.
var SubmissionsCSVHeader = []string{"제출 번호", "학번", "이름", "연습", "상태", "점수", "만점", "서버가 받은 시각", "캡처한 시각", "표시", "채점기 버전"}

// WriteSubmissionsCSV writes one row per submission (SubmissionsCSVHeader:
// id, roster id, name, exercise, status, score, max, received, client
// time, flags, grader version) after a UTF-8 byte-order mark. The status
// is the board's Korean word (api.StatusMark: 통과, 진행 중, 시작 전) and
// the flags the board's Korean words (api.FlagsText, ", " between them).
// Times are in loc (nil: the local zone) with the offset (CSVTime). Text
// cells go through grader.SafeCSVCell (CSV formula injection).
func WriteSubmissionsCSV(w io.Writer, exp api.Export, loc *time.Location) error {
	if _, err := io.WriteString(w, UTF8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(SubmissionsCSVHeader)
	subs := append([]api.ExportSubmission(nil), exp.Submissions...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].ID < subs[j].ID })
	for _, s := range subs {
		safe := grader.SafeCSVCell
		cw.Write([]string{fmt.Sprint(s.ID), safe(s.RosterID), safe(s.Name), safe(s.Exercise), safe(statusWord(s.Status)), fmt.Sprint(s.Score), fmt.Sprint(s.MaxScore),
			CSVTime(s.ReceivedAt, loc), CSVTime(s.ClientTime, loc), safe(api.FlagsText(s.Flags)), safe(s.GraderVersion)})
	}
	cw.Flush()
	return cw.Error()
}
