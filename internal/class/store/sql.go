package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sqlStore is the database/sql implementation shared by both dialects.
// Queries are written with ? placeholders and rebound for PostgreSQL.
type sqlStore struct {
	dialect string
	// w is the pool for writes (one connection on SQLite: one writer), r
	// for reads (may be the same pool).
	w, r *sql.DB
	// lockWrites serialises writing transactions on PostgreSQL with a
	// transaction-scoped advisory lock, so that event seq numbers become
	// visible in order (a reader tailing the log by seq misses nothing).
	lockWrites bool
	notify     bool
	// dsn is the PostgreSQL URL (for ListenEvents' own connection).
	dsn string
	// sw batches submissions into group commits (batch.go).
	sw *submitWriter
	// stmts are the writer's prepared statements (prepared.go).
	stmts stmtCache
}

const advisoryLockID = 0x64736c6162 // "dslab"

func (s *sqlStore) Dialect() string { return s.dialect }

func (s *sqlStore) Close() error {
	s.stopWriter()
	s.closeStmts()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// q rebinds ? placeholders to $n for PostgreSQL.
func (s *sqlStore) q(query string) string {
	if s.dialect != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// migrate applies the dialect's migrations that are not yet recorded.
func (s *sqlStore) migrate(ctx context.Context, ms []migration) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := s.txLock(ctx, false, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range m.SQL {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %d: %w", m.Version, err)
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`), m.Version, time.Now().UnixNano())
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// tx runs fn in a writing transaction and commits it.
func (s *sqlStore) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.txLock(ctx, s.lockWrites, fn)
}

func (s *sqlStore) txLock(ctx context.Context, lock bool, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if lock {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, advisoryLockID); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStore) insertEvent(ctx context.Context, tx *sql.Tx, e Event) (int64, error) {
	seq, err := s.insertEventQuiet(ctx, tx, e)
	if err != nil {
		return 0, err
	}
	if s.notify {
		// A wake-up for other replicas; the events table is the log.
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify('dslab_class_events', $1)`, strconv.FormatInt(seq, 10)); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// insertEventQuiet is insertEvent without the announcement (the caller
// announces its transaction's events once: batch_postgres.go).
func (s *sqlStore) insertEventQuiet(ctx context.Context, tx *sql.Tx, e Event) (int64, error) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if len(e.Data) == 0 {
		e.Data = []byte("{}")
	}
	var seq int64
	err := s.txQueryRow(ctx, tx, queryInsertEvent,
		nanos(e.Time), e.Kind, e.StudentID, e.SubmissionID, string(e.Data)).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("event: %w", err)
	}
	return seq, nil
}

func eventData(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// --- class ---

func (s *sqlStore) EnsureClass(ctx context.Context, c Class) (Class, bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM class`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if c.Created.IsZero() {
			c.Created = time.Now()
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO class (id, title, join_code, instructor_token_hash, exercises, created) VALUES (1, ?, ?, ?, ?, ?)`),
			c.Title, c.JoinCode, c.InstructorTokenHash, strings.Join(c.Exercises, ","), nanos(c.Created))
		if err != nil {
			return err
		}
		created = true
		_, err = s.insertEvent(ctx, tx, Event{Kind: "class-created", Data: eventData(map[string]any{"title": c.Title})})
		return err
	})
	if err != nil {
		return Class{}, false, fmt.Errorf("class: %w", err)
	}
	got, err := s.GetClass(ctx)
	return got, created, err
}

func (s *sqlStore) GetClass(ctx context.Context) (Class, error) {
	var c Class
	var ex string
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT title, join_code, instructor_token_hash, exercises, created FROM class WHERE id = 1`).
		Scan(&c.Title, &c.JoinCode, &c.InstructorTokenHash, &ex, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	c.Exercises = splitList(ex)
	c.Created = fromNanos(created)
	return c, nil
}

func (s *sqlStore) UpdateClass(ctx context.Context, title string, exercises []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// The settings before, so that the event can name only what
		// changed (issue 12: a new --title alone read as a change of the
		// exercises too).
		var oldTitle, oldEx string
		err := tx.QueryRowContext(ctx, s.q(`SELECT title, exercises FROM class WHERE id = 1`)).Scan(&oldTitle, &oldEx)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE class SET title = ?, exercises = ? WHERE id = 1`), title, strings.Join(exercises, ","))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return ErrNotFound
		}
		_, err = s.insertEvent(ctx, tx, Event{Kind: EventClassChanged, Data: eventData(map[string]any{"title": title, "exercises": exercises,
			"previousTitle": oldTitle, "previousExercises": splitList(oldEx)})})
		return err
	})
}

