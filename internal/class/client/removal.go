package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Removal is the note the CLI keeps once the server said the instructor
// removed this student (IsRemoved), so later commands still explain it
// after the credentials are gone (issue 12: a later `class status` only
// said "not joined"). A new join forgets it.
type Removal struct {
	Server   string `json:"server"`
	RosterID string `json:"rosterId"`
	Name     string `json:"name"`
	Class    string `json:"class"`
	// Message is the Korean explanation shown when the removal was seen.
	Message string `json:"message"`
	// At is when this computer learned of the removal (UTC).
	At time.Time `json:"at"`
}

// RemovalFile is where the removal note is kept (in the config dir).
func RemovalFile(configDir string) string { return filepath.Join(Dir(configDir), "removed.json") }

// SaveRemoval writes r (mode 0600) atomically.
func SaveRemoval(configDir string, r Removal) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(RemovalFile(configDir), append(b, '\n'))
}

// LoadRemoval reads the removal note; (nil, nil) when there is none.
func LoadRemoval(configDir string) (*Removal, error) {
	b, err := os.ReadFile(RemovalFile(configDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Removal
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", RemovalFile(configDir), err)
	}
	return &r, nil
}

// ForgetRemoval deletes the removal note (nil when there was none).
func ForgetRemoval(configDir string) error {
	err := os.Remove(RemovalFile(configDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// RemovedDir is the outbox's subdirectory for the submissions set aside
// at a removal (SetAside): a local record, never sent.
const RemovedDir = "removed"

// SetAside moves every pending item into the outbox's subdirectory sub,
// where Pending no longer sees them (after a removal, issue 12: nothing
// made before it is sent later, even after a new join). It returns that
// directory and how many items moved.
func (o Outbox) SetAside(sub string) (string, int, error) {
	dir := filepath.Join(o.Dir, sub)
	items, err := o.Pending()
	if err != nil || len(items) == 0 {
		return dir, 0, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return dir, 0, err
	}
	n := 0
	for _, it := range items {
		if err := os.Rename(it.File, filepath.Join(dir, filepath.Base(it.File))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return dir, n, err
		}
		n++
	}
	if err := syncDir(dir); err != nil {
		return dir, n, err
	}
	return dir, n, syncDir(o.Dir)
}
