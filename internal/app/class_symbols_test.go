package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

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
	// and its pods.
	var snap grader.Snapshot
	if err := json.Unmarshal(sol, &snap); err != nil {
		t.Fatal(err)
	}
	snap.DaemonSets, snap.Pods = nil, nil
	notStarted := filepath.Join(dir, "not-started.json")
	if b, err := json.Marshal(snap); err != nil || os.WriteFile(notStarted, b, 0o600) != nil {
		t.Fatal(err)
	}

	var outputs []string
	for _, c := range []struct{ file, status string }{
		{filepath.Join(testdata, "solution.json"), api.StatusPassed},
		{filepath.Join(testdata, "image-typo.json"), api.StatusFailed},
		{notStarted, api.StatusNotStarted},
	} {
		code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", c.file)
		if want := "ds-basics: " + api.StatusText(c.status) + " "; code != 0 || !strings.Contains(out, want) {
			t.Fatalf("submit %s: want %q in the output: %d\n%s\n%s", c.file, want, code, out, errs)
		}
		outputs = append(outputs, "class submit "+c.status+"\n"+out)
	}
	code, out, errs := runClassCLI(t, student, "class", "status")
	for _, want := range []string{"ds-basics          " + api.StatusText(api.StatusPassed) + " 10/10",
		": " + api.StatusText(api.StatusNotStarted) + " 0/10)"} {
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
		[]exercises.Exercise{ex}, []grader.Snapshot{full})
	if want := "ds-basics " + api.StatusText(api.StatusPassed) + " 10/10"; !strings.Contains(errb.String(), want) {
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