func (s *sqlStore) SetInstructorTokenHash(ctx context.Context, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE class SET instructor_token_hash = ? WHERE id = 1`), hash)
		return err
	})
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// --- students ---

const studentCols = `id, roster_id, name, token_hash, machine_id, rejoin_approved, joined, removed`

func scanStudent(sc interface{ Scan(...any) error }) (Student, error) {
	var st Student
	var joined, removed int64
	err := sc.Scan(&st.ID, &st.RosterID, &st.Name, &st.TokenHash, &st.MachineID, &st.RejoinApproved, &joined, &removed)
	st.Joined = fromNanos(joined)
	if removed != 0 {
		st.Removed = fromNanos(removed)
	}
	return st, err
}

// removeStudentMigration (migration 6, both engines): students.removed is
// when the instructor removed the student (Unix ns; 0: in the class).
func removeStudentMigration(dialect string) migration {
	big := "INTEGER"
	if dialect == "postgres" {
		big = "BIGINT"
	}
	return migration{Version: 6, SQL: []string{`ALTER TABLE students ADD COLUMN removed ` + big + ` NOT NULL DEFAULT 0`}}
}

// removedRosterSuffix frees a removed student's roster id: a comma never
// appears in a joined roster id (the server refuses it), so the renamed
// row cannot collide with a later join.
func removedRosterSuffix(id int64) string { return fmt.Sprintf(",removed-%d", id) }

func (s *sqlStore) RemoveStudent(ctx context.Context, rosterID string, c Command) (Student, Command, error) {
	if c.Time.IsZero() {
		c.Time = time.Now()
	}
	var st Student
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = scanStudent(tx.QueryRowContext(ctx, s.q(`SELECT `+studentCols+` FROM students WHERE roster_id = ? AND removed = 0`), rosterID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE students SET removed = ?, roster_id = ? WHERE id = ?`),
			nanos(c.Time), st.RosterID+removedRosterSuffix(st.ID), st.ID); err != nil {
			return err
		}
		st.Removed = c.Time
		c.StudentID = st.ID
		if c, err = s.insertCommand(ctx, tx, c); err != nil {
			return err
		}
		_, err = s.insertEvent(ctx, tx, Event{Time: c.Time, Kind: EventRemoved, StudentID: st.ID,
			Data: eventData(map[string]any{"rosterId": st.RosterID, "name": st.Name, "command": c.Seq})})
		return err
	})
	if err != nil {
		return Student{}, Command{}, fmt.Errorf("remove student: %w", err)
	}
	return st, c, nil
}

func (s *sqlStore) CreateStudent(ctx context.Context, st Student) (Student, error) {
	if st.Joined.IsZero() {
		st.Joined = time.Now()
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM students WHERE roster_id = ?`), st.RosterID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO students (roster_id, name, token_hash, machine_id, rejoin_approved, joined) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			st.RosterID, st.Name, st.TokenHash, st.MachineID, false, nanos(st.Joined)).Scan(&st.ID)
		if err != nil {
			return err
		}
		_, err = s.insertEvent(ctx, tx, Event{Time: st.Joined, Kind: EventJoined, StudentID: st.ID,
			Data: eventData(map[string]any{"rosterId": st.RosterID, "name": st.Name})})
		return err
	})
	return st, err
}

func (s *sqlStore) ReplaceStudentToken(ctx context.Context, id int64, tokenHash, machineID string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE students SET token_hash = ?, machine_id = ?, rejoin_approved = ? WHERE id = ?`), tokenHash, machineID, false, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = s.insertEvent(ctx, tx, Event{Kind: EventJoined, StudentID: id, Data: eventData(map[string]any{"rejoin": true})})
		return err
	})
}

