package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/lessons"
)

func labCatalog(tb testing.TB) *exercises.Catalog {
	tb.Helper()
	c, err := exercises.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// newLabFixtureModel is the fixture course with the exercises but no
// cluster: updates are sent by the test.
func newLabFixtureModel(tb testing.TB, store *progress.Store) Model {
	tb.Helper()
	opts := asciiOptions(tb, fixtureCourse(tb), store)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(tb), Getenv: func(string) string { return "" }}
	m, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// simulatedUpdate is a watcher update for exercise id after do, graded on
// the simulated lab (deterministic: fixed clock and pod names).
func simulatedUpdate(tb testing.TB, id string, do func(*gradertest.Lab, exercises.Exercise)) lab.Update {
	tb.Helper()
	ex, err := labCatalog(tb).Get(id)
	if err != nil {
		tb.Fatal(err)
	}
	l := gradertest.NewLab("dslab")
	l.StartExercise(ex)
	if do != nil {
		do(l, ex)
	}
	snap := l.Snapshot()
	res := grader.Grade(ex.Spec, snap)
	return lab.Update{
		Seq: 1, At: snap.CapturedAt, State: lab.StateConnected, Context: "dslab", Nodes: snap.Nodes,
		Exercise: id, Started: true, Active: id, Snapshot: &snap, Result: &res, Map: lab.BuildNodeMap(ex, snap, res),
		Cause: "파드 변경",
	}
}

// gpuOnlyMixed: the reference solution, then the learner labelled a
// non-GPU node hardware=gpu — a pod appears where none belongs.
func gpuOnlyMixed(l *gradertest.Lab, ex exercises.Exercise) {
	l.Solve(ex)
	l.Label("dslab-worker", "hardware", "gpu")
}

// checkMapAligned checks that on every node row of the map the columns
// (role, pod, status, expectation) start at the same cell.
func checkMapAligned(t *testing.T, view string) {
	t.Helper()
	var header []int
	rows := 0
	for _, line := range strings.Split(view, "\n") {
		trim := strings.TrimLeft(line, " ")
		isHeader := strings.HasPrefix(trim, "노드 ") && strings.Contains(line, "역할")
		isRow := strings.HasPrefix(line, "✓ dslab-") || strings.HasPrefix(line, "✗ dslab-") || strings.HasPrefix(line, "· dslab-")
		if !isHeader && !isRow {
			continue
		}
		var cols []int
		for _, word := range []string{"역할", "워커", "컨트롤 플레인"} {
			if i := strings.Index(line, word); i >= 0 {
				cols = append(cols, ansi.StringWidth(line[:i]))
				break
			}
		}
		for _, word := range []string{"파드 있음", "파드 없음", "기대"} {
			if i := strings.LastIndex(line, word); i >= 0 {
				cols = append(cols, ansi.StringWidth(line[:i]))
				break
			}
		}
		if len(cols) != 2 {
			t.Errorf("map line without columns: %q", line)
			continue
		}
		if isHeader {
			header = cols
			continue
		}
		rows++
		if !slices.Equal(cols, header) {
			t.Errorf("row columns at %v, header at %v: %q", cols, header, line)
		}
	}
	if rows != 4 || header == nil {
		t.Errorf("found %d node rows (header %v), want 4", rows, header)
	}
}

// TestNodeMapGolden: the full-screen node map of a fixed simulated state at
// 80 and 120 columns (go test ./internal/tui -run TestNodeMapGolden -update).
func TestNodeMapGolden(t *testing.T) {
	u := simulatedUpdate(t, "gpu-only", gpuOnlyMixed)
	for _, size := range []struct{ w, h int }{{80, 26}, {120, 30}} {
		t.Run(fmt.Sprintf("%d-columns", size.w), func(t *testing.T) {
			m := newLabFixtureModel(t, nil)
			// The learner's work (gpuOnlyMixed) counted as an attempt, as
			// the live lab counts it: 진행 중 with the score.
			m.common.Progress.UpdateExercise("gpu-only", func(p *progress.ExerciseProgress) { p.Attempts = 1 })
			tm := startProgram(t, m, size.w, size.h)
			tm.Send(openExerciseMsg{id: "gpu-only"})
			tm.Send(labUpdateMsg{u: u})
			tm.Send(keyRunes("m"))
			s := waitFor(t, tm, "the node map", func(s snapshot) bool { return s.state == stateNodeMap && s.seq == 1 })
			for _, want := range []string{"노드 지도 · 데몬셋 dslab/gpu-monitor", "갱신 09:", "dslab-worker2", "hardware=gpu", "파드 있음", "파드 없음", "진행 중 · 5/10점"} {
				if !strings.Contains(s.view, want) {
					t.Errorf("map lacks %q:\n%s", want, s.view)
				}
			}
			checkMapAligned(t, s.view)
			golden(t, s)
		})
	}
}

// settleSaves makes the program's progress saves end before the test's
// temporary directories are removed (registered after them, it runs
// first): the program is quit and waited for, and one more save takes the
// progress file's lock after any save still running (a save after the
// directory's removal would recreate it and leave it behind).
func settleSaves(t *testing.T, tm *teatest.TestModel, store *progress.Store) {
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		if err := store.Save(); err != nil {
			t.Error(err)
		}
	})
}

