package exercises_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// docs/cli.md's exercise table lists every exercise with the number and in
// the order `dslab exercises` shows (the catalog order).
func TestCLIDocExerciseTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile("(?m)^\\| (\\d+) \\| `([a-z0-9-]+)` \\|").FindAllStringSubmatch(string(data), -1) {
		got = append(got, m[1]+"="+m[2])
	}
	var want []string
	for i, id := range load(t).IDs() {
		want = append(want, fmt.Sprintf("%d=%s", i+1, id))
	}
	if !slices.Equal(got, want) {
		t.Errorf("docs/cli.md exercise table:\n got %v\nwant %v", got, want)
	}
}