func (s *sqlStore) ApproveRejoin(ctx context.Context, rosterID string) (Student, error) {
	var st Student
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = scanStudent(tx.QueryRowContext(ctx, s.q(`SELECT `+studentCols+` FROM students WHERE roster_id = ?`), rosterID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE students SET rejoin_approved = ? WHERE id = ?`), true, st.ID); err != nil {
			return err
		}
		st.RejoinApproved = true
		_, err = s.insertEvent(ctx, tx, Event{Kind: EventApproved, StudentID: st.ID})
		return err
	})
	return st, err
}

func (s *sqlStore) studentWhere(ctx context.Context, where string, arg any) (Student, error) {
	st, err := scanStudent(s.r.QueryRowContext(ctx, s.q(`SELECT `+studentCols+` FROM students WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	return st, err
}

func (s *sqlStore) StudentByTokenHash(ctx context.Context, hash string) (Student, error) {
	return s.studentWhere(ctx, `token_hash = ?`, hash)
}

func (s *sqlStore) StudentByRosterID(ctx context.Context, rosterID string) (Student, error) {
	return s.studentWhere(ctx, `roster_id = ? AND removed = 0`, rosterID)
}

func (s *sqlStore) Students(ctx context.Context) ([]Student, error) {
	// Every row, removed ones too, numbers the students (Student.No);
	// only those of the class are returned.
	rows, err := s.r.QueryContext(ctx, `SELECT `+studentCols+` FROM students ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Student
	no := 0
	for rows.Next() {
		st, err := scanStudent(rows)
		if err != nil {
			return nil, err
		}
		no++
		if !st.Removed.IsZero() {
			continue
		}
		st.No = no
		out = append(out, st)
	}
	return out, rows.Err()
}

// --- submissions ---

// submittedData is an EventSubmitted event's data: the verdict and, when
// the client said it, capturedAt (the lab's capture time; the event's
// time is the receive time), so a feed can show when the work was done
// (issue 12: after an outage watch showed the receive time only).
func submittedData(sub Submission) map[string]any {
	d := map[string]any{"exercise": sub.Exercise, "score": sub.Score, "maxScore": sub.MaxScore, "status": sub.Status, "flags": sub.Flags}
	if !sub.ClientTime.IsZero() {
		d["capturedAt"] = sub.ClientTime.UTC()
	}
	return d
}

const submissionColsNoSnap = `id, student_id, idempotency_key, exercise, snapshot_sha256, result, score, max_score, status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags`

func scanSubmission(sc interface{ Scan(...any) error }, withSnapshot bool) (Submission, error) {
	var sub Submission
	var result, flags string
	var recv, client, created int64
	dest := []any{&sub.ID, &sub.StudentID, &sub.IdempotencyKey, &sub.Exercise, &sub.SnapshotSHA256, &result, &sub.Score, &sub.MaxScore,
		&sub.Status, &sub.GraderVersion, &recv, &client, &created, &sub.DaemonSetUID, &sub.ClusterUID, &flags}
	if withSnapshot {
		dest = append(dest, &sub.Snapshot)
	}
	if err := sc.Scan(dest...); err != nil {
		return sub, err
	}
	sub.Result = []byte(result)
	sub.Flags = splitList(flags)
	sub.ReceivedAt, sub.ClientTime, sub.CreatedAt = fromNanos(recv), fromNanos(client), fromNanos(created)
	return sub, nil
}

// addSubmissionTx is AddSubmission's work inside tx (the caller commits).
// It returns the stored submission and whether it was created; on an error
// the caller must undo what it wrote (a savepoint in a batch).
func (s *sqlStore) addSubmissionTx(ctx context.Context, tx *sql.Tx, sub Submission) (Submission, bool, error) {
	created := false
	err := func() error {
		existing, err := scanSubmission(s.txQueryRow(ctx, tx, querySubmissionByKey,
			sub.StudentID, sub.IdempotencyKey), false)
		if err == nil {
			if existing.SnapshotSHA256 != sub.SnapshotSHA256 {
				return ErrConflict
			}
			sub = existing
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The same capture under another key (an outbox flush and a new
		// submit, two server replicas at once) is the stored one: the
		// store refuses the duplicate, not only the server's checks
		// before it (issue 12: those are per process).
		if args, ok := sameCapture(sub); ok {
			dup, err := scanSubmission(s.txQueryRow(ctx, tx, querySubmissionByCapture, args...), false)
			if err == nil {
				sub = dup
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		// Copy detection: the same DaemonSet or cluster under another student.
		for _, c := range []struct{ col, val, flag string }{
			{"ds_uid", sub.DaemonSetUID, FlagCopiedDaemonSet},
			{"cluster_uid", sub.ClusterUID, FlagCopiedCluster},
		} {
			if c.val == "" {
				continue
			}
			copied, others, err := s.otherSubmissions(ctx, tx, c.col, c.val, sub.StudentID, c.flag)
			if err != nil {
				return err
			}
			if !copied {
				continue
			}
			sub.Flags = addFlag(sub.Flags, c.flag)
			for _, o := range others {
				if _, err := tx.ExecContext(ctx, s.q(`UPDATE submissions SET flags = ? WHERE id = ?`), strings.Join(addFlag(o.Flags, c.flag), ","), o.ID); err != nil {
					return err
				}
				if _, err := s.insertEvent(ctx, tx, Event{Time: sub.ReceivedAt, Kind: EventFlagged, StudentID: o.StudentID, SubmissionID: o.ID,
					Data: eventData(map[string]any{"flag": c.flag})}); err != nil {
					return err
				}
			}
		}
		err = s.txQueryRow(ctx, tx, queryInsertSubmission,
			sub.StudentID, sub.IdempotencyKey, sub.Exercise, sub.Snapshot, sub.SnapshotSHA256, string(sub.Result), sub.Score, sub.MaxScore,
			sub.Status, sub.GraderVersion, nanos(sub.ReceivedAt), nanos(sub.ClientTime), nanos(sub.CreatedAt), sub.DaemonSetUID, sub.ClusterUID,
			strings.Join(sub.Flags, ",")).Scan(&sub.ID)
		if err != nil {
			return err
		}
		created = true
		_, err = s.insertEvent(ctx, tx, Event{Time: sub.ReceivedAt, Kind: EventSubmitted, StudentID: sub.StudentID, SubmissionID: sub.ID,
			Data: eventData(submittedData(sub))})
		return err
	}()
	if err != nil {
		return Submission{}, false, err
	}
	return sub, created, nil
}

// The statements of a submission's transaction (prepared once on SQLite:
// prepared.go).
const (
	querySubmissionByKey = `SELECT ` + submissionColsNoSnap + ` FROM submissions WHERE student_id = ? AND idempotency_key = ?`
	// querySubmissionByCapture is the stored submission that answers a
	// new one of the same capture (student ?, exercise ?, snapshot
	// SHA-256 ?) under another key: the earliest of them when the new one
	// is late (? true), else the earliest on-time one (flags not matching
	// ?, "%,late,%") — an on-time copy of a capture stored only late
	// counts, so it is stored (sameCapture).
	querySubmissionByCapture = `SELECT ` + submissionColsNoSnap + ` FROM submissions
		WHERE student_id = ? AND exercise = ? AND snapshot_sha256 = ? AND (? OR (',' || flags || ',') NOT LIKE ?) ORDER BY id LIMIT 1`
	queryInsertSubmission = `INSERT INTO submissions (student_id, idempotency_key, exercise, snapshot, snapshot_sha256, result, score, max_score, status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	queryInsertEvent = `INSERT INTO events (time, kind, student_id, submission_id, data) VALUES (?, ?, ?, ?, ?) RETURNING seq`
)

// queryOtherExists and queryOtherUnflagged are otherSubmissions' queries
// for column col. "col <> ”" lets both engines use the partial index on
// col (a parameter alone does not prove the index's WHERE clause): without
// it every submission scans the whole table.
// The two EXISTS (student ids below and above the student's own) are two
// seeks on the (col, student_id) index of migration 4 (copyCheckIndexes),
// where "student_id <> ?" would read all of the student's own rows.
func queryOtherExists(col string) string {
	other := `SELECT 1 FROM submissions WHERE ` + col + ` = ? AND ` + col + ` <> '' AND student_id `
	return `SELECT EXISTS (` + other + `< ?) OR EXISTS (` + other + `> ?)`
}

func queryOtherUnflagged(col string) string {
	return `SELECT id, student_id, flags FROM submissions WHERE ` + col + ` = ? AND ` + col + ` <> '' AND student_id <> ? AND (',' || flags || ',') NOT LIKE ?`
}

// Submission flags set by the store.
const (
	FlagCopiedDaemonSet = "copied-daemonset" // the same DaemonSet UID under another student
	FlagCopiedCluster   = "copied-cluster"   // the same cluster identity under another student
)

// FlagLate marks a submission received while submissions were frozen
// (set by the server, server.FlagLate); the store reads it to tell which
// stored copy of a capture answers a new one (querySubmissionByCapture).
const FlagLate = "late"

// lateLike is the LIKE pattern of FlagLate in the flags column
// (comma-joined, wrapped in commas).
const lateLike = "%," + FlagLate + ",%"

// sameCapture reports the arguments of querySubmissionByCapture for sub,
// and false when sub has no snapshot hash to match.
func sameCapture(sub Submission) ([]any, bool) {
	if sub.SnapshotSHA256 == "" {
		return nil, false
	}
	return []any{sub.StudentID, sub.Exercise, sub.SnapshotSHA256, slices.Contains(sub.Flags, FlagLate), lateLike}, true
}

func addFlag(flags []string, f string) []string {
	if slices.Contains(flags, f) {
		return flags
	}
	return append(slices.Clone(flags), f)
}

// otherSubmissions reports whether another student has a submission with
// col = val, and returns those of them (id, student, flags only) that do
// not carry flag yet. Rows already flagged are not read, so a value copied
// many times costs an index lookup, not a scan of every copy.
func (s *sqlStore) otherSubmissions(ctx context.Context, tx *sql.Tx, col, val string, student int64, flag string) (bool, []Submission, error) {
	var other bool
	if err := s.txQueryRow(ctx, tx, queryOtherExists(col), val, student, val, student).Scan(&other); err != nil || !other {
		return false, nil, err
	}
	rows, err := s.txQuery(ctx, tx, queryOtherUnflagged(col),
		val, student, "%,"+flag+",%")
	if err != nil {
		return true, nil, err
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var sub Submission
		var flags string
		if err := rows.Scan(&sub.ID, &sub.StudentID, &flags); err != nil {
			return true, nil, err
		}
		sub.Flags = splitList(flags)
		out = append(out, sub)
	}
	return true, out, rows.Err()
}

func (s *sqlStore) UpdateResult(ctx context.Context, id int64, result []byte, score, maxScore int, status, graderVersion string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var student int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT student_id FROM submissions WHERE id = ?`), id).Scan(&student)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE submissions SET result = ?, score = ?, max_score = ?, status = ?, grader_version = ? WHERE id = ?`),
			string(result), score, maxScore, status, graderVersion, id); err != nil {
			return err
		}
		_, err = s.insertEvent(ctx, tx, Event{Kind: EventRegraded, StudentID: student, SubmissionID: id,
			Data: eventData(map[string]any{"score": score, "maxScore": maxScore, "status": status, "graderVersion": graderVersion})})
		return err
	})
}

