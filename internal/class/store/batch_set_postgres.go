package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Set-based group commit on PostgreSQL.
//
// writeRowsPostgres costs two round trips a row, and the writer is one
// goroutine: its rate is 1 / (2 × round trip), and a round trip is two
// process wake-ups (this server's and the PostgreSQL backend's). On a busy
// machine — 1,000 students' requests being parsed and re-graded on the
// same cores — each wake-up waits for a CPU, and the writer, not the
// database, was the limit (BenchmarkSubmitPostgres/students=1000: paced
// p95 2.1 s at a third of the saturation rate; docs/class.md "성능").
//
// writeSetPostgres writes a batch in a constant number of round trips:
// begin, advisory lock, ONE lookup of every row (unnest of the rows' keys,
// UIDs and captures: queryLookupSetPostgres), ONE statement inserting every plain
// row and its event (queryInsertSetPostgres, chunked by snapshot bytes),
// one notify, commit. A row that needs more — its key already stored, a
// copy with another student (in the table or earlier in the batch), its
// key or its capture repeated earlier in the batch, its capture stored
// under another key — is written alone by
// addSubmissionPostgres at its place in the batch, so rows keep their
// order and every row has exactly the outcome it would have had alone.
// Any error rolls the set transaction back and the caller writes the
// batch row by row (writeRowsPostgres), where a failing row fails alone.

// maxSetBytes bounds the snapshot bytes of one set insert (a batch of
// 128 snapshots of a large cluster would be one huge message).
const maxSetBytes = 4 << 20

// queryLookupSetPostgres is queryLookupPostgres for many rows: $1 student
// ids, $2 keys, $3 DaemonSet UIDs, $4 cluster UIDs, $5 exercises, $6
// snapshot SHA-256s, $7 late (arrays of equal length); one result row per
// input row, in input order.
var queryLookupSetPostgres = func() string {
	other := func(col, val string) string {
		q := `SELECT 1 FROM submissions WHERE ` + col + ` = r.` + val + ` AND ` + col + ` <> '' AND student_id `
		return `(EXISTS (` + q + `< r.sid) OR EXISTS (` + q + `> r.sid))`
	}
	return `SELECT COALESCE((SELECT id FROM submissions s WHERE s.student_id = r.sid AND s.idempotency_key = r.key), 0), ` +
		other("ds_uid", "ds") + `, ` + other("cluster_uid", "cl") + `, ` +
		`EXISTS (SELECT 1 FROM submissions s WHERE s.student_id = r.sid AND s.exercise = r.ex AND s.snapshot_sha256 = r.sha AND r.sha <> '' ` +
		`AND (r.late OR (',' || s.flags || ',') NOT LIKE '` + lateLike + `'))` +
		` FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[]) WITH ORDINALITY AS r(sid, key, ds, cl, ex, sha, late, ord) ORDER BY r.ord`
}()

// queryInsertSetPostgres inserts submissions given as arrays ($1…$16 as
// queryInsertSubmission's columns, $17 event times, $18 event data) and
// their "submitted" events, in input order, and returns each input row's
// ordinal (1-based), submission id and event seq.
const queryInsertSetPostgres = `WITH r AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::int[], $8::int[],
		$9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[], $15::text[], $16::text[], $17::bigint[], $18::text[])
	WITH ORDINALITY AS r(student_id, idempotency_key, exercise, snapshot, snapshot_sha256, result, score, max_score,
		status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags, ev_time, ev_data, ord)
), s AS (
	INSERT INTO submissions (student_id, idempotency_key, exercise, snapshot, snapshot_sha256, result, score, max_score, status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags)
	SELECT student_id, idempotency_key, exercise, snapshot, snapshot_sha256, result, score, max_score, status, grader_version, received_at, client_time, created_at, ds_uid, cluster_uid, flags
	FROM r ORDER BY ord
	RETURNING id, student_id, idempotency_key
), e AS (
	INSERT INTO events (time, kind, student_id, submission_id, data)
	SELECT r.ev_time, '` + EventSubmitted + `', s.student_id, s.id, r.ev_data FROM s JOIN r USING (student_id, idempotency_key) ORDER BY s.id
	RETURNING seq, submission_id
)
SELECT r.ord, s.id, e.seq FROM r JOIN s USING (student_id, idempotency_key) JOIN e ON e.submission_id = s.id`

// writeSetPostgres writes batch[i] for every i of rows in one transaction
// (see above) and, once it committed, sets their results. On an error
// nothing is stored and no result is set.
func (s *sqlStore) writeSetPostgres(ctx context.Context, batch []*addRequest, results []addResult, rows []int, answered int) error {
	out := make([]addResult, len(rows))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		plain, err := s.lookupSetPostgres(ctx, tx, batch, rows)
		if err != nil {
			return err
		}
		var last int64
		for j := 0; j < len(rows); {
			if !plain[j] {
				sub, created, seq, err := s.addSubmissionPostgres(ctx, tx, batch[rows[j]].sub)
				if errors.Is(err, ErrConflict) {
					out[j] = addResult{err: err} // found before writing anything
					j++
					continue
				}
				if err != nil {
					return err
				}
				out[j] = addResult{sub: sub, created: created}
				last = max(last, seq)
				j++
				continue
			}
			// The run of plain rows from j, up to maxSetBytes of snapshots.
			k, size := j, 0
			for k < len(rows) && plain[k] && (k == j || size+len(batch[rows[k]].sub.Snapshot) <= maxSetBytes) {
				size += len(batch[rows[k]].sub.Snapshot)
				k++
			}
			seq, err := s.insertSetPostgres(ctx, tx, batch, rows[j:k], out[j:k])
			if err != nil {
				return err
			}
			last = max(last, seq)
			j = k
		}
		return s.endBatchPostgres(ctx, tx, last, answered)
	})
	if err != nil {
		return err
	}
	for j, i := range rows {
		results[i] = out[j]
	}
	s.sw.setCommits.Add(1)
	return nil
}

