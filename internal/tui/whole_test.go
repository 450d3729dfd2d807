package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
)

// flat is s with every run of white space (line breaks and indents
// included) made one space: text wrapped over several lines reads as it
// was written.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// requireWhole fails unless view shows text whole (wrapped anywhere at
// spaces, never cut with "…").
func requireWhole(t *testing.T, what, view, text string) {
	t.Helper()
	if !strings.Contains(flat(view), flat(text)) {
		t.Errorf("%s is not shown whole: want %q in\n%s", what, text, view)
	}
}

// smallSizes are README's minimum and the classic terminal: where text is
// cut first. The checks for whole text also run 60 wide and 24 high, where
// a long text fits on one screen without scrolling.
var smallSizes = []struct{ w, h int }{{60, 12}, {60, 24}, {80, 24}}

// statusErrOps is a cluster runtime whose status cannot be read.
type statusErrOps struct{ runningOps }

func (statusErrOps) Status(context.Context) (cluster.Status, error) {
	return cluster.Status{}, errors.New(`docker 에 연결할 수 없습니다: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?`)
}

// whole is requireWhole where the whole text fits on the screen (60×12
// shows the frame only).
func whole(t *testing.T, h int, what, view, text string) {
	t.Helper()
	if h >= 24 {
		requireWhole(t, what, view, text)
	}
}

// TestErrorsAndResultsShownWhole: what the learner must read in full —
// the exercise's banner ("r 을 두 번…"), its header's work file, an
// apply's result, a failed start, the cluster screen's errors and
// progress, long notices in the status bar — is wrapped whole at 60×12
// and 80×24, never cut with "…".
func TestErrorsAndResultsShownWhole(t *testing.T) {
	for _, size := range smallSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			t.Run("banner and header", func(t *testing.T) {
				u := simulatedUpdate(t, "gpu-only", nil)
				u.Active = "ds-basics"
				tm := startProgram(t, labCourseModel(t), size.w, size.h)
				tm.Send(openExerciseMsg{id: "gpu-only"})
				tm.Send(labUpdateMsg{u: u})
				s := final(t, tm, "the banner", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
				checkFrame(t, s)
				whole(t, size.h, "the banner", s.view, "지금 클러스터는 연습 ds-basics 에 맞게 준비되어 있습니다 — enter 를 누르면 작업 파일은 그대로 두고 클러스터만 이 연습에 맞게 준비합니다.")
				whole(t, size.h, "the header", s.view, "작업 파일 work/gpu-only.yaml")
			})
			t.Run("apply result", func(t *testing.T) {
				tm := startProgram(t, labCourseModel(t), size.w, size.h)
				tm.Send(openExerciseMsg{id: "gpu-only"})
				tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
				waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
				summary := "daemonset.apps/gpu-monitoring-agent configured, namespace/monitoring unchanged"
				tm.Send(appliedMsg{id: "gpu-only", summary: summary, attempted: true})
				s := final(t, tm, "the result", func(s snapshot) bool { return strings.Contains(s.view, "configured") })
				checkFrame(t, s)
				whole(t, size.h, "the apply result", s.view, "적용했습니다: "+summary+" — 채점 결과는 클러스터가 바뀌는 대로 저절로 갱신됩니다.")
			})
			t.Run("failed start", func(t *testing.T) {
				tm := startProgram(t, labCourseModel(t), size.w, size.h)
				tm.Send(openExerciseMsg{id: "gpu-only"})
				waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
				msg := `연습을 준비하지 못했습니다: 노드 dslab-worker2 에 레이블 hardware=gpu 를 붙이지 못했습니다: nodes "dslab-worker2" is forbidden: User "system:serviceaccount:default:learner" cannot patch resource "nodes" in API group "" at the cluster scope`
				tm.Send(opEventMsg{opEvent: opEvent{kind: opExercise, done: true, err: errors.New(msg)}})
				s := final(t, tm, "the error", func(s snapshot) bool { return strings.Contains(s.view, "forbidden") })
				checkFrame(t, s)
				whole(t, size.h, "the start error", s.view, msg)
			})
			t.Run("cluster screen", func(t *testing.T) {
				m := labCourseModel(t)
				m.common.Lab.Cluster = statusErrOps{}
				tm := startProgram(t, m, size.w, size.h)
				tm.Send(keyRunes("c"))
				waitFor(t, tm, "the cluster screen", func(s snapshot) bool { return s.state == stateCluster })
				opErr := `embedded 클러스터를 시작하지 못했습니다: etcd 가 127.0.0.1:2379 에서 응답하지 않습니다 (로그: /home/u/.local/share/dslab/clusters/dslab/logs/etcd.log)`
				progress := "컨트롤 플레인 인증서를 만드는 중입니다 (/home/u/.local/share/dslab/clusters/dslab/pki)"
				tm.Send(opEventMsg{opEvent: opEvent{kind: opClusterUp, line: progress, at: time.Second}})
				tm.Send(opEventMsg{opEvent: opEvent{kind: opClusterUp, done: true, err: errors.New(opErr), at: 2 * time.Second}})
				s := final(t, tm, "the error", func(s snapshot) bool {
					return strings.Contains(s.view, "마지막 작업이 실패") && strings.Contains(s.view, "daemon")
				})
				checkFrame(t, s)
				// Taller, the panel holds it all.
				tm.Send(tea.WindowSizeMsg{Width: size.w, Height: 60})
				s = final(t, tm, "the tall panel", func(s snapshot) bool { return s.height == 60 })
				_, err := statusErrOps{}.Status(context.Background())
				requireWhole(t, "the status error", s.view, "확인하지 못했습니다: "+err.Error())
				requireWhole(t, "the operation's error", s.view, opErr)
				requireWhole(t, "the progress line", s.view, progress)
			})
			t.Run("notice", func(t *testing.T) {
				tm := startProgram(t, labCourseModel(t), size.w, size.h)
				notice := "진행 상황을 저장하지 못했습니다(progress.json): open /home/u/.local/share/dslab/progress.json: permission denied"
				tm.Send(NoticeMsg{Text: notice})
				s := final(t, tm, "the notice", func(s snapshot) bool { return strings.Contains(s.view, "permission") })
				checkFrame(t, s)
				whole(t, size.h, "the notice", s.view, notice)
			})
		})
	}
}

