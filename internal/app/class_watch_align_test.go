package app

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// watchAlignBoard: twelve students (numbers of one and two digits),
// Hangul and Latin names, scores of one and two digits, hints, a stuck
// student, a flag and an exercise nobody submitted.
func watchAlignBoard() api.Board {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	b := api.Board{Class: "정렬 수업", Now: now, StuckMins: 10,
		Exercises: []api.BoardExercise{{ID: "ds-basics", Title: "기본", Passed: 8, Attempted: 8}, {ID: "taints", Title: "테인트", Attempted: 6}, {ID: "gpu-only", Title: "GPU 노드만"}}}
	names := []string{"김민수", "이영희", "박지성", "최유리", "정하늘", "Alice Kim", "오세훈", "한지민", "윤도현", "장나라", "서태지", "남궁민수"}
	for i, n := range names {
		c := map[string]api.BoardCell{}
		if i%3 != 2 {
			c["ds-basics"] = api.BoardCell{Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 1}
		}
		if i%2 == 0 {
			c["taints"] = api.BoardCell{Status: api.StatusFailed, Score: i % 10, MaxScore: 10, Submissions: 2, HintsHad: i % 4}
		}
		if i == 7 {
			c["taints"] = api.BoardCell{Status: api.StatusPassed, Score: 10, MaxScore: 10, Submissions: 1, Flags: []string{"copied-cluster"}}
		}
		s := api.BoardStudent{RosterID: fmt.Sprintf("2026%03d", i+1), Name: n, Initials: string([]rune(n)[:1]) + "○○", Cells: c}
		if i == 9 {
			s.Stuck, s.StuckSince, s.Current = true, now.Add(-20*time.Minute), "taints"
		}
		b.Students = append(b.Students, s)
	}
	return b
}

// TestClassWatchAligned (issue 12, instructor trial): in `class watch`
// the board numbers are right-aligned so every name starts in one column
// (" 9 윤도현" over "10 장나라", Hangul two cells wide), and every score
// ends in one column under its exercise's number. Goldens at 80×24 and
// 160×45 (testdata/TestClassWatchAligned/*.golden; -update rewrites them).
func TestClassWatchAligned(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			b := watchAlignBoard()
			m := fakeBoardWatch(t, b, nil)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz[0], sz[1]))
			t.Cleanup(func() { m.stop(); _ = tm.Quit() })
			waitOutput(t, tm, "남궁민수", "● 실시간")
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
			view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
			lines := strings.Split(view, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%d lines, want %d", len(lines), sz[1])
			}
			// Where each student's name starts in the grid's rows, and
			// where the scores and the exercises' numbers end, in display
			// cells.
			h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "학생") })
			if h < 0 || len(lines) < h+1+len(b.Students) {
				t.Fatalf("no header or too few rows:\n%s", view)
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("line %q is %d cells wide", l, w)
				}
			}
			ends := func(l string, re *regexp.Regexp) []int {
				var out []int
				for _, m := range re.FindAllStringIndex(l, -1) {
					out = append(out, ansi.StringWidth(l[:m[1]]))
				}
				return out
			}
			numEnds := ends(strings.TrimPrefix(lines[h], "학생"), regexp.MustCompile(`\d+`))
			for k := range numEnds {
				numEnds[k] += ansi.StringWidth("학생")
			}
			nameCol := -1
			for i, s := range b.Students {
				l := lines[h+1+i]
				at := strings.Index(l, s.Name)
				if at < 0 {
					t.Fatalf("row %d lacks %s:\n%s", i+1, s.Name, view)
				}
				col := ansi.StringWidth(l[:at])
				if nameCol == -1 {
					nameCol = col
				} else if col != nameCol {
					t.Errorf("student %d's name starts at cell %d, the first one's at %d:\n%s", i+1, col, nameCol, view)
				}
				for _, e := range ends(l[at:], regexp.MustCompile(`[✔✘○] *\d+`)) {
					if e += col; !slices.Contains(numEnds, e) {
						t.Errorf("student %d: a score ends at cell %d, the exercises' numbers at %v:\n%s", i+1, e, numEnds, view)
					}
				}
			}
			teatest.RequireEqualOutput(t, []byte(view+"\n"))
		})
	}
}
