package app

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/render"
)

// commandRE finds a command a learner copies in a CLI text: dslab or
// kubectl and the words after it that hold no Hangul, quote or bracket.
var commandRE = regexp.MustCompile(`(?:^|[\s(])((?:dslab|kubectl)(?: [A-Za-z0-9./_=:$<>{}@,+*~-]+)*)`)

// Issue 14 (trial 2026-11-30): CLI wrapping split commands a learner
// copies ("dslab" / "--help 로", "예: dslab" / "kubectl get nodes",
// "dslab exercise" / "show ds-basics --hint 1"). Over the real CLI texts
// that hold a command, at every width from 50 to 100 cells, a command
// that fits the width stands whole on one line.
func TestCLICommandsNeverSplit(t *testing.T) {
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Streams: Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}}
	var texts []string
	for _, cmd := range []string{"kubectl", "grade", "exercise", "cluster"} {
		root := NewRootCommand(env)
		sub, _, err := root.Find([]string{cmd})
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.Split(sub.Long, "\n")...)
	}
	_, gerr := gradeIDs(c, gradeOptions{}, nil)
	texts = append(texts,
		gerr.Error(),
		nextExerciseLine(c.All(), false, "", func(string) bool { return false }),
		"힌트: dslab exercise show ds-basics --hint 1 · 채점: dslab grade ds-basics · 관련 강의: dslab lessons show first-daemonset-yaml",
		"클러스터가 없습니다. 명령 목록은 dslab --help 로, 클러스터 시작은 dslab cluster up 으로 합니다. 예: dslab kubectl get nodes -L hardware,disktype",
	)
	checked := 0
	for _, text := range texts {
		for _, m := range commandRE.FindAllStringSubmatch(text, -1) {
			cmd := strings.TrimRight(m[1], ".,:;")
			if !strings.Contains(cmd, " ") {
				continue
			}
			for w := 50; w <= 100; w++ {
				if ansi.StringWidth(cmd) > w {
					continue
				}
				checked++
				if out := render.WrapWhole(text, w); !strings.Contains(out, cmd) {
					t.Errorf("at %d cells %q is split:\n%s", w, cmd, out)
					break
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no command found in the texts")
	}
}
