package app

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

// runCLI runs one dslab command line with buffers for IO.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	vars := map[string]string{"HOME": t.TempDir(), "COLUMNS": "100000"} // content tests read the text unwrapped
	getenv := func(k string) string { return vars[k] }
	var out, errb bytes.Buffer
	env := Env{
		Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb},
		Paths:   paths.FromEnv(getenv),
		Getenv:  getenv,
	}
	code = Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func realCourse(t *testing.T) []lessons.Lesson {
	t.Helper()
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	return course
}

func TestLessonsList(t *testing.T) {
	course := realCourse(t)
	code, out, errOut := runCLI(t, "lessons")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(course)+1 {
		t.Fatalf("%d lines for %d lessons:\n%s", len(lines), len(course), out)
	}
	if got := strings.Join(strings.Fields(lines[0]), " "); got != "# ID 제목 시간" {
		t.Errorf("header %q", lines[0])
	}
	// The ID and title columns start, and the minutes column ends, at the
	// same cell on every row although titles mix Hangul and ASCII.
	var idCol, titleCol, endCol int
	for i, l := range course {
		line := lines[i+1]
		id := strings.Index(line, " "+l.ID+" ")
		title := strings.Index(line, " "+l.Title)
		if id < 0 || title < 0 || !strings.HasSuffix(line, " "+strconv.Itoa(l.Minutes)+"분") {
			t.Fatalf("row %q lacks id %q, title %q or minutes %d", line, l.ID, l.Title, l.Minutes)
		}
		cols := [3]int{ansi.StringWidth(line[:id]), ansi.StringWidth(line[:title]), ansi.StringWidth(line)}
		if i == 0 {
			idCol, titleCol, endCol = cols[0], cols[1], cols[2]
		}
		if cols != [3]int{idCol, titleCol, endCol} {
			t.Errorf("row columns %v, first row %v: %q", cols, [3]int{idCol, titleCol, endCol}, line)
		}
	}
}

func TestLessonsShow(t *testing.T) {
	course := realCourse(t)
	first := course[0]

	code, out, errOut := runCLI(t, "lessons", "show", first.ID, "--plain", "--width", "60")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("--plain output contains escape sequences")
	}
	for _, want := range []string{"\n  " + first.Title + "\n", "약 " + strconv.Itoa(first.Minutes) + "분", lessons.QuizHeading, lessons.NextHeading} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "# ") {
		t.Errorf("output keeps markdown heading marks:\n%s", out)
	}
	// Quiz answers are folded where they are asked and listed at the end.
	answers := strings.Index(out, "\n  "+render.AnswersHeading+"\n")
	if answers < 0 || answers < strings.Index(out, lessons.NextHeading) {
		t.Fatalf("answers are not listed at the end under %q:\n%s", render.AnswersHeading, out)
	}
	if strings.Contains(out[:answers], render.AnswerLabel) || !strings.Contains(out[answers:], render.AnswerLabel) {
		t.Errorf("answers shown before the end, or missing at the end:\n%s", out)
	}

	// By order number, default width (80 when not a terminal).
	code, byOrder, _ := runCLI(t, "lessons", "show", strconv.Itoa(first.Order), "--plain")
	if code != ExitOK || !strings.Contains(byOrder, "\n  "+first.Title+"\n") {
		t.Fatalf("show by order: exit %d", code)
	}
	if byOrder == out {
		t.Error("--width 60 and the default width rendered the same text")
	}
}

