// Package api holds the JSON bodies of the class server's HTTP API
// (/api/v1, documented in docs/class.md), shared by the server and the
// student client. Field names are a stable contract: add, never rename.
package api

import (
	"encoding/json"
	"time"

	"github.com/dslab-kr/dslab/grader"
)

// Paths of the API.
const (
	PathJoin = "/api/v1/join"
	// PathJoinCheck answers whether a join code (and 학번) would be let in
	// without joining: install.sh asks it before downloading dslab.
	PathJoinCheck   = "/api/v1/join/check"
	PathSubmissions = "/api/v1/submissions"
	PathMe          = "/api/v1/me"
	PathExport      = "/api/v1/instructor/export"
	PathRegrade     = "/api/v1/instructor/regrade"
	PathApprove     = "/api/v1/instructor/approve"
	PathHealthz     = "/healthz"
	PathReadyz      = "/readyz"
)

// Status values of a submission.
const (
	StatusPassed     = "passed"
	StatusFailed     = "failed"
	StatusNotStarted = "not-started"
)

// Error is every non-2xx body: Error is Korean, Code machine-readable.
type Error struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	// Rejoin, on a student route's 401 (a token the server does not
	// know: the student rejoined from another computer, or was approved
	// there), says how this computer joins again: RejoinOpen when the
	// server runs with --allow-rejoin (a join just works), RejoinApproval
	// when the instructor must first run `dslab class approve 학번`. Empty
	// from older servers and on other errors.
	Rejoin string `json:"rejoin,omitempty"`
	// Class, on that same 401, is the class's title as the server has it
	// now, so that a computer whose place was taken shows the class by its
	// current name (issue 12: `class status` showed the title saved at the
	// join after a rename). Empty from older servers and on other errors.
	Class string `json:"class,omitempty"`
}

// Error.Rejoin values.
const (
	RejoinOpen     = "open"
	RejoinApproval = "approval"
)

// JoinRequest registers a student. StudentID (학번) is the roster id; when
// empty it is AutoRosterID(MachineID) — never the name, so two students of
// one name are two students. MachineID is a random id the client keeps in
// its config dir.
// AutoRosterIDPrefix starts every roster id the server made up for a
// student who joined without a 학번.
const AutoRosterIDPrefix = "auto-"

// AutoRosterID is the roster id of a student who joined without a 학번:
// "auto-" and the first 8 characters of the machine id (random hex), the
// same on every join from that machine and different between machines.
func AutoRosterID(machineID string) string {
	if len(machineID) > 8 {
		machineID = machineID[:8]
	}
	return AutoRosterIDPrefix + machineID
}

type JoinRequest struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	StudentID string `json:"studentId,omitempty"`
	MachineID string `json:"machineId"`
}

// JoinResponse carries the student token (shown once; the server keeps only
// its hash).
type JoinResponse struct {
	Token    string `json:"token"`
	RosterID string `json:"rosterId"`
	Name     string `json:"name"`
	Class    string `json:"class"`
	// Exercises are the class's exercise ids in order (every catalog
	// exercise when the class was opened without --exercises; empty from
	// a server older than that).
	Exercises []string `json:"exercises,omitempty"`
	// Rejoined is true when an existing registration was taken over.
	Rejoined bool `json:"rejoined,omitempty"`
	// CommandCursor is the seq of the newest instructor command when this
	// machine joined: commands up to it were sent before this machine was
	// in the class. Only unlock-hint still applies (AppliesBeforeJoin);
	// the others (broadcasts, a reset meant for the student's earlier
	// machine, freeze notes) are moved past without applying them.
	// 0 from a server older than this field.
	CommandCursor int64 `json:"commandCursor,omitempty"`
}

// OneShotCommand reports whether kind is an instructor command that acts
// once on the lab (reset-exercise) rather than setting state a new machine
// must also get (JoinResponse.CommandCursor).
func OneShotCommand(kind string) bool { return kind == CommandResetExercise }

// AppliesBeforeJoin reports whether a command sent before a machine joined
// (seq <= JoinResponse.CommandCursor) still acts on that machine: only
// unlock-hint, which sets state the student needs (an opened hint stays
// open). Everything else from before the join is history, not news — a
// broadcast from yesterday is not a new alert, a reset was for the
// student's earlier machine, a freeze/regrade note is told by the board —
// and the client moves past it (client.ApplyResult.Earlier, with its
// server time). Issue 12: a new joiner got yesterday's broadcasts as new.
func AppliesBeforeJoin(kind string) bool { return kind == CommandUnlockHint }