// TestGradeLinesWhole: every check of a grade — its title and why it
// failed — and the grade's cause are wrapped whole at 60 and 80 columns.
func TestGradeLinesWhole(t *testing.T) {
	u := simulatedUpdate(t, "gpu-only", gpuOnlyMixed)
	u.Cause = "노드 dslab-worker 의 레이블 변경 (hardware=gpu 추가) 뒤 데몬셋 monitoring/gpu-monitoring-agent 의 파드 변경"
	u.Result.Checks = append(u.Result.Checks, grader.CheckResult{
		Title:     "데몬셋의 파드가 노드 셀렉터(nodeSelector)와 노드 어피니티(node affinity)를 모두 만족하는 노드에만 떠 있다",
		MaxPoints: 2, Message: "dslab-worker 에 파드 gpu-monitoring-agent-x7k2p 가 있지만 기대하지 않았습니다 (기대: 파드 없음)",
	})
	for _, w := range []int{60, 80} {
		t.Run(fmt.Sprintf("%d", w), func(t *testing.T) {
			// Tall enough that the whole grade is on one screen.
			tm := startProgram(t, labCourseModel(t), w, 80)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: u})
			s := final(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 && s.state == stateExercise })
			checkFrame(t, s)
			requireWhole(t, "the grade's cause", s.view, "채점 · "+u.At.Format("15:04:05")+" · "+u.Cause)
			for _, ch := range u.Result.Checks {
				requireWhole(t, "a check's title", s.view, ch.Title)
				if !ch.Passed {
					requireWhole(t, "why a check failed", s.view, ch.Message)
				}
			}
		})
	}
}