// TestExercisePanel: the exercise beside its (fixture) lesson list: task,
// hints one at a time (recorded), the grade, the pinned map; a pass turns
// the panel green by itself and is saved with the hints used.
func TestExercisePanel(t *testing.T) {
	store := progress.New(filepath.Join(t.TempDir(), "progress.json"))
	tm := startProgram(t, newLabFixtureModel(t, store), 110, 40)
	settleSaves(t, tm, store)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	s := waitFor(t, tm, "the exercise", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(s.view, "nodeSelector")
	})
	if !strings.Contains(s.view, "시작 전 · 10점 만점") || !strings.Contains(s.view, "힌트 0/3") {
		t.Fatalf("fresh exercise:\n%s", s.view)
	}
	tm.Send(keyRunes("h"))
	tm.Send(keyRunes("h"))
	s = waitFor(t, tm, "two hints", func(s snapshot) bool { return strings.Contains(s.view, "힌트 2/3") })
	if got := store.Exercise("gpu-only").HintsUsed; got != 2 {
		t.Errorf("hints used %d, want 2", got)
	}

	// The learner applied once (the work file): 진행 중 with the live
	// score; without an attempt the header would say 시작함 with none.
	store.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.Attempts = 1 })
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
	waitFor(t, tm, "the grade", func(s snapshot) bool { return s.seq == 1 })
	// h showed the second hint; the grade is below it.
	tm.Send(keyRunes("G"))
	s = waitFor(t, tm, "the grade in view", func(s snapshot) bool { return strings.Contains(s.view, "✗ GPU 노드 2개에만") })
	for _, want := range []string{" 진행 중 · 5/10점 ", "✗ GPU 노드 2개에만 Ready 파드", "노드 지도", "✗ dslab-worker "} {
		if !strings.Contains(s.view, want) {
			t.Errorf("graded panel lacks %q:\n%s", want, s.view)
		}
	}
	checkFrame(t, s)
	golden(t, s)

	solved := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	solved.Seq = 2
	tm.Send(labUpdateMsg{u: solved})
	s = waitFor(t, tm, "the pass", func(s snapshot) bool { return s.passed })
	for _, want := range []string{"✓ 통과 · 10/10점", "통과했습니다! 10/10점 (힌트 2개 사용)", "다음 연습"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("passed panel lacks %q:\n%s", want, s.view)
		}
	}
	ep := store.Exercise("gpu-only")
	if !ep.Passed || ep.Score != 10 || ep.HintsUsed != 2 || ep.PassedAt.IsZero() {
		t.Errorf("progress: %+v", ep)
	}
	// n opens the next exercise.
	tm.Send(keyRunes("n"))
	waitFor(t, tm, "the next exercise", func(s snapshot) bool { return s.exercise != "gpu-only" && s.state == stateExercise })
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
}

