package app

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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
	checkBannerEnd(t, lines, b)
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

// checkBannerEnd: the banner ends with the join command, then the install
// line (the command of a student without dslab) with the join code under
// it, then Ctrl-C (issue 12: the install line was in the middle and the
// join command last).
func checkBannerEnd(t *testing.T, lines []string, b serveBanner) {
	t.Helper()
	n := len(lines)
	if n < 6 {
		t.Fatalf("banner of %d lines", n)
	}
	want := []string{
		"  " + api.JoinCommand(b.urls[0], b.joinCode),
		"dslab 이 없는 학생은 다음 한 줄로 설치하고 참가합니다 (이름·학번을 바꿔서):",
		"  " + server.InstallLine(b.urls[0], b.joinCode),
		"참가 코드: " + b.joinCode,
		"Ctrl-C 로 멈춥니다.",
	}
	if got := lines[n-len(want):]; !slices.Equal(got, want) {
		t.Errorf("the banner ends\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// resumedBanner is testBanner resumed with a new title and exercise list
// (the instructor trial's 25-row case) on a machine with four addresses.
func resumedBanner() serveBanner {
	b := testBanner()
	b.head = []string{
		`수업을 이어서 엽니다: "데몬셋 워크숍 2반" (학생 31명, 제출 212건, 막힘 기준 10m0s)`,
		`수업 이름을 바꿉니다: "데몬셋 워크숍" → "데몬셋 워크숍 2반"`,
		"연습 목록을 바꿉니다: 모든 연습 → ds-basics, taints, node-affinity, update-strategy, priority-and-preemption (이제 목록에 없는 연습의 제출 12건은 보드에서 빠짐)",
		"막힘 기준을 바꿉니다: 10m0s → 15m0s",
	}
	b.urls = append([]string{"http://192.168.100.123:7071", "http://172.17.0.1:7071"}, b.urls[1:]...)
	return b
}

// TestServeBannerResumedFits80x24 is issue 12's trial: a resumed class
// with a changed --title/--exercises printed 25 rows at 80x24 and its
// first line scrolled away. The banner keeps within 23 rows, its first
// line is there whole or cut to one row, the changes are named in one
// line, and it still ends with the install line and the join code.
func TestServeBannerResumedFits80x24(t *testing.T) {
	var buf bytes.Buffer
	b := resumedBanner()
	b.write(textOut{w: &buf, width: 80}, &buf, 24)
	out := buf.String()
	if n := rows(out, 80); n > 23 {
		t.Errorf("banner takes %d rows, more than 23:\n%s", n, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "수업을 이어서 엽니다: ") || ansi.StringWidth(lines[0]) > 80 {
		t.Errorf("first line %q", lines[0])
	}
	if !strings.Contains(out, "바꾼 설정: 수업 이름, 연습 목록, 막힘 기준") {
		t.Errorf("the changes are not summed up in one line:\n%s", out)
	}
	checkBannerEnd(t, lines, b)
	// Room enough: the changes whole.
	buf.Reset()
	b.write(textOut{w: &buf, width: 80}, &buf, 0)
	if !strings.Contains(buf.String(), "연습 목록을 바꿉니다: 모든 연습 → ds-basics") {
		t.Errorf("unknown height: the changes are not whole:\n%s", buf.String())
	}
}

// TestServeBannerQRRule: the QR code's height rule is one number for a
// join address, whatever else the banner says (issue 12: 35, 36 and 40
// rows at different starts); the note that names it is one row at 80
// cells (it wrapped before "주소:"); at that height the QR code shows and
// the banner fits, one row less and it does not show.
func TestServeBannerQRRule(t *testing.T) {
	need := func(b serveBanner) (int, string) {
		var buf bytes.Buffer
		b.write(textOut{w: &buf, width: 80}, &buf, 24)
		out := buf.String()
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "QR 코드는 세로 ") {
				var n int
				if _, err := fmt.Sscanf(strings.TrimPrefix(l, "QR 코드는 세로 "), "%d줄", &n); err != nil {
					t.Fatalf("%q: %v", l, err)
				}
				if !strings.HasSuffix(l, "참가 주소:") || ansi.StringWidth(l) > 80 {
					t.Errorf("the note is not one row ending in the address label: %q", l)
				}
				return n, out
			}
		}
		t.Fatalf("no QR note at 24 rows:\n%s", out)
		return 0, ""
	}
	first, resumed := testBanner(), resumedBanner()
	resumed.urls[0] = first.urls[0]
	noToken := testBanner()
	noToken.tokenFile = ""
	n, _ := need(first)
	for _, b := range []serveBanner{resumed, noToken} {
		if m, out := need(b); m != n {
			t.Errorf("QR rule %d rows, the first start's %d:\n%s", m, n, out)
		}
	}
	for _, b := range []serveBanner{first, resumed} {
		var buf bytes.Buffer
		b.write(textOut{w: &buf, width: 80}, &buf, n)
		if out := buf.String(); !strings.Contains(out, "▀") || rows(out, 80) > n-1 {
			t.Errorf("at %d rows: QR shown %v, %d rows:\n%s", n, strings.Contains(out, "▀"), rows(out, 80), out)
		}
		buf.Reset()
		b.write(textOut{w: &buf, width: 80}, &buf, n-1)
		if strings.Contains(buf.String(), "▀") {
			t.Errorf("at %d rows the QR code shows", n-1)
		}
	}
}

// TestServeBannerRestartNotesAndState is the final instructor trial's
// restart (issue 12) at 80x24: a new title and exercise list whose removed
// exercise had submissions, on a frozen class served with --allow-rejoin.
// The summary names only the settings (the indented note under the
// exercise list was summed up as settings: "연습 목록,   목록에서 뺀 연습
// gpu-only 의 제출 54건은 저장소에 남습니다 (…),"), and the freeze and
// --allow-rejoin stand on the banner.
func TestServeBannerRestartNotesAndState(t *testing.T) {
	b := resumedBanner()
	b.head = []string{
		b.head[0],
		`수업 이름을 바꿉니다: "데몬셋 워크숍" → "데몬셋 워크숍 2반"`,
		"연습 목록을 바꿉니다: 모든 연습 → ds-basics, taints",
		"  목록에서 뺀 연습 gpu-only 의 제출 54건은 저장소에 남습니다 (보드와 점수표에서는 빠지고, dslab class export --submissions 에는 남습니다; 다시 넣으면 다시 보입니다)",
		"  목록에서 뺀 연습 node-affinity 의 제출 3건은 저장소에 남습니다 (보드와 점수표에서는 빠지고, dslab class export --submissions 에는 남습니다; 다시 넣으면 다시 보입니다)",
		"막힘 기준을 바꿉니다: 10m0s → 15m0s",
	}
	b.state = serveState(true, time.Time{}, true)
	var buf bytes.Buffer
	b.write(textOut{w: &buf, width: 80}, &buf, 24)
	out := buf.String()
	if n := rows(out, 80); n > 23 {
		t.Errorf("banner takes %d rows, more than 23:\n%s", n, out)
	}
	var summary string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "바꾼 설정: ") {
			summary = l
		}
	}
	if want := "바꾼 설정: 수업 이름, 연습 목록, 막힘 기준 (바뀐 내용은 서버 로그에)"; summary != want {
		t.Errorf("summary %q, want %q:\n%s", summary, want, out)
	}
	for _, want := range []string{"제출 마감 중 — dslab class send unfreeze 로 풉니다", "--allow-rejoin"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner does not say %q:\n%s", want, out)
		}
	}
	checkBannerEnd(t, strings.Split(strings.TrimSuffix(out, "\n"), "\n"), b)
	if got := serveState(false, time.Time{}, false); got != nil {
		t.Errorf("an open class without --allow-rejoin has state lines %q", got)
	}
}

// TestKoDuration: durations a person reads are Korean units, not Go's
// "5m0s" (issue 12: the resumed banner said 막힘 기준 5m0s).
func TestKoDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Minute: "5분", 90 * time.Minute: "1시간 30분", 45 * time.Second: "45초", 2 * time.Hour: "2시간", 0: "0초",
	} {
		if got := koDuration(d); got != want {
			t.Errorf("koDuration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := koDurationText("10m0s"); got != "10분" {
		t.Errorf("koDurationText(10m0s) = %q", got)
	}
}
