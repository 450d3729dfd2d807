package app

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/class/api"
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
	// Every line fits 80 cells, the commands a student types included
	// (issue 12: the join line was 90 cells and wrapped at 80 inside the
	// address).
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d cells wide, more than 80: %q", w, l)
		}
	}
	tail := strings.Join(lines[max(0, len(lines)-8):], "\n")
	for _, want := range []string{
		"\n  " + server.InstallLine(b.urls[0], b.joinCode) + "\n",
		"\n  dslab class join 192.168.100.123:7071 --code 482913 --name 이름 --id 학번\n",
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

// TestServeBannerJoinLineLongAddress: with an address too long for one
// line (IPv6, a 5-digit port) on an 80-column terminal, the join and install
// commands break only at a " \\" continuation (the join command before an
// option), every line fits, and the lines joined back are the command.
func TestServeBannerJoinLineLongAddress(t *testing.T) {
	var buf bytes.Buffer
	b := testBanner()
	b.urls = []string{"http://[fd12:3456:789a:bcde:f012:3456:789a:bcde]:65432"}
	b.write(textOut{w: &buf, width: 80}, &buf, 24)
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d cells wide, more than 80: %q", w, l)
		}
	}
	for _, cmd := range []string{api.JoinCommand(b.urls[0], b.joinCode), server.InstallLine(b.urls[0], b.joinCode)} {
		word := strings.Fields(cmd)[0] + " "
		start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  "+word) })
		if start < 0 {
			t.Fatalf("no line starts %q:\n%s", word, buf.String())
		}
		var got []string
		for i := start; i < len(lines); i++ {
			l, more := strings.CutSuffix(lines[i], " \\")
			got = append(got, strings.TrimSpace(l))
			if !more {
				break
			}
		}
		if len(got) < 2 {
			t.Errorf("the command was not broken at a continuation: %q", got)
		}
		if joined := strings.Join(got, " "); joined != cmd {
			t.Errorf("lines joined:\n%s\nwant\n%s", joined, cmd)
		}
		if strings.HasPrefix(cmd, "dslab ") {
			for _, l := range got[1:] {
				if !strings.HasPrefix(l, "--") {
					t.Errorf("a continuation line of the join command starts %q, not with an option", l)
				}
			}
		}
	}
}

// TestCommandLines: a command that fits is one line, whatever the width
// when it is unknown (0); a single word wider than the width stays whole.
func TestCommandLines(t *testing.T) {
	cmd := "dslab class join 10.0.0.1:7070 --code 123456 --name 이름 --id 학번"
	if got := commandLines(cmd, "  ", 80); len(got) != 1 || got[0] != "  "+cmd {
		t.Errorf("fits in 80: %q", got)
	}
	if got := commandLines(cmd, "  ", 0); len(got) != 1 {
		t.Errorf("width 0: %q", got)
	}
	got := commandLines(cmd, "  ", 40)
	want := []string{"  dslab class join 10.0.0.1:7070 \\", "      --code 123456 --name 이름 \\", "      --id 학번"}
	if !slices.Equal(got, want) {
		t.Errorf("width 40:\n%q\nwant\n%q", got, want)
	}
	// Narrower than a part: between its words.
	got = commandLines(cmd, "  ", 22)
	want = []string{"  dslab class join \\", "      10.0.0.1:7070 \\", "      --code 123456 \\", "      --name 이름 \\", "      --id 학번"}
	if !slices.Equal(got, want) {
		t.Errorf("width 22:\n%q\nwant\n%q", got, want)
	}
}
