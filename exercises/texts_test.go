package exercises_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
)

// TestTextsSayWhatTheToolDoes fails on exercise texts that tell the
// trainee something dslab does not do or refer to what the trainee never
// saw (issue 14): "apply 하세요" (English verb in Korean prose; the work file
// is applied on save in the TUI, with `dslab kubectl apply -f <작업 파일>` from
// the command line), a made-up file name instead of the work file, a task
// that credits `dslab exercise start` although TUI users open the exercise
// with x, and the course's source lecture note ("이전 자료").
func TestTextsSayWhatTheToolDoes(t *testing.T) {
	c := load(t)
	bad := []struct {
		re   *regexp.Regexp
		why  string
		task bool // only in the task
	}{
		{regexp.MustCompile(`apply ?(하|한|합|해)`), "write 적용하다 and say how the work file is applied", false},
		{regexp.MustCompile(`apply -f [a-z-]+\.yaml`), "the trainee works in the work file (`dslab kubectl apply -f <작업 파일>`)", false},
		{regexp.MustCompile("`dslab exercise start [a-z-]+` ?(이|가|는|을|를)"), "TUI users open the exercise with x: say 연습을 시작하면/시작할 때", true},
		{regexp.MustCompile(`이전 자료|원래 강의 ?노트`), "the trainee never saw the source lecture note", false},
	}
	applyRE := regexp.MustCompile(`적용하`)
	for _, ex := range c.All() {
		texts := map[string]string{"task": ex.Task}
		for i, h := range ex.Hints {
			texts["hint "+string(rune('1'+i))] = h
		}
		for where, text := range texts {
			text = squash(text)
			for _, b := range bad {
				if b.task && where != "task" {
					continue
				}
				if m := b.re.FindString(text); m != "" {
					t.Errorf("%s %s: %q — %s", ex.ID, where, m, b.why)
				}
			}
			// A hint that tells the trainee to apply says both ways.
			if where != "task" && applyRE.MatchString(text) && strings.Contains(text, "저장") != strings.Contains(text, "dslab kubectl apply -f") {
				t.Errorf("%s %s: says how to apply only one way (TUI: 저장하면 적용; CLI: dslab kubectl apply -f <작업 파일>): %s", ex.ID, where, text)
			}
		}
	}
	// Comments of the setup files are read by the trainee too.
	err := fs.WalkDir(exercises.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(exercises.FS(), path)
		if err != nil {
			return err
		}
		for _, b := range bad {
			if !b.task {
				if m := b.re.FindString(string(data)); m != "" {
					t.Errorf("%s: %q — %s", path, m, b.why)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRubricPointsAndWarningAgree: a check worth points whose title says
// it only warns must say the points are kept (issue 14: "(과제가 금지하지
// 않으므로 경고만) 2점" read as worth points and as a warning only).
func TestRubricPointsAndWarningAgree(t *testing.T) {
	for _, ex := range load(t).All() {
		for _, c := range ex.Spec.Checks {
			if c.Points > 0 && strings.Contains(c.Title, "경고만") && !strings.Contains(c.Title, "감점 없이") {
				t.Errorf("%s/%s: %q is worth %d points and says warning only: say 감점 없이", ex.ID, c.ID, c.Title, c.Points)
			}
		}
	}
}
