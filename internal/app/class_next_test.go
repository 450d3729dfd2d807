package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestGradeNextStaysInTheClass (issue 12): a learner in a class of
// ds-basics, taints and gpu-only who passed taints was pointed at an
// exercise outside the class; dslab grade's "다음 연습:" names gpu-only,
// read from the class list in the credentials.
func TestGradeNextStaysInTheClass(t *testing.T) {
	p := paths.Under(filepath.Join(t.TempDir(), "home"))
	env := Env{Paths: p}
	if ids := classExerciseIDs(env); ids != nil {
		t.Fatalf("not in a class: %v", ids)
	}
	if err := client.SaveCredentials(p.ConfigDir, client.Credentials{Server: "http://127.0.0.1:7170", Token: "t", RosterID: "1", Exercises: []string{"ds-basics", "taints", "gpu-only"}}); err != nil {
		t.Fatal(err)
	}
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	passed := func(id string) bool { return id == "ds-basics" || id == "taints" }
	got := nextExerciseLine(exercises.InClass(c.All(), classExerciseIDs(env)), true, "taints", passed)
	if !strings.HasPrefix(got, "다음 연습: gpu-only ") {
		t.Fatalf("next in the class: %q, want gpu-only", got)
	}
}
