package store

import "database/sql"

// Test hooks into the submission writer (batch.go).

// SetBeforeCommit has f called with the number of rows of each submission
// batch just before its commit. Set it before the first AddSubmission.
func SetBeforeCommit(s Store, f func(rows int)) { s.(*sqlStore).sw.beforeCommit = f }

// QueuedSubmissions is the number of submissions waiting for the writer.
func QueuedSubmissions(s Store) int { return len(s.(*sqlStore).sw.queue) }

// SetCommits is the number of submission batches PostgreSQL wrote with
// the set-based statements (batch_set_postgres.go).
func SetCommits(s Store) int64 { return s.(*sqlStore).sw.setCommits.Load() }

// Pools returns the store's write and read connection pools.
func Pools(s Store) (w, r *sql.DB) { return s.(*sqlStore).w, s.(*sqlStore).r }