// TestExerciseBesideLesson: from 160 columns the lesson is shown beside
// the exercise (tab moves the focus between them); narrower, tab switches
// to the lesson in the reader and back.
func TestExerciseBesideLesson(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	opts := asciiOptions(t, course, nil)
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t)}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 170, 36)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	s := waitFor(t, tm, "the lesson beside the exercise", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(s.view, "│") && !strings.Contains(s.view, "강의를 불러오는 중")
	})
	checkFrame(t, s)
	lines := strings.Split(s.view, "\n")
	split := ansi.StringWidth(lines[3][:strings.Index(lines[3], "│")])
	if split != lessonPaneWidth {
		t.Errorf("separator at cell %d, want %d", split, lessonPaneWidth)
	}
	if !strings.Contains(s.view, "nodeSelector") || !strings.Contains(s.view, "GPU 상태를 보는 에이전트") {
		t.Errorf("lesson or task missing:\n%s", s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	s = waitFor(t, tm, "focus on the lesson", func(s snapshot) bool { return strings.Contains(s.view, "┃") })
	checkFrame(t, s)

	tm.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	s = waitFor(t, tm, "the narrow panel", func(s snapshot) bool { return s.width == 100 && strings.Contains(s.view, "GPU 상태를 보는") })
	if strings.Contains(s.view, "│") {
		t.Errorf("split at 100 columns:\n%s", s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	s = waitFor(t, tm, "the lesson in the reader", func(s snapshot) bool { return s.state == stateReader && !s.loading })
	if !strings.Contains(s.view, "tab 연습 2 로") || s.lesson != 4 {
		t.Errorf("reader from the exercise (lesson %d):\n%s", s.lesson, s.view)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "back to the exercise", func(s snapshot) bool { return s.state == stateExercise && s.exercise == "gpu-only" })
	// esc leaves the exercise for the screen it came from.
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "the contents", func(s snapshot) bool { return s.state == stateContents })
}

func TestClusterSegment(t *testing.T) {
	running := cluster.Status{Runtime: "embedded", State: cluster.StateRunning, Context: "dslab"}
	connected := lab.Update{State: lab.StateConnected, Context: "dslab", Nodes: []grader.Node{{Name: "a", Ready: true}, {Name: "b"}}}
	for _, tc := range []struct {
		live    Live
		inPanel bool
		want    string
	}{
		{Live{}, false, DefaultClusterStatus},
		{Live{Status: cluster.Status{Runtime: "embedded", State: cluster.StateAbsent}, HasStatus: true}, false, "클러스터: embedded · 없음 · c 로 시작"},
		{Live{Status: cluster.Status{Runtime: "embedded", State: cluster.StateStopped}, HasStatus: true}, true, "클러스터: embedded · 중지됨"},
		{Live{Status: running, HasStatus: true, Update: connected}, false, "클러스터: embedded · 실행 중 · 노드 1/2 · dslab"},
		{Live{Status: running, HasStatus: true, Update: lab.Update{State: lab.StateDisconnected}}, false, "클러스터: embedded · 연결 끊김"},
		{Live{Status: running, HasStatus: true, Update: lab.Update{State: lab.StateConnecting}}, false, "클러스터: embedded · 연결하는 중…"},
		{Live{Status: running, HasStatus: true, Op: opClusterStop}, false, "클러스터: embedded · 멈추는 중… 0초"},
		{Live{Update: lab.Update{State: lab.StateDisconnected}}, false, "클러스터: 연결 안 됨"},
		// Stopped from another terminal: the API server shuts down while
		// the runtime still says running (or, half stopped, degraded)…
		{Live{Status: running, HasStatus: true, Update: lab.Update{State: lab.StateDisconnected, Stopping: true}}, false, "클러스터: embedded · 멈추는 중…"},
		{Live{Status: cluster.Status{Runtime: "embedded", State: cluster.StateDegraded}, HasStatus: true, Update: lab.Update{State: lab.StateDisconnected, Stopping: true}}, false, "클러스터: embedded · 멈추는 중…"},
		// …then the runtime's own word.
		{Live{Status: cluster.Status{Runtime: "embedded", State: cluster.StateAbsent}, HasStatus: true, Update: lab.Update{State: lab.StateDisconnected, Stopping: true}}, false, "클러스터: embedded · 없음 · c 로 시작"},
	} {
		if got := clusterSegment(&tc.live, tc.inPanel); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.live, got, tc.want)
		}
	}
}

