package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Setting names (the settings table's name column).
const (
	// SettingStuckAfter is serve's --stuck as a Go duration string
	// ("10m0s"): how long a student's current exercise may go without
	// progress before the board flags the student as stuck. Kept in the
	// database, not the data dir, so every replica sharing a PostgreSQL
	// class (deploy/class-server.yaml) sees the same.
	SettingStuckAfter = "stuck-after"
)

// SettingsStore holds the class's named settings (text values), such as
// SettingStuckAfter.
type SettingsStore interface {
	// Setting returns the value stored under name; ErrNotFound when none
	// is.
	Setting(ctx context.Context, name string) (string, error)
	// SetSetting stores value under name, replacing any earlier value. A
	// changed SettingStuckAfter of an existing class is logged as an
	// EventClassChanged (data: stuckAfter, previousStuckAfter — "" when
	// none was stored) in the same transaction.
	SetSetting(ctx context.Context, name, value string) error
}

// settingsMigration (migration 5, both engines) adds the settings table.
var settingsMigration = migration{Version: 5, SQL: []string{
	`CREATE TABLE settings (
		name TEXT PRIMARY KEY,
		value TEXT NOT NULL
	)`,
}}

func (s *sqlStore) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT value FROM settings WHERE name = ?`), name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", name, err)
	}
	return v, nil
}

func (s *sqlStore) SetSetting(ctx context.Context, name, value string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, s.q(`SELECT value FROM settings WHERE name = ?`), name).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`), name, value); err != nil {
			return err
		}
		if name != SettingStuckAfter || old == value {
			return nil
		}
		// A changed --stuck is on the class's timeline like a changed
		// --title/--exercises (issue 12); not before the class exists.
		var classes int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM class`).Scan(&classes); err != nil || classes == 0 {
			return err
		}
		_, err = s.insertEvent(ctx, tx, Event{Kind: EventClassChanged, Data: eventData(map[string]any{"stuckAfter": value, "previousStuckAfter": old})})
		return err
	})
	if err != nil {
		return fmt.Errorf("setting %s: %w", name, err)
	}
	return nil
}
