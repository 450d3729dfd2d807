package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// gluedQuoteRE matches a particle glued to a closing 「…」/『…』 quote in a
// Go source line: a particle after the quote, or a verb right after it
// (where the hangul helpers put theirs).
var gluedQuoteRE = regexp.MustCompile(`[」』](%s|%v|으로|로|을|를|이|가|은|는|와|과|의|에|에서)`)

// TestQuotedTitleParticleSpacing: every text of the TUI and the lab puts
// one space between a quoted title and its particle ("「제목」 로"), the
// convention internal/hangul's test enforces after words (issue 14: the
// TUI had both 「…」로 and 「…」 로).
func TestQuotedTitleParticleSpacing(t *testing.T) {
	for _, dir := range []string{".", filepath.Join("..", "lab"), filepath.Join("..", "progress")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(data), "\n") {
				if gluedQuoteRE.MatchString(line) {
					t.Errorf("%s:%d: particle glued to a closing quote; write 「…」 %%s: %s", f, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
}
