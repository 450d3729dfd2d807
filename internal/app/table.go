package app

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// writeTable prints rows as aligned columns measured in terminal cells
// (Hangul is two cells wide, which text/tabwriter does not know). Columns
// listed in right are right-aligned (numbers).
func writeTable(w io.Writer, header []string, rows [][]string, right ...int) {
	all := append([][]string{header}, rows...)
	widths := make([]int, len(header))
	for _, r := range all {
		for i, cell := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], ansi.StringWidth(cell))
			}
		}
	}
	isRight := map[int]bool{}
	for _, i := range right {
		isRight[i] = true
	}
	for _, r := range all {
		var b strings.Builder
		for i, cell := range r {
			if i >= len(widths) {
				break
			}
			pad := strings.Repeat(" ", widths[i]-ansi.StringWidth(cell))
			if isRight[i] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// writeTableFit is writeTable for a terminal of t.width cells: the table
// when it fits, else one block per row, so that no line is cut or wraps in
// the middle of a column: the first two columns as a small table (with
// their header), then the other columns as "header: value" items, as many
// per line as fit, each wrapped whole (textOut).
func writeTableFit(t textOut, header []string, rows [][]string, right ...int) {
	var b strings.Builder
	writeTable(&b, header, rows, right...)
	fits := true
	for _, l := range strings.Split(b.String(), "\n") {
		fits = fits && ansi.StringWidth(l) <= t.width
	}
	if t.width <= 0 || fits || len(header) <= 2 {
		_, _ = io.WriteString(t.w, b.String())
		return
	}
	const keys = 2
	keyRows := make([][]string, len(rows))
	for i, r := range rows {
		keyRows[i] = r[:min(keys, len(r))]
	}
	var keyRight []int
	for _, i := range right {
		if i < keys {
			keyRight = append(keyRight, i)
		}
	}
	var kb strings.Builder
	writeTable(&kb, header[:keys], keyRows, keyRight...)
	keyLines := strings.Split(strings.TrimRight(kb.String(), "\n"), "\n")
	t.Println(keyLines[0])
	const indent = "    "
	for i, r := range rows {
		t.Println(keyLines[i+1])
		var items []string
		for j := keys; j < len(r) && j < len(header); j++ {
			items = append(items, header[j]+": "+orDash(r[j]))
		}
		line := ""
		flush := func() {
			if line != "" {
				t.Hanging(indent, line)
			}
		}
		for _, it := range items {
			if line != "" && ansi.StringWidth(indent+line+"   "+it) <= t.width {
				line += "   " + it
				continue
			}
			flush()
			line = it
		}
		flush()
	}
}
