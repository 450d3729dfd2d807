package grader

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// StudentResult is one student's cluster graded on every exercise, or the
// reason it could not be graded.
type StudentResult struct {
	Student string   `json:"student"`
	Source  string   `json:"source,omitempty"` // context name or kubeconfig path
	Error   string   `json:"error,omitempty"`
	Score   int      `json:"score"`
	Max     int      `json:"maxScore"`
	Results []Result `json:"results,omitempty"`
}

// ClassReport is a class graded on a list of exercises.
type ClassReport struct {
	Exercises []string        `json:"exercises"`
	Students  []StudentResult `json:"students"`
}

// Totals fills Score and Max from the results.
func (s *StudentResult) Totals() {
	s.Score, s.Max = 0, 0
	for _, r := range s.Results {
		s.Score += r.Score
		s.Max += r.MaxScore
	}
}

func (s StudentResult) result(id string) (Result, bool) {
	for _, r := range s.Results {
		if r.Exercise == id {
			return r, true
		}
	}
	return Result{}, false
}

func (c ClassReport) cell(s StudentResult, id string) string {
	if s.Error != "" {
		return "-"
	}
	r, ok := s.result(id)
	if !ok || r.Status == StatusNotStarted {
		return "-"
	}
	return fmt.Sprintf("%d/%d", r.Score, r.MaxScore)
}

// WriteClassText prints the class table (student × exercise, score),
// aligned by display width (Hangul is two cells wide).
func WriteClassText(w io.Writer, c ClassReport) error {
	header := append([]string{"학생"}, c.Exercises...)
	header = append(header, "합계", "비고")
	rows := [][]string{header}
	for _, s := range c.Students {
		row := []string{s.Student}
		for _, id := range c.Exercises {
			row = append(row, c.cell(s, id))
		}
		note := ""
		if s.Error != "" {
			row = append(row, "-")
			note = "채점 불가: " + s.Error
		} else {
			row = append(row, fmt.Sprintf("%d/%d", s.Score, s.Max))
		}
		rows = append(rows, append(row, note))
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for i, cell := range r[:len(r)-1] {
			widths[i] = max(widths[i], runewidth.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i, cell := range r {
			if i == len(r)-1 {
				line.WriteString(cell)
				break
			}
			line.WriteString(runewidth.FillRight(cell, widths[i]))
			line.WriteString("  ")
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteClassCSV writes one row per student: student, source, one score per
// exercise, total, max, error.
func WriteClassCSV(w io.Writer, c ClassReport) error {
	cw := csv.NewWriter(w)
	header := []string{"student", "source"}
	header = append(header, c.Exercises...)
	header = append(header, "score", "maxScore", "error")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, s := range c.Students {
		row := []string{SafeCSVCell(s.Student), SafeCSVCell(s.Source)}
		for _, id := range c.Exercises {
			if r, ok := s.result(id); ok && s.Error == "" {
				row = append(row, fmt.Sprint(r.Score))
			} else {
				row = append(row, "")
			}
		}
		if s.Error != "" {
			row = append(row, "", "", SafeCSVCell(s.Error))
		} else {
			row = append(row, fmt.Sprint(s.Score), fmt.Sprint(s.Max), "")
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCSVCell neutralises a text cell against CSV formula injection the
// OWASP way (https://owasp.org/www-community/attacks/CSV_Injection): a
// cell starting with '=', '+', '-', '@', a tab or a carriage return gets a
// leading single quote, so Excel and LibreOffice show it as text instead
// of running it as a formula. Every other string is returned unchanged.
// Use it for every text cell a person or client supplied (names, roster
// ids, messages); numbers the tool writes itself stay as they are.
func SafeCSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteClassJSON writes the report as JSON.
func WriteClassJSON(w io.Writer, c ClassReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}

// WriteClassJUnit writes one testsuite per student and exercise; a student
// whose cluster could not be graded is a suite with one erroring testcase.
func WriteClassJUnit(w io.Writer, c ClassReport) error {
	out := junitSuites{Name: "dslab-class"}
	for _, s := range c.Students {
		if s.Error != "" {
			js := junitSuite{Name: s.Student, Tests: 1, Errors: 1, Cases: []junitCase{{
				Name: "cluster", Classname: s.Student, Error: &junitFailure{Message: s.Error, Type: "unreachable"},
			}}}
			out.Tests++
			out.Errors++
			out.Suites = append(out.Suites, js)
			continue
		}
		for _, r := range s.Results {
			js := suiteFor(s.Student+".", r)
			out.Tests += js.Tests
			out.Failures += js.Failures
			out.Suites = append(out.Suites, js)
		}
	}
	return writeXML(w, out)
}
