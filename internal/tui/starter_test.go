package tui

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestNoLearnerFileIsANoteNotAFailedApply: a with no work file, and a with
// the starter dslab wrote (here as `dslab exercise start` in another
// terminal does), apply nothing, count no attempt and show no "적용 실패"
// banner: a short note, and the checklist says e first (trainee trial,
// issue 14: the untouched taints starter was applied and failed on its
// empty image, attempt 1).
func TestNoLearnerFileIsANoteNotAFailedApply(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	})
	var applies atomic.Int32
	m := realCourseModel(t, p, nil)
	store := m.common.Progress
	m.common.Applier = lab.NewAutoApplier(context.Background(), func(_ context.Context, _ lab.ApplyTarget, _ string) (lab.ApplyResult, error) {
		applies.Add(1)
		return lab.ApplyResult{Lines: []string{"daemonset.apps/x created"}}, nil
	})
	m.common.Applier.SetTarget(lab.ApplyTarget{Context: "dslab"}, true)
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "taints"})
	waitFor(t, tm, "taints", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "taints" })
	// Opening writes the starter (issue 14); the learner removed it.
	work := lab.WorkFile(p, "taints")
	waitFor(t, tm, "the starter written on open", func(snapshot) bool { return lab.StampFile(work).Exists })
	if err := os.Remove(work); err != nil {
		t.Fatal(err)
	}
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "taints", nil)})
	waitFor(t, tm, "the map", func(s snapshot) bool { return strings.Contains(s.view, "노드 지도") })
	var seen strings.Builder
	for range 30 {
		seen.WriteString(take(t, tm).view)
		tm.Send(keyRunes("j"))
	}
	flat := strings.Join(strings.Fields(seen.String()), "")
	if strings.Contains(flat, "a로지금의작업파일을") || !strings.Contains(flat, "e로작업파일을열어과제대로고쳐저장하면") {
		t.Errorf("without a work file the checklist does not say e first:\n%s", seen.String())
	}
	var s snapshot

	tm.Send(keyRunes("a"))
	s = waitFor(t, tm, "the note", func(s snapshot) bool { return strings.Contains(s.view, "아직 작업 파일이 없습니다") })
	if strings.Contains(s.view, "적용 실패") || strings.Contains(s.view, "적용에 실패") {
		t.Errorf("a without a work file shows a failed apply:\n%s", s.view)
	}

	ex, _ := labCatalog(t).Get("taints")
	if _, _, err := lab.EnsureWorkFile(p, ex); err != nil {
		t.Fatal(err)
	}
	tm.Send(keyRunes("a"))
	s = waitFor(t, tm, "the starter note", func(s snapshot) bool { return strings.Contains(s.view, "시작 매니페스트 그대로") })
	if strings.Contains(s.view, "적용 실패") || strings.Contains(s.view, "적용에 실패") {
		t.Errorf("a on the untouched starter shows a failed apply:\n%s", s.view)
	}
	if n := applies.Load(); n != 0 {
		t.Errorf("%d applies of no file / dslab's starter, want 0", n)
	}
	if e := store.Exercise("taints"); e.Attempts != 0 || e.LastApply != nil {
		t.Errorf("progress = attempts %d, lastApply %+v; want nothing counted", e.Attempts, e.LastApply)
	}
	_ = progress.ApplyRecord{}
}

// TestFailedApplySurvivesRestart: the last apply failed (progress.json's
// lastApply) and the TUI starts again: the failed-apply banner is back,
// not a bare "시작 전" (trainee trial: a YAML error saved, q, dslab again).
func TestFailedApplySurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	})
	m := realCourseModel(t, p, nil)
	lab.RecordApply(m.common.Progress, "ds-basics")
	lab.RecordApplyResult(m.common.Progress, "ds-basics", m.common.now(), &lab.ApplyError{
		Summary: "YAML 형식 오류", Detail: "error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context"})
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "ds-basics"})
	waitFor(t, tm, "ds-basics", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "ds-basics" })
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "ds-basics", nil)})
	s := waitFor(t, tm, "the restored failure", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })
	if !strings.Contains(strings.Join(strings.Fields(s.view), " "), "mapping values are not allowed") {
		t.Errorf("the restored failure lacks the server's words:\n%s", s.view)
	}
}

