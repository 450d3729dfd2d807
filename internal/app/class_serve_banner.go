package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/mdp/qrterminal/v3"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// koDuration is d in Korean units for people ("5분", "1시간 30분", "45초"),
// not Go's "5m0s" (issue 12).
func koDuration(d time.Duration) string {
	if d <= 0 {
		return "0초"
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d시간", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d분", m))
	}
	if s > 0 {
		parts = append(parts, fmt.Sprintf("%d초", s))
	}
	return strings.Join(parts, " ")
}

// koDurationText is koDuration of a stored duration string ("5m0s"); one
// that does not parse is shown as it is.
func koDurationText(v string) string {
	if d, err := time.ParseDuration(v); err == nil {
		return koDuration(d)
	}
	return v
}

// serveBanner is what `dslab class serve` prints once it listens.
type serveBanner struct {
	// head: the opened/resumed line and the lines of changed settings
	// (a line indented by spaces is a note under the setting above it,
	// e.g. server.ChangeClass's removed exercise's submissions).
	head []string
	// facts: the line under the opened/resumed line (학생 4명 · 제출 5건 ·
	// 막힘 기준 5분), apart so that neither wraps at 80 columns (issue 12:
	// the resumed line broke before "5m0s)").
	facts string
	// state: lines about how the class stands now that the instructor
	// must see at every start, never shrunk away: submissions frozen
	// (a resumed class keeps its freeze), --allow-rejoin on (serveState).
	state []string
	// store describes the store (a path or a database URL without password).
	store string
	// urls: the addresses students can reach, LAN first (listenURLs).
	urls     []string
	joinCode string
	// tokenFile: the instructor token file when this serve wrote it;
	// empty when the class was first opened elsewhere.
	tokenFile string
	logFile   string
	// qr: always print the QR code (--qr), even when the terminal is too
	// low for it.
	qr bool
}

// bannerRows is the height of the projector terminal every serve banner
// is held to (80x24; issue 12): without the QR code the banner fits in
// bannerRows-1 rows (one stays for the cursor).
const bannerRows = 24

// write prints the banner to out (prose, wrapped) and raw (addresses,
// commands and the code: whole lines, never wrapped) for a terminal of
// width×height cells (height 0: unknown, e.g. not a terminal; then all of
// it, QR code included, is printed). What the instructor must keep on the
// projector comes last, because the bottom of a terminal is what stays on
// screen: the addresses, the join command, the one-line install (the
// command of a student without dslab) with the join code under it, then
// the "Ctrl-C" line (issue 12: the install line was in the middle).
//
// The banner fits height-1 rows: when it would not, the changed settings
// of a resumed class shrink to one summary line (the full lines are in the
// server log), then the first line is cut to one row, then the lines
// about the board, the log and the store go (issue 12: a resumed class
// with a new title and exercise list took 25 rows and its first line
// scrolled away). The QR code of the join page (half blocks, two modules a
// row) is shown by one fixed rule of the banner's own size: when the
// terminal has bannerRows rows plus the rows the QR code adds (the same
// number at every start on this address), or with b.qr.
func (b serveBanner) write(out textOut, raw io.Writer, height int) {
	base := b.urls[0]
	joinURL := base + "/join?code=" + b.joinCode

	var qr, noQR, bottom bytes.Buffer
	qrOut := textOut{w: &qr, width: out.width}
	qrOut.Println("참가 주소와 QR 코드:")
	fmt.Fprintf(&qr, "  %s\n", joinURL)
	qrterminal.GenerateWithConfig(joinURL, qrterminal.Config{Level: qrterminal.L, Writer: &qr, HalfBlocks: true,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK, WhiteChar: qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE, QuietZone: 1})
	// Without the QR code: one short line (it never wraps at 80) and the
	// address.
	// The rows the QR code adds: its block less the two rows (the note,
	// the address) it replaces; known before the note is written.
	qrExtra := max(rows(qr.String(), out.width)-2, 0)
	qrNeed := bannerRows + qrExtra
	fmt.Fprintf(&noQR, "QR 코드는 세로 %d줄 이상인 터미널에서 (또는 --qr). 참가 주소:\n", qrNeed)
	fmt.Fprintf(&noQR, "  %s\n", joinURL)

	botOut := textOut{w: &bottom, width: out.width}
	botOut.Println("이 컴퓨터에 접속할 수 있는 주소:")
	for _, u := range b.urls {
		fmt.Fprintf(&bottom, "  %s\n", u)
	}
	botOut.Println("내려받기와 SHA-256:")
	fmt.Fprintf(&bottom, "  %s/download/\n", base)
	botOut.Println("dslab 이 있는 학생은 다음 명령으로 참가합니다 (이름·학번을 바꿔서):")
	for _, l := range commandLines(api.JoinCommand(base, b.joinCode), "  ", out.width) {
		fmt.Fprintln(&bottom, l)
	}
	printInstallLine(botOut.Lines(), &bottom, base, b.joinCode, out.width)
	fmt.Fprintf(&bottom, "참가 코드: %s\n", b.joinCode)
	botOut.Println("Ctrl-C 로 멈춥니다.")

	showQR := height <= 0 || b.qr || height >= qrNeed
	budget := height - 1 // rows for everything but the QR code's extra
	if showQR {
		budget -= qrExtra
	}
	var top string
	for level := 0; ; level++ {
		var done bool
		top, done = b.top(out.width, level)
		if height <= 0 || done || rows(top, out.width)+2+rows(bottom.String(), out.width) <= budget {
			break
		}
	}
	_, _ = io.WriteString(raw, top)
	if showQR {
		_, _ = io.WriteString(raw, qr.String())
	} else {
		_, _ = io.WriteString(raw, noQR.String())
	}
	_, _ = io.WriteString(raw, bottom.String())
}