// TestKeyNoteClears: the note about a key that does nothing here goes
// away when the screen changes (it does not follow the learner), with
// the next key, and after a short while.
func TestKeyNoteClears(t *testing.T) {
	const note = "쓰지 않는 키"
	t.Run("screen change", func(t *testing.T) {
		tm := startProgram(t, labCourseModel(t), 80, 24)
		tm.Send(keyRunes("z"))
		waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(s.view, note) })
		tm.Send(keyRunes("c")) // a lab key: opens the cluster screen
		s := waitFor(t, tm, "the cluster screen", func(s snapshot) bool { return s.state == stateCluster })
		if strings.Contains(s.view, note) {
			t.Errorf("the note followed to the cluster screen:\n%s", s.view)
		}
		tm.Send(keyRunes("z"))
		waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(s.view, note) })
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // back to the contents
		s = waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
		if strings.Contains(s.view, note) {
			t.Errorf("the note followed back to the contents:\n%s", s.view)
		}
		tm.Send(keyRunes("z"))
		waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(s.view, note) })
		tm.Send(keyRunes("?"))
		s = waitFor(t, tm, "the help", func(s snapshot) bool { return s.state == stateHelp })
		if strings.Contains(s.view, note) {
			t.Errorf("the note stayed under the help:\n%s", s.view)
		}
	})
	t.Run("expiry", func(t *testing.T) {
		tm := startProgram(t, labCourseModel(t), 80, 24)
		tm.Send(keyRunes("z"))
		waitFor(t, tm, "the first note", func(s snapshot) bool { return strings.Contains(s.view, "z:") })
		tm.Send(keyRunes("Z"))
		waitFor(t, tm, "the second note", func(s snapshot) bool { return strings.Contains(s.view, "Z:") })
		// The first note's expiry leaves the second; its own ends it.
		tm.Send(keyNoteExpiredMsg{seq: 1})
		if s := take(t, tm); !strings.Contains(s.view, "Z:") {
			t.Errorf("an old expiry cleared a newer note:\n%s", s.view)
		}
		tm.Send(keyNoteExpiredMsg{seq: 2})
		waitFor(t, tm, "the note expired", func(s snapshot) bool { return !strings.Contains(s.view, note) })
	})
	t.Run("other notices stay", func(t *testing.T) {
		tm := startProgram(t, labCourseModel(t), 80, 24)
		tm.Send(NoticeMsg{Text: "이 강의에는 연습이 없습니다"})
		waitFor(t, tm, "the notice", func(s snapshot) bool { return strings.Contains(s.view, "연습이 없습니다") })
		tm.Send(keyNoteExpiredMsg{seq: 0})
		if s := take(t, tm); !strings.Contains(s.view, "연습이 없습니다") {
			t.Errorf("a key note's expiry cleared another notice:\n%s", s.view)
		}
	})
}

// TestShellPromptNamesTheCurrentExercise: the lab shell's prompt names
// the exercise the cluster is set up for (the in-cluster dslab-current
// record), not the exercise on screen; with none started it says none.
func TestShellPromptNamesTheCurrentExercise(t *testing.T) {
	m := labCourseModel(t)
	c := m.common
	c.Paths = paths.Under(t.TempDir())
	client := fake.NewClientset()
	u := simulatedUpdate(t, "gpu-only", nil)
	u.Conn = &kube.Conn{Client: client, Context: "dslab"}
	c.Live.Update = u
	prompt := func() string {
		t.Helper()
		msg, ok := prepareShell(c)().(shellReadyMsg)
		if !ok || msg.err != nil {
			t.Fatalf("shell: %#v", msg)
		}
		for _, kv := range msg.cmd.Env {
			if v, ok := strings.CutPrefix(kv, "DSLAB_PROMPT="); ok {
				return v
			}
		}
		return ""
	}
	if got := prompt(); got != "(dslab 실습 셸)" {
		t.Errorf("no exercise started, gpu-only on screen: prompt %q", got)
	}
	if err := kube.RecordCurrent(context.Background(), client, kube.Current{Exercise: "ds-basics", Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if got := prompt(); got != "(dslab 연습 ds-basics)" {
		t.Errorf("cluster set up for ds-basics, gpu-only on screen: prompt %q", got)
	}
}
