package grader

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteText prints results for a person, in Korean.
func WriteText(w io.Writer, results []Result) error {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n")
		}
		title := r.Exercise
		if r.Title != "" {
			title += " — " + r.Title
		}
		// The state word and score as every screen shows them (Badge).
		fmt.Fprintf(&b, "연습 %s: %s\n", title, r.Badge())
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  참고: %s\n", n)
		}
		// Nothing graded yet (시작 전, 시작함, nothing of the exercise in
		// the cluster): the checks are what will be
		// graded, listed without a verdict (the TUI's checklist does the
		// same); their shared reason is said once.
		if r.Pending() {
			writePendingChecks(&b, r.Checks)
			continue
		}
		// A cause several failed checks share (a DaemonSet in the wrong
		// namespace fails all of them: issue 14 printed the same three
		// lines five times) is said under the first; the others refer to
		// it.
		count := map[string]int{}
		for _, c := range r.Checks {
			if !c.Passed && c.Message != "" {
				count[c.Message]++
			}
		}
		firstWith := map[string]string{}
		for _, c := range r.Checks {
			m := "✓"
			if !c.Passed {
				m = "✗"
			}
			// The Korean title first; the check's id (what --check and
			// the JSON report use) after it.
			name := c.ID
			if c.Title != "" {
				name = c.Title + " (" + c.ID + ")"
			}
			fmt.Fprintf(&b, "  %s %s [%d/%d]\n", m, name, c.Points, c.MaxPoints)
			switch first, seen := firstWith[c.Message]; {
			case c.Message == "":
			case seen && !c.Passed:
				fmt.Fprintf(&b, "      원인은 위 %s 항목과 같습니다\n", first)
			default:
				if !c.Passed && count[c.Message] > 1 {
					firstWith[c.Message] = c.ID
				}
				msg := c.Message
				if !c.Passed && r.LastApplyFailure != nil {
					// Issue 14: the advice is about the object the
					// cluster still holds, not the file that failed.
					msg = BeforeFailedApplyLead + msg
				}
				fmt.Fprintf(&b, "      %s\n", msg)
			}
			if c.Warning != "" {
				fmt.Fprintf(&b, "      ! 경고: %s\n", c.Warning)
			}
			writeNodeLines(&b, c)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// BeforeFailedApplyLead starts advice about the cluster's object while the
// last apply of the work file failed: it is the object from before that
// apply, and the advice may ask for what the failed file already says.
const BeforeFailedApplyLead = "(마지막 적용이 실패해 클러스터에는 그 전의 오브젝트가 있습니다) "

// Mark is r's verdict word in Korean (StatusWord): 시작 전, 시작함,
// 진행 중, 통과, or 미통과 for a grade that belongs to no learner's state
// (a snapshot file, a student's cluster) and does not pass.
func (r Result) Mark() string { return StatusWord(r.statusOrVerdict()) }

// StatusWord is the one Korean word of an exercise's state or a grade's
// status, the same on every screen (the TUI's header and node map,
// `dslab grade`, `grade --all`, `dslab progress`; internal/progress's
// ExerciseState.Korean returns it too): 통과, 진행 중, 시작함, 시작 전, and
// 미통과 for StatusFailed.
func StatusWord(status string) string {
	switch status {
	case StatusPassed:
		return "통과"
	case StatusInProgress:
		return "진행 중"
	case StatusStarted:
		return "시작함"
	case StatusFailed:
		return "미통과"
	}
	return "시작 전"
}

// ScoreBadge is the one display of a state and its score: "진행 중 ·
// 7/10점", "통과 · 10/10점"; without a score (시작함, 시작 전) the full
// marks, "시작함 · 10점 만점"; now, when set, is a live score below a pass
// that stays earned (passed before, then reset or changed, re-started):
// "통과 기록 · 지금 5/10점" — the pass is the record's, the score the
// cluster's now (issue 14: the exercise screen said "통과 · 지금 4/10점"
// while 진행 현황 said "✓ 통과").
func ScoreBadge(status string, score, maxScore int, hasScore bool, now *int) string {
	word := StatusWord(status)
	switch {
	case !hasScore:
		return fmt.Sprintf("%s · %d점 만점", word, maxScore)
	case now != nil:
		return fmt.Sprintf("%s 기록 · 지금 %d/%d점", word, *now, maxScore)
	}
	return fmt.Sprintf("%s · %d/%d점", word, score, maxScore)
}

// RecordedPassBadge is ScoreBadge's pass while nothing of the exercise is
// in the cluster now — prepared again (r r, dslab exercise reset) or its
// DaemonSet deleted (issue 14: "통과 · 10/10점" above a body saying the
// DaemonSet is not there): "통과 기록 10/10점 · 클러스터에 없음", the pass
// kept, the state of the cluster said. dslab grade (Result.Badge), the
// TUI's header and node map (progress.Standing.Absent) say it alike.
func RecordedPassBadge(score, maxScore int) string {
	return fmt.Sprintf("%s 기록 %d/%d점 · 클러스터에 없음", StatusWord(StatusPassed), score, maxScore)
}

// AbsentTargetNote is what every screen says when a grade finds no
// target DaemonSet of an exercise (the TUI's grade panel, dslab grade's
// checks): the truth about the cluster now, never a guess at why — the
// DaemonSet may have been made and deleted since, so only an exercise
// with nothing applied yet says 아직.
//   - recordedPass (a pass kept in the records, nothing in the cluster now):
//     "통과 기록은 남아 있지만 지금 클러스터에는 데몬셋 X 가 없습니다";
//   - attempted (in progress: the learner applied something before):
//     "데몬셋 X 가 지금 클러스터에 없습니다";
//   - otherwise: "데몬셋 X 가 아직 없습니다".
func AbsentTargetNote(target string, recordedPass, attempted bool) string {
	switch {
	case recordedPass:
		return fmt.Sprintf("통과 기록은 남아 있지만 지금 클러스터에는 데몬셋 %s 없습니다", iga(target))
	case attempted:
		return fmt.Sprintf("데몬셋 %s 지금 클러스터에 없습니다", iga(target))
	}
	return fmt.Sprintf("데몬셋 %s 아직 없습니다", iga(target))
}

// HasScore reports whether r's score is the learner's: not for 시작 전 or
// 시작함 (nothing of the learner's graded yet; shown as the full marks).
func (r Result) HasScore() bool {
	return r.Status != StatusNotStarted && r.Status != StatusStarted
}

// Badge is r's state and score as ScoreBadge says them: a result whose
// status is passed (a pass that stays earned) while its checks do not
// pass now shows its live score, "통과 기록 · 지금 5/10점" (not when the grade
// found nothing to grade: RecordedPassBadge then).
func (r Result) Badge() string {
	if r.Status == StatusPassed && r.NothingGraded {
		return RecordedPassBadge(r.Score, r.MaxScore)
	}
	var now *int
	if r.Status == StatusPassed && !r.Passed && !r.NothingGraded {
		now = &r.Score
	}
	return ScoreBadge(r.statusOrVerdict(), r.Score, r.MaxScore, r.HasScore(), now)
}

// statusOrVerdict is r.Status, or passed/failed by r.Passed when unset.
func (r Result) statusOrVerdict() string {
	switch {
	case r.Status != "":
		return r.Status
	case r.Passed:
		return StatusPassed
	}
	return StatusFailed
}

// AlreadyMet is said after a check of a 시작함 result that the state the
// exercise was prepared in already meets: true, but not the learner's
// work, so no ✓ and no points.
const AlreadyMet = "준비된 상태에서 이미 맞음 (아직 점수 아님)"

// writePendingChecks lists checks not graded yet: "· title (id) [N점]",
// and the reason they share (or each one's) once, without ✗; a check the
// prepared state already meets says AlreadyMet.
func writePendingChecks(b *strings.Builder, checks []CheckResult) {
	if len(checks) == 0 {
		return
	}
	shared := checks[0].Message
	for _, c := range checks[1:] {
		if c.Message != shared {
			shared = ""
			break
		}
	}
	if shared != "" {
		fmt.Fprintf(b, "  %s\n", shared)
	}
	fmt.Fprintf(b, "  채점할 항목:\n")
	for _, c := range checks {
		name := c.ID
		if c.Title != "" {
			name = c.Title + " (" + c.ID + ")"
		}
		// A check the prepared state already meets is not earned: said
		// so, without ✓ or points (the TUI's checklist says the same).
		already := ""
		if c.Passed {
			already = " — " + AlreadyMet
		}
		fmt.Fprintf(b, "  · %s [%d점]%s\n", name, c.MaxPoints, already)
		if shared == "" && c.Message != "" {
			fmt.Fprintf(b, "      %s\n", c.Message)
		}
	}
}

// writeNodeLines prints a check's node lines, each explanation once: nodes
// with the same verdict, reason and expected/actual state share one line
// ("✗ a, b: reason"), and a reason the check's message already says is not
// repeated ("✗ a (기대: …, 실제: …)"). Passed nodes of a passed check are
// left out.
func writeNodeLines(b *strings.Builder, c CheckResult) {
	type group struct {
		nodes []string
		n     NodeResult
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, n := range c.Nodes {
		if n.Passed && c.Passed {
			continue
		}
		key := fmt.Sprint(n.Passed, "\x00", n.Reason, "\x00", n.Expected, "\x00", n.Actual)
		if g := byKey[key]; g != nil {
			g.nodes = append(g.nodes, n.Node)
			continue
		}
		g := &group{nodes: []string{n.Node}, n: n}
		byKey[key] = g
		groups = append(groups, g)
	}
	for _, g := range groups {
		nm := "✓"
		if !g.n.Passed {
			nm = "✗"
		}
		reason := ": " + g.n.Reason
		if g.n.Reason == "" || strings.Contains(c.Message, g.n.Reason) {
			reason = ""
		}
		fmt.Fprintf(b, "      %s %s%s (기대: %s, 실제: %s)\n", nm, strings.Join(g.nodes, ", "), reason, StateText(g.n.Expected), StateText(g.n.Actual))
	}
}

// WriteJSON writes one result as an object, several as an array.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(results) == 1 {
		return enc.Encode(results[0])
	}
	if results == nil {
		results = []Result{}
	}
	return enc.Encode(results)
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr,omitempty"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitFailure `xml:"skipped,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func suiteFor(prefix string, r Result) junitSuite {
	s := junitSuite{Name: prefix + r.Exercise}
	for _, c := range r.Checks {
		jc := junitCase{Name: c.ID, Classname: prefix + r.Exercise, SystemOut: fmt.Sprintf("%d/%d점: %s", c.Points, c.MaxPoints, c.Message)}
		if c.Warning != "" {
			jc.SystemOut += "\n경고: " + c.Warning
		}
		if r.Pending() {
			// Not graded yet (시작 전, 시작함, nothing in the cluster).
			jc.Skipped = &junitFailure{Message: c.Message, Type: r.statusOrVerdict()}
			s.Skipped++
		} else if !c.Passed {
			var detail []string
			for _, n := range c.FailedNodes() {
				detail = append(detail, fmt.Sprintf("%s: %s (기대: %s, 실제: %s)", n.Node, n.Reason, StateText(n.Expected), StateText(n.Actual)))
			}
			jc.Failure = &junitFailure{Message: c.Message, Type: "check", Text: strings.Join(detail, "\n")}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	return s
}

// WriteJUnit writes results as JUnit XML: one testsuite per exercise, one
// testcase per check.
func WriteJUnit(w io.Writer, results []Result) error {
	out := junitSuites{Name: "dslab"}
	for _, r := range results {
		s := suiteFor("", r)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Suites = append(out.Suites, s)
	}
	return writeXML(w, out)
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
