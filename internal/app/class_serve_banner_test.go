package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/class/server"
)

func testBanner() serveBanner {
	return serveBanner{
		head:      []string{`수업을 열었습니다: "데몬셋 워크숍" (막힘 기준 10m0s)`},
		store:     "/home/teacher/.local/share/dslab/class/class.db (SQLite)",
		urls:      []string{"http://192.168.100.123:7071", "http://10.0.0.15:7071", "http://127.0.0.1:7071"},
		joinCode:  "482913",
		tokenFile: "/home/teacher/.local/share/dslab/class/instructor-token",
		logFile:   "/home/teacher/.local/share/dslab/class/server.log",
	}
}

// TestServeBannerFits80x24: on an 80x24 projector terminal the whole
// banner fits (issue 12: the QR code and the join code scrolled away), no
// prose line is wider than 80 cells, and the last lines are the install line,
// the join command, the join code and Ctrl-C.
func TestServeBannerFits80x24(t *testing.T) {
	var buf bytes.Buffer
	b := testBanner()
	b.write(textOut{w: &buf, width: 80}, &buf, 24)
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if n := rows(out, 80); n > 23 {
		t.Errorf("banner takes %d rows, more than 23 (24 rows and the cursor):\n%s", n, out)
	}
	for _, l := range lines {
		// A command a student copies stands whole on its line even when
		// the terminal wraps it; prose is wrapped to 80.
		if strings.HasPrefix(l, "  dslab ") || strings.HasPrefix(l, "  curl ") {
			continue
		}
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d cells wide, more than 80: %q", w, l)
		}
	}
	tail := strings.Join(lines[max(0, len(lines)-8):], "\n")
	for _, want := range []string{
		"  " + server.InstallLine(b.urls[0], b.joinCode),
		"  dslab class join http://192.168.100.123:7071 --code 482913 --name 이름 --student-id 학번",
		"참가 코드: 482913",
	} {
		if !strings.Contains(tail, want) {
			t.Errorf("the last 8 lines miss %q:\n%s", want, tail)
		}
	}
	if !strings.HasPrefix(lines[len(lines)-1], "Ctrl-C") {
		t.Errorf("the last line is %q, want the Ctrl-C line", lines[len(lines)-1])
	}
	if !strings.Contains(out, "--qr") || !strings.Contains(out, "  http://192.168.100.123:7071/join?code=482913\n") {
		t.Errorf("a banner without QR code names --qr and the join page:\n%s", out)
	}
	if strings.Contains(out, "▀") || strings.Contains(out, "█") {
		t.Errorf("QR code printed on a terminal too low for it:\n%s", out)
	}
}

// TestServeBannerQR: a tall terminal, an unknown height (not a terminal)
// and --qr show the half-block QR code, still above the join code.
func TestServeBannerQR(t *testing.T) {
	for _, c := range []struct {
		name   string
		height int
		qr     bool
	}{{"tall", 60, false}, {"unknown", 0, false}, {"--qr", 24, true}} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			b := testBanner()
			b.qr = c.qr
			b.write(textOut{w: &buf, width: 80}, &buf, c.height)
			out := buf.String()
			qr := strings.Index(out, "▀")
			code := strings.Index(out, "참가 코드: 482913")
			if qr < 0 || code < qr {
				t.Fatalf("want the QR code above the join code:\n%s", out)
			}
			if c.height > 0 {
				if n := strings.Count(out, "\n"); n > c.height && !c.qr {
					t.Errorf("%d lines on a %d-row terminal:\n%s", n, c.height, out)
				}
			}
		})
	}
}
