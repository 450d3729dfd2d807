package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Prepared statements of the submission writer (SQLite).
//
// The pure-Go SQLite driver prepares every statement it is given: parsing
// and planning the submit path's seven statements per row was about a
// third of the writer's CPU (BenchmarkSubmitInProcess's profile), and the
// writer is the one serial stage of a submission. On SQLite they are
// prepared once on the writer pool (one connection, so database/sql's
// Tx.StmtContext finds them prepared on the transaction's connection) and
// reused. PostgreSQL needs none of this: pgx caches prepared statements per
// connection by itself (QueryExecModeCacheStatement, its default).

type stmtCache struct {
	m map[string]*sql.Stmt // read-only once prepareWriter returned
}

// writerQueries are the statements prepareWriter prepares: every statement
// of AddSubmission's transaction (batch.go, addSubmissionTx,
// otherSubmissions, insertEvent).
func writerQueries() []string {
	qs := []string{
		`SAVEPOINT submission`, `ROLLBACK TO SAVEPOINT submission`, `RELEASE SAVEPOINT submission`,
		querySubmissionByKey, querySubmissionByCapture, queryInsertSubmission, queryInsertEvent,
	}
	for _, col := range []string{"ds_uid", "cluster_uid"} {
		qs = append(qs, queryOtherExists(col), queryOtherUnflagged(col))
	}
	return qs
}

// prepareWriter prepares writerQueries on the writer pool (SQLite only).
// It must run before the pool's one connection can be held by a
// transaction (a prepare would wait for it), that is before startWriter.
func (s *sqlStore) prepareWriter(ctx context.Context) error {
	if s.dialect != "sqlite" {
		return nil
	}
	s.stmts.m = map[string]*sql.Stmt{}
	for _, q := range writerQueries() {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts.m[q] = st
	}
	return nil
}

// stmt returns query's prepared statement, or nil when it has none.
func (s *sqlStore) stmt(query string) *sql.Stmt {
	return s.stmts.m[query]
}

// closeStmts closes the prepared statements (before the pool closes).
func (s *sqlStore) closeStmts() {
	for _, st := range s.stmts.m {
		st.Close()
	}
}

// txQueryRow is tx.QueryRowContext(ctx, s.q(query), args...) through a
// cached statement where there is one.
func (s *sqlStore) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.stmt(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, s.q(query), args...)
}

// txQuery is tx.QueryContext through a cached statement where there is one.
func (s *sqlStore) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(query); st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, s.q(query), args...)
}

// txExec is tx.ExecContext through a cached statement where there is one.
func (s *sqlStore) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.stmt(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, s.q(query), args...)
}
