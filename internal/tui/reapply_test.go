package tui

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestReapplyWhenClusterBack: a save made while the cluster is stopped is
// "not applied yet" (never "고쳐서": the file was not the cause); when the
// cluster is connected again the file is applied and the error goes away.
func TestReapplyWhenClusterBack(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	})
	ex, _ := labCatalog(t).Get("ds-basics")
	path := lab.WorkFile(p, "ds-basics")
	if err := os.MkdirAll(lab.WorkDir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	var applies atomic.Int32
	m := realCourseModel(t, p, nil)
	m.common.Applier = lab.NewAutoApplier(context.Background(), func(_ context.Context, tgt lab.ApplyTarget, _ string) (lab.ApplyResult, error) {
		applies.Add(1)
		return lab.ApplyResult{Lines: []string{"daemonset.apps/fluentd-elasticsearch created"}}, nil
	})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 1, State: lab.StateDisconnected, Problem: "connection refused", Exercise: "ds-basics"}})
	tm.Send(keyRunes("a"))
	s := waitFor(t, tm, "the apply without a cluster", func(s snapshot) bool { return strings.Contains(s.view, "아직 적용 안 됨") })
	if strings.Contains(s.view, "고쳐서") || strings.Contains(s.view, "적용에 실패했습니다") {
		t.Errorf("a save that failed for lack of a cluster asks to fix the file:\n%s", s.view)
	}
	if n := applies.Load(); n != 0 {
		t.Fatalf("%d applies without a cluster", n)
	}

	u := simulatedUpdate(t, "ds-basics", nil)
	u.Seq = 2
	u.Conn = &kube.Conn{Context: "dslab", Source: "/nonexistent/kubeconfig"}
	tm.Send(labUpdateMsg{u: u})
	s = waitFor(t, tm, "the re-apply", func(s snapshot) bool { return applies.Load() == 1 && strings.Contains(s.view, "created") })
	for _, stale := range []string{"아직 적용 안 됨", "연결되어 있지 않아", "적용 실패"} {
		if strings.Contains(s.view, stale) {
			t.Errorf("after the re-apply the screen still says %q:\n%s", stale, s.view)
		}
	}
}

// TestShellApplyClearsFailedSave: after a save the API server refused, a
// change of the DaemonSet made with kubectl in the lab shell
// (Update.ShellApplied) replaces the "적용 실패" panel — the trainee trial
// saw it stay after a successful apply in the shell while the grade said
// 10/10.
func TestShellApplyClearsFailedSave(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	})
	ex, _ := labCatalog(t).Get("ds-basics")
	if err := os.MkdirAll(lab.WorkDir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lab.WorkFile(p, "ds-basics"), ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	m := realCourseModel(t, p, nil)
	m.common.Applier = lab.NewAutoApplier(context.Background(), func(_ context.Context, tgt lab.ApplyTarget, _ string) (lab.ApplyResult, error) {
		return lab.ApplyResult{}, errors.New(`The DaemonSet "fluentd-elasticsearch" is invalid: spec.selector: Invalid value: field is immutable`)
	})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })
	u := simulatedUpdate(t, "ds-basics", nil)
	u.Seq = 1
	u.Conn = &kube.Conn{Context: "dslab", Source: "/nonexistent/kubeconfig"}
	tm.Send(labUpdateMsg{u: u})
	tm.Send(keyRunes("a"))
	waitFor(t, tm, "the failed apply", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })

	u = simulatedUpdate(t, "ds-basics", nil)
	u.Seq, u.ShellApplied = 2, true
	u.Conn = &kube.Conn{Context: "dslab", Source: "/nonexistent/kubeconfig"}
	tm.Send(labUpdateMsg{u: u})
	s := waitFor(t, tm, "the shell's apply", func(s snapshot) bool { return strings.Contains(s.view, "실습 셸") })
	if strings.Contains(s.view, "적용 실패") || strings.Contains(s.view, "immutable") {
		t.Errorf("after the shell's apply the screen still shows the failed save:\n%s", s.view)
	}
}