// TestExerciseDisconnected: when the cluster goes away the panel says so
// and keeps the last map, marked stale; the next update restores it.
func TestExerciseDisconnected(t *testing.T) {
	m := newLabFixtureModel(t, nil)
	m.common.Lab.Watcher = lab.NewWatcher(lab.WatcherConfig{Connect: func(context.Context) (*kube.Conn, error) {
		return nil, errors.New("unused")
	}}) // never run: the test sends the updates
	tm := startProgram(t, m, 100, 40)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	u := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	tm.Send(labUpdateMsg{u: u})
	waitFor(t, tm, "the pass", func(s snapshot) bool { return s.passed })
	tm.Send(labUpdateMsg{u: lab.Update{Seq: 2, State: lab.StateDisconnected, Exercise: "gpu-only", Problem: "API 서버가 응답하지 않습니다"}})
	s := waitFor(t, tm, "the disconnection", func(s snapshot) bool { return s.seq == 2 })
	for _, want := range []string{"클러스터에 연결되어 있지 않습니다", "API 서버가 응답하지 않습니다", "연결 안 됨 · 마지막으로 본 상태", "gpu-monitor-", "✓ 통과 · 10/10점"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("disconnected view lacks %q:\n%s", want, s.view)
		}
	}
	checkFrame(t, s)
	u.Seq = 3
	tm.Send(labUpdateMsg{u: u})
	s = waitFor(t, tm, "the reconnection", func(s snapshot) bool { return s.seq == 3 })
	if strings.Contains(s.view, "연결 끊김") || strings.Contains(s.view, "연결되어 있지 않습니다") {
		t.Errorf("still disconnected:\n%s", s.view)
	}
}

// TestLabScreensTooSmall: every lab screen gives way to the Korean
// too-small message and comes back.
func TestLabScreensTooSmall(t *testing.T) {
	tm := startProgram(t, newLabFixtureModel(t, nil), 100, 30)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	tm.Send(labUpdateMsg{u: simulatedUpdate(t, "gpu-only", gpuOnlyMixed)})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise && s.seq == 1 })
	for _, k := range []string{"", "m", "c", "o"} {
		if k != "" {
			tm.Send(keyRunes(k))
		}
		tm.Send(tea.WindowSizeMsg{Width: 50, Height: 10})
		s := waitFor(t, tm, "the message", func(s snapshot) bool { return s.width == 50 })
		if !strings.Contains(s.view, "터미널이 너무 좁습니다") || !strings.Contains(s.view, "터미널이 너무 낮습니다") {
			t.Errorf("screen after %q: no too-small message:\n%s", k, s.view)
		}
		checkFrame(t, s)
		tm.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
		s = waitFor(t, tm, "the screen", func(s snapshot) bool { return s.width == 100 })
		checkFrame(t, s)
		if k == "c" {
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
			waitFor(t, tm, "back", func(s snapshot) bool { return s.state != stateCluster })
		}
	}
	if s := take(t, tm); s.state != stateSummary {
		t.Errorf("state %v, want the summary", s.state)
	}
}

