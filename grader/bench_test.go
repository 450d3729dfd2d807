package grader_test

import (
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// BenchmarkGradeLab grades every exercise's reference solution on the
// 4-node lab (target: ≤ 100 ms p50 per grade; it is far below).
func BenchmarkGradeLab(b *testing.B) {
	c := catalog(b)
	type item struct {
		spec grader.Spec
		snap grader.Snapshot
	}
	var items []item
	for _, ex := range c.All() {
		items = append(items, item{ex.Spec, build(ex, scenario{do: solve})})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := items[i%len(items)]
		if r := grader.Grade(it.spec, it.snap); !r.Passed {
			b.Fatal("solution failed")
		}
	}
}

// BenchmarkGrade1000Nodes grades a taints/nodeSelector/affinity exercise on
// a synthetic 1,000-node snapshot (target: ≤ 1 s per grade).
func BenchmarkGrade1000Nodes(b *testing.B) {
	for _, id := range []string{"gpu-only", "ssd-affinity", "control-plane"} {
		b.Run(id, func(b *testing.B) {
			ex, err := catalog(b).Get(id)
			if err != nil {
				b.Fatal(err)
			}
			snap := bigSnapshot(b, ex)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := grader.Grade(ex.Spec, snap); !r.Passed {
					b.Fatalf("solution failed on 1000 nodes: %+v", r.Checks)
				}
			}
		})
	}
}

func bigSnapshot(b *testing.B, ex exercises.Exercise) grader.Snapshot {
	l := gradertest.NewSyntheticLab(1000)
	l.StartExercise(ex)
	l.Tick(time.Minute)
	l.Solve(ex)
	l.Tick(time.Minute)
	s := l.Snapshot()
	if len(s.Nodes) != 1001 || len(s.Pods) < 300 {
		b.Fatalf("synthetic snapshot: %d nodes, %d pods", len(s.Nodes), len(s.Pods))
	}
	return s
}