func (s *sqlStore) Submissions(ctx context.Context, studentID int64, withSnapshot bool) ([]Submission, error) {
	cols := submissionColsNoSnap
	if withSnapshot {
		cols += ", snapshot"
	}
	query := `SELECT ` + cols + ` FROM submissions`
	var args []any
	if studentID != 0 {
		query += ` WHERE student_id = ?`
		args = append(args, studentID)
	}
	query += ` ORDER BY id`
	return s.querySubmissions(ctx, s.q(query), withSnapshot, args...)
}

func (s *sqlStore) LatestSubmissions(ctx context.Context, studentID int64) ([]Submission, error) {
	return s.querySubmissions(ctx, s.q(`SELECT `+submissionColsNoSnap+` FROM submissions WHERE id IN
		(SELECT MAX(id) FROM submissions WHERE student_id = ? GROUP BY exercise) ORDER BY exercise`), false, studentID)
}

func (s *sqlStore) PreviousSubmission(ctx context.Context, studentID int64, exercise string) (Submission, error) {
	sub, err := scanSubmission(s.r.QueryRowContext(ctx, s.q(`SELECT `+submissionColsNoSnap+`, snapshot FROM submissions
		WHERE student_id = ? AND exercise = ? ORDER BY id DESC LIMIT 1`), studentID, exercise), true)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrNotFound
	}
	return sub, err
}

func (s *sqlStore) SubmissionBySnapshot(ctx context.Context, studentID int64, exercise, sha string) (Submission, error) {
	// The (student_id, exercise, id) index narrows it to the student's
	// submissions of the exercise.
	sub, err := scanSubmission(s.r.QueryRowContext(ctx, s.q(`SELECT `+submissionColsNoSnap+` FROM submissions
		WHERE student_id = ? AND exercise = ? AND snapshot_sha256 = ? ORDER BY id LIMIT 1`), studentID, exercise, sha), false)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrNotFound
	}
	return sub, err
}

func (s *sqlStore) querySubmissions(ctx context.Context, query string, withSnapshot bool, args ...any) ([]Submission, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		sub, err := scanSubmission(rows, withSnapshot)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// --- events ---

func (s *sqlStore) Events(ctx context.Context, after int64, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT seq, time, kind, student_id, submission_id, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var t int64
		var data string
		if err := rows.Scan(&e.Seq, &t, &e.Kind, &e.StudentID, &e.SubmissionID, &data); err != nil {
			return nil, err
		}
		e.Time = fromNanos(t)
		e.Data = []byte(data)
		out = append(out, e)
	}
	return out, rows.Err()
}
