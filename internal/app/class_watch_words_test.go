package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestClassWatchNoWordCut (issue 12, instructor trial): at 80 columns a
// feed line ended "(서버가 받은 시…", cut inside a word. At 60 and 80
// columns nothing is cut inside a word: the event feed wraps each event
// at word breaks (the receive time whole), and a line that must stay one
// row (the exercise's line, the common failure) is shortened at a word
// break with "…".
func TestClassWatchNoWordCut(t *testing.T) {
	b := watchAlignBoard()
	b.Exercises[0].Title = "데몬셋 기본: 모든 노드에 로그 수집 에이전트 파드를 하나씩 띄우기"
	b.Exercises[0].CommonFailure = &api.CommonFailure{Check: "image", Title: "컨테이너 이미지", Students: 3,
		Reason: "이미지 이름이 fluentd:v1.16-debian-1 이 아니라 fluentd:v1.61-debain-1 입니다 (철자를 확인하세요)"}
	at := b.Now.Add(-2 * time.Minute)
	captured := at.Add(-4*time.Minute - 17*time.Second)
	data, _ := json.Marshal(map[string]any{"exercise": "ds-basics", "status": api.StatusPassed, "score": 10, "maxScore": 10, "capturedAt": captured})
	cmd, _ := json.Marshal(map[string]any{"kind": api.CommandBroadcast, "message": "5분 뒤에 taints 연습으로 넘어갑니다. 아직 ds-basics 를 못 끝낸 학생은 손을 들어 주세요"})
	events := []api.StreamEvent{
		{Seq: 1, Time: at, Kind: "submitted", RosterID: "2026012", Name: "남궁민수", Data: data},
		{Seq: 2, Time: at.Add(time.Minute), Kind: "command", Data: cmd},
	}
	receive := "(서버가 받은 시각 " + at.Local().Format("15:04:05") + ")"
	sources := []string{eventLine(events[0], false), eventLine(events[1], false), b.Exercises[0].Title, b.Exercises[0].CommonFailure.Reason}
	words := map[string]bool{}
	for _, s := range sources {
		for _, f := range strings.Fields(s) {
			words[f] = true
		}
	}
	for _, w := range []int{60, 80} {
		t.Run(fmt.Sprintf("%dx24", w), func(t *testing.T) {
			m := fakeBoardWatch(t, b, events)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, 24))
			t.Cleanup(func() { m.stop(); _ = tm.Quit() })
			waitOutput(t, tm, "● 실시간", "강사 동작")
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
			view := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watchModel).View()
			lines := strings.Split(view, "\n")
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Errorf("line %q is %d cells wide", l, ansi.StringWidth(l))
				}
				for _, f := range strings.Fields(l) {
					if cut, ok := strings.CutSuffix(f, "…"); ok && cut != "" && !words[cut] {
						t.Errorf("%q cut inside a word in %q:\n%s", cut, l, view)
					}
				}
			}
			// The receive time is whole, on one row or across a word break.
			flat := strings.Join(strings.Fields(view), " ")
			if !strings.Contains(flat, receive) {
				t.Errorf("the feed lacks %q whole:\n%s", receive, view)
			}
			if !strings.Contains(flat, "손을 들어 주세요") {
				t.Errorf("the newest event is not whole:\n%s", view)
			}
		})
	}
}