func TestLessonsShowErrors(t *testing.T) {
	course := realCourse(t)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown id", []string{"lessons", "show", "no-such-lesson"}, append([]string{"찾을 수 없습니다", "no-such-lesson"}, lessons.IDs(course)...)},
		{"no id", []string{"lessons", "show"}, []string{"하나 지정하세요", course[0].ID}},
		{"two ids", []string{"lessons", "show", course[0].ID, "x"}, []string{"하나 지정하세요"}},
		{"width too small", []string{"lessons", "show", course[0].ID, "--width", "10"}, []string{"--width"}},
		{"bad width", []string{"lessons", "show", course[0].ID, "--width", "wide"}, []string{"플래그"}},
		{"list takes no args", []string{"lessons", "extra"}, []string{"인수를 받지 않습니다"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}

func TestTUIRequiresTerminal(t *testing.T) {
	code, out, errOut := runCLI(t)
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "터미널이 아닙니다") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// --plain output is text for reading and pasting, not markdown: no code
// marks (backticks) or other markdown syntax are left in any lesson
// (issue 14: 686 lines with raw backticks).
func TestLessonsShowPlainHasNoMarkdown(t *testing.T) {
	for _, l := range realCourse(t) {
		code, out, errOut := runCLI(t, "lessons", "show", l.ID, "--plain", "--width", "80")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", l.ID, code, errOut)
		}
		// Code blocks are shown as written: a quoted API error may
		// itself contain backticks.
		inCode, fence := map[string]bool{}, false
		for _, src := range strings.Split(l.Body, "\n") {
			if strings.HasPrefix(strings.TrimSpace(src), "```") {
				fence = !fence
			} else if fence {
				inCode[strings.TrimSpace(src)] = true
			}
		}
		for i, line := range strings.Split(out, "\n") {
			if inCode[strings.TrimSpace(line)] {
				continue
			}
			for _, mark := range []string{"`", "**", "~~"} {
				if strings.Contains(line, mark) {
					t.Errorf("%s line %d has %q: %s", l.ID, i+1, mark, line)
				}
			}
		}
	}
}

// TestShowWidth: `dslab lessons show X | less` rendered at 80 whatever the
// terminal; without --width the width is stdout's terminal, else $COLUMNS,
// else the controlling terminal (/dev/tty), else 80, kept within 40..120.
func TestShowWidth(t *testing.T) {
	for _, c := range []struct {
		name    string
		out     int
		columns string
		tty     int
		want    int
	}{
		{"stdout is a terminal", 100, "60", 70, 100},
		{"piped, COLUMNS set", 0, "60", 100, 60},
		{"piped to less: the controlling terminal", 0, "", 100, 100},
		{"piped, narrow terminal", 0, "", 64, 64},
		{"piped, COLUMNS not a number: the terminal", 0, "wide", 90, 90},
		{"no terminal, no COLUMNS (cron, CI)", 0, "", 0, 80},
		{"very wide terminal", 0, "", 300, maxAutoWidth},
		{"tiny terminal", 30, "", 0, minShowWidth},
	} {
		if got := showWidth(c.out, c.columns, c.tty); got != c.want {
			t.Errorf("%s: showWidth(%d, %q, %d) = %d, want %d", c.name, c.out, c.columns, c.tty, got, c.want)
		}
	}
}

// TestLessonsShowPipedTakesTheTerminalWidth: stdout is not a terminal
// (a pipe, here a buffer) and $COLUMNS is unset, so the lesson is laid out
// at the controlling terminal's width, not at 80.
func TestLessonsShowPipedTakesTheTerminalWidth(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	show := func(tty func() (int, bool)) string {
		getenv := func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		}
		var out, errb bytes.Buffer
		env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv, TTYWidth: tty}
		if code := Run(context.Background(), env, []string{"lessons", "show", course[0].ID, "--plain"}); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String()
	}
	widest := func(s string) int {
		w := 0
		for _, l := range strings.Split(s, "\n") {
			w = max(w, render.Width(l))
		}
		return w
	}
	if w := widest(show(nil)); w > 80 {
		t.Errorf("without a terminal: lines up to %d cells, want at most 80", w)
	}
	if w := widest(show(func() (int, bool) { return 110, true })); w <= 80 || w > 110 {
		t.Errorf("piped with a 110-column controlling terminal: lines up to %d cells, want 81..110", w)
	}
}
