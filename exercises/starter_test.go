package exercises_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// maxStarterWidth is the widest line, in terminal display cells (Hangul is
// two), a starter may hold: it opens in the learner's editor, which README
// allows to be 80 columns wide, and editors keep a column or two for
// themselves.
const maxStarterWidth = 78

// Every starter line fits an 80-column editor without wrapping.
func TestStarterLinesFitTheTerminal(t *testing.T) {
	for _, ex := range load(t).All() {
		if ex.Starter == nil {
			continue
		}
		for i, line := range strings.Split(string(ex.Starter), "\n") {
			if w := ansi.StringWidth(line); w > maxStarterWidth {
				t.Errorf("exercises/%s/starter.yaml:%d is %d cells wide (max %d): %s", ex.ID, i+1, w, maxStarterWidth, line)
			}
		}
	}
}
