package embedded

import (
	"strings"

	"golang.org/x/sys/unix"
)

// processIsComponent reports whether pid is alive and is a dslab component
// (guards against pid reuse). macOS has no /proc; the kern.procargs2 sysctl
// returns the process's argument vector (see sysctl(3), KERN_PROCARGS2).
func processIsComponent(pid int) bool {
	data, err := unix.SysctlRaw("kern.procargs2", pid)
	if err != nil {
		return false
	}
	return strings.Contains(string(data), "__component")
}
