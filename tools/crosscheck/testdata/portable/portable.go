// Package portable type-checks on every platform.
package portable

import "os"

// Name is the executable's path.
func Name() (string, error) { return os.Executable() }
