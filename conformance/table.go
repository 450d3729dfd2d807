package conformance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// result is a spec's outcome in the table.
type result int

const (
	resultPass result = iota
	resultSkip
	resultFail
	// resultNotRun: the suite was interrupted (timeout, Ctrl-C) before the
	// spec ran. It fails the gate like a failure but says what happened.
	resultNotRun
)

// label is the Korean/English cell of a result.
func (r result) label() string {
	switch r {
	case resultPass:
		return "통과 passed"
	case resultSkip:
		return "건너뜀 skipped"
	case resultNotRun:
		return "실행 안 됨 not run"
	default:
		return "실패 failed"
	}
}

// row is one spec of the set in the table.
type row struct {
	name     string
	result   result
	runTime  time.Duration
	reasonKO string
	reasonEN string
}

// tableRows turns ginkgo reports into one row per spec of the set (specs
// outside the set's focus are left out; ginkgo reports them as skipped).
// A skipped spec gets its reason from the skips list or, when the upstream
// spec skipped itself (e2eskipper), from its own skip message; a spec
// skipped with neither is a failure of the gate ("skip without a reason").
//
// run is the focus the suite ran with: the set's, or -ginkgo.focus when given
// (a spec must match both to be listed).
//
// A spec that passed only on a retry (ginkgo flake attempts, NumAttempts > 1)
// passes when flakes lists it, with the attempt count and the listed reason;
// otherwise it is a failure of the gate ("passed only on a retry").
func tableRows(reports []types.Report, set, run specSet, skips, flakes skipList) []row {
	var rows []row
	for _, rep := range reports {
		interrupted := len(rep.SpecialSuiteFailureReasons) > 0
		for _, sr := range rep.SpecReports {
			if sr.LeafNodeType != types.NodeTypeIt {
				continue
			}
			name := sr.FullText()
			if !set.matches(name) || !run.matches(name) {
				continue
			}
			r := row{name: name, runTime: sr.RunTime}
			switch sr.State {
			case types.SpecStatePassed:
				r.result = resultPass
				if sr.NumAttempts > 1 {
					if f, ok := flakes.reason(name); ok {
						r.reasonKO = fmt.Sprintf("%d번째 시도에서 통과 — %s", sr.NumAttempts, f.reasonKO)
						r.reasonEN = fmt.Sprintf("passed on attempt %d — %s", sr.NumAttempts, f.reasonEN)
					} else {
						r.result = resultFail
						r.reasonKO = fmt.Sprintf("%d번째 시도에서야 통과 (flakes.txt 에 없는 스펙)", sr.NumAttempts)
						r.reasonEN = fmt.Sprintf("passed only on attempt %d and is not a known flake (fix it, or list it in flakes.txt with the measured cause)", sr.NumAttempts)
					}
				}
			case types.SpecStateSkipped:
				r.result = resultSkip
				if s, ok := skips.reason(name); ok {
					r.reasonKO, r.reasonEN = s.reasonKO, s.reasonEN
				} else if msg := strings.TrimSpace(sr.Failure.Message); msg != "" {
					r.reasonKO, r.reasonEN = "업스트림 스펙이 스스로 건너뜀", firstLine(msg)
				} else if interrupted {
					r.result = resultNotRun
					r.reasonKO, r.reasonEN = "실행이 중단되어 돌지 못함", "the run was interrupted before this spec: "+strings.Join(rep.SpecialSuiteFailureReasons, "; ")
				} else {
					r.result = resultFail
					r.reasonKO, r.reasonEN = "이유 없이 건너뜀", "skipped without a reason (add it to skips.txt)"
				}
			case types.SpecStatePending:
				r.result = resultSkip
				r.reasonKO, r.reasonEN = "업스트림에서 보류(pending)", "pending upstream"
			default:
				r.result = resultFail
				r.reasonEN = sr.State.String() + ": " + firstLine(sr.Failure.Message)
				r.reasonKO = "실패"
			}
			rows = append(rows, r)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	return rows
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// renderTable renders the rows as a Markdown table with a Korean/English
// summary line; runTime is the wall time of the ginkgo run.
func renderTable(setName string, rows []row, runTime time.Duration) string {
	var pass, skip, fail, notRun int
	for _, r := range rows {
		switch r.result {
		case resultPass:
			pass++
		case resultSkip:
			skip++
		case resultNotRun:
			notRun++
		default:
			fail++
		}
	}
	about := specSets()[setName].about
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — %s\n\n", setName, about)
	notRunText := ""
	if notRun > 0 {
		notRunText = fmt.Sprintf(" · 실행 안 됨 %d (not run: interrupted)", notRun)
	}
	fmt.Fprintf(&b, "통과 %d · 건너뜀 %d · 실패 %d (passed · skipped · failed)%s — 실행 시간 %s (run time) · upstream k8s.io/kubernetes v1.37.2 test/e2e · `dslab cluster up --runtime embedded`\n\n",
		pass, skip, fail, notRunText, runTime.Round(time.Second))
	b.WriteString("| 결과 result | 스펙 spec | 시간 time | 이유 reason |\n|---|---|---|---|\n")
	for _, r := range rows {
		reason := ""
		if r.reasonKO != "" || r.reasonEN != "" {
			reason = r.reasonKO + " (" + r.reasonEN + ")"
		}
		t := ""
		if r.result != resultSkip && r.result != resultNotRun {
			t = r.runTime.Round(time.Second).String()
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.result.label(), mdEscape(r.name), t, mdEscape(reason))
	}
	return b.String()
}

func mdEscape(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
