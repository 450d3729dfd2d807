package lab

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
)

// Starter prepares exercises from the TUI exactly as `dslab exercise
// start/reset` does: stop an earlier rollout recorder, run the kube
// Preparer, save the baseline in the state directory and, for exercises
// that need it, start the recorder.
type Starter struct {
	Paths   paths.Paths
	Catalog *exercises.Catalog
	// Executable is the dslab binary the recorder is started from.
	Executable string
	Logger     *slog.Logger
}

// Start prepares ex on the cluster of conn (reset also removes the
// learner's target first) and returns the recorded baseline. Progress
// lines are Korean.
func (s Starter) Start(ctx context.Context, conn *kube.Conn, ex exercises.Exercise, reset bool, progress func(string)) (grader.Baseline, error) {
	if progress == nil {
		progress = func(string) {}
	}
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := kube.ExerciseDir(s.Paths, kube.StateName(conn.Context), ex.ID)
	if err := kube.StopRecorder(kube.RecorderDir(dir)); err != nil {
		log.Warn("stop recorder", "err", err)
	}
	p := &kube.Preparer{Client: conn.Client, Catalog: s.Catalog, Progress: progress}
	var b grader.Baseline
	var err error
	if reset {
		b, err = p.Reset(ctx, ex)
	} else {
		b, err = p.Start(ctx, ex)
	}
	if err != nil {
		return b, fmt.Errorf("연습 %s 준비에 실패했습니다: %w", ex.ID, err)
	}
	if err := kube.SaveBaseline(kube.BaselineFile(dir), b); err != nil {
		return b, fmt.Errorf("기준선(baseline)을 저장하지 못했습니다: %w", err)
	}
	progress(fmt.Sprintf("기준선(baseline) 기록: 노드 %d개", len(b.Nodes)))
	if ex.Setup.Recorder {
		rdir := kube.RecorderDir(dir)
		args := []string{"--dir", rdir, "--namespace", ex.Spec.Target.Namespace, "--name", ex.Spec.Target.Name, "--context", conn.Context, "--exercise", ex.ID}
		_, exited, err := kube.SpawnRecorder(s.Executable, args, rdir)
		if err != nil {
			return b, fmt.Errorf("롤아웃 기록기(recorder)를 시작하지 못했습니다: %w", err)
		}
		if err := kube.WaitRecorderReady(ctx, rdir, exited, 90*time.Second); err != nil {
			return b, err
		}
		progress("롤아웃 기록기(recorder) 시작: 이제부터의 변경을 관측합니다")
	}
	log.Info("exercise prepared", "exercise", ex.ID, "reset", reset, "nodes", len(b.Nodes))
	return b, nil
}

// ResetWith is the one reset of ex, the learner's `r r`, `dslab exercise
// reset` and the class instructor's alike: the lab's own (Start with
// reset: the target removed, the setup applied again), then the copies of
// the target in other namespaces (leftovers) deleted, each said through
// progress (the instructor trial on f9ad301: the instructor's reset left
// default/fluentd-elasticsearch running where the learner's `r r` deleted
// it).
func (s Starter) ResetWith(ctx context.Context, conn *kube.Conn, ex exercises.Exercise, leftovers []Leftover, progress func(string)) (grader.Baseline, error) {
	if progress == nil {
		progress = func(string) {}
	}
	b, err := s.Start(ctx, conn, ex, true, progress)
	if err != nil {
		return b, err
	}
	for _, lo := range leftovers {
		if err := RemoveLeftover(ctx, conn.Client, lo); err != nil {
			return b, err
		}
		progress(fmt.Sprintf("남은 데몬셋 %s %s 지웠습니다", lo.Ref(), hangul.EulReul(lo.Ref())))
	}
	return b, nil
}
