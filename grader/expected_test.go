package grader_test

import (
	"slices"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

func TestExpectedNodes(t *testing.T) {
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]string{
		"gpu-only":  {"dslab-worker2", "dslab-worker3"},
		"ds-basics": {"dslab-worker", "dslab-worker2", "dslab-worker3"},
	} {
		ex, err := c.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		l := gradertest.NewLab("dslab")
		l.StartExercise(ex)
		// Before the DaemonSet exists, and with the baseline's view even
		// when a node is relabelled afterwards.
		l.Label("dslab-worker", "hardware", "gpu")
		if got := grader.ExpectedNodes(ex.Spec, l.Snapshot()); !slices.Equal(got, want) {
			t.Errorf("%s: expected nodes %v, want %v", id, got, want)
		}
	}
}
