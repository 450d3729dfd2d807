package tui

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestClassStatusArea: the class hook's lines reach the status area (all
// of one poll, joined), stay there through polls with nothing new, and a
// command left pending shows its Korean error; no cluster means a nil conn.
func TestClassStatusArea(t *testing.T) {
	var polls atomic.Int32
	var sawConn atomic.Bool
	poll := &ClassPoll{Every: 10 * time.Millisecond, Poll: func(_ context.Context, conn *kube.Conn, notify func(string)) error {
		if conn != nil {
			sawConn.Store(true)
		}
		switch polls.Add(1) {
		case 1:
			notify("강사 공지: 10분 뒤 쉽니다")
			notify("강사가 제출을 마감했습니다")
		case 20:
			notify("강사의 요청으로 연습 taints 를 처음 상태로 되돌립니다")
			return errors.New("클러스터에 연결되면 이어서 합니다")
		}
		return nil
	}}
	opts := asciiOptions(t, fixtureCourse(t), progress.New(""))
	opts.Lab = &Lab{Class: poll}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	wait := func(want string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
			teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	wait("강사 공지: 10분 뒤 쉽니다 · 강사가 제출을 마감했습니다")
	wait("처음 상태로 되돌립니다 · 클러스터에 연결되면 이어서 합니다")
	tm.Send(keyRunes("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if got := fm.statusNote(); got != "강사의 요청으로 연습 taints 를 처음 상태로 되돌립니다 · 클러스터에 연결되면 이어서 합니다" {
		t.Fatalf("status note %q", got)
	}
	if polls.Load() < 20 || sawConn.Load() {
		t.Fatalf("%d polls, conn passed without a cluster: %v", polls.Load(), sawConn.Load())
	}
}
