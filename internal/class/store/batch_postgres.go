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
)

// Group commit on PostgreSQL.
//
// Every statement is a network round trip, and the submission writer is
// serial. SQLite's row pattern (savepoint, key lookup, two copy checks,
// insert, event, pg_notify, release: eight round trips) made a batch of 128
// rows about a thousand round trips before its one commit. Here a row costs
// two:
//
//   - one lookup: the idempotency key's existing row and both copy checks
//     in one SELECT (queryLookupPostgres);
//   - one write: the submission and its event inserted by one statement, a
//     data-modifying WITH (queryInsertSubmissionEventPostgres; see
//     https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING);
//
// and a batch one transaction-scoped advisory lock (which keeps the event
// log's seq numbers committing in order across replicas, sql.go's
// lockWrites), ONE pg_notify with the batch's highest seq (a wake-up only:
// the events table is the log) and one commit.
//
// There are no savepoints. An idempotency key seen before is found by the
// lookup before anything is written, so a duplicate or a conflicting one
// needs no undo. Any other error aborts the transaction (PostgreSQL refuses
// every further statement of a failed transaction), so the batch is then
// written again without the failing row: that row fails alone and the
// others are still stored, in one commit. Keys stay unique across replicas by the advisory
// lock (each replica's writer sees every committed key) and, whatever
// happens, by UNIQUE (student_id, idempotency_key): a row refused by it
// fails (nothing of it stored) and the client's retry gets the stored one.

// queryLookupPostgres returns, for a submission ($1 student, $2 key, $3
// DaemonSet UID, $4 cluster UID, $5 exercise, $6 snapshot SHA-256, $7
// late), the id of the student's submission with that key (0: none),
// whether another student has a submission with the same DaemonSet UID and
// with the same cluster UID, and the id of the stored submission of the
// same capture that answers it (querySubmissionByCapture; 0: none). The
// copy checks are queryOtherExists' (two seeks on migration 4's indexes
// each).
var queryLookupPostgres = func() string {
	other := func(col, param string) string {
		q := `SELECT 1 FROM submissions WHERE ` + col + ` = ` + param + ` AND ` + col + ` <> '' AND student_id `
		return `(EXISTS (` + q + `< $1) OR EXISTS (` + q + `> $1))`
	}
	return `SELECT COALESCE((SELECT id FROM submissions WHERE student_id = $1 AND idempotency_key = $2), 0), ` +
		other("ds_uid", "$3::text") + `, ` + other("cluster_uid", "$4::text") + `, ` +
		`COALESCE((SELECT id FROM submissions WHERE student_id = $1 AND exercise = $5::text AND snapshot_sha256 = $6::text AND $6::text <> '' ` +
		`AND ($7::boolean OR (',' || flags || ',') NOT LIKE '` + lateLike + `') ORDER BY id LIMIT 1), 0)`
}()

// querySubmissionByID is one submission without its snapshot.
const querySubmissionByID = `SELECT ` + submissionColsNoSnap + ` FROM submissions WHERE id = $1`

// queryInsertSubmissionEventPostgres inserts a submission ($1…$16, as
// queryInsertSubmission) and its "submitted" event ($17 time, $18 kind,
// $19 data) and returns the event's seq and the submission's id.
const queryInsertSubmissionEventPostgres = `WITH s AS (
	INSERT INTO submissions (student_id, idempotency_key, exercise, snapshot, snapshot_sha256, result, score, max_score, status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id, student_id)
INSERT INTO events (time, kind, student_id, submission_id, data)
SELECT $17::bigint, $18::text, s.student_id, s.id, $19::text FROM s RETURNING seq, submission_id`

// writeBatchPostgres writes the batch's requests that have no result yet
// (live of them) and fills their results. When a row's statement fails,
// the transaction is rolled back and written again without that row (its
// request gets the error), so every other row still commits in one
// transaction.
func (s *sqlStore) writeBatchPostgres(batch []*addRequest, results []addResult, live int) {
	ctx := context.Background()
	rows := make([]int, 0, live)
	for i := range batch {
		if results[i].err == nil {
			rows = append(rows, i)
		}
	}
	if len(rows) > 1 && s.writeSetPostgres(ctx, batch, results, rows, live) == nil {
		return // batch_set_postgres.go; on an error, row by row below
	}
	for len(rows) > 0 {
		failed, err := s.writeRowsPostgres(ctx, batch, results, rows, live)
		if err == nil {
			return
		}
		if failed < 0 {
			// Not one row's fault (begin, lock, notify, commit):
			// nothing is stored, every request fails with it (the
			// clients retry from their outboxes).
			for _, i := range rows {
				results[i] = addResult{err: err}
			}
			return
		}
		results[rows[failed]] = addResult{err: err}
		rows = slices.Delete(rows, failed, failed+1)
	}
}

