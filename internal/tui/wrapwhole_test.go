package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// briefParticles are the particles no wrapped line may start with.
var briefParticles = map[string]bool{"을": true, "를": true, "이": true, "가": true, "은": true, "는": true, "에": true,
	"의": true, "로": true, "으로": true, "와": true, "과": true}

var (
	leadMarker = regexp.MustCompile(`^(?:[→·✓✗▸↓!-]\s+|\d+\.\s+)+`)
	codeSpan   = regexp.MustCompile("`([^`]+)`")
)

// wholeText checks rendered lines: no line starts with a bare particle,
// no identifier is split over two lines, and no text is cut with "…"
// (allowed: the words with "…" that the sources themselves contain).
func wholeText(t *testing.T, what string, lines []string, idents []string, sources []string) {
	t.Helper()
	allowed := map[string]bool{}
	for _, s := range sources {
		for _, f := range strings.Fields(strings.ReplaceAll(s, "`", "")) {
			if strings.Contains(f, "…") {
				allowed[f] = true
			}
		}
	}
	plain := make([]string, len(lines))
	for i, l := range lines {
		plain[i] = strings.TrimRight(ansi.Strip(l), " ")
	}
	for i, l := range plain {
		body := leadMarker.ReplaceAllString(strings.TrimLeft(l, " "), "")
		if f := strings.Fields(body); len(f) > 0 && briefParticles[strings.TrimRight(f[0], ".,:;)")] {
			t.Errorf("%s: line %d starts with the particle %q:\n%s\n%s", what, i+1, f[0], lineAt(plain, i-1), l)
		}
		for _, f := range strings.Fields(l) {
			if strings.Contains(f, "…") && !allowed[f] {
				t.Errorf("%s: line %d is cut (%q):\n%s", what, i+1, f, l)
			}
		}
		if i == 0 {
			continue
		}
		prev := plain[i-1]
		for _, id := range idents {
			for k := 2; k <= len(id)-2; k++ {
				head, tail := id[:k], id[k:]
				if strings.HasSuffix(prev, head) && strings.HasPrefix(body, tail) &&
					(len(prev) == len(head) || prev[len(prev)-len(head)-1] == ' ' || prev[len(prev)-len(head)-1] == '`') {
					t.Errorf("%s: identifier %q split over lines %d-%d:\n%s\n%s", what, id, i, i+1, prev, l)
				}
			}
		}
	}
}

func lineAt(lines []string, i int) string {
	if i < 0 || i >= len(lines) {
		return ""
	}
	return lines[i]
}

// identsOf are the names the learner needs whole: nodes, pods, the
// DaemonSet, labels and taints on the map, code spans of the hints.
func identsOf(ex exercises.Exercise, u lab.Update) []string {
	ids := []string{ex.Spec.Target.Name, ex.Spec.Target.String()}
	for _, r := range u.Map.Rows {
		ids = append(ids, r.Name, r.Pod)
		for _, a := range r.Attrs {
			ids = append(ids, strings.Fields(strings.NewReplacer("=", " ", ":", " ").Replace(a))...)
			ids = append(ids, a)
		}
	}
	for _, h := range ex.Hints {
		for _, m := range codeSpan.FindAllStringSubmatch(h, -1) {
			ids = append(ids, strings.Fields(m[1])...)
		}
	}
	var out []string
	for _, id := range ids {
		if len(id) >= 5 && strings.ContainsAny(id, "-./") {
			out = append(out, id)
		}
	}
	return out
}

// TestEveryNodeMapAndPanelWhole renders every exercise's node map (full
// screen and in the panel), its panel with every hint open, at 60x12,
// 80x24 and 160x45, on a state with the reference solution and a wrong
// label, and on a state before the learner's apply.
func TestEveryNodeMapAndPanelWhole(t *testing.T) {
	wrong := func(l *gradertest.Lab, ex exercises.Exercise) {
		l.Solve(ex)
		l.Label("dslab-worker", "hardware", "gpu")
		l.Label("dslab-worker2", "disktype", "ssd")
	}
	for _, ex := range labCatalog(t).All() {
		for _, st := range []struct {
			name string
			do   func(*gradertest.Lab, exercises.Exercise)
		}{{"start", nil}, {"wrong", wrong}} {
			u := simulatedUpdate(t, ex.ID, st.do)
			idents := identsOf(ex, u)
			sources := append([]string{}, ex.Hints...)
			for _, r := range u.Map.Rows {
				sources = append(sources, r.Reason)
			}
			for _, ch := range u.Result.Checks {
				sources = append(sources, ch.Title, ch.Message)
			}
			sources = append(sources, u.Result.Notes...)
			for _, size := range [][2]int{{60, 12}, {80, 24}, {160, 45}} {
				m := newLabFixtureModel(t, nil)
				c := m.common
				c.Width, c.Height = size[0], size[1]
				c.Live.Update = u
				what := fmt.Sprintf("%s/%s %dx%d", ex.ID, st.name, size[0], size[1])
				wholeText(t, what+" node map", nodeMapLines(c.Styles, &Live{Update: u}, c.Width, false), idents, sources)
				e := m.exercise
				e.ex, e.loaded, e.lesson, e.hints = ex, true, -1, len(ex.Hints)
				w := e.panelWidth()
				wholeText(t, what+" compact map", nodeMapLines(c.Styles, &Live{Update: u}, w, true), idents, sources)
				wholeText(t, what+" panel", e.panelLines(w, true), idents, sources)
			}
		}
	}
}

