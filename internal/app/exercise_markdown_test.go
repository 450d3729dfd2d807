package app

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// codeSpan matches a markdown inline code span; fencedCode a fenced code
// block (its backticks are no span's).
var (
	codeSpan   = regexp.MustCompile("`([^`]+)`")
	fencedCode = regexp.MustCompile("(?s)```[a-z]*\n.*?\n```")
)

// `dslab exercise show` and `--hint N` render the task and hints from
// their markdown (issue 14 §9): no backticks, no ** and no # heading marks
// are left, and at 60 columns every code span (a command, a field) that
// fits on a line stands whole on one line.
func TestExerciseShowRendersMarkdown(t *testing.T) {
	vars := proseEnv(t)
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile(`(?m)^\s*#`)
	spans := 0
	for _, ex := range c.Localize("").All() {
		for _, args := range [][]string{{"exercise", "show", ex.ID}, {"exercise", "show", ex.ID, "--hint", "3"}} {
			out := runAt(t, vars, 60, args...)
			name := strings.Join(args, " ")
			if strings.Contains(out, "`") || strings.Contains(out, "**") || heading.MatchString(out) {
				t.Errorf("%s: raw markdown left:\n%s", name, out)
			}
			lines := strings.Split(out, "\n")
			for _, l := range lines {
				if w := xansi.StringWidth(l); w > 60 && len(strings.Fields(l)) > 1 {
					t.Errorf("%s: line of %d cells: %q", name, w, l)
				}
			}
			src := ex.Task
			if len(args) > 3 {
				src = strings.Join(ex.Hints, "\n")
			}
			for _, m := range codeSpan.FindAllStringSubmatch(fencedCode.ReplaceAllString(src, ""), -1) {
				code := m[1]
				if xansi.StringWidth(code) > 48 {
					continue // wider than a hint's line: may be cut
				}
				spans++
				whole := false
				for _, l := range lines {
					whole = whole || strings.Contains(l, code)
				}
				if !whole {
					t.Errorf("%s: %q is not whole on one line:\n%s", name, code, out)
				}
			}
		}
	}
	if spans < 50 {
		t.Fatalf("only %d code spans checked", spans)
	}
}

// The hints a class instructor opened (progress HintsUnlocked), shown under
// `dslab exercise show`, render their markdown as `exercise show --hint`
// does: no raw backticks, and code spans whole on one line.
func TestExerciseShowRendersUnlockedHints(t *testing.T) {
	vars := proseEnv(t)
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return vars[k] }
	store, _, err := progress.Open(paths.FromEnv(getenv).ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Localize("").All()[0]
	if !strings.Contains(strings.Join(ex.Hints, ""), "`") {
		t.Fatalf("%s: hints have no code span; the test proves nothing", ex.ID)
	}
	store.UpdateExercise(ex.ID, func(e *progress.ExerciseProgress) { e.HintsUnlocked = len(ex.Hints) })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	out := runAt(t, vars, 60, "exercise", "show", ex.ID)
	if !strings.Contains(out, "강사가 연 힌트") || !strings.Contains(out, fmt.Sprintf("힌트 %d:", len(ex.Hints))) {
		t.Fatalf("no opened hints:\n%s", out)
	}
	_, hints, _ := strings.Cut(out, "강사가 연 힌트")
	if strings.Contains(hints, "`") || strings.Contains(hints, "**") {
		t.Errorf("raw markdown in the opened hints:\n%s", hints)
	}
	for _, m := range codeSpan.FindAllStringSubmatch(fencedCode.ReplaceAllString(strings.Join(ex.Hints, "\n"), ""), -1) {
		if xansi.StringWidth(m[1]) <= 48 && !strings.Contains(hints, m[1]) {
			t.Errorf("%q is not whole on one line:\n%s", m[1], hints)
		}
	}
}

// With hints 1..n opened by the class instructor, the task's hint line
// points at them and at the next one, not at --hint 1 (issue 12:
// `exercise start gpu-only` said --hint 1 with hints 1–2 opened).
func TestExerciseTaskNamesUnlockedHints(t *testing.T) {
	vars := proseEnv(t)
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return vars[k] }
	store, _, err := progress.Open(paths.FromEnv(getenv).ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Localize("").All()[0]
	if len(ex.Hints) < 3 {
		t.Fatalf("%s has %d hints; the test needs 3", ex.ID, len(ex.Hints))
	}
	out := runAt(t, vars, 80, "exercise", "show", ex.ID)
	if !strings.Contains(out, "dslab exercise show "+ex.ID+" --hint 1") {
		t.Fatalf("no --hint 1 without opened hints:\n%s", out)
	}
	store.UpdateExercise(ex.ID, func(e *progress.ExerciseProgress) { e.HintsUnlocked = 2 })
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	out = runAt(t, vars, 80, "exercise", "show", ex.ID)
	if strings.Contains(out, "--hint 1") || !strings.Contains(out, "강사가 연 힌트 1~2: dslab exercise show "+ex.ID) ||
		!strings.Contains(out, "다음 힌트: dslab exercise show "+ex.ID+" --hint 3") {
		t.Fatalf("hint line with hints 1–2 opened:\n%s", out)
	}
}
