// Package store keeps a dslab class: the class itself, its students, their
// submissions (raw snapshot and the server's result) and the event log.
//
// One Store interface, split by concern like charmbracelet/soft-serve's
// pkg/store, has two implementations behind database/sql: SQLite through the
// pure-Go driver modernc.org/sqlite (WAL, synchronous=FULL, one writer; the
// default, embedded in `dslab class serve`) and PostgreSQL through pgx
// (github.com/jackc/pgx/v5/stdlib; several server replicas share one class).
// Each dialect has numbered migrations (migrations.go).
//
// Times are stored as Unix nanoseconds (UTC) in both dialects. A database
// holds one class.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique value is already taken by another
// row (an idempotency key reused with a different snapshot, a roster id).
var ErrConflict = errors.New("conflict")

// Class is the one class of a database.
type Class struct {
	Title string
	// JoinCode is the 6-digit code students type to join.
	JoinCode string
	// InstructorTokenHash is the SHA-256 (hex) of the instructor token.
	InstructorTokenHash string
	// Exercises limits submissions to these exercise ids (empty: all).
	Exercises []string
	Created   time.Time
}

// Student is a student of the class. ID is the database id; RosterID is the
// id the student gave (학번) or, without one, the name.
type Student struct {
	ID        int64
	RosterID  string
	Name      string
	TokenHash string
	// MachineID identifies the machine that joined (random, from the
	// client's config dir).
	MachineID string
	// RejoinApproved lets the next join from another machine take over
	// (set by the instructor, consumed by that join).
	RejoinApproved bool
	Joined         time.Time
	// Removed is when the instructor removed the student from the class
	// (StudentStore.RemoveStudent); zero for a student of the class. Only
	// StudentByTokenHash returns a removed student (so the server can tell
	// its client); Students and StudentByRosterID do not.
	Removed time.Time
	// No is the student's number in the class (Students only; 0
	// elsewhere): its 1-based place in join order among every student
	// that ever joined, removed ones included, so it is assigned at join
	// and never changes or is reused for the class's life (issue 12: after
	// a removal the board renumbered 최유나 from 4 to 3, past events too).
	No int
}

// Submission is one snapshot a student sent and the server's grading of it.
type Submission struct {
	ID        int64
	StudentID int64
	// IdempotencyKey is chosen by the client, unique per student.
	IdempotencyKey string
	Exercise       string
	// Snapshot is the raw snapshot JSON as received.
	Snapshot []byte
	// SnapshotSHA256 is the hex SHA-256 of the request's identifying
	// content: a retried key must carry the same.
	SnapshotSHA256 string
	// Result is the grader.Result JSON the server computed.
	Result   []byte
	Score    int
	MaxScore int
	// Status is passed, failed or not-started.
	Status        string
	GraderVersion string
	// ReceivedAt is the server's clock; ClientTime the client's clock when
	// the lab captured the snapshot (server.ClientTime: the outbox keeps it,
	// so a submission sent later keeps its own time; the send time for a
	// client that gave none); CreatedAt the capture time as sent.
	ReceivedAt time.Time
	ClientTime time.Time
	CreatedAt  time.Time
	// DaemonSetUID is the UID of the exercise's DaemonSet in the snapshot
	// ("" when absent); the same UID under two students flags both.
	DaemonSetUID string
	// ClusterUID is the cluster identity the snapshot carries, if any.
	ClusterUID string
	// Flags are short machine-readable markers ("clock-skew",
	// "copied-daemonset", …); see docs/class.md.
	Flags []string
}

// Event is one entry of the class's log. Seq is assigned by the store and
// only grows.
type Event struct {
	Seq          int64
	Time         time.Time
	Kind         string
	StudentID    int64
	SubmissionID int64
	// Data is a JSON document describing the event.
	Data []byte
}

// Event kinds.
const (
	EventJoined    = "joined"
	EventSubmitted = "submitted"
	EventRegraded  = "regraded"
	EventFlagged   = "flagged"
	EventApproved  = "rejoin-approved"
	// EventRemoved: the instructor removed a student (RemoveStudent;
	// data: rosterId, name).
	EventRemoved = "student-removed"
	// EventClassChanged: the instructor restarted serve with another
	// title or exercise list (data: title, exercises), or another --stuck
	// (data: stuckAfter, previousStuckAfter; SettingsStore.SetSetting).
	EventClassChanged = "class-changed"
)

// ClassStore holds the class row.
type ClassStore interface {
	// EnsureClass creates the class from c when none exists and returns the
	// stored class (an existing class is returned unchanged; created
	// reports which).
	EnsureClass(ctx context.Context, c Class) (stored Class, created bool, err error)
	GetClass(ctx context.Context) (Class, error)
	// UpdateClass sets the class's title and exercise list (a restarted
	// `serve` with another --title/--exercises) with an EventClassChanged
	// event in one transaction; ErrNotFound when there is no class.
	UpdateClass(ctx context.Context, title string, exercises []string) error
	// SetInstructorTokenHash replaces the instructor token hash.
	SetInstructorTokenHash(ctx context.Context, hash string) error
}