// TestProgressScreenWhole: the progress screen at the three sizes shows
// every exercise and lesson title whole (wrapped in its column, not cut).
func TestProgressScreenWhole(t *testing.T) {
	for _, size := range [][2]int{{60, 12}, {80, 24}, {160, 45}} {
		m := realCourseModel(t, paths.Paths{}, nil)
		c := m.common
		c.Progress = progress.New("")
		// Tall enough to show every row: the test is about the columns.
		c.Width, c.Height = size[0], 200
		lines := strings.Split(m.summary.view(), "\n")
		what := fmt.Sprintf("progress %dx%d", size[0], size[1])
		var sources []string
		for _, ex := range c.Exercises() {
			sources = append(sources, ex.Title)
		}
		wholeText(t, what, lines, nil, sources)
		joined := strings.Join(lines, " ")
		for _, ex := range c.Exercises() {
			for _, word := range strings.Fields(ex.Title) {
				if !strings.Contains(joined, word) {
					t.Errorf("%s: title word %q of %s missing", what, word, ex.ID)
				}
			}
		}
		for _, ex := range c.Exercises() {
			l := c.Course[c.lessonIndex(ex.Lesson)]
			for _, word := range strings.Fields(l.Title) {
				if !strings.Contains(joined, word) {
					t.Errorf("%s: lesson title word %q of %s missing", what, word, l.ID)
				}
			}
		}
	}
}

// TestContentsWhole: the lesson TOC at 60, 80 and 160 columns shows every
// lesson title and exercise id whole (wrapped in its column, not cut).
func TestContentsWhole(t *testing.T) {
	for _, w := range []int{60, 80, 160} {
		m := realCourseModel(t, paths.Paths{}, nil)
		c := m.common
		c.Progress = progress.New("")
		c.Width, c.Height = w, 300
		lines := strings.Split(m.contents.view(), "\n")
		what := fmt.Sprintf("contents %d columns", w)
		var ids []string
		for _, l := range c.Course {
			ids = append(ids, l.Exercises...)
		}
		wholeText(t, what, lines, ids, nil)
		joined := strings.Join(lines, "\n")
		for _, l := range c.Course {
			for _, word := range strings.Fields(l.Title) {
				if !strings.Contains(joined, word) {
					t.Errorf("%s: title word %q of %s missing", what, word, l.ID)
				}
			}
			for _, id := range l.Exercises {
				if !strings.Contains(joined, id) {
					t.Errorf("%s: exercise %s of %s missing", what, id, l.ID)
				}
			}
		}
	}
}

// TestNodeMapArrowHasALegend is the instructor trial on f9ad301: at 160
// columns the node map's 파드 column showed only "↓", meaning nothing.
// Wherever a row shows "↓" (a pod name or status too long for its
// column), the map says under its rows what it means; a map without one
// does not.
func TestNodeMapArrowHasALegend(t *testing.T) {
	seen := false
	for _, ex := range labCatalog(t).All() {
		u := simulatedUpdate(t, ex.ID, func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
		for _, width := range []int{60, 80, 100, 160} {
			for _, compact := range []bool{false, true} {
				m := newLabFixtureModel(t, nil)
				lines := nodeMapLines(m.common.Styles, &Live{Update: u}, width, compact)
				text := strings.Join(lines, "\n")
				arrow := false
				for _, l := range lines {
					if strings.Contains(l, "칸에 다 들어가지") {
						continue // the legend itself
					}
					if strings.Contains(l, " ↓ ") || strings.HasSuffix(strings.TrimRight(l, " "), "↓") {
						arrow = true
					}
				}
				seen = seen || arrow
				if legend := strings.Contains(strings.ReplaceAll(text, "\n  ", " "), MapArrowLegend); legend != arrow {
					t.Errorf("%s at %d (compact %v): ↓ shown %v, legend %v\n%s", ex.ID, width, compact, arrow, legend, text)
				}
			}
		}
	}
	if !seen {
		t.Fatal("no map showed ↓: the test tests nothing")
	}
}
