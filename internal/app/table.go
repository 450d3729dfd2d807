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
