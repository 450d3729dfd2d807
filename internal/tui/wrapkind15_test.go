package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
)

// TestServerWrapKeepsGoTypes: kubectl's and the API server's words wrap
// at every width without breaking inside a Go type or a bracketed word
// ("map[string]string", "[]string", "interface {}"): trainee trial, issue
// 14, "map[string]" / "string". JSON still breaks after its brackets.
func TestServerWrapKeepsGoTypes(t *testing.T) {
	text := `Error from server (BadRequest): error when creating "work/ds-basics.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field ObjectMeta.spec.template.metadata.labels of type map[string]string; also []string and map[string]interface {} and interface{}`
	for w := 24; w <= 100; w++ {
		lines := wrapServerText("  ", text, w)
		for _, tok := range []string{"map[string]string", "[]string", "map[string]interface"} {
			found := false
			for _, l := range lines {
				if strings.Contains(l, tok) {
					found = true
				}
			}
			if !found {
				t.Errorf("width %d: %q broken:\n%s", w, tok, strings.Join(lines, "\n"))
			}
		}
	}
	json := `{"spec":{"template":{"metadata":{"labels":{"app":"fluentd","tier":"logging"}}}}}`
	if lines := wrapServerText("", json, 30); len(lines) < 2 {
		t.Errorf("JSON no longer breaks after its brackets: %q", lines)
	}
}

// TestWrapKeepsNounWithName: a noun and the name it introduces ("데몬셋
// dslab/gpu-monitor", "노드 dslab-worker2") never part at a line's end,
// at any width from 46 to 80 cells, where each pair fits on a line
// (narrower, a name wider than the rest of the line may stand alone:
// glueParticles' limit). Trainee trial, issue 14: the exercise header
// broke "데몬셋" from its name.
func TestWrapKeepsNounWithName(t *testing.T) {
	text := "힌트 0/3 · 데몬셋 kube-system/node-log-collector · 작업 파일 work/ds-basics.yaml — 노드 dslab-worker2 에 파드 gpu-monitor-00006 이 있습니다"
	bare := regexp.MustCompile(`(데몬셋|노드|파드|파일)$`)
	for w := 46; w <= 80; w++ {
		for _, lines := range [][]string{wrapText(text, w), wrapHanging("  ", text, w)} {
			for _, l := range lines {
				if bare.MatchString(strings.TrimRight(l, " ")) {
					t.Errorf("width %d: a line ends with the noun before its name:\n%s", w, strings.Join(lines, "\n"))
				}
			}
		}
	}
}

// TestHeaderKeepsDaemonSetWithName: every exercise's head at 60 and
// 80 columns keeps "데몬셋" with the DaemonSet's name, and an apply error
// naming a Go type keeps it whole.
func TestHeaderKeepsDaemonSetWithName(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 24}, {80, 24}} {
		for _, ex := range labCatalog(t).All() {
			t.Run(fmt.Sprintf("%s/%dx%d", ex.ID, size.w, size.h), func(t *testing.T) {
				tm := startProgram(t, attemptedModel(t, ex.ID), size.w, size.h)
				tm.Send(openExerciseMsg{id: ex.ID})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, ex.ID, nil)})
				s := waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
				// The panel's head: the lines below the title bar up to
				// the first blank one.
				for _, l := range strings.Split(s.view, "\n")[1:] {
					l = strings.TrimRight(strings.ReplaceAll(l, nbsp, " "), " ")
					if l == "" {
						break
					}
					if strings.HasSuffix(l, "데몬셋") {
						t.Errorf("the head ends a line with 데몬셋, its name on the next:\n%s", s.view)
					}
				}
				if ex.ID != "ds-basics" {
					return
				}
				detail := `Error from server (BadRequest): error when creating "/home/u/.local/share/dslab/work/ds-basics.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field ObjectMeta.spec.template.metadata.labels of type map[string]string`
				tm.Send(appliedMsg{id: ex.ID, err: &lab.ApplyError{Summary: "API 서버가 매니페스트를 거부했습니다 (형식 오류)", Detail: detail}, attempted: true})
				s = waitFor(t, tm, "the error", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })
				for _, l := range strings.Split(s.view, "\n") {
					l = strings.TrimRight(l, " ")
					if strings.HasSuffix(l, "map[string]") || strings.HasSuffix(l, "map[") {
						t.Errorf("the error breaks inside map[string]string:\n%s", s.view)
					}
				}
			})
		}
	}
}
