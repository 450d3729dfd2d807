package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// shortNoticeModel is the lab fixture with informational notices that
// expire after ttl (Options.NoticeTTL).
func shortNoticeModel(tb testing.TB, store *progress.Store, ttl time.Duration) Model {
	tb.Helper()
	opts := asciiOptions(tb, fixtureCourse(tb), store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(tb), Getenv: func(string) string { return "" }}
	opts.NoticeTTL = ttl
	m, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestStartElsewhereNoticeExpires: "다른 곳에서 연습 … 시작했습니다" tells
// of a moment and goes after the notice time, with no key pressed (issue
// 14: it stayed over a minute).
func TestStartElsewhereNoticeExpires(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, shortNoticeModel(t, store, 300*time.Millisecond), 80, 24)
	waitFor(t, tm, "목차", func(s snapshot) bool { return s.state == stateContents })
	cliStart(t, path, "gpu-only")
	const note = "다른 곳에서 연습 gpu-only 를 시작했습니다"
	waitFor(t, tm, "the notice", func(s snapshot) bool { return strings.Contains(flat(s.view), note) })
	waitFor(t, tm, "the notice to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), note) })
}

// TestPassNoticeExpiresAndNamesAWorkingKey: a pass seen on the node map
// is announced with a key that works there (esc back to the exercise, not
// x, which the node map refuses), and the notice expires (issue 14).
func TestPassNoticeExpiresAndNamesAWorkingKey(t *testing.T) {
	tm := startProgram(t, shortNoticeModel(t, progress.New(""), 300*time.Millisecond), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	tm.Send(keyRunes("m"))
	waitFor(t, tm, "the node map", func(s snapshot) bool { return s.state == stateNodeMap })
	pass := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	pass.Seq = 2
	tm.Send(labUpdateMsg{u: pass})
	s := waitFor(t, tm, "the pass notice", func(s snapshot) bool { return strings.Contains(flat(s.view), "통과!") })
	if v := flat(s.view); !strings.Contains(v, "esc 로 연습 화면으로 돌아갑니다") || strings.Contains(v, "x 로") {
		t.Errorf("the pass notice on the node map does not name esc:\n%s", s.view)
	}
	waitFor(t, tm, "the pass notice to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), "통과!") })
}

// TestClusterReadyNoticeExpires: "클러스터가 준비되었습니다" after u is a
// moment's notice and expires; the cluster screen says the cluster is
// running, not "준비되었습니다" for good (issue 14).
func TestClusterReadyNoticeExpires(t *testing.T) {
	tm := startProgram(t, shortNoticeModel(t, progress.New(""), 300*time.Millisecond), 80, 24)
	tm.Send(opEventMsg{opEvent: opEvent{kind: opClusterUp, done: true}})
	waitFor(t, tm, "the ready notice", func(s snapshot) bool { return strings.Contains(flat(s.view), "클러스터가 준비되었습니다") })
	waitFor(t, tm, "the ready notice to expire", func(s snapshot) bool { return !strings.Contains(flat(s.view), "클러스터가 준비되었습니다") })
}

// TestLaterApplyClearsFailedApply: a failed apply shown on the exercise
// screen is cleared when a later apply succeeds elsewhere (dslab kubectl
// apply records it in the progress) — not left beside a ✓ 통과 header
// (issue 14).
func TestLaterApplyClearsFailedApply(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, newLabFixtureModel(t, store), 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", nil)})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	tm.Send(appliedMsg{id: "gpu-only", err: &lab.ApplyError{Path: "gpu-only.yaml", Summary: "YAML 형식 오류", Detail: "error: bad"}, attempted: true, recorded: true})
	waitFor(t, tm, "the failure", func(s snapshot) bool { return strings.Contains(flat(s.view), "적용에 실패했습니다") })

	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordApplyResult(cli, "gpu-only", time.Now().Add(time.Second), nil)
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	pass := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	pass.Seq = 2
	tm.Send(labUpdateMsg{u: pass})
	s := final(t, tm, "the pass", func(s snapshot) bool { return s.seq == 2 })
	if v := flat(s.view); strings.Contains(v, "적용에 실패") || strings.Contains(v, "YAML 형식 오류") {
		t.Errorf("the failed apply is still shown after a later apply passed:\n%s", s.view)
	}
}
