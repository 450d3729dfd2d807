package lab

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
)

// Without a cluster the watcher says why, once, keeps trying, and names
// the exercise it was asked to watch.
func TestWatcherWithoutCluster(t *testing.T) {
	var attempts atomic.Int32
	w := NewWatcher(WatcherConfig{
		Connect: func(context.Context) (*kube.Conn, error) {
			attempts.Add(1)
			return nil, errors.New("클러스터가 없습니다")
		},
		Retry: 20 * time.Millisecond,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()

	u := waitUpdate(t, w, 5*time.Second, "disconnected", func(u Update) bool { return u.State == StateDisconnected })
	if u.Problem != "클러스터가 없습니다" || u.Graded() || u.Conn != nil {
		t.Fatalf("update: %+v", u)
	}
	time.Sleep(200 * time.Millisecond)
	if n := attempts.Load(); n < 3 {
		t.Errorf("%d connection attempts in 200 ms with a 20 ms retry", n)
	}
	select {
	case u := <-w.Updates():
		t.Errorf("the same problem was published again: %+v", u)
	default:
	}

	ex := exercise(t, "gpu-only")
	w.SetExercise(&ex)
	u = waitUpdate(t, w, 5*time.Second, "the exercise named", func(u Update) bool {
		return u.Exercise == "gpu-only" && u.State == StateDisconnected
	})
	cancel()
	<-done
	if _, ok := <-w.Updates(); ok {
		// A last update may still be buffered; the channel must close after it.
		if _, ok := <-w.Updates(); ok {
			t.Error("Updates is not closed after Run returned")
		}
	}
}
