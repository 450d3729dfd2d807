package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestClassStatusArea: the class hook's lines reach the status area one
// at a time, the newest in front ("공지 2/2"), the older ones behind the
// class key;
// a command left pending shows its Korean error once, not once per poll;
// no cluster means a nil conn.
func TestClassStatusArea(t *testing.T) {
	var polls atomic.Int32
	var sawConn atomic.Bool
	poll := &ClassPoll{Every: 10 * time.Millisecond, Poll: func(_ context.Context, conn *kube.Conn, notify func(string)) error {
		if conn != nil {
			sawConn.Store(true)
		}
		switch n := polls.Add(1); {
		case n == 1:
			notify("강사 공지: 10분 뒤 쉽니다")
			notify("강사가 제출을 마감했습니다")
		case n == 20:
			notify("강사의 요청으로 연습 taints 의 클러스터를 처음 상태로 되돌립니다")
			return errors.New("클러스터에 연결되면 이어서 합니다")
		case n > 20:
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
	wait("공지 2/2 · 강사가 제출을 마감했습니다 (i 이전 공지)")
	tm.Send(keyRunes("i"))
	wait("공지 1/2 · 강사 공지: 10분 뒤 쉽니다 (i 닫기)")
	tm.Send(keyRunes("i"))
	// The reset and the error it left pending come after the learner
	// closed the line: a new queue, the newest (the error) in front.
	wait("공지 2/2 · 클러스터에 연결되면 이어서 합니다 (i 이전 공지)")
	tm.Send(keyRunes("i"))
	wait("공지 1/2 · 강사의 요청으로 연습 taints 의 클러스터를 처음 상태로 되돌립니다 (i 닫기)")
	for polls.Load() < 30 {
		time.Sleep(10 * time.Millisecond)
	}
	tm.Send(keyRunes("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	p := fm.classPoll()
	if got := len(p.notes); got != 4 {
		t.Fatalf("%d class lines (the repeated error once), want 4: %q", got, p.notes)
	}
	if got := p.Message(); got != "공지 1/2 · 강사의 요청으로 연습 taints 의 클러스터를 처음 상태로 되돌립니다 (i 닫기)" {
		t.Fatalf("class line %q", got)
	}
	if sawConn.Load() {
		t.Fatal("conn passed without a cluster")
	}
}

// TestClassBroadcastsBesideNotice: two broadcasts that arrive while the
// screen shows another notice (issue 12: "다른 곳에서 연습 taints 를
// 시작했습니다 …" hid #13 and #14) are both shown, one at a time, beside
// that notice at 60x12 and 80x24; the class key goes through them, closes
// the line, and opens the session's notices again.
func TestClassBroadcastsBesideNotice(t *testing.T) {
	for _, size := range [][2]int{{60, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			var polls atomic.Int32
			poll := &ClassPoll{Every: 10 * time.Millisecond, Poll: func(_ context.Context, _ *kube.Conn, notify func(string)) error {
				if polls.Add(1) == 3 {
					notify("강사 공지: 13번 공지")
					notify("강사 공지: 14번 공지")
				}
				return nil
			}}
			opts := asciiOptions(t, fixtureCourse(t), progress.New(""))
			opts.Lab = &Lab{Class: poll}
			opts.Notice = "다른 곳에서 연습 taints 를 시작했습니다"
			m, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size[0], size[1]))
			var last []byte
			wait := func(want ...string) {
				t.Helper()
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
					last = append(last, b...)
					for _, w := range want {
						if !bytes.Contains(last, []byte(w)) {
							return false
						}
					}
					last = nil
					return true
				}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
			}
			wait("공지 2/2 · 강사 공지: 14번 공지 (i 이전 공지)", "다른 곳에서 연습 taints 를 시작했습니다")
			for polls.Load() < 10 {
				time.Sleep(10 * time.Millisecond) // later polls do not replace it
			}
			tm.Send(keyRunes("j")) // scrolling keeps both
			tm.Send(keyRunes("i"))
			wait("공지 1/2 · 강사 공지: 13번 공지 (i 닫기)")
			tm.Send(keyRunes("i"))
			tm.Send(keyRunes("i")) // the list again, from the newest
			wait("공지 2/2 · 강사 공지: 14번 공지 (i 이전 공지)")
			tm.Send(keyRunes("q"))
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
			view := fm.View()
			if !strings.Contains(view, "공지 2/2 · 강사 공지: 14번 공지") || !strings.Contains(view, "다른 곳에서 연습 taints 를 시작했습니다") {
				t.Fatalf("the class line and the notice are not both on screen:\n%s", view)
			}
			for i, l := range strings.Split(view, "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("line %d is %d cells wide (terminal %d): %q", i, w, size[0], l)
				}
			}
			if h := len(strings.Split(view, "\n")); h > size[1] {
				t.Fatalf("view is %d lines tall (terminal %d)", h, size[1])
			}
		})
	}
}

// TestClassLineSaysSubmissionsWait is the instructor trial on f9ad301: a
// pass made while the class server was down waited in the outbox with no
// sign of it in the lab (it arrived ~15 s after the restart). While the
// hook's outbox holds submissions the class line says so; once they are
// sent, the line goes.
func TestClassLineSaysSubmissionsWait(t *testing.T) {
	var waiting, polls atomic.Int32
	waiting.Store(1)
	poll := &ClassPoll{Every: 10 * time.Millisecond,
		Poll:    func(context.Context, *kube.Conn, func(string)) error { polls.Add(1); return nil },
		Waiting: func() int { return int(waiting.Load()) },
		WaitingText: func(n int) string {
			return fmt.Sprintf("제출 대기 %d건 (서버에 다시 연결되면 보냅니다)", n)
		}}
	opts := asciiOptions(t, fixtureCourse(t), progress.New(""))
	opts.Lab = &Lab{Class: poll}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("제출 대기 1건 (서버에 다시 연결되면 보냅니다)"))
	},
		teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	waiting.Store(0)
	for n := polls.Load() + 3; polls.Load() < n; {
		time.Sleep(10 * time.Millisecond)
	}
	tm.Send(keyRunes("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if lines := fm.classLines(); len(lines) != 0 {
		t.Errorf("class line after the outbox was sent: %q", lines)
	}
}
