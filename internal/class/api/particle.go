package api

import "strings"

// AfterCommand is the command line cmd followed by a space and the
// particle (internal/hangul's EulReul, EuroRo, …) its last word takes when read
// aloud: "dslab class approve 2026050 으로", "dslab class approve 2026001 을"
// (issue 12: a fixed 를/로 after a 학번 read wrong for most of them). The
// last word is a user value (ShellArg: a quoted one is read inside its
// quotes), so the particle cannot be written into the message.
func AfterCommand(cmd string, particle func(word string) string) string {
	fields := strings.Fields(cmd)
	if len(fields) == 0 {
		return cmd
	}
	return cmd + " " + particle(fields[len(fields)-1])
}
