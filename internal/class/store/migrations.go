package store

// migration is one numbered schema step of a dialect. Applied versions are
// recorded in schema_migrations; a step never changes once released — add a
// new one instead.
type migration struct {
	Version int
	SQL     []string
}

var sqliteMigrations = []migration{
	{Version: 1, SQL: []string{
		`CREATE TABLE class (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			title TEXT NOT NULL,
			join_code TEXT NOT NULL,
			instructor_token_hash TEXT NOT NULL,
			exercises TEXT NOT NULL DEFAULT '',
			created INTEGER NOT NULL
		)`,
		`CREATE TABLE students (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			roster_id TEXT NOT NULL UNIQUE,
			name TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE,
			machine_id TEXT NOT NULL,
			rejoin_approved INTEGER NOT NULL DEFAULT 0,
			joined INTEGER NOT NULL
		)`,
		`CREATE TABLE submissions (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			student_id INTEGER NOT NULL REFERENCES students(id),
			idempotency_key TEXT NOT NULL,
			exercise TEXT NOT NULL,
			snapshot BLOB NOT NULL,
			snapshot_sha256 TEXT NOT NULL,
			result TEXT NOT NULL,
			score INTEGER NOT NULL,
			max_score INTEGER NOT NULL,
			status TEXT NOT NULL,
			grader_version TEXT NOT NULL,
			received_at INTEGER NOT NULL,
			client_time INTEGER NOT NULL,
			created_at INTEGER NOT NULL,
			ds_uid TEXT NOT NULL DEFAULT '',
			cluster_uid TEXT NOT NULL DEFAULT '',
			flags TEXT NOT NULL DEFAULT '',
			UNIQUE (student_id, idempotency_key)
		)`,
		`CREATE INDEX submissions_student_exercise ON submissions (student_id, exercise, id)`,
		`CREATE INDEX submissions_ds_uid ON submissions (ds_uid) WHERE ds_uid <> ''`,
		`CREATE INDEX submissions_cluster_uid ON submissions (cluster_uid) WHERE cluster_uid <> ''`,
		`CREATE TABLE events (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			time INTEGER NOT NULL,
			kind TEXT NOT NULL,
			student_id INTEGER NOT NULL DEFAULT 0,
			submission_id INTEGER NOT NULL DEFAULT 0,
			data TEXT NOT NULL DEFAULT '{}'
		)`,
	}},
	copyCheckIndexes,
	settingsMigration,
	removeStudentMigration("sqlite"),
}

var postgresMigrations = []migration{
	{Version: 1, SQL: []string{
		`CREATE TABLE class (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			title TEXT NOT NULL,
			join_code TEXT NOT NULL,
			instructor_token_hash TEXT NOT NULL,
			exercises TEXT NOT NULL DEFAULT '',
			created BIGINT NOT NULL
		)`,
		`CREATE TABLE students (
			id BIGSERIAL PRIMARY KEY,
			roster_id TEXT NOT NULL UNIQUE,
			name TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE,
			machine_id TEXT NOT NULL,
			rejoin_approved BOOLEAN NOT NULL DEFAULT FALSE,
			joined BIGINT NOT NULL
		)`,
		`CREATE TABLE submissions (
			id BIGSERIAL PRIMARY KEY,
			student_id BIGINT NOT NULL REFERENCES students(id),
			idempotency_key TEXT NOT NULL,
			exercise TEXT NOT NULL,
			snapshot BYTEA NOT NULL,
			snapshot_sha256 TEXT NOT NULL,
			result TEXT NOT NULL,
			score INTEGER NOT NULL,
			max_score INTEGER NOT NULL,
			status TEXT NOT NULL,
			grader_version TEXT NOT NULL,
			received_at BIGINT NOT NULL,
			client_time BIGINT NOT NULL,
			created_at BIGINT NOT NULL,
			ds_uid TEXT NOT NULL DEFAULT '',
			cluster_uid TEXT NOT NULL DEFAULT '',
			flags TEXT NOT NULL DEFAULT '',
			UNIQUE (student_id, idempotency_key)
		)`,
		`CREATE INDEX submissions_student_exercise ON submissions (student_id, exercise, id)`,
		`CREATE INDEX submissions_ds_uid ON submissions (ds_uid) WHERE ds_uid <> ''`,
		`CREATE INDEX submissions_cluster_uid ON submissions (cluster_uid) WHERE cluster_uid <> ''`,
		`CREATE TABLE events (
			seq BIGSERIAL PRIMARY KEY,
			time BIGINT NOT NULL,
			kind TEXT NOT NULL,
			student_id BIGINT NOT NULL DEFAULT 0,
			submission_id BIGINT NOT NULL DEFAULT 0,
			data TEXT NOT NULL DEFAULT '{}'
		)`,
	}},
	copyCheckIndexes,
	settingsMigration,
	removeStudentMigration("postgres"),
}

// copyCheckIndexes (migration 4, both engines) lets the copy check
// (otherSubmissions) seek past the student's own submissions: with an
// index on the UID alone, "another student has this UID" read every earlier
// submission of the same student (they all share their DaemonSet's and
// cluster's UIDs), so each submission cost more than the one before.
var copyCheckIndexes = migration{Version: 4, SQL: []string{
	`CREATE INDEX submissions_ds_uid_student ON submissions (ds_uid, student_id) WHERE ds_uid <> ''`,
	`CREATE INDEX submissions_cluster_uid_student ON submissions (cluster_uid, student_id) WHERE cluster_uid <> ''`,
}}
