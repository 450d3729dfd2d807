package client

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// Commands returns the instructor's commands for this student (everyone's
// and its own) with seq > after, oldest first. A student that was offline
// asks again after the last seq it applied and gets exactly what it missed.
func (c *Client) Commands(ctx context.Context, after int64) ([]api.Command, error) {
	var r api.CommandsResponse
	_, err := call(ctx, c.HTTP, "GET", c.Server+api.PathCommands+"?after="+strconv.FormatInt(after, 10), c.Token, nil, &r)
	return r.Commands, err
}

// CommandCursor remembers the seq of the last command the lab applied
// (a file holding the number), so each command is applied once.
type CommandCursor struct{ Path string }

// CommandCursorFile is the cursor's place in the data dir.
func CommandCursorFile(dataDir string) string {
	return filepath.Join(dataDir, "class", "commands-applied")
}

// Load returns the stored seq (0 when none).
func (k CommandCursor) Load() (int64, error) {
	b, err := os.ReadFile(k.Path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n < 0 {
		return 0, nil // a damaged cursor: fetch everything again
	}
	return n, nil
}

// Save stores seq atomically.
func (k CommandCursor) Save(seq int64) error {
	if err := os.MkdirAll(filepath.Dir(k.Path), 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(k.Path, []byte(strconv.FormatInt(seq, 10)+"\n"))
}
