package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the pure-Go "sqlite" driver (no cgo)
)

// SQLiteFile is the database file name inside a class data directory.
const SQLiteFile = "class.db"

// Open opens the store named by dsn: a postgres:// or postgresql:// URL
// opens PostgreSQL, anything else is a SQLite file path. Migrations run
// before it returns.
func Open(ctx context.Context, dsn string) (Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return OpenPostgres(ctx, dsn)
	}
	return OpenSQLite(ctx, dsn)
}

// OpenSQLite opens (creating it and its directory when missing) the SQLite
// database at path in WAL mode with synchronous=FULL (a commit is on disk
// before it returns), a busy timeout, foreign keys on, and one writer
// connection whose transactions start IMMEDIATE; reads use a separate pool,
// which WAL lets run beside the writer. See https://sqlite.org/wal.html and
// https://sqlite.org/pragma.html#pragma_synchronous.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	pragmas := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		pragmas.Add("_pragma", p)
	}
	wv := url.Values{}
	for k, v := range pragmas {
		wv[k] = v
	}
	wv.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", "file:"+path+"?"+wv.Encode())
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode())
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	s := &sqlStore{dialect: "sqlite", w: w, r: r}
	if err := s.migrate(ctx, withBoard(sqliteMigrations, "sqlite")); err != nil {
		s.Close()
		return nil, fmt.Errorf("SQLite %s: %w", path, err)
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		s.Close()
		return nil, fmt.Errorf("SQLite %s: journal_mode is %q, want wal: %v", path, mode, err)
	}
	if err := s.prepareWriter(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("SQLite %s: %w", path, err)
	}
	s.startWriter()
	return s, nil
}

// OpenPostgres opens a PostgreSQL database through pgx. Writing
// transactions take a transaction-scoped advisory lock so the event log's
// sequence numbers commit in order, and every writing transaction announces
// its events with NOTIFY dslab_class_events (a wake-up only; the events
// table is the log): once per event, except a batch of submissions, which
// announces its highest seq once (batch_postgres.go).
// Migrations are serialised the same way, so several replicas may start at
// once.
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	keepPostgresPool(db, 16)
	// Reads (a student's token on every request, exports) have a pool of
	// their own: writing transactions queue on an advisory lock while
	// holding their connection, and must not starve them.
	rdb, err := sql.Open("pgx", dsn)
	if err != nil {
		db.Close()
		return nil, err
	}
	keepPostgresPool(rdb, postgresReadConns)
	s := &sqlStore{dialect: "postgres", w: db, r: rdb, lockWrites: true, notify: true, dsn: dsn}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	if err := s.migratePostgres(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	s.startWriter()
	return s, nil
}

// postgresReadConns is the size of the PostgreSQL read pool.
const postgresReadConns = 8

// keepPostgresPool lets db open n connections and keeps all n open when
// idle. database/sql keeps only 2 idle connections by default
// (sql.DB.SetMaxIdleConns), so under a class's load every burst past two
// concurrent queries closed a connection after its query and opened a new
// one for the next: a TCP connect, authentication and a new PostgreSQL
// backend process (https://www.postgresql.org/docs/current/connect-estab.html)
// with cold catalog caches, and pgx's statement cache, which lives on the
// connection, prepared every statement again. That churn, not the queries,
// was most of the board's latency at 1,000 students (make bench,
// BoardLatencyPostgres).
func keepPostgresPool(db *sql.DB, n int) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(0)
}

func (s *sqlStore) migratePostgres(ctx context.Context) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, advisoryLockID); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, advisoryLockID) //nolint:errcheck
	// The session lock above serialises replicas; migrate's own
	// transactions run on other connections without the lock.
	return s.migrate(ctx, withBoard(postgresMigrations, "postgres"))
}
