package supervisor

import "syscall"

// componentProcAttr makes the kernel kill a component when the supervisor
// dies, however it dies (PR_SET_PDEATHSIG, Linux only; see prctl(2)).
func componentProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
