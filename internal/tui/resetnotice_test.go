package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// An exercise reset elsewhere (`dslab exercise reset gpu-only`) is said as
// a reset — 초기화했습니다 — and a start as a start (trainee trial on
// 32bac4b: "…시작했습니다" after a reset).
func TestFollowedResetSaysReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, shortNoticeModel(t, store, 5*time.Second), 100, 24)
	waitFor(t, tm, "목차", func(s snapshot) bool { return s.state == stateContents })
	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordReset(cli, "gpu-only", time.Now())
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, tm, "the reset notice", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다른 곳에서 연습 gpu-only 를 초기화했습니다")
	})
	if strings.Contains(flat(s.view), "시작했습니다") {
		t.Errorf("a reset is said as a start:\n%s", s.view)
	}
	// A start after it (a later StartedAt) is a start again.
	lab.RecordStart(cli, "gpu-only", time.Now().Add(time.Second))
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "the start notice", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다른 곳에서 연습 gpu-only 를 시작했습니다")
	})
	quitProgram(t, tm)
}

// The same for the exercise the TUI shows (trainee trial, issue 14: after
// `dslab exercise reset` of the open exercise the panel said "… 처음 상태로
// 준비했습니다"): a reset says 초기화했습니다, a start stays a start.
func TestFollowedResetOfOpenExerciseSaysReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	store, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, shortNoticeModel(t, store, 5*time.Second), 100, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	cli, _, err := progress.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lab.RecordReset(cli, "gpu-only", time.Now().Add(time.Second))
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, tm, "the reset notice", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다른 곳에서 연습 gpu-only 를 초기화했습니다")
	})
	if strings.Contains(flat(s.view), "처음 상태로 준비했습니다") {
		t.Errorf("a reset is said as a start:\n%s", s.view)
	}
	lab.RecordStart(cli, "gpu-only", time.Now().Add(2*time.Second))
	if err := cli.Save(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "the start notice", func(s snapshot) bool {
		return strings.Contains(flat(s.view), "다른 곳에서 연습 gpu-only 를 처음 상태로 준비했습니다")
	})
	quitProgram(t, tm)
}
