package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Command is one instructor action stored as a durable command: the student
// side fetches the commands addressed to it (everyone's and its own) in Seq
// order, so a student offline during an action gets it on reconnect. Seq is
// assigned by the store and only grows.
type Command struct {
	Seq  int64
	Time time.Time
	// Kind is one of the Command… constants.
	Kind string
	// StudentID is the addressed student; 0 addresses everyone.
	StudentID int64
	// Exercise is the exercise the command is about ("" when none).
	Exercise string
	// Message is the instructor's text (broadcast) or a Korean note.
	Message string
}

// Command kinds.
const (
	CommandBroadcast     = "broadcast"      // a message for every student
	CommandUnlockHint    = "unlock-hint"    // the next hint of Exercise, for everyone or one student
	CommandResetExercise = "reset-exercise" // the student's lab runs `exercise reset` for Exercise
	CommandFreeze        = "freeze"         // later submissions are stored and flagged late
	CommandUnfreeze      = "unfreeze"       // submissions are on time again
	CommandRegrade       = "regrade"        // every stored snapshot was re-graded
	CommandCloseJoin     = "close-join"     // no new students may join (api.CommandCloseJoin)
	CommandRemoveStudent = "remove-student" // the student left the roster (RemoveStudent; api.CommandRemoveStudent)
	CommandOpenJoin      = "open-join"
)

// EventCommand is the event logged with every command (its data carries
// the command's seq, kind, exercise and message).
const EventCommand = "command"

// CommandStore holds instructor commands and the board's reads.
type CommandStore interface {
	// AddCommand stores c (Seq and Time filled in) with an EventCommand
	// event in one transaction.
	AddCommand(ctx context.Context, c Command) (Command, error)
	// Commands returns up to limit commands with Seq > after in order:
	// every command when studentID is 0, otherwise those addressed to
	// everyone or to that student.
	Commands(ctx context.Context, studentID, after int64, limit int) ([]Command, error)
	// Frozen reports whether submissions are frozen (the newest freeze or
	// unfreeze command is a freeze) and since when.
	Frozen(ctx context.Context) (since time.Time, frozen bool, err error)
	// LastEventSeq is the newest event's Seq (0 when the log is empty).
	LastEventSeq(ctx context.Context) (int64, error)
}

// EventListener is implemented by stores whose writes can be announced to
// other processes (PostgreSQL's LISTEN/NOTIFY). ListenEvents calls wake
// for each announcement until ctx is done, reconnecting after errors; it
// is a wake-up only — readers still read the event table. It returns
// errors.ErrUnsupported at once for a store without announcements.
type EventListener interface {
	ListenEvents(ctx context.Context, wake func()) error
}

// NotifyChannel is the PostgreSQL channel every event is announced on
// (payload: the event's seq).
const NotifyChannel = "dslab_class_events"

// boardMigrations is the board's schema step (commands), per dialect.
func boardMigrations(dialect string) []migration {
	id := "INTEGER PRIMARY KEY AUTOINCREMENT"
	big := "INTEGER"
	if dialect == "postgres" {
		id, big = "BIGSERIAL PRIMARY KEY", "BIGINT"
	}
	return []migration{{Version: 3, SQL: []string{
		`CREATE TABLE commands (
			seq ` + id + `,
			time ` + big + ` NOT NULL,
			kind TEXT NOT NULL,
			student_id ` + big + ` NOT NULL DEFAULT 0,
			exercise TEXT NOT NULL DEFAULT '',
			message TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX commands_student ON commands (student_id, seq)`,
	}}}
}

// withBoard returns ms and the board's migrations in version order.
func withBoard(ms []migration, dialect string) []migration {
	out := append(slices.Clone(ms), boardMigrations(dialect)...)
	slices.SortStableFunc(out, func(a, b migration) int { return a.Version - b.Version })
	return out
}

func (s *sqlStore) AddCommand(ctx context.Context, c Command) (Command, error) {
	if c.Time.IsZero() {
		c.Time = time.Now()
	}
	err := s.tx(ctx, func(tx *sql.Tx) (err error) {
		c, err = s.insertCommand(ctx, tx, c)
		return err
	})
	if err != nil {
		return Command{}, fmt.Errorf("command: %w", err)
	}
	return c, nil
}

