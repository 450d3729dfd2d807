// Package atomicfile writes files so that a crash never leaves half of one.
//
// It is the one temp-file/fsync/rename/dir-fsync writer of dslab: progress,
// the embedded runtime's PKI, state and kubeconfigs, the cluster runtime
// record, the class client and the offline image kit all write through it.
package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFile writes data to path with mode 0600 (see Write). Missing parent
// directories are created with dirPerm.
func WriteFile(path string, data []byte, dirPerm os.FileMode) error {
	return WriteFileMode(path, data, 0o600, dirPerm)
}

// WriteFileMode writes data to path with mode perm (set with chmod, so the
// umask does not change it); see Write.
func WriteFileMode(path string, data []byte, perm, dirPerm os.FileMode) error {
	return Write(path, perm, dirPerm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write creates missing parent directories of path with dirPerm, calls
// write with a temporary file ".<base>.tmp-*" in path's directory (mode
// perm), syncs that file to disk, renames it over path and syncs the
// directory so the rename itself is on disk when Write returns (a directory
// that cannot be synced, EINVAL as on some network and FUSE filesystems, is
// not an error: the rename is done). write must not keep w after it returns.
//
// On any error (write's is returned unwrapped) the temporary file is
// removed and path is left as it was.
func Write(path string, perm, dirPerm os.FileMode, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := fill(tmp, perm, write); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func fill(f *os.File, perm os.FileMode, write func(w io.Writer) error) error {
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := write(f); err != nil {
		return err
	}
	return f.Sync()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
