package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/testutil"
)

// TestWorkFileLinesKeepTheCommandWhole: `dslab exercise start` prints the
// apply command on one unbroken line when it fits (issue 12: "적용:
// dslab" / "kubectl apply -f …" was split over two lines at 80 columns),
// and as bash continues a line when it does not, the path whole on a line
// of its own (issue 14: the terminal broke the path, "noexecute-chu" /
// "rn.yaml"); no line is wider than the width unless it is the path
// alone; the TUI note is always said.
func TestWorkFileLinesKeepTheCommandWhole(t *testing.T) {
	path := "/home/student/.local/share/dslab/work/noexecute-churn.yaml"
	cmd := "dslab kubectl apply -f " + path
	for _, width := range []int{40, 60, 80, 100, 160} {
		var b bytes.Buffer
		writeWorkFileLines(textOut{w: &b, width: width}, path)
		text := b.String()
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		whole := false
		for i, l := range lines {
			whole = whole || strings.Contains(l, cmd)
			if strings.HasSuffix(l, ` \`) && i+1 < len(lines) {
				// Continued: pasted as shown, bash runs the command.
				whole = whole || strings.Join(strings.Fields(testutil.BashJoin(lines[i:i+2])), " ") == cmd
			}
			if ansi.StringWidth(l) > width && strings.TrimSpace(l) != path {
				t.Errorf("width %d: line %q is wider", width, l)
			}
			if strings.HasSuffix(strings.TrimSpace(l), "dslab") || strings.HasPrefix(strings.TrimSpace(l), "kubectl apply") {
				t.Errorf("width %d: the command is split:\n%s", width, text)
			}
		}
		if !whole {
			t.Errorf("width %d: no line holds the whole command:\n%s", width, text)
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), "(TUI 에서는 작업 파일을 저장하면 적용됩니다)") {
			t.Errorf("width %d: the TUI note is missing:\n%s", width, text)
		}
		if width >= 160 && len(lines) != 2 {
			t.Errorf("width %d: %d lines, want the file and the command with its note:\n%s", width, len(lines), text)
		}
	}
}
