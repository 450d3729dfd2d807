package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/progress"
)

// namedKey finds a key a screen's text tells the learner to press: "x 로
// …", "r 을 두 번", "enter 를 누르면", "d: 멈춤".
var namedKey = regexp.MustCompile(`(?:^|[\s(·—,])(esc|enter|tab|[a-zA-Z?])(?: (?:로|을|를) |: )`)

// otherScreen marks where a line goes on to another screen ("c 로 …
// 화면을 열고 u 로", "esc 로 돌아가 … 강의에서 x 로", "연습 화면에서 e 로"):
// the keys after it are pressed there.
var otherScreen = regexp.MustCompile(`에서 |열고 |돌아가 `)

// namedKeys are the keys view tells the learner to press on this screen.
func namedKeys(view string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(view, "\n") {
		if loc := otherScreen.FindStringIndex(line); loc != nil {
			line = line[:loc[0]]
		}
		for _, sm := range namedKey.FindAllStringSubmatch(line, -1) {
			if !seen[sm[1]] {
				seen[sm[1]] = true
				out = append(out, sm[1])
			}
		}
	}
	return out
}

// keyMsgOf is the key press named k.
func keyMsgOf(k string) tea.KeyMsg {
	switch k {
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return keyRunes(k)
}

// TestKeysNamedOnEveryScreenWork: on every screen of the lab — with the
// banners and notices it shows — each key its text names is one the
// screen takes, never answered "이 화면에서는 쓰지 않는 키" or "…에서
// 씁니다" (issue 14: the node map's pass notice offered x).
func TestKeysNamedOnEveryScreenWork(t *testing.T) {
	check := func(t *testing.T, s snapshot, what string) {
		t.Helper()
		if len(s.refused) == 0 {
			t.Fatalf("%s: no key named (the pattern finds none):\n%s", what, s.view)
		}
		for k, note := range s.refused {
			if note != "" {
				t.Errorf("%s names %q, which the screen refuses: %s\n%s", what, k, note, s.view)
			}
		}
	}
	t.Run("pass notice on every screen", func(t *testing.T) {
		for _, to := range []string{"m", "c", "o", "esc"} {
			tm := startProgram(t, labCourseModel(t), 100, 30)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
			waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
			tm.Send(keyMsgOf(to))
			waitFor(t, tm, "another screen", func(s snapshot) bool { return s.state != stateExercise })
			pass := simulatedUpdate(t, "gpu-only", gpuOnlySolved)
			pass.Seq = 2
			tm.Send(labUpdateMsg{u: pass})
			s := final(t, tm, "the pass notice", func(s snapshot) bool { return strings.Contains(s.view, "통과!") })
			check(t, s, "the pass notice after "+to)
		}
	})
	t.Run("exercise banners", func(t *testing.T) {
		store := progress.New("")
		m := labCourseModelWith(t, store)
		tm := startProgram(t, m, 100, 30)
		tm.Send(openExerciseMsg{id: "gpu-only"})
		u := simulatedUpdate(t, "gpu-only", nil)
		u.Active = "ds-basics"
		tm.Send(labUpdateMsg{u: u})
		s := final(t, tm, "the banner", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
		check(t, s, "the banner of a cluster prepared for another exercise")
	})
	t.Run("summary and contents", func(t *testing.T) {
		tm := startProgram(t, labCourseModel(t), 100, 30)
		tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
		s := final(t, tm, "목차", func(s snapshot) bool { return s.state == stateContents })
		for k, note := range s.refused {
			if note != "" {
				t.Errorf("목차 names %q, which it refuses: %s", k, note)
			}
		}
		tm.Send(keyRunes("o"))
		s = final(t, tm, "진행 현황", func(s snapshot) bool { return s.state == stateSummary })
		check(t, s, "진행 현황")
	})
}

// gpuOnlySolved is the reference solution of the exercise.
func gpuOnlySolved(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) }