// writeRowsPostgres writes batch[i] for every i of rows in one transaction
// and, once it committed, sets their results. A row whose key is already
// stored with another snapshot gets ErrConflict and writes nothing. Any
// other error rolls everything back and is returned with the index in rows
// of the row whose statement failed, or -1 when it was no row's.
// answered is the number of requests the batch answers (beforeCommit's
// argument, as on SQLite).
func (s *sqlStore) writeRowsPostgres(ctx context.Context, batch []*addRequest, results []addResult, rows []int, answered int) (int, error) {
	out := make([]addResult, len(rows))
	failed := -1
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var last int64
		for j, i := range rows {
			sub, created, seq, err := s.addSubmissionPostgres(ctx, tx, batch[i].sub)
			if errors.Is(err, ErrConflict) {
				out[j] = addResult{err: err}
				continue
			}
			if err != nil {
				failed = j
				return err
			}
			out[j] = addResult{sub: sub, created: created}
			last = max(last, seq)
		}
		return s.endBatchPostgres(ctx, tx, last, answered)
	})
	if err != nil {
		return failed, err
	}
	for j, i := range rows {
		results[i] = out[j]
	}
	return -1, nil
}

// addSubmissionPostgres is addSubmissionTx for PostgreSQL's batch: the same
// result, in two round trips for a submission nobody copied, and without
// announcing its events (the caller notifies once, with the highest seq
// returned).
func (s *sqlStore) addSubmissionPostgres(ctx context.Context, tx *sql.Tx, sub Submission) (Submission, bool, int64, error) {
	var existingID, captureID int64
	var copiedDS, copiedCluster bool
	if err := tx.QueryRowContext(ctx, queryLookupPostgres, sub.StudentID, sub.IdempotencyKey, sub.DaemonSetUID, sub.ClusterUID,
		sub.Exercise, sub.SnapshotSHA256, slices.Contains(sub.Flags, FlagLate)).
		Scan(&existingID, &copiedDS, &copiedCluster, &captureID); err != nil {
		return Submission{}, false, 0, err
	}
	if existingID == 0 && captureID != 0 {
		// The same capture under another key: the stored one answers it
		// (addSubmissionTx). The advisory lock of the batch's
		// transaction makes this hold across server replicas.
		dup, err := scanSubmission(tx.QueryRowContext(ctx, querySubmissionByID, captureID), false)
		if err != nil {
			return Submission{}, false, 0, err
		}
		return dup, false, 0, nil
	}
	if existingID != 0 {
		existing, err := scanSubmission(tx.QueryRowContext(ctx, s.q(querySubmissionByKey), sub.StudentID, sub.IdempotencyKey), false)
		if err != nil {
			return Submission{}, false, 0, err
		}
		if existing.SnapshotSHA256 != sub.SnapshotSHA256 {
			return Submission{}, false, 0, ErrConflict
		}
		return existing, false, 0, nil
	}
	var last int64
	for _, c := range []struct {
		copied         bool
		col, val, flag string
	}{
		{copiedDS, "ds_uid", sub.DaemonSetUID, FlagCopiedDaemonSet},
		{copiedCluster, "cluster_uid", sub.ClusterUID, FlagCopiedCluster},
	} {
		if !c.copied {
			continue
		}
		sub.Flags = addFlag(sub.Flags, c.flag)
		_, others, err := s.otherSubmissions(ctx, tx, c.col, c.val, sub.StudentID, c.flag)
		if err != nil {
			return Submission{}, false, 0, err
		}
		for _, o := range others {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE submissions SET flags = ? WHERE id = ?`), strings.Join(addFlag(o.Flags, c.flag), ","), o.ID); err != nil {
				return Submission{}, false, 0, err
			}
			seq, err := s.insertEventQuiet(ctx, tx, Event{Time: sub.ReceivedAt, Kind: EventFlagged, StudentID: o.StudentID, SubmissionID: o.ID,
				Data: eventData(map[string]any{"flag": c.flag})})
			if err != nil {
				return Submission{}, false, 0, err
			}
			last = max(last, seq)
		}
	}
	evTime := sub.ReceivedAt
	if evTime.IsZero() {
		evTime = time.Now()
	}
	data := eventData(map[string]any{"exercise": sub.Exercise, "score": sub.Score, "maxScore": sub.MaxScore, "status": sub.Status, "flags": sub.Flags})
	var seq int64
	err := tx.QueryRowContext(ctx, queryInsertSubmissionEventPostgres,
		sub.StudentID, sub.IdempotencyKey, sub.Exercise, sub.Snapshot, sub.SnapshotSHA256, string(sub.Result), sub.Score, sub.MaxScore,
		sub.Status, sub.GraderVersion, nanos(sub.ReceivedAt), nanos(sub.ClientTime), nanos(sub.CreatedAt), sub.DaemonSetUID, sub.ClusterUID,
		strings.Join(sub.Flags, ","), nanos(evTime), EventSubmitted, string(data)).Scan(&seq, &sub.ID)
	if err != nil {
		return Submission{}, false, 0, fmt.Errorf("submission: %w", err)
	}
	return sub, true, max(last, seq), nil
}

// endBatchPostgres ends a batch's transaction before its commit: one
// pg_notify with the batch's highest event seq (none when it wrote no
// event) and the test hook.
func (s *sqlStore) endBatchPostgres(ctx context.Context, tx *sql.Tx, last int64, answered int) error {
	if last > 0 {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, NotifyChannel, strconv.FormatInt(last, 10)); err != nil {
			return err
		}
	}
	if s.sw.beforeCommit != nil {
		s.sw.beforeCommit(answered)
	}
	return nil
}