// top is the banner's part above the join address at width cells, shrunk
// by level (0 whole; 1 the changes in one summary line; 2 also the first
// line cut to one row; 3, 4, 5 also without the board, log and store
// lines); last reports that no higher level shrinks it more.
func (b serveBanner) top(width, level int) (text string, last bool) {
	var buf bytes.Buffer
	o := textOut{w: &buf, width: width}
	if len(b.head) > 0 {
		first := b.head[0]
		if level >= 2 && width > 0 {
			first = ansi.Truncate(first, width, "…")
		}
		o.Println(first)
	}
	if b.facts != "" {
		o.Println(b.facts)
	}
	if changes := b.head[min(1, len(b.head)):]; len(changes) > 0 {
		if level >= 1 {
			o.Println(changeSummary(changes))
		} else {
			for _, l := range changes {
				o.Println(l)
			}
		}
	}
	for _, l := range b.state {
		o.Println(l)
	}
	if level < 5 {
		fmt.Fprintf(&buf, "  저장: %s\n", b.store)
	}
	if level < 4 {
		fmt.Fprintf(&buf, "  서버 로그: %s\n", b.logFile)
	}
	if b.tokenFile != "" {
		fmt.Fprintf(&buf, "  강사 토큰 (0600): %s\n", b.tokenFile)
		if level < 3 {
			o.Println("라이브 보드: 다른 터미널에서 dslab class board (브라우저) 또는 dslab class watch")
		}
	} else {
		o.Println("강사 토큰: 이 수업을 처음 연 서버의 " + server.InstructorTokenFile + " 에 있습니다")
	}
	return buf.String(), level >= 5
}

// changeSummary is the changed settings of a resumed class in one line:
// what changed, named by each line's words before "을/를 바꿉니다:"
// (server.ChangeClass, rememberStuck), with where the whole lines are.
// Indented lines are notes under a setting (not settings) and are left
// out (issue 12: "목록에서 뺀 연습 … 의 제출 54건은 …" was summed up as a
// setting name).
func changeSummary(lines []string) string {
	names := make([]string, 0, len(lines))
	for _, l := range lines {
		if l == "" || strings.HasPrefix(l, " ") {
			continue
		}
		what, _, _ := strings.Cut(l, ":")
		for _, suffix := range []string{"을 바꿉니다", "를 바꿉니다"} {
			what = strings.TrimSuffix(what, suffix)
		}
		names = append(names, what)
	}
	return "바꾼 설정: " + strings.Join(names, ", ") + " (바뀐 내용은 서버 로그에)"
}

// serveState is the banner's state lines of a class at serve: frozen
// (store.Store.Frozen; since is when) and allowRejoin (--allow-rejoin).
func serveState(frozen bool, since time.Time, allowRejoin bool) []string {
	var lines []string
	if frozen {
		l := "제출 마감 중 — dslab class send unfreeze 로 풉니다"
		if !since.IsZero() {
			l += " (" + since.Local().Format("15:04") + " 에 마감)"
		}
		lines = append(lines, l)
	}
	if allowRejoin {
		lines = append(lines, "--allow-rejoin: 같은 학번이 다른 컴퓨터에서 승인 없이 다시 참가할 수 있습니다")
	}
	return lines
}

// commandLines is cmd (one shell command, words separated by single
// spaces) indented by indent for a terminal of width cells: one line when
// it fits (or width <= 0), else broken into lines that end in " \\" (the
// shell's line continuation, so the lines pasted together run the same
// command), each next one indented four more cells, so the terminal never
// wraps inside a word (issue 12: the join line wrapped at 80 in the
// middle of the address). It breaks before an option ("-…", which keeps
// its values), and between the words of a part that is wider than a line
// by itself; a single word wider than the width stays whole.
func commandLines(cmd, indent string, width int) []string {
	if width <= 0 || ansi.StringWidth(indent+cmd) <= width {
		return []string{indent + cmd}
	}
	// Parts: the words before the first option, then each option with
	// the words after it.
	var parts []string
	for _, w := range strings.Split(cmd, " ") {
		if len(parts) == 0 || strings.HasPrefix(w, "-") {
			parts = append(parts, w)
		} else {
			parts[len(parts)-1] += " " + w
		}
	}
	var groups []string
	for _, p := range parts {
		if ansi.StringWidth(indent+"    "+p+" \\") <= width {
			groups = append(groups, p)
		} else {
			groups = append(groups, strings.Split(p, " ")...)
		}
	}
	const cont = " \\"
	var lines []string
	line := indent + groups[0]
	for i, g := range groups[1:] {
		end := cont
		if i == len(groups)-2 {
			end = "" // the last line needs no continuation
		}
		if ansi.StringWidth(line+" "+g+end) <= width {
			line += " " + g
			continue
		}
		lines = append(lines, line+cont)
		line = indent + "    " + g
	}
	return append(lines, line)
}

// rows is how many terminal rows text (lines ending in "\n") takes at
// width cells: a line wider than width wraps (Hangul is two cells).
func rows(text string, width int) int {
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		w := ansi.StringWidth(l)
		if width <= 0 || w <= width {
			n++
			continue
		}
		n += (w + width - 1) / width
	}
	return n
}

// terminalHeight is the height of w in rows if it is a terminal, else 0.
func terminalHeight(w io.Writer) int {
	f, ok := terminalFile(w)
	if !ok {
		return 0
	}
	_, h, err := term.GetSize(f.Fd())
	if err != nil || h <= 0 {
		return 0
	}
	return h
}
