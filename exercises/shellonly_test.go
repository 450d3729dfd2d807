package exercises

import "testing"

// TestShellOnlyExercises: the loader reads shellOnly, and an exercise
// marked so is one whose reference solution changes nodes only (no
// DaemonSet change to write: solution.yaml is the manifest setup applies).
func TestShellOnlyExercises(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Get("new-node")
	if err != nil {
		t.Fatal(err)
	}
	if !ex.ShellOnly {
		t.Error("new-node is not shellOnly: the lab would point to the editor while its task says 데몬셋은 고치지 마세요")
	}
	for _, e := range c.All() {
		if e.ShellOnly && len(e.SolutionSteps) == 0 {
			t.Errorf("%s is shellOnly but its solution takes no shell step", e.ID)
		}
	}
}