// insertCommand stores c and its EventCommand event inside tx (Seq filled
// in).
func (s *sqlStore) insertCommand(ctx context.Context, tx *sql.Tx, c Command) (Command, error) {
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO commands (time, kind, student_id, exercise, message) VALUES (?, ?, ?, ?, ?) RETURNING seq`),
		nanos(c.Time), c.Kind, c.StudentID, c.Exercise, c.Message).Scan(&c.Seq)
	if err != nil {
		return c, err
	}
	_, err = s.insertEvent(ctx, tx, Event{Time: c.Time, Kind: EventCommand, StudentID: c.StudentID,
		Data: eventData(map[string]any{"command": c.Seq, "kind": c.Kind, "exercise": c.Exercise, "message": c.Message})})
	return c, err
}

func (s *sqlStore) Commands(ctx context.Context, studentID, after int64, limit int) ([]Command, error) {
	if limit <= 0 {
		limit = 1000
	}
	query := `SELECT seq, time, kind, student_id, exercise, message FROM commands WHERE seq > ?`
	args := []any{after}
	if studentID != 0 {
		query += ` AND student_id IN (0, ?)`
		args = append(args, studentID)
	}
	query += ` ORDER BY seq LIMIT ?`
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Command
	for rows.Next() {
		var c Command
		var t int64
		if err := rows.Scan(&c.Seq, &t, &c.Kind, &c.StudentID, &c.Exercise, &c.Message); err != nil {
			return nil, err
		}
		c.Time = fromNanos(t)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStore) Frozen(ctx context.Context) (time.Time, bool, error) {
	var kind string
	var t int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT kind, time FROM commands WHERE kind IN (?, ?) ORDER BY seq DESC LIMIT 1`),
		CommandFreeze, CommandUnfreeze).Scan(&kind, &t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	if kind != CommandFreeze {
		return time.Time{}, false, nil
	}
	return fromNanos(t), true, nil
}

func (s *sqlStore) LastEventSeq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT MAX(seq) FROM events`).Scan(&seq); err != nil {
		return 0, err
	}
	return seq.Int64, nil
}

// ListenEvents LISTENs on NotifyChannel over its own pgx connection and
// calls wake for every notification; after a connection error it calls
// wake (something may have been missed), waits and reconnects.
func (s *sqlStore) ListenEvents(ctx context.Context, wake func()) error {
	if s.dialect != "postgres" || s.dsn == "" {
		return errors.ErrUnsupported
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, wake)
		if ctx.Err() != nil {
			break
		}
		wake()
		_ = err // logged by the caller's readers when the database is down; retried here
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
	return ctx.Err()
}

func (s *sqlStore) listenOnce(ctx context.Context, wake func()) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	wake() // events written while no connection listened
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(n.Payload), 10, 64); err == nil {
			wake()
		}
	}
}

// BoardReader is the board's incremental read: the server's board cache
// applies the submissions named by new events instead of reading every
// submission on each refresh.
type BoardReader interface {
	// SubmissionsByID returns the submissions with the given ids (missing
	// ids are skipped), in id order; withSnapshot false leaves Snapshot
	// nil.
	SubmissionsByID(ctx context.Context, ids []int64, withSnapshot bool) ([]Submission, error)
}

// submissionsByIDChunk bounds the ids of one IN (…) query (SQLite's
// default limit of host parameters is 32766; PostgreSQL's 65535).
const submissionsByIDChunk = 500

func (s *sqlStore) SubmissionsByID(ctx context.Context, ids []int64, withSnapshot bool) ([]Submission, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cols := submissionColsNoSnap
	if withSnapshot {
		cols += ", snapshot"
	}
	if s.dialect == "postgres" && len(ids) > 0 {
		// One statement text for any number of ids: pgx prepares each
		// distinct text once per connection, and IN (…) with n
		// placeholders was a new text (a Parse round trip) for every n.
		return s.querySubmissions(ctx, `SELECT `+cols+` FROM submissions WHERE id = ANY($1::bigint[]) ORDER BY id`, withSnapshot, ids)
	}
	var out []Submission
	for len(ids) > 0 {
		n := min(len(ids), submissionsByIDChunk)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		query := `SELECT ` + cols + ` FROM submissions WHERE id IN (?` + strings.Repeat(", ?", n-1) + `) ORDER BY id`
		subs, err := s.querySubmissions(ctx, s.q(query), withSnapshot, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, subs...)
		ids = ids[n:]
	}
	return out, nil
}
