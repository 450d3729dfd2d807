package kube_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// classRow is the part of `dslab grade --all --kubeconfig-dir -o json`
// (docs/cli.md, class results schema version 2) this test reads.
type classRow struct {
	Student   string  `json:"student"`
	Error     *string `json:"error"`
	Score     *int    `json:"score"`
	Exercises []struct {
		Exercise     string     `json:"exercise"`
		Status       string     `json:"status"`
		Score        *int       `json:"score"`
		MaxScore     int        `json:"maxScore"`
		FirstFailure string     `json:"firstFailure"`
		PassedAt     *time.Time `json:"passedAt"`
		AttemptedAt  *time.Time `json:"attemptedAt"`
		HintsUsed    *int       `json:"hintsUsed"`
	} `json:"exercises"`
}

// classOfThree is issue 15's scripted class on three embedded clusters,
// run on the course cluster (TestIntegrationCourse) as the solver: it has
// passed every exercise, in course order, through `dslab grade` — so
// exercises that share a DaemonSet were solved one after another. Then a
// mistake-maker (control-plane left as set up) and an idle student. The
// instructor grades from a separate dslab environment with no local
// state: only what the clusters hold.
func classOfThree(t *testing.T, solver *testcluster.Cluster, cat *exercises.Catalog) {
	mistaken, idle := testcluster.Start(t), testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	// The mistake-maker tries gpu-only with a key typo (hardwre), grades
	// it, looks at two hints, and moves on to control-plane, leaving it as
	// set up.
	gpu, _ := cat.Get("gpu-only")
	if _, stderr, err := mistaken.Run(ctx, "exercise", "start", "gpu-only"); err != nil {
		t.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	if _, stderr, err := mistaken.Run(ctx, "exercise", "show", "gpu-only", "--hint", "2"); err != nil {
		t.Fatalf("hint: %v\n%s", err, stderr)
	}
	if err := kube.Apply(ctx, mistaken.Client, edit(gpu, "hardware: gpu", "hardwre: gpu")); err != nil {
		t.Fatal(err)
	}
	settle(ctx, t, mistaken, gpu)
	if _, stderr, err := mistaken.Run(ctx, "grade", "gpu-only"); testcluster.ExitCode(err) != 1 {
		t.Fatalf("mistaken grade gpu-only: %v\n%s", err, stderr)
	}
	if _, stderr, err := mistaken.Run(ctx, "exercise", "start", "control-plane"); err != nil {
		t.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	// gpu-only is no longer the started exercise: graded from its attempt
	// record, saying so; taints was never started.
	out, stderr, err := mistaken.Run(ctx, "grade", "gpu-only", "taints")
	if testcluster.ExitCode(err) != 1 || !strings.Contains(out, "기록으로 채점했습니다") || !strings.Contains(out, "마지막 시도 기록") ||
		!strings.Contains(out, "hardware 의 오타") || !strings.Contains(out, "시작 전") || strings.Contains(out, "✗ nodes-unchanged") {
		t.Errorf("grade of exercises not started now: %v\n%s\n%s", err, out, stderr)
	}

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
	out, stderr, err = instructor.Run(ctx, "grade", "--all", "--kubeconfig-dir", dir, "-o", "json")
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
	// The solver passed everything through `dslab grade`: the CLI path
	// records the passes in his progress too (issue 15 §5).
	if pout, _, err := solver.Run(ctx, "progress", "-o", "json"); err != nil || !strings.Contains(pout, fmt.Sprintf(`"exercisesPassed": %d`, len(cat.All()))) {
		t.Errorf("solver's progress after dslab grade: %v\n%s", err, pout)
	}
	maxTotal := 0
	for _, ex := range cat.All() {
		maxTotal += ex.Spec.MaxScore()
	}
	if s := byName["solver"]; *s.Score != maxTotal {
		t.Errorf("solver scored %d, want %d (every exercise passed)", *s.Score, maxTotal)
	}
	for _, o := range byName["solver"].Exercises {
		if o.Status != "passed" || *o.Score != o.MaxScore || o.PassedAt == nil {
			t.Errorf("solver %s: %s %d/%d %s", o.Exercise, o.Status, *o.Score, o.MaxScore, o.FirstFailure)
		}
	}
	for _, o := range byName["mistaken"].Exercises {
		switch o.Exercise {
		case "control-plane":
			if o.Status != "in-progress" || !strings.Contains(o.FirstFailure, "1.24") {
				t.Errorf("mistaken control-plane: %s %q", o.Status, o.FirstFailure)
			}
		case "gpu-only":
			if o.Status != "failed" || o.AttemptedAt == nil || o.HintsUsed == nil || *o.HintsUsed != 2 || !strings.Contains(o.FirstFailure, "hardware 의 오타") {
				t.Errorf("mistaken gpu-only: %s %v %q", o.Status, o.AttemptedAt, o.FirstFailure)
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

	// rolling-update in progress, graded from the instructor's machine: the
	// recorder's observations come from the cluster.
	ex, _ := cat.Get("rolling-update")
	if _, stderr, err := solver.Run(ctx, "exercise", "reset", "rolling-update"); err != nil {
		t.Fatalf("reset: %v\n%s", err, stderr)
	}
	solveSteps(ctx, t, solver, ex)
	time.Sleep(12 * time.Second) // heartbeats are published every 10 s
	out, stderr, err = instructor.Run(ctx, "grade", "rolling-update", "--kubeconfig", filepath.Join(dir, "solver.yaml"), "-o", "json")
	var res grader.Result
	if jerr := json.Unmarshal([]byte(out), &res); jerr != nil || err != nil || !res.Passed || res.Score != res.MaxScore {
		t.Errorf("instructor's rolling-update: %v %v %d/%d\n%s\n%s", err, jerr, res.Score, res.MaxScore, out, stderr)
	}

	// --contexts: one row per context, an unknown context is a row with its reason.
	out, stderr, err = solver.Run(ctx, "grade", "gpu-only", "ds-basics", "--contexts", solver.Context+",nope", "-o", "json")
	if code := testcluster.ExitCode(err); code != 1 {
		t.Fatalf("--contexts exit %d\n%s", code, stderr)
	}
	var byCtx struct {
		Students []classRow `json:"students"`
	}
	if err := json.Unmarshal([]byte(out), &byCtx); err != nil {
		t.Fatal(err)
	}
	if len(byCtx.Students) != 2 || byCtx.Students[0].Error != nil || byCtx.Students[1].Error == nil || byCtx.Students[0].Exercises[0].Status != "passed" {
		t.Errorf("--contexts rows:\n%s", out)
	}
}
