package app

import (
	"fmt"
	"strings"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/paths"
)

// writeGradeText is `dslab grade`'s text output: grader.WriteText wrapped to
// the terminal width by display cells, then a one-line summary.
func writeGradeText(t textOut, results []grader.Result, p paths.Paths) error {
	writeApplyFailures(t, results, p) // gradeapply.go: said first
	results, shared := sharedNotes(results)
	var b strings.Builder
	if err := grader.WriteText(&b, results); err != nil {
		return err
	}
	text := strings.TrimRight(b.String(), "\n") + "\n\n"
	for _, n := range shared {
		text += "참고: " + n + "\n"
	}
	text += gradeSummary(results) + "\n"
	t.Print(text)
	return nil
}

// sharedNotes takes out of results the notes that several of them give in
// the same words but for the exercise's id (grade --all printed "참고: 시작
// 전: …" under every exercise not started, issue 14): each is said once,
// returned in shared with "<연습>" for the id and how many exercises it is
// about. results is copied, never changed.
func sharedNotes(results []grader.Result) (out []grader.Result, shared []string) {
	if len(results) < 2 {
		return results, nil
	}
	key := func(r grader.Result, n string) string { return strings.ReplaceAll(n, r.Exercise, "<연습>") }
	count := map[string]int{}
	var order []string
	for _, r := range results {
		for _, n := range r.Notes {
			k := key(r, n)
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
	}
	out = make([]grader.Result, len(results))
	for i, r := range results {
		var kept []string
		for _, n := range r.Notes {
			if count[key(r, n)] < 2 {
				kept = append(kept, n)
			}
		}
		r.Notes = kept
		out[i] = r
	}
	for _, k := range order {
		if count[k] >= 2 {
			shared = append(shared, fmt.Sprintf("연습 %d개 공통 — %s", count[k], k))
		}
	}
	return out, shared
}

// gradeSummary is the last line of a text grade report. One exercise:
// its state and score as every screen shows them (grader.Result.Badge)
// and the checks passed — for 시작 전 and 시작함 the checks to grade, as
// nothing is graded yet. Several: the exercises passed first (and how
// many are 진행 중, 시작함, 시작 전), the score, then the checks passed of
// the exercises with a score only, so that "16/16" cannot read as
// "everything passed".
func gradeSummary(results []grader.Result) string {
	var score, maxScore, checks, passedChecks, passed int
	var inProgress, started, notStarted int
	for _, r := range results {
		score += r.Score
		maxScore += r.MaxScore
		switch r.Mark() {
		case grader.StatusWord(grader.StatusPassed):
			passed++
		case grader.StatusWord(grader.StatusInProgress):
			inProgress++
		case grader.StatusWord(grader.StatusStarted):
			started++
		case grader.StatusWord(grader.StatusNotStarted):
			notStarted++
		}
		if r.Pending() && len(results) > 1 {
			continue
		}
		for _, c := range r.Checks {
			checks++
			if c.Passed {
				passedChecks++
			}
		}
	}
	if len(results) == 1 {
		r := results[0]
		switch {
		case checks == 0:
			// A result from the records alone (no cluster): no checks to count.
			return "요약: " + r.Badge()
		case r.Pending():
			return fmt.Sprintf("요약: %s · 채점할 항목 %d개", r.Badge(), checks)
		}
		return fmt.Sprintf("요약: %s · 통과한 채점 항목 %d/%d", r.Badge(), passedChecks, checks)
	}
	s := fmt.Sprintf("요약: 통과한 연습 %d/%d", passed, len(results))
	var rest []string
	for _, n := range []struct {
		status string
		n      int
	}{{grader.StatusInProgress, inProgress}, {grader.StatusStarted, started}, {grader.StatusNotStarted, notStarted}} {
		if n.n > 0 {
			rest = append(rest, fmt.Sprintf("%s %d", grader.StatusWord(n.status), n.n))
		}
	}
	if len(rest) > 0 {
		s += " (" + strings.Join(rest, ", ") + ")"
	}
	s += fmt.Sprintf(" · 점수 %d/%d점", score, maxScore)
	if checks == 0 {
		// Nothing graded item by item (every exercise not started, or
		// from the records alone): no "채점 항목 0/0 통과".
		return s
	}
	return s + fmt.Sprintf(" · 점수가 있는 연습의 채점 항목 %d/%d 통과", passedChecks, checks)
}

// resultMark is a result's verdict word (grader.Result.Mark).
func resultMark(r grader.Result) string { return r.Mark() }
