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

// The comments of the manifests dslab shows or applies besides the starter
// — solution.yaml (`dslab exercise solution`) and the setup files — fit an
// 80-column editor or terminal too. (Their YAML values, e.g. a container's
// command, are the manifest itself and are left as written.)
func TestSetupAndSolutionCommentsFitTheTerminal(t *testing.T) {
	checked := 0
	for _, ex := range load(t).All() {
		files := map[string][]byte{"solution.yaml": ex.Solution}
		for _, f := range ex.Setup.Files() {
			files[f] = ex.Files[f]
		}
		for name, b := range files {
			for i, line := range strings.Split(string(b), "\n") {
				if !strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				checked++
				if w := ansi.StringWidth(line); w > maxStarterWidth {
					t.Errorf("exercises/%s/%s:%d is a comment %d cells wide (max %d): %s", ex.ID, name, i+1, w, maxStarterWidth, line)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no comment lines checked; the test proves nothing")
	}
}
