package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/mdp/qrterminal/v3"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// serveBanner is what `dslab class serve` prints once it listens.
type serveBanner struct {
	// head: the opened/resumed line and the lines of changed settings.
	head []string
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

// write prints the banner to out (prose, wrapped) and raw (addresses,
// commands and the code: whole lines, never wrapped) for a terminal of
// width×height cells (height 0: unknown, e.g. not a terminal; the QR
// code is then printed). What the instructor must keep on the projector
// comes last, because the bottom of a terminal is what stays on screen:
// the addresses, the join and install commands, the join code, then the
// "Ctrl-C" line. The QR code of the join page (half blocks, two modules a
// row) is printed above them only when everything fits in height rows or
// b.qr is set (issue 12: on an 80x24 projector terminal the code scrolled
// away).
func (b serveBanner) write(out textOut, raw io.Writer, height int) {
	base := b.urls[0]
	joinURL := base + "/join?code=" + b.joinCode

	var top, qr, bottom bytes.Buffer
	topOut := textOut{w: &top, width: out.width}
	for _, l := range b.head {
		topOut.Println(l)
	}
	fmt.Fprintf(&top, "  저장: %s\n", b.store)
	fmt.Fprintf(&top, "  서버 로그: %s\n", b.logFile)
	if b.tokenFile != "" {
		fmt.Fprintf(&top, "  강사 토큰 (0600): %s\n", b.tokenFile)
		topOut.Println("라이브 보드: 다른 터미널에서 dslab class board (브라우저) 또는 dslab class watch")
	} else {
		topOut.Println("강사 토큰: 이 수업을 처음 연 서버의 " + server.InstructorTokenFile + " 에 있습니다")
	}

	qrOut := textOut{w: &qr, width: out.width}
	qrOut.Println("참가 주소와 QR 코드:")
	fmt.Fprintf(&qr, "  %s\n", joinURL)
	qrterminal.GenerateWithConfig(joinURL, qrterminal.Config{Level: qrterminal.L, Writer: &qr, HalfBlocks: true,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK, WhiteChar: qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE, QuietZone: 1})

	botOut := textOut{w: &bottom, width: out.width}
	botOut.Println("이 컴퓨터에 접속할 수 있는 주소:")
	for _, u := range b.urls {
		fmt.Fprintf(&bottom, "  %s\n", u)
	}
	printBoardInfo(botOut.Lines(), &bottom, base, b.joinCode, out.width)
	botOut.Println("dslab 이 있는 학생은 다음 명령으로 참가합니다 (이름·학번을 바꿔서):")
	for _, l := range commandLines(api.JoinCommand(base, b.joinCode), "  ", out.width) {
		fmt.Fprintln(&bottom, l)
	}
	fmt.Fprintf(&bottom, "참가 코드: %s\n", b.joinCode)
	botOut.Println("Ctrl-C 로 멈춥니다.")

	// One row stays free for the cursor after the last line.
	fits := height <= 0 || rows(top.String(), out.width)+rows(qr.String(), out.width)+rows(bottom.String(), out.width)+1 <= height
	_, _ = io.WriteString(raw, top.String())
	if fits || b.qr {
		_, _ = io.WriteString(raw, qr.String())
	} else {
		need := rows(top.String(), out.width) + rows(qr.String(), out.width) + rows(bottom.String(), out.width) + 1
		out.Println(fmt.Sprintf("QR 코드는 터미널이 낮아 뺐습니다 (세로 %d줄 이상이거나 --qr). 브라우저 참가 주소:", need))
		fmt.Fprintf(raw, "  %s\n", joinURL)
	}
	_, _ = io.WriteString(raw, bottom.String())
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
