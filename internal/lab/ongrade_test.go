package lab

import (
	"context"
	"testing"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
)

// TestWatcherOnGrade: the hook sees every graded update (and only those)
// that the watcher publishes, with its sequence number.
func TestWatcherOnGrade(t *testing.T) {
	var seen []Update
	w := NewWatcher(WatcherConfig{
		Connect: func(context.Context) (*kube.Conn, error) { return nil, context.Canceled },
		OnGrade: func(u Update) { seen = append(seen, u) },
	})
	w.publish(Update{State: StateConnecting})
	res := grader.Result{Exercise: "ds-basics", Status: grader.StatusFailed, Score: 2}
	w.publish(Update{State: StateConnected, Exercise: "ds-basics", Result: &res, Snapshot: &grader.Snapshot{Version: 1}})
	w.publish(Update{State: StateConnected, Exercise: "ds-basics"})
	if len(seen) != 1 || seen[0].Result.Score != 2 || seen[0].Seq != 2 {
		t.Fatalf("OnGrade saw %+v, want the one graded update (seq 2)", seen)
	}
}