// StudentStore holds students.
type StudentStore interface {
	// CreateStudent inserts s with an event; ErrConflict when the roster id
	// is taken.
	CreateStudent(ctx context.Context, s Student) (Student, error)
	// ReplaceStudentToken sets a new token hash and machine id (a rejoin),
	// clears RejoinApproved and logs an event.
	ReplaceStudentToken(ctx context.Context, id int64, tokenHash, machineID string) error
	// ApproveRejoin sets RejoinApproved on the student with rosterID.
	ApproveRejoin(ctx context.Context, rosterID string) (Student, error)
	// RemoveStudent removes the student with rosterID from the class (a
	// wrong join, a test account), in one transaction: the row is kept
	// with Removed set (its token still finds it, so the server can tell
	// that client it was removed) and its roster id freed (a later join
	// with it makes a new student); c (kind CommandRemoveStudent, Time
	// set) is stored addressed to it with its EventCommand event, and an
	// EventRemoved event is logged. The submissions stay in the table but
	// no longer belong to a listed student. ErrNotFound when no student
	// of the class has rosterID. Migration 6 adds the column.
	RemoveStudent(ctx context.Context, rosterID string, c Command) (Student, Command, error)
	StudentByTokenHash(ctx context.Context, hash string) (Student, error)
	StudentByRosterID(ctx context.Context, rosterID string) (Student, error)
	Students(ctx context.Context) ([]Student, error)
}

// SubmissionStore holds submissions.
type SubmissionStore interface {
	// AddSubmission stores s (ReceivedAt, result and flags filled in) and a
	// "submitted" event in one transaction. When the student already has a
	// submission with the same idempotency key it stores nothing and
	// returns that one with created=false (ErrConflict when its
	// SnapshotSHA256 differs). Likewise when the student already has a
	// submission of the exercise with the same SnapshotSHA256 (the same
	// capture) under another key — the earliest one, and for an on-time
	// s only an on-time one (an on-time copy of a capture stored only
	// late is stored: it counts) — it stores nothing and returns that one
	// with created=false: checked inside the writing transaction (on
	// PostgreSQL under the advisory lock every replica takes), so two
	// server replicas on one database cannot both store a capture (issue
	// 12). Other students' submissions with the same
	// DaemonSet or cluster UID get the "copied-…" flag too, in the same
	// transaction; s's own flags are completed and returned. Concurrent
	// calls are group-committed: one writer stores up to 128 queued
	// submissions in one transaction (a savepoint each, so one failing
	// row fails alone) and every call returns only after that commit.
	// After Close it returns ErrClosed.
	AddSubmission(ctx context.Context, s Submission) (stored Submission, created bool, err error)
	// UpdateResult replaces a submission's result (a regrade) with an
	// event, in one transaction.
	UpdateResult(ctx context.Context, id int64, result []byte, score, maxScore int, status, graderVersion string) error
	// Submissions lists submissions in id order; studentID 0 means all.
	// withSnapshot false leaves Snapshot nil (cheaper).
	Submissions(ctx context.Context, studentID int64, withSnapshot bool) ([]Submission, error)
	// LatestSubmissions returns each exercise's newest submission of the
	// student (by server receive order).
	LatestSubmissions(ctx context.Context, studentID int64) ([]Submission, error)
	// PreviousSubmission returns the student's newest submission of
	// exercise (by server receive order) with its Snapshot; ErrNotFound
	// when there is none. The server compares a new snapshot with it
	// (api.SameSnapshot): the same one again is not a new attempt.
	PreviousSubmission(ctx context.Context, studentID int64, exercise string) (Submission, error)
	// SubmissionBySnapshot returns the student's earliest submission of
	// exercise whose SnapshotSHA256 is sha (the same capture, whatever
	// its idempotency key), without its Snapshot; ErrNotFound when there
	// is none. The server answers a capture sent again under a new key
	// with it (issue 12: an outbox flush after an outage and a new submit
	// stored one capture twice).
	SubmissionBySnapshot(ctx context.Context, studentID int64, exercise, sha string) (Submission, error)
}

// EventStore reads the event log.
type EventStore interface {
	// Events returns up to limit events with Seq > after, in order.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)
}

// Store is every concern together.
type Store interface {
	ClassStore
	StudentStore
	SubmissionStore
	EventStore
	CommandStore
	SettingsStore
	// Ping checks that the database answers (readiness).
	Ping(ctx context.Context) error
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	Close() error
}
