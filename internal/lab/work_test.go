package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/paths"
)

func testPaths(t *testing.T) paths.Paths {
	return paths.Under(t.TempDir())
}

// Every exercise gets a starter that parses and names the target. A
// skeleton leaves the image empty (the API server rejects it until the
// learner fills it in from the task); with the image filled in, it still
// does not pass — except ds-basics, whose whole task is that skeleton.
func TestStarterManifests(t *testing.T) {
	for _, ex := range catalog(t).All() {
		t.Run(ex.ID, func(t *testing.T) {
			m := StarterManifest(ex)
			if !strings.HasPrefix(string(m), "# 연습 "+ex.ID+": ") {
				t.Errorf("no Korean header:\n%s", m)
			}
			dss, err := exercises.DaemonSets(m)
			if err != nil || len(dss) != 1 {
				t.Fatalf("starter does not parse as one DaemonSet (%d): %v\n%s", len(dss), err, m)
			}
			if dss[0].Namespace != ex.Spec.Target.Namespace || dss[0].Name != ex.Spec.Target.Name {
				t.Errorf("starter is %s/%s, target %s", dss[0].Namespace, dss[0].Name, ex.Spec.Target)
			}
			if strings.Contains(string(m), `image: ""`) {
				sol, _ := ex.SolutionDaemonSet()
				m = []byte(strings.Replace(string(m), `image: ""`, "image: "+sol.Spec.Template.Spec.Containers[0].Image, 1))
			}
			l := gradertest.NewLab("dslab")
			l.StartExercise(ex)
			l.Apply(m)
			if res := grader.Grade(ex.Spec, l.Snapshot()); res.Passed != (ex.ID == "ds-basics") {
				t.Errorf("the starter manifest passes %s: %v", ex.ID, res.Passed)
			}
		})
	}
}

func TestStarterNeverGivesTheAnswer(t *testing.T) {
	m := string(StarterManifest(exercise(t, "gpu-only")))
	for _, leak := range []string{"nodeSelector:", "hardware", "busybox"} {
		if strings.Contains(m, leak) {
			t.Errorf("gpu-only starter contains %q:\n%s", leak, m)
		}
	}
	if !strings.Contains(m, "app: gpu-monitor") || !strings.Contains(m, "- name: gpu-monitor") {
		t.Errorf("gpu-only starter lacks the names the task gives:\n%s", m)
	}
	// An exercise that fixes an existing DaemonSet starts from it.
	ts := exercise(t, "troubleshoot")
	if m := StarterManifest(ts); !strings.Contains(string(m), string(ts.Files["broken-agent.yaml"])) {
		t.Errorf("troubleshoot starter is not the broken manifest:\n%s", m)
	}
}

func TestEnsureWorkFileKeepsEdits(t *testing.T) {
	p := testPaths(t)
	ex := exercise(t, "gpu-only")
	path, created, err := EnsureWorkFile(p, ex)
	if err != nil || !created || path != filepath.Join(p.DataDir, "work", "gpu-only.yaml") {
		t.Fatalf("first: %s %v %v", path, created, err)
	}
	if err := os.WriteFile(path, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, created, err := EnsureWorkFile(p, ex); err != nil || created {
		t.Fatalf("second: %v %v", created, err)
	}
	if data, _ := os.ReadFile(path); string(data) != string(ex.Solution) {
		t.Fatal("the learner's edit was overwritten")
	}
}

func TestStampSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.yaml")
	before := StampFile(path)
	if before.Exists {
		t.Fatal("missing file exists")
	}
	os.WriteFile(path, []byte("a"), 0o644)
	after := StampFile(path)
	if !before.Saved(after) || after.Saved(after) {
		t.Fatal("Saved is wrong")
	}
	os.WriteFile(path, []byte("b"), 0o644)
	if !after.Saved(StampFile(path)) {
		t.Fatal("a changed file does not count as saved")
	}
}

func TestEditorCommand(t *testing.T) {
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "nano"), []byte("#!/bin/sh\n"), 0o755)
	env := map[string]string{"PATH": bin}
	get := func(k string) string { return env[k] }
	cmd, err := EditorCommand(get, "/w/x.yaml")
	if err != nil || cmd.Path != filepath.Join(bin, "nano") || cmd.Args[1] != "/w/x.yaml" {
		t.Fatalf("fallback: %v %v", cmd, err)
	}
	env["EDITOR"] = "code -w"
	if cmd, _ := EditorCommand(get, "/w/x.yaml"); strings.Join(cmd.Args, " ") != "code -w /w/x.yaml" {
		t.Errorf("EDITOR with args: %v", cmd.Args)
	}
	env["VISUAL"] = "vim"
	if cmd, _ := EditorCommand(get, "/w/x.yaml"); cmd.Args[0] != "vim" {
		t.Errorf("VISUAL first: %v", cmd.Args)
	}
	if _, err := EditorCommand(func(string) string { return "" }, "x"); err == nil || !strings.Contains(err.Error(), "EDITOR") {
		t.Errorf("no editor: %v", err)
	}
}