// JoinCheckResponse is the 200 answer of GET
// PathJoinCheck?code=…[&studentId=…][&machineId=…]: the code is right and,
// for that 학번, joining is open (or the student is on the roster) and the
// join would be let in (the 학번 is new, or joined from machineId, or a
// rejoin is approved). A wrong code is 403 wrong-code (and counts against
// the IP like a join), a closed class 403 join-closed, a 학번 joined from
// another machine without approval 409 needs-approval.
type JoinCheckResponse struct {
	Class string `json:"class"`
}

// SubmitRequest is one snapshot for one exercise. The server ignores any
// verdict the client computed and grades Snapshot itself.
type SubmitRequest struct {
	// IdempotencyKey is 16–128 characters of [A-Za-z0-9_-], chosen by the
	// client once per submission and reused on every retry.
	IdempotencyKey string `json:"idempotencyKey"`
	Exercise       string `json:"exercise"`
	// CreatedAt is when the client captured the snapshot; SentAt the
	// client's clock when it sent this request (compared with the server's
	// clock: more than 60 s apart flags clock-skew).
	CreatedAt time.Time `json:"createdAt"`
	SentAt    time.Time `json:"sentAt"`
	// Snapshot is a grader.Snapshot (versioned JSON).
	Snapshot json.RawMessage `json:"snapshot"`
}

// SubmitResponse acknowledges a stored submission (201 new, 200 a retry of
// one already stored, or Unchanged).
type SubmitResponse struct {
	ID        int64 `json:"id"`
	Duplicate bool  `json:"duplicate"`
	// Unchanged is true when the snapshot was the same as the student's
	// previous submission of the exercise apart from its capture time
	// (SameSnapshot): nothing new was stored and it is not an attempt;
	// ID, the verdict, Flags and ReceivedAt are that earlier submission's
	// (issue 12). Answered 200.
	Unchanged  bool          `json:"unchanged,omitempty"`
	Exercise   string        `json:"exercise"`
	Status     string        `json:"status"`
	Score      int           `json:"score"`
	MaxScore   int           `json:"maxScore"`
	Flags      []string      `json:"flags,omitempty"`
	ReceivedAt time.Time     `json:"receivedAt"`
	Result     grader.Result `json:"result"`
}

// MeResponse is a student's registration, newest verdict per exercise
// (Latest, by exercise id) and, per exercise, the verdict the class table,
// the board and the export count with the newest beside it when that is
// another submission (Scores; docs/class.md "점수 규칙"). A server older
// than Scores leaves it nil.
type MeResponse struct {
	RosterID string    `json:"rosterId"`
	Name     string    `json:"name"`
	Class    string    `json:"class"`
	Joined   time.Time `json:"joined"`
	// Exercises are the class's exercise ids in order, as now served
	// (JoinResponse.Exercises; they change when the instructor restarts
	// the class with another --exercises). Empty from an older server.
	Exercises []string  `json:"exercises,omitempty"`
	Latest    []Verdict `json:"latest"`
	// Scores has one entry per exercise the student submitted to, in the
	// class's exercise order (exercises outside it after, by id).
	Scores []ExerciseScore `json:"scores,omitempty"`
}

// ExerciseScore is one exercise of a student as the board shows it: the
// submission that counts (a pass stays passed; a late one never counts)
// and the newest one when it is not that one.
type ExerciseScore struct {
	Exercise string `json:"exercise"`
	// Counted is the submission the score uses; nil when every submission
	// of the exercise arrived late (after a freeze).
	Counted *Verdict `json:"counted,omitempty"`
	// Newest is the newest submission when it differs from Counted (a
	// later failing one after a pass, or a late one); nil otherwise.
	Newest *Verdict `json:"newest,omitempty"`
}

// Verdict is the server's grading of one submission.
type Verdict struct {
	SubmissionID int64     `json:"submissionId"`
	Exercise     string    `json:"exercise"`
	Status       string    `json:"status"`
	Score        int       `json:"score"`
	MaxScore     int       `json:"maxScore"`
	ReceivedAt   time.Time `json:"receivedAt"`
	// ClientTime is when the student's lab captured the snapshot (the
	// client's clock, store.Submission.ClientTime); zero from an older
	// server. A submission that waited in the outbox arrives later.
	ClientTime time.Time `json:"clientTime,omitempty"`
	Flags      []string  `json:"flags,omitempty"`
}

