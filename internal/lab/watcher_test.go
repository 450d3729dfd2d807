package lab

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/grader"
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

// The grading header's cause names a pod of another exercise's DaemonSet
// as such (issue 14: "파드 gpu-monitor-x252h 변경" in taints).
func TestPodSubjectNamesOtherExercisesPods(t *testing.T) {
	ctrl := true
	pod := func(owner string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: owner + "-x252h", Namespace: "dslab",
			OwnerReferences: []metav1.OwnerReference{{Kind: "DaemonSet", Name: owner, Controller: &ctrl}}}}
	}
	target := grader.ObjectRef{Namespace: "dslab", Name: "metrics-agent"}
	others := map[string]bool{"dslab/gpu-monitor": true}
	for _, tc := range []struct{ owner, want string }{
		{"metrics-agent", "metrics-agent-x252h"},
		{"gpu-monitor", "gpu-monitor-x252h (다른 연습의 데몬셋 gpu-monitor)"},
		{"hand-made", "hand-made-x252h (다른 데몬셋 hand-made)"},
	} {
		if got := podSubject(pod(tc.owner), target, others); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.owner, got, tc.want)
		}
	}
}
