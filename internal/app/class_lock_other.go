//go:build !unix

package app

// lockClassData: no data dir lock off Unix (flock); a second serve is not
// refused there.
func lockClassData(dataDir string) (release func(), err error) { return func() {}, nil }

// serveLockHeld: no lock off Unix; classServerRunning asks the recorded
// address instead.
func serveLockHeld(dataDir string) bool { return false }
