//go:build !unix

package progress

// lockFile is a no-op where flock(2) is not available: saves still merge
// with the file on disk, only the read-merge-write is not exclusive.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