// TestFailedApplyExplainsEveryCauseAndDropsStaleAdvice: the API server
// refused a file for two reasons; the panel explains both, one line each,
// and the checks below (the cluster before the failed file) lead with
// "fix the error first" instead of advice the failed file may already
// follow.
func TestFailedApplyExplainsEveryCauseAndDropsStaleAdvice(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	})
	m := realCourseModel(t, p, nil)
	tm := startProgram(t, m, 80, 24)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "gpu-only", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
	u := simulatedUpdate(t, "gpu-only", gpuOnlyMixed)
	var advice string
	for _, ch := range u.Result.Checks {
		if !ch.Passed && ch.Message != "" {
			advice = ch.Message
		}
	}
	if advice == "" {
		t.Fatal("fixture: no failed check with advice")
	}
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the grade", func(s snapshot) bool { return strings.Contains(s.view, "노드 지도") })
	summary := "데몬셋의 셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다 (immutable)\n셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블과 맞지 않아 거부했습니다"
	tm.Send(appliedMsg{id: "gpu-only", attempted: true, err: &lab.ApplyError{Summary: summary, Detail: "The DaemonSet \"gpu-monitor\" is invalid"}})
	waitFor(t, tm, "the failure", func(s snapshot) bool { return strings.Contains(s.view, "적용 실패") })
	var seen strings.Builder
	for range 40 {
		seen.WriteString(take(t, tm).view + "\n")
		tm.Send(keyRunes("j"))
	}
	all := strings.Join(strings.Fields(seen.String()), "")
	for _, want := range []string{"바꿀수없습니다(immutable)", "맞지않아거부했습니다", "마지막적용이실패해서아래는그전상태입니다:먼저위오류를고치세요"} {
		if !strings.Contains(all, want) {
			t.Errorf("the panel never shows %q:\n%s", want, seen.String())
		}
	}
	if a := strings.Join(strings.Fields(advice), ""); strings.Contains(all, a) {
		t.Errorf("after a failed apply the panel still gives the stale advice %q", advice)
	}
}

// TestNodeMapNamesEachPodOnce: a pod name too long for its column is
// said once under its node — not "파드 X · Ready 파드 X 가 실행 중입니다"
// (trainee trial, ds-basics at 80x24 and the full map at 60x12).
func TestNodeMapNamesEachPodOnce(t *testing.T) {
	for _, id := range []string{"ds-basics", "gpu-only", "taints"} {
		ex, _ := labCatalog(t).Get(id)
		u := simulatedUpdate(t, id, func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
		for _, w := range []int{40, 60, 80} {
			m := newLabFixtureModel(t, nil)
			for _, compact := range []bool{false, true} {
				text := strings.Join(nodeMapLines(m.common.Styles, &Live{Update: u}, w, compact), "\n")
				flat := strings.Join(strings.Fields(text), "")
				for _, r := range u.Map.Rows {
					if r.Pod != "" && strings.Count(flat, r.Pod) > 1 {
						t.Errorf("%s width %d compact %v: pod %s named %d times:\n%s", ex.ID, w, compact, r.Pod, strings.Count(flat, r.Pod), text)
					}
				}
			}
		}
	}
}

// TestReadyLineFollowsTheTask: a shell-only exercise (new-node: "데몬셋은
// 고치지 마세요") is ready with "s 로 셸을 열어 …" only; a manifest
// exercise still offers e.
func TestReadyLineFollowsTheTask(t *testing.T) {
	for id, want := range map[string][2]string{
		"new-node":  {"s 로 셸을 열어", "e 로 매니페스트"},
		"ds-basics": {"e 로 매니페스트를 편집하거나", ""},
	} {
		m := newLabFixtureModel(t, nil)
		e := m.exercise
		ex, _ := labCatalog(t).Get(id)
		e.ex, e.loaded = ex, true
		e = e.onOp(opEvent{kind: opExercise, done: true, at: 600 * time.Millisecond})
		if !strings.Contains(e.msg, want[0]) || (want[1] != "" && strings.Contains(e.msg, want[1])) {
			t.Errorf("%s: ready line %q, want %q without %q", id, e.msg, want[0], want[1])
		}
	}
}
