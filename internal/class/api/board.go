package api

import (
	"encoding/json"
	"time"

	"github.com/dslab-kr/dslab/grader"
)

// Paths of the live board, instructor actions and downloads (docs/class.md
// "라이브 보드").
const (
	// PathEvents streams the event log as server-sent events (instructor).
	PathEvents = "/api/v1/events"
	// PathBoard is the board's state (instructor).
	PathBoard = "/api/v1/instructor/board"
	// PathTimeline + roster id: one student's submissions and commands.
	PathTimeline = "/api/v1/instructor/timeline/"
	// PathSubmission + submission id: one submission's whole stored
	// result (SubmissionDetail), every node of every check: the details
	// a timeline entry links to when it left nodes out.
	PathSubmission = "/api/v1/instructor/submissions/"
	// PathInstructorCommands posts (and lists) instructor commands.
	PathInstructorCommands = "/api/v1/instructor/commands"
	// PathCommands is where a student fetches its commands (?after=seq).
	PathCommands = "/api/v1/commands"
	// PathBoardPage is the web board; PathBoardSession turns the
	// instructor token (sent as a bearer header by the page) into an
	// HttpOnly cookie.
	PathBoardPage    = "/board"
	PathBoardSession = "/board/session"
	// PathDownload lists the binaries the server offers; PathSums is their
	// SHA-256 sums in sha256sum(1) format.
	PathDownload = "/download/"
	PathSums     = "/download/SHA256SUMS"
	PathInstall  = "/install.sh"
)

// Command kinds (see store.Command…).
const (
	CommandBroadcast     = "broadcast"
	CommandUnlockHint    = "unlock-hint"
	CommandResetExercise = "reset-exercise"
	CommandFreeze        = "freeze"
	CommandUnfreeze      = "unfreeze"
	CommandRegrade       = "regrade"
	// CommandCloseJoin and CommandOpenJoin stop and allow new students
	// joining (students already on the roster may still rejoin); they are
	// the instructor's own and never sent to students.
	CommandCloseJoin = "close-join"
	CommandOpenJoin  = "open-join"
	// CommandRemoveStudent takes one student (rosterId) off the roster: the
	// board and the export no longer list it, its token is answered 410
	// with CodeRemoved (its client stops submitting), and its roster id
	// may join again as a new student while joining is open. Never sent
	// to students (their token no longer reads commands).
	CommandRemoveStudent = "remove-student"
)

// CodeRemoved is the error code (HTTP 410) every student route answers a
// removed student's token with; the Korean message says what happened.
const CodeRemoved = "removed"

// CodeBadExercise is the code of a submission (400) or command for an
// exercise the class does not have (not in the catalog, or not in the
// class's --exercises list). A client whose queued submission gets it
// asks /me for the class's list: when the instructor took the exercise
// out of the class, the submission is dropped, not a refusal
// (client.DrainResult.Dropped).
const CodeBadExercise = "bad-exercise"

// StreamEvent is the data of one server-sent event of PathEvents; the SSE
// id is Seq and the SSE event name is Kind.
type StreamEvent struct {
	Seq          int64           `json:"seq"`
	Time         time.Time       `json:"time"`
	Kind         string          `json:"kind"`
	RosterID     string          `json:"rosterId,omitempty"`
	Name         string          `json:"name,omitempty"`
	SubmissionID int64           `json:"submissionId,omitempty"`
	Data         json.RawMessage `json:"data"`
}

