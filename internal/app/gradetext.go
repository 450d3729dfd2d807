package app

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/render"
)

// cliWidth is the width, in display cells, that learner-facing CLI text
// (grade reports, exercise text, hints) wraps to: $COLUMNS when set, else
// the terminal's width when stdout is one, else 0 (not a terminal: no
// wrapping, one line per item for scripts and files).
func cliWidth(env Env) int {
	if env.Getenv != nil {
		if n, err := strconv.Atoi(env.Getenv("COLUMNS")); err == nil && n > 0 {
			return n
		}
	}
	if _, isFile := env.Streams.Out.(*os.File); isFile {
		if w, ok := terminalWidth(env.Streams.Out); ok {
			return w
		}
	}
	return 0
}

// wrapWriter writes s to w word-wrapped to width cells (render.Wrap;
// width 0 leaves it as is).
func wrapWriter(w io.Writer, width int, s string) error {
	_, err := io.WriteString(w, render.Wrap(s, width))
	return err
}

// writeGradeText is `dslab grade`'s text output: grader.WriteText wrapped to
// the terminal width by display cells, then a one-line summary.
func writeGradeText(env Env, results []grader.Result) error {
	var b strings.Builder
	if err := grader.WriteText(&b, results); err != nil {
		return err
	}
	text := strings.TrimRight(b.String(), "\n") + "\n\n" + gradeSummary(results) + "\n"
	return wrapWriter(env.Streams.Out, cliWidth(env), text)
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
