package lab

import (
	"context"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/internal/kube"
)

// Offers within one interval are coalesced: the first is written at once,
// then only the latest, after the interval (the test opens the gate).
func TestAttemptWriterCoalesces(t *testing.T) {
	written := make(chan kube.Attempt, 10)
	gate := make(chan time.Time)
	w := NewAttemptWriter(time.Hour, nil)
	w.write = func(_ context.Context, _ kubernetes.Interface, a kube.Attempt) error { written <- a; return nil }
	w.after = func(time.Duration) <-chan time.Time { return gate }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	w.Offer(nil, kube.Attempt{Score: 1})
	if a := <-written; a.Score != 1 {
		t.Fatalf("first write %d", a.Score)
	}
	w.Offer(nil, kube.Attempt{Score: 2})
	w.Offer(nil, kube.Attempt{Score: 3})
	gate <- time.Now()
	if a := <-written; a.Score != 3 {
		t.Errorf("after the interval: %d, want the latest (3)", a.Score)
	}
	w.Offer(nil, kube.Attempt{Score: 4})
	cancel() // a record pending at the end is still written
	<-done
	close(written)
	var rest []int
	for a := range written {
		rest = append(rest, a.Score)
	}
	if len(rest) != 1 || rest[0] != 4 {
		t.Errorf("writes after the second: %v, want [4]", rest)
	}
}
