package app

import (
	"fmt"
	"strings"

	"github.com/dslab-kr/dslab/grader"
)

// writeGradeText is `dslab grade`'s text output: grader.WriteText wrapped to
// the terminal width by display cells, then a one-line summary.
func writeGradeText(t textOut, results []grader.Result) error {
	writeApplyFailures(t, results) // gradeapply.go: said first
	var b strings.Builder
	if err := grader.WriteText(&b, results); err != nil {
		return err
	}
	text := strings.TrimRight(b.String(), "\n") + "\n\n" + gradeSummary(results) + "\n"
	t.Print(text)
	return nil
}

// gradeSummary is the last line of a text grade report. One exercise:
// the score, the checks passed and the verdict. Several: the exercises
// passed first (and how many are not started), the score, then the checks
// passed of the started exercises only, so that "16/16" cannot read as
// "everything passed".
func gradeSummary(results []grader.Result) string {
	var score, maxScore, checks, passedChecks, passed, notStarted int
	for _, r := range results {
		score += r.Score
		maxScore += r.MaxScore
		if r.Passed {
			passed++
		}
		if r.Status == grader.StatusNotStarted && len(results) > 1 {
			notStarted++
			continue
		}
		for _, c := range r.Checks {
			checks++
			if c.Passed {
				passedChecks++
			}
		}
	}
	if len(results) == 1 && checks == 0 {
		// A result from the records alone (no cluster): no checks to count.
		return fmt.Sprintf("요약: 점수 %d/%d점 · %s", score, maxScore, resultMark(results[0]))
	}
	if len(results) == 1 {
		return fmt.Sprintf("요약: 점수 %d/%d점 · 통과한 채점 항목 %d/%d · %s", score, maxScore, passedChecks, checks, resultMark(results[0]))
	}
	s := fmt.Sprintf("요약: 통과한 연습 %d/%d", passed, len(results))
	if notStarted > 0 {
		s += fmt.Sprintf(" (시작 전 %d)", notStarted)
	}
	return s + fmt.Sprintf(" · 점수 %d/%d점 · 시작한 연습의 채점 항목 %d/%d 통과", score, maxScore, passedChecks, checks)
}

// resultMark is a result's verdict word (grader.Result.Mark).
func resultMark(r grader.Result) string { return r.Mark() }
