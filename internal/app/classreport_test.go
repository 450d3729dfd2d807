package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
)

func fixtureSnapshot(t *testing.T, id, name string) grader.Snapshot {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "grader", "testdata", "exercises", id, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s grader.Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func catalog(t *testing.T) []exercises.Exercise {
	t.Helper()
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.All()
}

func outcomeOf(t *testing.T, outs []exerciseOutcome, id string) exerciseOutcome {
	t.Helper()
	for _, o := range outs {
		if o.Exercise == id {
			return o
		}
	}
	t.Fatalf("no outcome for %s", id)
	return exerciseOutcome{}
}

// gradeBundle re-grades recorded passes, grades only the started exercise
// live, and gives every other exercise "not started" with 0 points — even
// when today's cluster happens to hold another exercise's answer.
func TestGradeBundleStatuses(t *testing.T) {
	exs := catalog(t)
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	cpSolution := fixtureSnapshot(t, "control-plane", "solution")
	solver := kube.Bundle{
		Passes: map[string]kube.Evidence{
			"gpu-only":       {Exercise: "gpu-only", PassedAt: at, HintsUsed: 1, Attempts: 2, Snapshot: fixtureSnapshot(t, "gpu-only", "solution")},
			"rolling-update": {Exercise: "rolling-update", PassedAt: at, Snapshot: fixtureSnapshot(t, "rolling-update", "solution")},
		},
		Current: &kube.Current{Exercise: "control-plane", Started: at},
		Live:    &cpSolution,
	}
	outs := gradeBundle(exs, solver)
	for _, id := range []string{"gpu-only", "rolling-update", "control-plane"} {
		o := outcomeOf(t, outs, id)
		if o.Status != statusPassed || *o.Score != o.MaxScore {
			t.Errorf("%s: %s %d/%d (%s)", id, o.Status, *o.Score, o.MaxScore, o.FirstFailure)
		}
	}
	if o := outcomeOf(t, outs, "gpu-only"); o.HintsUsed == nil || *o.HintsUsed != 1 || *o.Attempts != 2 || !o.PassedAt.Equal(at) {
		t.Errorf("gpu-only evidence fields %+v", o)
	}
	// A stored verdict is never trusted: this "pass" is re-graded.
	forged := kube.Bundle{Passes: map[string]kube.Evidence{"control-plane": {Exercise: "control-plane", PassedAt: at, Score: 10, MaxScore: 10,
		Snapshot: fixtureSnapshot(t, "control-plane", "seed-master-only")}}}
	if o := outcomeOf(t, gradeBundle(exs, forged), "control-plane"); o.Status != statusFailed || *o.Score >= o.MaxScore || o.FirstFailure == "" {
		t.Errorf("stored verdict trusted: %+v", o)
	}
	// ds-basics shares the DaemonSet with control-plane: not started, 0.
	for _, id := range []string{"ds-basics", "on-delete", "monitoring-agent"} {
		if o := outcomeOf(t, outs, id); o.Status != statusNotStarted || *o.Score != 0 || o.Result != nil {
			t.Errorf("%s: %+v", id, o)
		}
	}

	seed := fixtureSnapshot(t, "control-plane", "seed-master-only")
	mistaken := kube.Bundle{Current: &kube.Current{Exercise: "control-plane", Started: at}, Live: &seed}
	o := outcomeOf(t, gradeBundle(exs, mistaken), "control-plane")
	if o.Status != statusInProgress || o.FirstFailure == "" || *o.Score >= o.MaxScore {
		t.Errorf("mistake: %+v", o)
	}
	if want := firstFailure(*o.Result); !strings.Contains(o.FirstFailure, want) {
		t.Errorf("first failure %q, want %q", o.FirstFailure, want)
	}

	for _, o := range gradeBundle(exs, kube.Bundle{}) {
		if o.Status != statusNotStarted || *o.Score != 0 {
			t.Errorf("idle %s: %+v", o.Exercise, o)
		}
	}
}

func sampleReport(t *testing.T) classReport {
	exs := catalog(t)
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	cp := fixtureSnapshot(t, "control-plane", "seed-master-only")
	solver := studentRow{Student: "김민수", Source: "a.yaml", Exercises: gradeBundle(exs, kube.Bundle{Passes: map[string]kube.Evidence{
		"gpu-only": {Exercise: "gpu-only", PassedAt: at, Snapshot: fixtureSnapshot(t, "gpu-only", "solution")}}})}
	solver.totals()
	mistaken := studentRow{Student: "이서연", Source: "b.yaml", Exercises: gradeBundle(exs, kube.Bundle{Current: &kube.Current{Exercise: "control-plane"}, Live: &cp})}
	mistaken.totals()
	idle := studentRow{Student: "박지훈", Source: "c.yaml", Exercises: gradeBundle(exs, kube.Bundle{})}
	idle.totals()
	msg := "클러스터에 연결할 수 없습니다"
	gone := studentRow{Student: "최유나", Source: "d.yaml", Error: &msg}
	return buildClassReport(exs, []studentRow{solver, mistaken, idle, gone}, at)
}

func TestClassReportStats(t *testing.T) {
	rep := sampleReport(t)
	for _, st := range rep.Exercises {
		switch st.ID {
		case "gpu-only":
			if st.Passed != 1 || st.Average == nil || *st.Average != float64(st.MaxScore)/3 {
				t.Errorf("gpu-only stats %+v", st)
			}
		case "control-plane":
			if st.InProgress != 1 || st.Passed != 0 {
				t.Errorf("control-plane stats %+v", st)
			}
		}
	}
	sortStudents(rep.Students, "score")
	if rep.Students[0].Student != "김민수" || rep.Students[3].Student != "최유나" {
		t.Errorf("sort by score: %s … %s", rep.Students[0].Student, rep.Students[3].Student)
	}
	sortStudents(rep.Students, "stuck")
	if rep.Students[0].Student != "이서연" {
		t.Errorf("sort by stuck: %s first", rep.Students[0].Student)
	}
}

// The text output fits the width it is given (display cells, Hangul two
// wide): the table when it fits, else one block per student.
func TestClassTextFitsWidth(t *testing.T) {
	rep := sampleReport(t)
	for _, width := range []int{60, 80, 120} {
		var b bytes.Buffer
		if err := writeClassText(&b, rep, "auto", width); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, line := range strings.Split(out, "\n") {
			if ansi.StringWidth(line) > width {
				t.Errorf("width %d: line of %d cells: %q", width, ansi.StringWidth(line), line)
			}
		}
		if !strings.Contains(out, "막힌 곳") || !strings.Contains(out, "이서연 · control-plane") {
			t.Errorf("width %d: no stuck section:\n%s", width, out)
		}
		if width <= 60 && !strings.Contains(out, "시작 전") {
			t.Errorf("width %d: narrow view lacks 시작 전:\n%s", width, out)
		}
		if width >= 120 && !strings.Contains(out, "통과 수") {
			t.Errorf("width %d: no table:\n%s", width, out)
		}
	}
}

// TestOutcomeResultStatus: the single-cluster `grade --all` formats carry
// the same status as the class table: not-started for an exercise with no
// pass and not started, in-progress for the started one that has not
// passed (even before its DaemonSet exists), the live result otherwise.
func TestOutcomeResultStatus(t *testing.T) {
	ex := exercises.Exercise{ID: "gpu-only", Title: "GPU"}
	ex.Spec.ID = "gpu-only"
	live := grader.Result{Exercise: "gpu-only", Status: grader.StatusNotStarted, MaxScore: 10}
	passed := grader.Result{Exercise: "gpu-only", Status: grader.StatusPassed, Passed: true, Score: 10, MaxScore: 10}
	for _, c := range []struct {
		name string
		o    exerciseOutcome
		want string
	}{
		{"never started", exerciseOutcome{Status: statusNotStarted, MaxScore: 10}, grader.StatusNotStarted},
		{"started, no DaemonSet yet", exerciseOutcome{Status: statusInProgress, MaxScore: 10, Result: &live}, grader.StatusInProgress},
		{"started and passing", exerciseOutcome{Status: statusInProgress, MaxScore: 10, Result: &passed}, grader.StatusPassed},
	} {
		got := outcomeResult(ex, c.o)
		if got.Status != c.want {
			t.Errorf("%s: status %q, want %q", c.name, got.Status, c.want)
		}
		var b strings.Builder
		if err := grader.WriteText(&b, []grader.Result{got}); err != nil {
			t.Fatal(err)
		}
		label := map[string]string{grader.StatusNotStarted: ": 시작 전 · ", grader.StatusInProgress: ": 진행 중 · ", grader.StatusPassed: ": 통과 · "}[c.want]
		if !strings.Contains(b.String(), label) {
			t.Errorf("%s: text lacks %s:\n%s", c.name, label, b.String())
		}
	}
}

// A started exercise whose DaemonSet is not there yet is in progress: its
// reasons (and the CSV's firstFailure) never say "시작 전".
func TestGradeBundleInProgressWithoutTarget(t *testing.T) {
	exs := catalog(t)
	live := fixtureSnapshot(t, "control-plane", "seed-master-only")
	live.DaemonSets = nil
	b := kube.Bundle{Current: &kube.Current{Exercise: "control-plane", Started: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}, Live: &live}
	if r := grader.Grade(outcomeExercise(t, exs, "control-plane").Spec, live); r.Status != grader.StatusNotStarted {
		t.Fatalf("fixture without DaemonSets grades %s, want not started", r.Status)
	}
	o := outcomeOf(t, gradeBundle(exs, b), "control-plane")
	if o.Status != statusInProgress || *o.Score != 0 || o.Result == nil || o.Result.Status != grader.StatusInProgress {
		t.Fatalf("in progress without target: %+v", o)
	}
	want := "데몬셋 kube-system/fluentd-elasticsearch 가 아직 없습니다"
	if o.FirstFailure != want {
		t.Errorf("firstFailure %q, want %q", o.FirstFailure, want)
	}
	for _, c := range o.Result.Checks {
		if strings.Contains(c.Message, "시작 전") || c.Message != want {
			t.Errorf("check %s: %q", c.ID, c.Message)
		}
	}
}

func outcomeExercise(t *testing.T, exs []exercises.Exercise, id string) exercises.Exercise {
	t.Helper()
	for _, ex := range exs {
		if ex.ID == id {
			return ex
		}
	}
	t.Fatalf("no exercise %s", id)
	return exercises.Exercise{}
}

// TestClassCSVNeutralisesFormulas: `dslab grade --all -o csv` writes a
// student (file or directory name) or error that starts with a formula
// character with a leading quote; a Korean name and the numbers stay.
func TestClassCSVNeutralisesFormulas(t *testing.T) {
	errText := "-불러오지 못함"
	ten := 10
	rep := classReport{Students: []studentRow{
		{Student: `=HYPERLINK("http://evil.example/")`, Source: "@SUM(1+1)", Score: &ten, MaxScore: &ten},
		{Student: "+1", Source: "-1", Error: &errText},
		{Student: "김민준", Source: "김민준.json", Score: &ten, MaxScore: &ten},
	}}
	var buf bytes.Buffer
	if err := writeClassCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff") {
		t.Fatal("no UTF-8 BOM")
	}
	for _, want := range []string{`"'=HYPERLINK(""http://evil.example/"")",'@SUM(1+1),,10,10`, "'+1,'-1,'-불러오지 못함", "김민준,김민준.json,,10,10"} {
		if !strings.Contains(out, want) {
			t.Errorf("csv lacks %q:\n%s", want, out)
		}
	}
}