// CommandRequest is an instructor action. RosterID "" addresses every
// student (broadcast, unlock-hint); reset-exercise needs one.
type CommandRequest struct {
	Kind     string `json:"kind"`
	RosterID string `json:"rosterId,omitempty"`
	Exercise string `json:"exercise,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Command is a stored instructor action.
type Command struct {
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	RosterID string    `json:"rosterId,omitempty"`
	Exercise string    `json:"exercise,omitempty"`
	Message  string    `json:"message,omitempty"`
	// GraderVersion is the grader that re-graded, in the answer to a
	// regrade command only (never stored: Message is what students read).
	GraderVersion string `json:"graderVersion,omitempty"`
}

// CommandsResponse lists commands in seq order.
type CommandsResponse struct {
	Commands []Command `json:"commands"`
}

// Board is the live board's state at LastSeq.
type Board struct {
	Class    string    `json:"class"`
	JoinCode string    `json:"joinCode"`
	Now      time.Time `json:"now"`
	LastSeq  int64     `json:"lastSeq"`
	Frozen   bool      `json:"frozen"`
	FrozenAt time.Time `json:"frozenAt,omitzero"`
	// JoinClosed: the instructor closed joining (close-join): new
	// students are refused, students on the roster may still rejoin;
	// JoinClosedAt is when.
	JoinClosed   bool            `json:"joinClosed"`
	JoinClosedAt time.Time       `json:"joinClosedAt,omitzero"`
	StuckMins    int             `json:"stuckMinutes"`
	Exercises    []BoardExercise `json:"exercises"`
	Students     []BoardStudent  `json:"students"`
	// Commands are the newest instructor commands (up to 50), newest last.
	Commands []Command `json:"commands"`
	// Join is, for every address students can reach the server at (the
	// LAN addresses `dslab class serve` advertises; never loopback), the
	// lines that install dslab and join or only join: what the board
	// shows students whatever address it was opened on (issue 12: a board
	// opened on 127.0.0.1 showed students a 127.0.0.1 install line).
	// Empty when the server knows no such address; JoinNote then says why
	// in Korean.
	Join     []BoardJoin `json:"join,omitempty"`
	JoinNote string      `json:"joinNote,omitempty"`
}

// BoardJoin is how students join at one address of the server.
type BoardJoin struct {
	URL string `json:"url"`
	// Install installs dslab and joins (server.InstallLine); Command
	// joins with dslab already installed (JoinCommand).
	Install string `json:"install"`
	Command string `json:"command"`
}

// RecomputeStuck sets every student's Stuck and StuckSince as of now (the
// server's clock: Board.Now plus the time since the board was read) from
// ProgressAt and StuckMins, the server's rule (a student is stuck when
// Current is not passed and has made no progress for StuckMins minutes),
// so a board shows a student becoming stuck without waiting for an event.
func (b *Board) RecomputeStuck(now time.Time) {
	after := time.Duration(b.StuckMins) * time.Minute
	for i := range b.Students {
		s := &b.Students[i]
		if s.ProgressAt.IsZero() || after <= 0 {
			continue
		}
		s.Stuck = now.Sub(s.ProgressAt) >= after
		s.StuckSince = time.Time{}
		if s.Stuck {
			s.StuckSince = s.ProgressAt
		}
	}
}

// BoardExercise is the per-exercise view.
type BoardExercise struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Passed    int    `json:"passed"`
	Attempted int    `json:"attempted"`
	// CommonFailure is the check most students' newest failing
	// submission fails, with the most common reason (nil when none fails).
	CommonFailure *CommonFailure `json:"commonFailure,omitempty"`
}

// CommonFailure is what the instructor should explain to the room.
type CommonFailure struct {
	Check  string `json:"check"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
	// Students is how many students' newest submission fails this check.
	Students int `json:"students"`
}

// BoardStudent is one row of the grid.
type BoardStudent struct {
	// No is the student's number (store.Student.No): assigned at join,
	// never changed or reused, so a removal renumbers no one (issue 12).
	// 0 from an older server: BoardLabels then counts places.
	No       int    `json:"no,omitempty"`
	RosterID string `json:"rosterId"`
	Name     string `json:"name"`
	Initials string `json:"initials"`
	// Current is the class exercise of the student's newest submission
	// that is not not-started ("" before any); exercises outside the
	// class are never current.
	Current string `json:"current,omitempty"`
	// Stuck: Current is not passed and its best score has not risen for
	// StuckMins minutes; StuckSince is the last progress.
	Stuck      bool      `json:"stuck"`
	StuckSince time.Time `json:"stuckSince,omitzero"`
	// ProgressAt is the last progress on Current while Current is not
	// passed (zero otherwise): what a board needs to turn Stuck on by
	// itself when StuckMins pass without any new event (RecomputeStuck,
	// and assets/board/board.js does the same on a timer).
	ProgressAt time.Time            `json:"progressAt,omitzero"`
	Cells      map[string]BoardCell `json:"cells"`
}

