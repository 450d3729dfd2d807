package exercises_test

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
)

// exerciseTexts are every text of ex a learner reads.
func exerciseTexts(ex exercises.Exercise) []string {
	out := append([]string{ex.Title, ex.Task, ex.Spec.Title, ex.Spec.Expect.Description, ex.Spec.Expect.ExcludeReason}, ex.Hints...)
	for _, c := range ex.Spec.Checks {
		out = append(out, c.Title, c.Constraint)
		if c.Nodes != nil {
			out = append(out, c.Nodes.Description, c.Nodes.ExcludeReason)
		}
	}
	return out
}

// Exercise texts name nodes through "{cluster}", so that a cluster made
// with `dslab cluster up --name lab2` reads lab2-worker2.
func TestTextsUseTheClusterPlaceholder(t *testing.T) {
	for _, ex := range load(t).All() {
		for _, s := range exerciseTexts(ex) {
			if strings.Contains(s, "dslab-worker") || strings.Contains(s, "dslab-control-plane") {
				t.Errorf("%s: a node name without {cluster}: %q", ex.ID, s)
			}
		}
	}
}

func TestLocalize(t *testing.T) {
	c := load(t)
	seen := 0
	for _, ex := range c.All() {
		raw := strings.Join(exerciseTexts(ex), "\n")
		lab2 := strings.Join(exerciseTexts(ex.Localize("lab2")), "\n")
		def := strings.Join(exerciseTexts(ex.Localize("")), "\n")
		if strings.Contains(lab2, "{cluster}") || strings.Contains(def, "{cluster}") {
			t.Errorf("%s: a placeholder left after Localize", ex.ID)
		}
		if n := strings.Count(raw, "{cluster}-"); n > 0 {
			seen++
			if got := strings.Count(lab2, "lab2-"); got != n {
				t.Errorf("%s: %d lab2- names, want %d", ex.ID, got, n)
			}
			if strings.Contains(lab2, "dslab-worker") {
				t.Errorf("%s: lab2 texts still name dslab-worker", ex.ID)
			}
			if got := strings.Count(def, "dslab-"); got < n {
				t.Errorf("%s: default texts have %d dslab- names, want at least %d", ex.ID, got, n)
			}
		}
		if raw != strings.Join(exerciseTexts(ex), "\n") {
			t.Errorf("%s: Localize changed its receiver", ex.ID)
		}
	}
	if seen == 0 {
		t.Fatal("no exercise text names a node: the test checks nothing")
	}
	gpu, err := c.Localize("lab2").Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gpu.Task, "`lab2-worker2`") {
		t.Errorf("gpu-only task for lab2:\n%s", gpu.Task)
	}
	if gpu, _ := c.Localize("").Get("gpu-only"); !strings.Contains(gpu.Task, "`dslab-worker2`") {
		t.Errorf("gpu-only task by default:\n%s", gpu.Task)
	}
}
