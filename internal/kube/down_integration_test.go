package kube_test

import (
	"context"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// downStopsRecorder: `dslab cluster down` ends the rollout recorder that
// `exercise start rolling-update` left running (run last on the course
// cluster, see TestIntegrationCourse).
func downStopsRecorder(t *testing.T, c *testcluster.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, stderr, err := c.Run(ctx, "exercise", "start", "rolling-update"); err != nil {
		t.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	dir := kube.RecorderDir(kube.ExerciseDir(c.Paths, c.Name, "rolling-update"))
	if !kube.RecorderAlive(dir) {
		t.Fatal("recorder not running after exercise start")
	}
	st, err := kube.ReadRecorderState(dir)
	if err != nil || st == nil {
		t.Fatalf("recorder state: %v", err)
	}
	if _, stderr, err := c.Run(ctx, "cluster", "down", "--keep-data"); err != nil {
		t.Fatalf("down: %v\n%s", err, stderr)
	}
	if kube.RecorderAlive(dir) {
		t.Errorf("recorder (pid %d) still running after cluster down", st.PID)
	}
}