// lookupSetPostgres reports for each row whether it is plain: its key is
// not stored yet, nor its capture under another key, no other student
// has its DaemonSet or cluster UID, and no earlier row of the batch has
// its key or its capture (same student) or its UIDs (another student).
func (s *sqlStore) lookupSetPostgres(ctx context.Context, tx *sql.Tx, batch []*addRequest, rows []int) ([]bool, error) {
	sids := make([]int64, len(rows))
	keys := make([]string, len(rows))
	dss := make([]string, len(rows))
	cls := make([]string, len(rows))
	exs := make([]string, len(rows))
	shas := make([]string, len(rows))
	lates := make([]bool, len(rows))
	for j, i := range rows {
		sub := batch[i].sub
		sids[j], keys[j], dss[j], cls[j] = sub.StudentID, sub.IdempotencyKey, sub.DaemonSetUID, sub.ClusterUID
		exs[j], shas[j], lates[j] = sub.Exercise, sub.SnapshotSHA256, slices.Contains(sub.Flags, FlagLate)
	}
	res, err := tx.QueryContext(ctx, queryLookupSetPostgres, sids, keys, dss, cls, exs, shas, lates)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	plain := make([]bool, 0, len(rows))
	for res.Next() {
		var existing int64
		var copiedDS, copiedCluster, captured bool
		if err := res.Scan(&existing, &copiedDS, &copiedCluster, &captured); err != nil {
			return nil, err
		}
		plain = append(plain, existing == 0 && !copiedDS && !copiedCluster && !captured)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if len(plain) != len(rows) {
		return nil, fmt.Errorf("lookup of %d submissions returned %d rows", len(rows), len(plain))
	}
	type key struct {
		student int64
		key     string
	}
	type capture struct {
		student      int64
		exercise, sh string
	}
	keySeen := map[key]bool{}
	captureSeen := map[capture]bool{}
	uidOwner := map[string]int64{} // "d:"+DaemonSet UID or "c:"+cluster UID → a student with it
	for j := range rows {
		k := key{sids[j], keys[j]}
		if keySeen[k] {
			plain[j] = false
		}
		keySeen[k] = true
		if c := (capture{sids[j], exs[j], shas[j]}); shas[j] != "" {
			if captureSeen[c] {
				plain[j] = false // addSubmissionPostgres sees the earlier row
			}
			captureSeen[c] = true
		}
		for _, u := range []string{"d:" + dss[j], "c:" + cls[j]} {
			if len(u) == 2 {
				continue // no UID
			}
			if o, ok := uidOwner[u]; ok && o != sids[j] {
				plain[j] = false
			}
			uidOwner[u] = sids[j]
		}
	}
	return plain, nil
}

// insertSetPostgres inserts batch[i] for every i of rows and their events
// with one statement, fills out (created rows) and returns the highest
// event seq.
func (s *sqlStore) insertSetPostgres(ctx context.Context, tx *sql.Tx, batch []*addRequest, rows []int, out []addResult) (int64, error) {
	n := len(rows)
	var (
		sids                                                   = make([]int64, n)
		keys, exs, shas, results, statuses, versions, dss, cls = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		flags, data                                            = make([]string, n), make([]string, n)
		snaps                                                  = make([][]byte, n)
		scores, maxScores                                      = make([]int32, n), make([]int32, n)
		recv, client, created, evTimes                         = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	)
	for j, i := range rows {
		sub := batch[i].sub
		sids[j], keys[j], exs[j], snaps[j], shas[j], results[j] = sub.StudentID, sub.IdempotencyKey, sub.Exercise, sub.Snapshot, sub.SnapshotSHA256, string(sub.Result)
		scores[j], maxScores[j], statuses[j], versions[j] = int32(sub.Score), int32(sub.MaxScore), sub.Status, sub.GraderVersion
		recv[j], client[j], created[j], dss[j], cls[j], flags[j] = nanos(sub.ReceivedAt), nanos(sub.ClientTime), nanos(sub.CreatedAt), sub.DaemonSetUID, sub.ClusterUID, strings.Join(sub.Flags, ",")
		evTime := sub.ReceivedAt
		if evTime.IsZero() {
			evTime = time.Now()
		}
		evTimes[j] = nanos(evTime)
		data[j] = string(eventData(map[string]any{"exercise": sub.Exercise, "score": sub.Score, "maxScore": sub.MaxScore, "status": sub.Status, "flags": sub.Flags}))
	}
	res, err := tx.QueryContext(ctx, queryInsertSetPostgres, sids, keys, exs, snaps, shas, results, scores, maxScores,
		statuses, versions, recv, client, created, dss, cls, flags, evTimes, data)
	if err != nil {
		return 0, fmt.Errorf("submissions: %w", err)
	}
	defer res.Close()
	var last int64
	got := 0
	for res.Next() {
		var ord, id, seq int64
		if err := res.Scan(&ord, &id, &seq); err != nil {
			return 0, err
		}
		if ord < 1 || ord > int64(n) || out[ord-1].sub.ID != 0 {
			return 0, fmt.Errorf("set insert returned row %d of %d twice or out of range", ord, n)
		}
		sub := batch[rows[ord-1]].sub
		sub.ID = id
		out[ord-1] = addResult{sub: sub, created: true}
		last = max(last, seq)
		got++
	}
	if err := res.Err(); err != nil {
		return 0, err
	}
	if got != n {
		return 0, fmt.Errorf("set insert stored %d of %d submissions", got, n)
	}
	return last, nil
}
