//go:build !linux

package supervisor

import "syscall"

// componentProcAttr is nil outside Linux: there is no parent-death signal
// (Pdeathsig is Linux only). Components still die with the supervisor:
// runOnce sends SIGTERM (then kills) each one when the supervisor stops, and
// a component stays in the supervisor's process group (the supervisor is a
// session leader, see embedded.Runtime.spawnSupervisor), so the runtime's
// last-resort SIGKILL of that group and its per-pid sweep in
// embedded.Runtime.stop reach components of a supervisor that was killed.
func componentProcAttr() *syscall.SysProcAttr { return nil }