// BoardCell is one student's state in one exercise.
//
// Status, Score and MaxScore are the submission that counts (the class
// table's rule, docs/class.md "점수 규칙": a pass stays passed, late
// submissions never count); Status is "" when the student has not
// submitted on time (Submissions 0: no submission yet, only the hints the
// instructor unlocked). Now is the newest submission when it is not the
// one that counts (e.g. 통과, 지금: 진행 중 3/10).
type BoardCell struct {
	Status   string        `json:"status"`
	Score    int           `json:"score"`
	MaxScore int           `json:"maxScore"`
	Now      *BoardCellNow `json:"now,omitempty"`
	// Hints is how many hints of the exercise the instructor unlocked
	// for the student (unlock-hint commands to everyone or to them).
	Hints int `json:"hints"`
	// HintsUsed is how many hints the student opened: the most any of
	// the cell's submissions' snapshots reports (grader.Snapshot.HintsUsed,
	// from the lab's progress; a later snapshot with fewer never lowers
	// it); nil when no client said.
	HintsUsed *int `json:"hintsUsed,omitempty"`
	// HintsHad is the hints the student had of the exercise, opened or
	// unlocked (HintsHad of HintsUsed and Hints, capped at the exercise's
	// hints): the number `dslab class watch` shows as H<n> and the
	// export as <id>.힌트.
	HintsHad    int `json:"hintsHad,omitempty"`
	Submissions int `json:"submissions"`
	// Attempts is the board's 회: how many changes the student applied to
	// the exercise, the most any of the cell's snapshots says
	// (grader.Snapshot.Attempts, the lab's own count; a submission made
	// mid-rollout or during a reset is none), else Submissions (issue 12:
	// 10회 for 3 edits and a reset).
	Attempts   int       `json:"attempts"`
	LastChange time.Time `json:"lastChange"`
	// LastChangeCaptured is when the student's lab captured the
	// submission of LastChange (its ClientTime; zero when unknown): the
	// time the board shows, LastChange (receive) in its tooltip (issue 12:
	// after an outage the student's status said 00:23:39, the board 00:24).
	LastChangeCaptured time.Time `json:"lastChangeCaptured,omitzero"`
	Flags              []string  `json:"flags,omitempty"`
}

// BoardCellNow is the newest submission of a cell when it is not the one
// that counts; Late when it was received while frozen.
type BoardCellNow struct {
	Status   string `json:"status"`
	Score    int    `json:"score"`
	MaxScore int    `json:"maxScore"`
	Late     bool   `json:"late,omitempty"`
}

// SubmissionDetail is one submission with its whole result as stored
// (PathSubmission): RosterID and Name are "" for a removed student.
type SubmissionDetail struct {
	RosterID   string        `json:"rosterId,omitempty"`
	Name       string        `json:"name,omitempty"`
	Submission Verdict       `json:"submission"`
	Result     grader.Result `json:"result"`
}

// Timeline is one student's history, oldest first.
type Timeline struct {
	RosterID string          `json:"rosterId"`
	Name     string          `json:"name"`
	Entries  []TimelineEntry `json:"entries"`
}

// TimelineEntry is a submission (with the server's per-node feedback) or
// a command addressed to the student (or to everyone).
type TimelineEntry struct {
	Time       time.Time      `json:"time"`
	Submission *Verdict       `json:"submission,omitempty"`
	Result     *grader.Result `json:"result,omitempty"`
	Command    *Command       `json:"command,omitempty"`
	// NodesOmitted, by check ID, counts the nodes of a check of Result
	// whose per-node lines were left out to bound the timeline (a check
	// of more than server.TimelineNodes nodes keeps only its first failing
	// ones; issue 12: a 9000-node snapshot made the timeline 5.6 MB). The
	// whole result stays stored: PathSubmission + Submission.SubmissionID
	// (Details) gives it.
	NodesOmitted map[string]NodeCounts `json:"nodesOmitted,omitempty"`
	// Details is the path of the submission's whole result
	// (PathSubmission + id) when NodesOmitted left nodes out.
	Details string `json:"details,omitempty"`
	// States gives the grader's Korean words (grader.StateText) of every
	// per-node state of Result ("absent" → "파드 없음"): the board's
	// per-node lines read as the lab's node map does (issue 12: the board
	// showed "기대 absent, 실제 running").
	States map[string]string `json:"states,omitempty"`
}