// TestEditorAndShellWithoutCluster: e writes the starter manifest and runs
// $EDITOR on it; a manifest that does not parse is reported in Korean and
// kept; an unsaved file is not applied; s runs the lab shell (KUBECONFIG
// naming the lab context first, kubectl resolvable) and comes back.
func TestEditorAndShellWithoutCluster(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		switch k {
		case "HOME":
			return dir
		case "KUBECONFIG":
			return filepath.Join(dir, "kube", "config")
		}
		return ""
	})
	script := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	env := map[string]string{"EDITOR": script("broken-editor", `printf 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: [\n' > "$1"`+"\n")}
	shellOut := filepath.Join(dir, "shell.out")
	environ := []string{"PATH=/usr/bin:/bin", "SHELL=" + script("fake-shell", `{ echo "KUBECONFIG=$KUBECONFIG"; command -v kubectl; } > '`+shellOut+"'\n")}

	opts := asciiOptions(t, fixtureCourse(t), nil)
	opts.Paths = p
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Executable: "/opt/dslab/dslab", Environ: environ,
		Getenv: func(k string) string { return env[k] }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 100, 30)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })

	tm.Send(keyRunes("e"))
	s := waitFor(t, tm, "the broken manifest", func(s snapshot) bool { return strings.Contains(s.view, "적용하지 않았습니다") })
	if !strings.Contains(s.view, "YAML") {
		t.Errorf("no YAML error:\n%s", s.view)
	}
	work := filepath.Join(p.DataDir, "work", "gpu-only.yaml")
	if data, err := os.ReadFile(work); err != nil || !strings.Contains(string(data), "name: [") {
		t.Errorf("the learner's file was not kept: %q %v", data, err)
	}

	// An editor that exits without saving changes nothing: the file and the
	// last apply error stay (every save is applied as it happens, so a
	// close without a save is quiet).
	env["EDITOR"] = "true"
	tm.Send(keyRunes("e"))
	waitFor(t, tm, "the error kept", func(s snapshot) bool {
		return s.state == stateExercise && strings.Contains(s.view, "적용하지 않았습니다")
	})
	if data, err := os.ReadFile(work); err != nil || !strings.Contains(string(data), "name: [") {
		t.Errorf("an editor without a save changed the file: %q %v", data, err)
	}

	tm.Send(keyRunes("s"))
	waitFor(t, tm, "back from the shell", func(s snapshot) bool { return strings.Contains(s.view, "셸에서 랩으로 돌아왔습니다") })
	out, err := os.ReadFile(shellOut)
	if err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(lab.ShellDir(p), "kubeconfig")
	if !strings.Contains(string(out), "KUBECONFIG="+shim+":"+p.Kubeconfigs[0]) {
		t.Errorf("shell env:\n%s", out)
	}
	if !strings.Contains(string(out), "kubectl") {
		t.Errorf("kubectl does not resolve in the shell:\n%s", out)
	}
}

// With EDITOR unset, e first says which editor opens and how to save and
// quit it (":wq"), and opens it only at the next e (issue 14: vi opened
// with no word on how to quit).
func TestEditorFallbackIsNamedBeforeItOpens(t *testing.T) {
	dir := t.TempDir()
	p := paths.FromEnv(func(k string) string {
		switch k {
		case "HOME":
			return dir
		case "KUBECONFIG":
			return filepath.Join(dir, "kube", "config")
		}
		return ""
	})
	bin := filepath.Join(dir, "bin")
	marker := filepath.Join(dir, "vi-ran")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "vi"), []byte("#!/bin/sh\ntouch '"+marker+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PATH": bin}
	opts := asciiOptions(t, fixtureCourse(t), nil)
	opts.Paths = p
	opts.Lab = &Lab{Context: context.Background(), Catalog: labCatalog(t), Executable: "/opt/dslab/dslab",
		Getenv: func(k string) string { return env[k] }}
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgram(t, m, 200, 30)
	tm.Send(openExerciseMsg{id: "gpu-only"})
	waitFor(t, tm, "the exercise", func(s snapshot) bool { return s.state == stateExercise })
	tm.Send(keyRunes("e"))
	waitFor(t, tm, "the editor note", func(s snapshot) bool {
		return strings.Contains(s.view, "vi 로 엽니다") && strings.Contains(s.view, ":wq")
	})
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("vi opened before the note was read")
	}
	tm.Send(keyRunes("e"))
	waitFor(t, tm, "back from vi", func(s snapshot) bool {
		_, err := os.Stat(marker)
		return err == nil && s.state == stateExercise
	})
}
