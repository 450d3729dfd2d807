package render

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
)

func readSample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/hangul.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkWidths fails when a rendered line is wider than width cells.
func checkWidths(t *testing.T, out string, width int) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(line); w > width {
			t.Errorf("line %d is %d cells wide, limit %d: %q", i+1, w, width, ansi.Strip(line))
		}
	}
}

var tableSep = regexp.MustCompile(`\|`)

// checkTableColumns checks that the column separators of the plain table sit
// in the same cell columns on every table line: Hangul counted as one cell
// anywhere would shift them.
func checkTableColumns(t *testing.T, out string) {
	t.Helper()
	var want []int
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "|") || strings.HasPrefix(strings.TrimSpace(line), "|") {
			continue // not a table row, or a block quote
		}
		var cols []int
		for _, loc := range tableSep.FindAllStringIndex(line, -1) {
			cols = append(cols, ansi.StringWidth(line[:loc[0]]))
		}
		rows++
		if want == nil {
			want = cols
			continue
		}
		if len(cols) != len(want) {
			t.Errorf("table row has %d separators, want %d: %q", len(cols), len(want), line)
			continue
		}
		for i := range cols {
			if cols[i] != want[i] {
				t.Errorf("separator %d at cell %d, want %d: %q", i, cols[i], want[i], line)
			}
		}
	}
	if rows < 4 {
		t.Errorf("found %d table rows, want at least 4 (header + 3):\n%s", rows, out)
	}
}

func TestRenderHangulWrapsWithinWidth(t *testing.T) {
	md := readSample(t)
	for _, plain := range []bool{false, true} {
		r, err := New(Options{Plain: plain, Profile: termenv.ANSI256})
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{40, 60, 80, 120} {
			out, err := r.Render(md, width)
			if err != nil {
				t.Fatalf("plain=%v width=%d: %v", plain, width, err)
			}
			checkWidths(t, out, width)
			if !strings.Contains(ansi.Strip(out), "톨러레이션(toleration)") {
				t.Errorf("plain=%v width=%d: text lost:\n%s", plain, width, out)
			}
			if plain {
				if strings.Contains(out, "\x1b") {
					t.Errorf("width=%d: plain output contains escape sequences", width)
				}
				if width >= 60 {
					checkTableColumns(t, out) // narrower: the table is stacked
				}
				// Plain text has no markdown code marks (issue 14).
				if !strings.Contains(out, "/var/log") || strings.Contains(out, "`") {
					t.Errorf("width=%d: plain output lost /var/log or kept a code mark", width)
				}
			} else if !strings.Contains(out, "\x1b[") {
				t.Errorf("width=%d: styled output has no escape sequences", width)
			}
		}
	}
}

// Under a Korean locale go-runewidth counts ambiguous characters (│ •) as
// two cells; NarrowAmbiguousWidth must bring it back in line with lipgloss.
func TestNarrowAmbiguousWidthUnderKoreanLocale(t *testing.T) {
	saved, savedEA := runewidth.DefaultCondition, runewidth.EastAsianWidth
	t.Cleanup(func() { runewidth.DefaultCondition, runewidth.EastAsianWidth = saved, savedEA })

	runewidth.DefaultCondition = &runewidth.Condition{EastAsianWidth: true, StrictEmojiNeutral: true}
	runewidth.EastAsianWidth = true
	if runewidth.StringWidth("│") != 2 {
		t.Fatal("test setup: expected the East Asian condition to count │ as two cells")
	}
	NarrowAmbiguousWidth()
	if got := runewidth.StringWidth("│•"); got != 2 {
		t.Fatalf("runewidth width of \"│•\" = %d after NarrowAmbiguousWidth, want 2", got)
	}
	if got := runewidth.StringWidth("데몬셋"); got != 6 {
		t.Fatalf("runewidth width of Hangul = %d, want 6", got)
	}
	r, err := New(Options{Profile: termenv.ANSI256})
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(readSample(t), 60)
	if err != nil {
		t.Fatal(err)
	}
	checkWidths(t, out, 60)
}

func TestAsciiProfileHasNoEscapes(t *testing.T) {
	r, err := New(Options{Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(readSample(t), 80)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("Ascii output contains escape sequences:\n%q", out)
	}
	if !strings.Contains(out, "\n  데몬셋과 디플로이먼트 비교\n") || strings.Contains(out, "## ") {
		t.Errorf("Ascii output lost the heading or kept its ## mark:\n%s", out)
	}
}

func TestRenderRejectsBadWidth(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{0, MinWidth - 1, MaxWidth + 1} {
		if _, err := r.Render("x", w); err == nil {
			t.Errorf("width %d: expected an error", w)
		}
	}
}

func BenchmarkRenderSample(b *testing.B) {
	r, err := New(Options{Profile: termenv.ANSI256})
	if err != nil {
		b.Fatal(err)
	}
	md, err := os.ReadFile("testdata/hangul.md")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.Render(string(md), 80); err != nil {
			b.Fatal(err)
		}
	}
}
