package app

import (
	"fmt"
	"strings"

	"github.com/dslab-kr/dslab/grader"
)

// writeGradeText is `dslab grade`'s text output: grader.WriteText wrapped to
// the terminal width by display cells, then a one-line summary.
func writeGradeText(t textOut, results []grader.Result) error {
	var b strings.Builder
	if err := grader.WriteText(&b, results); err != nil {
		return err
	}
	text := strings.TrimRight(b.String(), "\n") + "\n\n" + gradeSummary(results) + "\n"
	t.Print(text)
	return nil
}

// gradeSummary is the last line of a text grade report: the score, the
// checks passed, and the verdict (one exercise) or the exercises passed
// (several).
func gradeSummary(results []grader.Result) string {
	var score, maxScore, checks, passedChecks, passed int
	for _, r := range results {
		score += r.Score
		maxScore += r.MaxScore
		for _, c := range r.Checks {
			checks++
			if c.Passed {
				passedChecks++
			}
		}
		if r.Passed {
			passed++
		}
	}
	s := fmt.Sprintf("요약: 점수 %d/%d점 · 통과한 채점 항목 %d/%d", score, maxScore, passedChecks, checks)
	if len(results) == 1 {
		return s + " · " + resultMark(results[0])
	}
	return s + fmt.Sprintf(" · 통과한 연습 %d/%d", passed, len(results))
}

// resultMark is a result's verdict word, as grader.WriteText says it.
func resultMark(r grader.Result) string {
	switch {
	case r.Status == grader.StatusNotStarted:
		return "시작 전"
	case r.Status == grader.StatusInProgress:
		return "진행 중"
	case !r.Passed:
		return "미통과"
	}
	return "통과"
}
