package grader

import (
	"fmt"
	"time"
)

// Result is the outcome of grading one exercise. Its JSON form is the
// stable contract documented in docs/cli.md.
type Result struct {
	Exercise string `json:"exercise"`
	Title    string `json:"title,omitempty"`
	// Status is StatusPassed, StatusFailed or StatusNotStarted.
	Status   string        `json:"status"`
	Passed   bool          `json:"passed"`
	Score    int           `json:"score"`
	MaxScore int           `json:"maxScore"`
	Checks   []CheckResult `json:"checks"`
	// Notes are remarks in Korean about the grading itself (where the
	// baseline came from, what could not be verified).
	Notes []string `json:"notes,omitempty"`
	// NothingGraded is set by Grade with StatusNotStarted: the target
	// DaemonSet is not there and nothing looks like an attempt at it. It
	// stays when a learner's own lab gives the result the exercise's state
	// as its status (진행 중 or 통과 with nothing in the cluster now): the
	// checks are then listed as not graded, and the score is the recorded
	// one (Current is nil).
	NothingGraded bool `json:"nothingGraded,omitempty"`
	// LastApplyFailure is set by `dslab grade` (not by Grade) when the
	// learner's last apply of the work file from the lab failed after the
	// DaemonSet last changed: the cluster does not hold the learner's last
	// edit.
	LastApplyFailure *ApplyFailure `json:"lastApplyFailure,omitempty"`
	// RecheckAt, when set, is the earliest time at which grading the same
	// cluster state again may give another verdict although nothing in the
	// cluster changed: a check waits for time alone (a pod that must run
	// "N초 이상 끊김 없이", an eviction that must leave the window). Zero
	// when only a change in the cluster can change the verdict. A live
	// grader (the TUI's watcher) re-grades at this time.
	RecheckAt time.Time `json:"recheckAt,omitzero"`
}

// ApplyFailure is an apply of the learner's work file that kubectl apply
// refused (internal/progress.ApplyRecord of the lab).
type ApplyFailure struct {
	At time.Time `json:"at"`
	// Summary is the Korean explanation; Detail kubectl's and the API
	// server's words, whole.
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
}

// Result.Status values.
const (
	// StatusPassed: every check passed (warnings do not deduct).
	StatusPassed = "passed"
	// StatusFailed: graded, and at least one check failed.
	StatusFailed = "failed"
	// StatusNotStarted: nothing to grade — the target DaemonSet does not
	// exist (and nothing that looks like an attempt at it, such as the same
	// name in another namespace). Score 0, every check 0 points, and the
	// messages say "시작 전" without blaming the learner.
	StatusNotStarted = "not-started"
	// StatusInProgress is never set by Grade: `dslab grade --all` sets it on
	// the live result of the exercise currently started on the cluster
	// when it has not passed yet (docs/cli.md "채점 규칙").
	StatusInProgress = "in-progress"
	// StatusStarted is never set by Grade: `dslab grade --all` sets it on
	// an exercise prepared but not attempted yet (progress.StateStarted,
	// "시작함").
	StatusStarted = "started"
)

// CheckResult is the outcome of one check. Points are the points earned
// (all or nothing per check); MaxPoints what it is worth.
type CheckResult struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	Passed    bool   `json:"passed"`
	Points    int    `json:"points"`
	MaxPoints int    `json:"maxPoints"`
	Message   string `json:"message"`
	// Warning is set on a passed check whose answer reaches the asked
	// state but is broader than needed (Korean, names the risk, e.g. which
	// other taints a toleration also tolerates, effect by effect). It never
	// deducts points.
	Warning string       `json:"warning,omitempty"`
	Nodes   []NodeResult `json:"nodes"`
}

