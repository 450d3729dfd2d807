package embedded

import (
	"fmt"
	"os"
	"strings"
)

// processIsComponent reports whether pid is alive and is a dslab component
// (guards against pid reuse).
func processIsComponent(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	return strings.Contains(string(data), "__component")
}
