package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/progress"
)

// When `dslab` on PATH is not this binary (Lab.PathNote), the first
// cluster-ready notice says how to get it — lessons and advice say
// `dslab …` ("dslab: command not found", trainee trial on 32bac4b) — and a
// later one does not repeat it.
func TestClusterReadySaysPathNoteOnce(t *testing.T) {
	m := shortNoticeModel(t, progress.New(""), 300*time.Millisecond)
	m.common.Lab.PathNote = "다른 터미널에서 dslab 명령을 쓰려면 make install"
	tm := startProgram(t, m, 80, 24)
	tm.Send(opEventMsg{opEvent: opEvent{kind: opClusterUp, done: true}})
	waitFor(t, tm, "the ready notice with the PATH note", func(s snapshot) bool {
		v := flat(s.view)
		return strings.Contains(v, "클러스터가 준비되었습니다") && strings.Contains(v, "make install")
	})
	waitFor(t, tm, "the ready notice to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), "클러스터가 준비되었습니다") })
	tm.Send(opEventMsg{opEvent: opEvent{kind: opClusterUp, done: true}})
	s := waitFor(t, tm, "the second ready notice", func(s snapshot) bool { return strings.Contains(flat(s.view), "클러스터가 준비되었습니다") })
	if strings.Contains(flat(s.view), "make install") {
		t.Errorf("the PATH note is said again:\n%s", s.view)
	}
}
