package kube_test

import (
	"context"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// BenchmarkIntegrationGrade measures what `dslab grade` spends per run on
// the 4-node embedded lab: capture with client-go plus grading (target:
// ≤ 100 ms p50). Skipped under -short.
func BenchmarkIntegrationGrade(b *testing.B) {
	c := testcluster.Start(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, stderr, err := c.Run(ctx, "exercise", "start", "taints"); err != nil {
		b.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	cat, err := exercises.Load()
	if err != nil {
		b.Fatal(err)
	}
	ex, _ := cat.Get("taints")
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		b.Fatal(err)
	}
	p := &kube.Preparer{Client: c.Client}
	if err := p.WaitRolledOut(ctx, ex.Spec.Target); err != nil {
		b.Fatal(err)
	}
	base, err := kube.LoadBaseline(kube.BaselineFile(kube.ExerciseDir(c.Paths, c.Name, ex.ID)))
	if err != nil || base == nil {
		b.Fatalf("baseline: %v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := kube.Capture(ctx, c.Client, kube.CaptureOptions{Targets: []grader.ObjectRef{ex.Spec.Target}})
		if err != nil {
			b.Fatal(err)
		}
		snap.Baseline = base
		if r := grader.Grade(ex.Spec, snap); !r.Passed {
			b.Fatalf("solution failed: %+v", r.Checks)
		}
	}
}