// ApproveRequest lets the student with RosterID join again from another
// machine.
type ApproveRequest struct {
	RosterID string `json:"rosterId"`
}

// RegradeResponse counts a regrade of every stored snapshot.
type RegradeResponse struct {
	Regraded      int    `json:"regraded"`
	Changed       int    `json:"changed"`
	GraderVersion string `json:"graderVersion"`
}

// Export is the whole class: roster, the class table (newest submission per
// student and exercise) and every submission.
type Export struct {
	Class       ExportClass        `json:"class"`
	Report      grader.ClassReport `json:"report"`
	Students    []ExportStudent    `json:"students"`
	Submissions []ExportSubmission `json:"submissions"`
	Exported    time.Time          `json:"exported"`
}

// ExportClass describes the class.
type ExportClass struct {
	Title     string    `json:"title"`
	Exercises []string  `json:"exercises"`
	Created   time.Time `json:"created"`
}

// ExportStudent is one roster entry. Attempts has one entry per class
// exercise the student submitted to, in the class's exercise order.
type ExportStudent struct {
	RosterID string           `json:"rosterId"`
	Name     string           `json:"name"`
	Joined   time.Time        `json:"joined"`
	Attempts []ExportAttempts `json:"attempts,omitempty"`
	// Hints has one entry per class exercise (in the class's order) the
	// student had hints of: opened in the lab or unlocked by the
	// instructor.
	Hints []ExportHints `json:"hints,omitempty"`
	// States has one entry per class exercise (in the class's order): the
	// board's state of that cell (CellState) and its Korean words
	// (CellStateText), filled by `dslab class export`.
	States []ExportState `json:"states,omitempty"`
}

// ExportState is one exercise's board state of a student.
type ExportState struct {
	Exercise  string `json:"exercise"`
	State     string `json:"state"`
	StateText string `json:"stateText"`
}

// ExportHints is the hints of one exercise a student had.
type ExportHints struct {
	Exercise string `json:"exercise"`
	// Opened is the most hints the student had opened in the lab, as
	// their submissions' snapshots report it (grader.Snapshot.HintsUsed);
	// nil when no snapshot said.
	Opened *int `json:"opened,omitempty"`
	// Unlocked counts the instructor's unlock-hint commands of the
	// exercise for everyone or for this student (each opens the next
	// hint, from the first).
	Unlocked int `json:"unlocked,omitempty"`
}

// ExportAttempts sums up one student's attempts at one exercise (the
// CSV's <id>.시도, <id>.시도 시각 and <id>.첫 실패 columns).
type ExportAttempts struct {
	Exercise string `json:"exercise"`
	// Count is the attempts: the lab's own apply count, the most any
	// submission's snapshot says (grader.Snapshot.Attempts); Submissions
	// when none said (an older client).
	Count int `json:"count"`
	// Submissions is every stored submission of the exercise, late ones
	// too.
	Submissions int `json:"submissions"`
	// Last is when the server received the newest of them.
	Last time.Time `json:"last"`
	// Failed counts the failing submissions; FirstFailure is the first
	// failing check's reason (Korean) of the first failing submission
	// whose snapshot shows the cluster settled (api.Settled: not a moment
	// of a rollout or of a reset), else of the first failing one; "" when
	// none failed.
	Failed       int    `json:"failed"`
	FirstFailure string `json:"firstFailure,omitempty"`
}

// ExportSubmission is one stored submission with the server's result.
type ExportSubmission struct {
	ID            int64           `json:"id"`
	RosterID      string          `json:"rosterId"`
	Name          string          `json:"name"`
	Exercise      string          `json:"exercise"`
	Status        string          `json:"status"`
	Score         int             `json:"score"`
	MaxScore      int             `json:"maxScore"`
	GraderVersion string          `json:"graderVersion"`
	ReceivedAt    time.Time       `json:"receivedAt"`
	ClientTime    time.Time       `json:"clientTime"`
	CreatedAt     time.Time       `json:"createdAt"`
	Flags         []string        `json:"flags"`
	Result        json.RawMessage `json:"result"`
	Snapshot      json.RawMessage `json:"snapshot,omitempty"`
}
