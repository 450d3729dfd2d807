// Package testutil holds small helpers shared by tests of several
// packages. It imports nothing of dslab, so any package's tests may use it.
package testutil

import "strings"

// BashJoin joins lines as bash reads them: a line ending in a backslash
// continues on the next one, the backslash and newline removed and the next
// line's leading blanks kept (a new word when the break was inside one).
// Lines after the first one that does not end in a backslash are ignored.
func BashJoin(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	joined := lines[0]
	for _, l := range lines[1:] {
		if !strings.HasSuffix(joined, `\`) {
			break
		}
		joined = strings.TrimSuffix(joined, `\`) + l
	}
	return joined
}
