package exercises_test

import (
	"io/fs"
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
	files, err := fs.Glob(exercises.FS(), "*/exercise.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(exercises.FS(), f)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "dslab-worker") || strings.Contains(l, "dslab-control-plane") {
				t.Errorf("%s:%d: a node name without {cluster}: %s", f, i+1, l)
			}
		}
	}
}

func nodeNames(texts []string, cluster string) int {
	s := strings.Join(texts, "\n")
	return strings.Count(s, cluster+"-worker") + strings.Count(s, cluster+"-control-plane")
}

// Loaded texts read dslab-… (the default cluster); Localize("lab2") reads
// lab2-… in the same places, and again back.
func TestLocalize(t *testing.T) {
	c := load(t)
	seen := 0
	for _, ex := range c.All() {
		def := exerciseTexts(ex)
		lab2 := exerciseTexts(ex.Localize("lab2"))
		n := nodeNames(def, "dslab")
		seen += n
		if strings.Contains(strings.Join(def, ""), "{cluster}") || strings.Contains(strings.Join(lab2, ""), "{cluster}") {
			t.Errorf("%s: a placeholder left", ex.ID)
		}
		if got := nodeNames(lab2, "lab2"); got != n || nodeNames(lab2, "dslab") != 0 {
			t.Errorf("%s: lab2 texts name %d lab2 nodes and %d dslab nodes, want %d and 0", ex.ID, got, nodeNames(lab2, "dslab"), n)
		}
		if back := exerciseTexts(ex.Localize("lab2").Localize("")); strings.Join(back, "\n") != strings.Join(def, "\n") {
			t.Errorf("%s: Localize(lab2) then default differs from the loaded texts", ex.ID)
		}
	}
	if seen < 20 {
		t.Fatalf("only %d node names in the texts: the test checks little", seen)
	}
	gpu, err := c.Localize("lab2").Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gpu.Task, "`lab2-worker2`") {
		t.Errorf("gpu-only task for lab2:\n%s", gpu.Task)
	}
	if gpu, _ := c.Get("gpu-only"); !strings.Contains(gpu.Task, "`dslab-worker2`") {
		t.Errorf("gpu-only task by default:\n%s", gpu.Task)
	}
}
