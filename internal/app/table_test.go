package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWriteTableAlignsHangul(t *testing.T) {
	var buf bytes.Buffer
	writeTable(&buf, []string{"번호", "ID", "제목", "점수"}, [][]string{
		{"1", "ds-basics", "첫 데몬셋", "10"},
		{"10", "troubleshoot", "고장 난 데몬셋 고치기", "5"},
	}, 0, 3)
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines: %q", lines)
	}
	// Every line has the same display width, and the third column starts at
	// the same cell in each line.
	start := func(line, cell string) int { return ansi.StringWidth(line[:strings.Index(line, cell)]) }
	if a, b, c := start(lines[0], "제목"), start(lines[1], "첫"), start(lines[2], "고장"); a != b || b != c {
		t.Errorf("title column starts at %d, %d, %d:\n%s", a, b, c, buf.String())
	}
	if w0, w1, w2 := ansi.StringWidth(lines[0]), ansi.StringWidth(lines[1]), ansi.StringWidth(lines[2]); w0 != w1 || w1 != w2 {
		t.Errorf("widths %d %d %d:\n%s", w0, w1, w2, buf.String())
	}
	if !strings.HasPrefix(lines[1], "   1  ") || !strings.HasPrefix(lines[2], "  10  ") {
		t.Errorf("numbers not right-aligned: %q", lines[1])
	}
}