// NodeResult is what a check expected and found on one node. Expected and
// Actual are short machine-readable values ("running", "absent",
// "not-ready", "terminating", an image, a label); Reason is Korean.
type NodeResult struct {
	Node     string `json:"node"`
	Passed   bool   `json:"passed"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Reason   string `json:"reason,omitempty"`
	// Since is when the state judged here began — the creation of the
	// node's pod, for a check that counts how long it has run
	// (uninterrupted) — so that a live screen shows the age as it grows
	// rather than the one at capture time (zero for checks that count no
	// time).
	Since time.Time `json:"since,omitzero"`
}

// Placement values of NodeResult.Expected and NodeResult.Actual.
const (
	StateRunning     = "running"     // a Ready pod of the DaemonSet
	StateNotReady    = "not-ready"   // a pod that is not Ready
	StateTerminating = "terminating" // only a pod being deleted
	StateAbsent      = "absent"      // no pod
	StateNodeMissing = "node-missing"
	// StateMisscheduled is a Ready pod on a node its DaemonSet should not
	// run on now (a taint it does not tolerate, labels it does not select):
	// the controller leaves it (NoSchedule evicts nothing) and counts it in
	// status.numberMisscheduled; it never counts as placed.
	StateMisscheduled = "misscheduled"
	// StateCreatedAfterLabel is a pod made after a label was put on its
	// node (new-node's check: the controller reacted to the label).
	StateCreatedAfterLabel = "created-after-label"
)

// StateRunningAtLeast is the expected value of a node whose pod must have
// run without a break for at least seconds ("running>=60s"), and
// StateRanFor the actual value of one that has ("running 93s"); StateText
// says both in Korean.
func StateRunningAtLeast(seconds int) string { return fmt.Sprintf("running>=%ds", seconds) }

// StateRanFor: see StateRunningAtLeast.
func StateRanFor(seconds int) string { return fmt.Sprintf("running %ds", seconds) }

// Current is r's score as the learner's current score
// (progress.StandingOf's current), nil when r found nothing to grade.
func (r Result) Current() *int {
	if r.NothingGraded || r.Status == StatusNotStarted {
		return nil
	}
	s := r.Score
	return &s
}

// Pending reports whether r's checks are not graded yet: 시작 전 or 시작함
// (no score of the learner's), or nothing of the exercise to grade
// (NothingGraded). They are listed without ✓/✗ (WriteText, the TUI's
// checklist).
func (r Result) Pending() bool { return !r.HasScore() || r.NothingGraded }

// Check returns the result of the check with id, if present.
func (r Result) Check(id string) (CheckResult, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return CheckResult{}, false
}

// FailedNodes returns the nodes of a check that did not pass.
func (c CheckResult) FailedNodes() []NodeResult {
	var out []NodeResult
	for _, n := range c.Nodes {
		if !n.Passed {
			out = append(out, n)
		}
	}
	return out
}

// StateText is the Korean word for a placement value, for text reports
// (other values — images, labels — are returned as they are).
func StateText(v string) string {
	switch v {
	case StateRunning:
		return "Ready 파드"
	case StateNotReady:
		return "Ready 아닌 파드"
	case StateTerminating:
		return "종료 중인 파드"
	case StateAbsent:
		return "파드 없음"
	case StateNodeMissing:
		return "노드 없음"
	case StateMisscheduled:
		return "잘못 남은 파드(misscheduled)"
	case StateCreatedAfterLabel:
		return "레이블을 붙인 뒤 만들어진 파드"
	case "":
		return "-"
	}
	var n int
	if _, err := fmt.Sscanf(v, "running>=%ds", &n); err == nil && v == StateRunningAtLeast(n) {
		return fmt.Sprintf("%d초 이상 끊김 없이 실행 중인 Ready 파드", n)
	}
	if _, err := fmt.Sscanf(v, "running %ds", &n); err == nil && v == StateRanFor(n) {
		return fmt.Sprintf("%d초째 실행 중인 Ready 파드", n)
	}
	return v
}

// FirstFailure is the first failing check's reason (Korean): its message,
// else its first failed node's "node: reason", else the check id; "" when
// every check passed. Exports and the class server's per-exercise view
// show it as "the" reason of a failing grade.
func (r Result) FirstFailure() string {
	for _, c := range r.Checks {
		if c.Passed {
			continue
		}
		if c.Message != "" {
			return c.Message
		}
		for _, n := range c.FailedNodes() {
			if n.Reason != "" {
				return n.Node + ": " + n.Reason
			}
		}
		return c.ID
	}
	return ""
}
