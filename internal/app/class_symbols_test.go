package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/assets"
	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/tui"
)

// labMarks are the lab's own pass/fail marks (the grade report, the TUI's
// node map), and the student side's old "·" for not started: no class
// surface may print them for a submission's status.
var labMarks = []string{"✓", "✗", "· 시작 전", "· 제출 없음"}

// TestClassSurfacesUseBoardSymbols: every class surface — `class submit`,
// `class status`, the class line of `dslab grade` and `class watch` —
// names a submission's status with the web board's icon and word
// (api.StatusText: ✔ 통과, ✘ 실패, ○ 시작 전; — for no submission), never
// the lab's ✓/✗ and never by colour alone.
func TestClassSurfacesUseBoardSymbols(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "기호 수업", []string{"ds-basics", "taints"})
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--student-id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	testdata := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics")
	sol, err := os.ReadFile(filepath.Join(testdata, "solution.json"))
	if err != nil {
		t.Fatal(err)
	}
	// not started: the solution's cluster without the exercise's DaemonSet
	// and its pods, after a reset (a new baseline: under the same one it
	// is a DaemonSet deleted after an attempt, a failure).
	var snap grader.Snapshot
	if err := json.Unmarshal(sol, &snap); err != nil {
		t.Fatal(err)
	}
	snap.DaemonSets, snap.Pods = nil, nil
	snap.Baseline.Recorded = snap.CapturedAt
	notStarted := filepath.Join(dir, "not-started.json")
	if b, err := json.Marshal(snap); err != nil || os.WriteFile(notStarted, b, 0o600) != nil {
		t.Fatal(err)
	}

	var outputs []string
	// The submit line says the server's verdict in dslab grade's words
	// (grader.ScoreBadge, issue 12) with the board's icon of that word:
	// the server's failed is the learner's "… 진행 중".
	for _, c := range []struct{ file, status string }{
		{filepath.Join(testdata, "solution.json"), api.StatusPassed},
		{filepath.Join(testdata, "image-typo.json"), api.StatusInProgress},
		{notStarted, api.StatusNotStarted},
	} {
		code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", c.file)
		if want := "ds-basics: " + api.StatusText(c.status) + " · "; code != 0 || !strings.Contains(out, want) {
			t.Fatalf("submit %s: want %q in the output: %d\n%s\n%s", c.file, want, code, out, errs)
		}
		outputs = append(outputs, "class submit "+c.status+"\n"+out)
	}
	code, out, errs := runClassCLI(t, student, "class", "status")
	// status in the words of submit and dslab grade (serverVerdictBadge).
	for _, want := range []string{"ds-basics          " + serverVerdictBadge(api.StatusPassed, 10, 10),
		": " + serverVerdictBadge(api.StatusNotStarted, 0, 10) + ")"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("status: want %q: %d\n%s\n%s", want, code, out, errs)
		}
	}
	outputs = append(outputs, "class status\n"+out)

	// class watch at a width that shows both exercises and the legend.
	lr := lipgloss.NewRenderer(io.Discard)
	lr.SetColorProfile(termenv.Ascii)
	m := newWatchModel(ctx, boardClient{URL: s.hs.URL, Token: s.token, HTTP: s.hs.Client()}, tui.NewStyles(lr))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	t.Cleanup(func() { m.stop() })
	var seen bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		for _, w := range []string{"✔ 10", api.NoSubmissionMark, api.StatusText(api.StatusPassed), api.StatusText(api.StatusFailed),
			api.StatusText(api.StatusNotStarted), api.NoSubmissionMark + " " + api.NoSubmissionWord,
			"ds-basics: " + api.StatusText(api.StatusPassed) + " 10/10 (지금: " + api.StatusText(api.StatusNotStarted) + " 0/10)"} {
			if !bytes.Contains(seen.Bytes(), []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	tm.Quit()
	outputs = append(outputs, "class watch\n"+seen.String())

	// dslab grade's class line, last: its pass is the newest submission.
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, _ := cat.Get("ds-basics")
	var full grader.Snapshot
	if err := json.Unmarshal(sol, &full); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	submitGrades(ctx, Env{Streams: Streams{Out: io.Discard, Err: &errb}, Paths: student, Getenv: unwrapped}, "text",
		[]exercises.Exercise{ex}, []grader.Snapshot{full}, &errb)
	if want := "ds-basics " + api.StatusText(api.StatusPassed) + " · 10/10점"; !strings.Contains(errb.String(), want) {
		t.Fatalf("grade's class line: want %q in %q", want, errb.String())
	}
	outputs = append(outputs, "dslab grade\n"+errb.String())

	for _, o := range outputs {
		for _, bad := range labMarks {
			if strings.Contains(o, bad) {
				t.Errorf("%q in the output of %s", bad, o)
			}
		}
	}
}

// TestBoardCommandLabelsMatchAPI: the web board's COMMANDS table is
// api.CommandLabels, the one table `class watch` prints (commandWord).
func TestBoardCommandLabelsMatchAPI(t *testing.T) {
	b, err := fs.ReadFile(assets.Board(), "board.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	start := strings.Index(js, "const COMMANDS = {")
	if start < 0 {
		t.Fatal("board.js has no COMMANDS table")
	}
	body := js[start : start+strings.Index(js[start:], "};")]
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`"([^"]+)":\s*"([^"]+)"`).FindAllStringSubmatch(body, -1) {
		got[m[1]] = m[2]
	}
	if !maps.Equal(got, api.CommandLabels) {
		t.Errorf("board.js COMMANDS %v\n!= api.CommandLabels %v", got, api.CommandLabels)
	}
	for kind, label := range api.CommandLabels {
		if w := commandWord(kind); w != label {
			t.Errorf("class watch names %s %q, want %q", kind, w, label)
		}
	}
}

// TestBoardGlyphsInBoardFonts: every symbol the board can show (in
// board.js, index.html and the api tables it mirrors) is in a font
// board.css names or in DejaVu Sans (Debian's sans-serif, where Chromium
// falls back), so none renders as an empty box — the trial saw ⏸ (U+23F8)
// as one. It asks fontconfig (fc-list) and skips without it.
func TestBoardGlyphsInBoardFonts(t *testing.T) {
	fcList, err := exec.LookPath("fc-list")
	if err != nil {
		t.Skip("no fc-list (fontconfig) to ask which fonts have a glyph")
	}
	css, err := fs.ReadFile(assets.Board(), "board.css")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`body \{ font-family: ([^;]+);`).FindSubmatch(css)
	if m == nil {
		t.Fatal("board.css has no body font-family")
	}
	fonts := map[string]bool{"DejaVu Sans": true}
	for _, f := range strings.Split(string(m[1]), ",") {
		fonts[strings.Trim(strings.TrimSpace(f), `"`)] = true
	}
	text := ""
	for _, name := range []string{"board.js", "index.html"} {
		b, err := fs.ReadFile(assets.Board(), name)
		if err != nil {
			t.Fatal(err)
		}
		text += string(b)
	}
	for _, l := range api.CommandLabels {
		text += l
	}
	for _, s := range api.KnownStatuses() {
		text += api.StatusText(s)
	}
	text += api.PauseMark + api.NoSubmissionMark + api.NameSep
	seen := map[rune]bool{}
	for _, r := range text {
		if r < 0x80 || seen[r] || (r >= 0xAC00 && r <= 0xD7A3) || (r >= 0x3130 && r <= 0x318F) {
			continue
		}
		seen[r] = true
		out, err := exec.Command(fcList, fmt.Sprintf(":charset=%x", r), "family").Output()
		if err != nil {
			t.Fatalf("fc-list: %v", err)
		}
		ok := false
		for _, line := range strings.Split(string(out), "\n") {
			for _, fam := range strings.Split(line, ",") {
				if fonts[strings.TrimSpace(fam)] {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("%q (U+%04X) is in no font the board uses (%v): it shows as a box", r, r, slices.Sorted(maps.Keys(fonts)))
		}
	}
}
