package progress

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Read loads the progress saved at path without changing anything on disk
// (for read-only commands such as `dslab progress`): a missing file is an
// empty progress; a file that is not valid progress JSON is an error
// (Open, by contrast, moves it aside and starts afresh).
func Read(path string) (File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyFile(), nil
	}
	if err != nil {
		return File{}, fmt.Errorf("progress: read %s: %w", path, err)
	}
	f, err := parse(data)
	if err != nil {
		return File{}, fmt.Errorf("progress: %s: %w", path, err)
	}
	return f, nil
}
