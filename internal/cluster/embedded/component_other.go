//go:build !linux && !darwin

package embedded

// processIsComponent reports false where no process table is readable
// (no /proc, no kern.procargs2): the runtime then relies on the supervisor
// stopping its components itself.
func processIsComponent(int) bool { return false }
