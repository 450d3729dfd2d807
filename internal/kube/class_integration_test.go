package kube_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// classRow is the part of `dslab grade --all --kubeconfig-dir -o json`
// (docs/cli.md, class results schema version 2) this test reads.
type classRow struct {
	Student   string  `json:"student"`
	Error     *string `json:"error"`
	Score     *int    `json:"score"`
	Exercises []struct {
		Exercise     string `json:"exercise"`
		Status       string `json:"status"`
		Score        *int   `json:"score"`
		MaxScore     int    `json:"maxScore"`
		FirstFailure string `json:"firstFailure"`
		PassedAt     *time.Time
	} `json:"exercises"`
}

// TestIntegrationClassOfThree is issue 15's scripted class on three
// embedded clusters: a solver (ds-basics then control-plane, which share
// a DaemonSet, graded by `dslab grade`; then rolling-update, which only
// the instructor grades), a mistake-maker (control-plane left as set up)
// and an idle student. The instructor grades from a separate dslab
// environment with no local state: only what the clusters hold.
func TestIntegrationClassOfThree(t *testing.T) {
	solver, mistaken, idle := testcluster.Start(t), testcluster.Start(t), testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, c := range []*testcluster.Cluster{solver, mistaken} {
			c.Run(context.Background(), "cluster", "down", "--keep-data") // stops the recorder
		}
	})
	start := func(c *testcluster.Cluster, id string) exercises.Exercise {
		t.Helper()
		if _, stderr, err := c.Run(ctx, "exercise", "start", id); err != nil {
			t.Fatalf("exercise start %s: %v\n%s", id, err, stderr)
		}
		ex, _ := cat.Get(id)
		return ex
	}
	for _, id := range []string{"ds-basics", "control-plane"} {
		ex := start(solver, id)
		solveSteps(ctx, t, solver, ex)
		if out, stderr, err := solver.Run(ctx, "grade", id); err != nil {
			t.Fatalf("solver grade %s: %v\n%s%s", id, err, out, stderr)
		}
	}
	ex := start(solver, "rolling-update")
	solveSteps(ctx, t, solver, ex)
	time.Sleep(12 * time.Second) // the recorder publishes heartbeats every 10 s

	start(mistaken, "control-plane")

	dir := t.TempDir()
	for name, c := range map[string]*testcluster.Cluster{"solver": solver, "mistaken": mistaken, "idle": idle} {
		data, err := os.ReadFile(c.Kubeconfig)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# class\n"), 0o644)
	instructor := testcluster.NewEnv(t)
	out, stderr, err := instructor.Run(ctx, "grade", "--all", "--kubeconfig-dir", dir, "-o", "json")
	if code := testcluster.ExitCode(err); code != 1 {
		t.Fatalf("grade exit %d\n%s", code, stderr)
	}
	var rep struct {
		Students []classRow `json:"students"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Students) != 3 {
		t.Fatalf("students %+v", rep.Students)
	}
	byName := map[string]classRow{}
	for _, s := range rep.Students {
		if s.Error != nil {
			t.Fatalf("%s: %s", s.Student, *s.Error)
		}
		byName[s.Student] = s
	}
	for _, o := range byName["solver"].Exercises {
		switch o.Exercise {
		case "ds-basics", "control-plane", "rolling-update":
			if o.Status != "passed" || *o.Score != o.MaxScore {
				t.Errorf("solver %s: %s %d/%d %s", o.Exercise, o.Status, *o.Score, o.MaxScore, o.FirstFailure)
			}
		default:
			if o.Status != "not-started" || *o.Score != 0 {
				t.Errorf("solver %s: %s %d (scored from a shared DaemonSet?)", o.Exercise, o.Status, *o.Score)
			}
		}
	}
	for _, o := range byName["mistaken"].Exercises {
		switch o.Exercise {
		case "control-plane":
			if o.Status != "in-progress" || !strings.Contains(o.FirstFailure, "1.24") {
				t.Errorf("mistaken control-plane: %s %q", o.Status, o.FirstFailure)
			}
		default:
			if o.Status != "not-started" || *o.Score != 0 {
				t.Errorf("mistaken %s: %s %d", o.Exercise, o.Status, *o.Score)
			}
		}
	}
	if s := byName["idle"]; *s.Score != 0 {
		t.Errorf("idle scored %d", *s.Score)
	}
	for _, o := range byName["idle"].Exercises {
		if o.Status != "not-started" {
			t.Errorf("idle %s: %s", o.Exercise, o.Status)
		}
	}
	text, _, _ := instructor.Run(ctx, "grade", "--all", "--kubeconfig-dir", dir, "--view", "student", "--width", "100")
	idleBlock := text[strings.Index(text, "idle"):]
	idleBlock = idleBlock[:strings.Index(idleBlock, "\n\n")]
	if n := strings.Count(idleBlock, "시작 전"); n != len(cat.All()) {
		t.Errorf("idle student: %d × 시작 전, want %d:\n%s", n, len(cat.All()), idleBlock)
	}
	t.Logf("instructor's view:\n%s", text)
}
