// Package unixonly uses a Unix-only syscall field: it type-checks for
// linux and darwin, not for windows.
package unixonly

import "syscall"

// Attr starts a process in a new session.
var Attr = &syscall.SysProcAttr{Setsid: true}
