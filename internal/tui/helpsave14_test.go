package tui

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestHelpSaysWhatASaveDoes: the exercise's ? help says what the lab does
// with a save — any editor's save is applied when the work files are
// watched (README), the editor's close otherwise — never that only the
// file opened with e is (issue 14).
func TestHelpSaysWhatASaveDoes(t *testing.T) {
	for _, watched := range []bool{true, false} {
		dir := t.TempDir()
		p := paths.FromEnv(func(k string) string {
			if k == "HOME" {
				return dir
			}
			return ""
		})
		var work *lab.WorkWatcher
		want := "e 로 연 편집기를 닫으면 작업 파일을 클러스터에 적용합니다"
		if watched {
			w, err := lab.WatchWorkDir(lab.WorkDir(p))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			work = w
			want = "작업 파일은 어느 편집기로 저장해도(e 로 연 편집기, 다른 창의 VS Code 등) 저장할 때마다 클러스터에 적용합니다"
		}
		tm := startProgram(t, realCourseModel(t, p, work), 120, 40)
		tm.Send(openExerciseMsg{id: "ds-basics"})
		waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise })
		tm.Send(keyRunes("?"))
		s := final(t, tm, "the help", func(s snapshot) bool { return s.state == stateHelp })
		if v := flat(s.view); !strings.Contains(v, want) || strings.Contains(v, "e 로 연 작업 파일은 저장할 때마다") {
			t.Errorf("watched %v: the help does not say %q:\n%s", watched, want, s.view)
		}
	}
}
