package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIDocClassTable: the class-table example of docs/cli.md ("강사용: 반
// 전체 채점") is what `dslab grade --all -o text --width 100` prints for the
// sample class of four (sampleReport): same columns in the same order, the
// same legend. When the output changes on purpose, paste the new output
// (this test prints it) into the doc.
func TestCLIDocClassTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "```\n학생 ")
	if start < 0 {
		t.Fatal("docs/cli.md: no class-table example (a ``` block starting with 학생)")
	}
	block := doc[start+len("```\n"):]
	block = block[:strings.Index(block, "```")]

	var b bytes.Buffer
	if err := writeClassText(&b, sampleReport(t), "auto", 100); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != block {
		t.Errorf("docs/cli.md class-table example differs from the real output at 100 columns.\ndoc:\n%s\nreal:\n%s", block, got)
	}
}
