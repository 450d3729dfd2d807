package engine

import (
	"errors"
	"testing"
)

// parenDepth is the deepest nesting of parentheses in s.
func parenDepth(s string) int {
	depth, deepest := 0, 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
			deepest = max(deepest, depth)
		case ')':
			depth--
		}
	}
	return deepest
}

// Every class's cause and fix read with one level of parentheses at most:
// the cause is shown inside other text (dslab doctor, cluster up's notice),
// where "(… (소켓(socket)에 …).)" was unreadable (issue 14).
func TestMessagesOneParenLevel(t *testing.T) {
	for _, c := range Classes() {
		e := newError(c, errors.New("x"), "")
		for what, s := range map[string]string{"cause": e.Cause, "fix": e.Fix} {
			if d := parenDepth(s); d > 1 {
				t.Errorf("%s %s: nested parentheses (depth %d): %s", c, what, d, s)
			}
		}
	}
}
