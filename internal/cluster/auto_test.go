package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/paths"
)

// fakeRuntime records calls and keeps a cluster state per name.
type fakeRuntime struct {
	name   string
	upErr  error
	onUp   func(ctx context.Context)
	states map[string]State
	calls  []string
}

func newFake(name string) *fakeRuntime {
	return &fakeRuntime{name: name, states: map[string]State{}}
}

func (f *fakeRuntime) Name() string { return f.name }
func (f *fakeRuntime) Up(ctx context.Context, name string, progress Progress) error {
	f.calls = append(f.calls, "up "+name)
	if f.onUp != nil {
		f.onUp(ctx)
	}
	if f.upErr != nil {
		// a failing kind leaves a half-created cluster behind
		f.states[name] = StateDegraded
		return f.upErr
	}
	f.states[name] = StateRunning
	progress(f.name + " up")
	return nil
}
func (f *fakeRuntime) Down(ctx context.Context, name string, keepData bool) error {
	f.calls = append(f.calls, fmt.Sprintf("down %s keep=%v", name, keepData))
	if keepData {
		f.states[name] = StateStopped
	} else {
		delete(f.states, name)
	}
	return nil
}
func (f *fakeRuntime) Status(ctx context.Context, name string) (Status, error) {
	st, ok := f.states[name]
	if !ok {
		st = StateAbsent
	}
	return Status{Name: name, Runtime: f.name, State: st}, nil
}
func (f *fakeRuntime) KubeconfigPath(name string) string { return "/" + f.name + "/" + name }
func (f *fakeRuntime) Context(name string) string        { return f.name + "-" + name }
func (f *fakeRuntime) AddNode(ctx context.Context, name string, node NodeSpec) error {
	f.calls = append(f.calls, "add "+node.Name)
	return nil
}
func (f *fakeRuntime) RemoveNode(ctx context.Context, name string, nodeName string) error {
	f.calls = append(f.calls, "remove "+nodeName)
	return nil
}
func (f *fakeRuntime) StopNode(ctx context.Context, name, nodeName string) error {
	f.calls = append(f.calls, "stop-node "+nodeName)
	return nil
}
func (f *fakeRuntime) StartNode(ctx context.Context, name, nodeName string) error {
	f.calls = append(f.calls, "start-node "+nodeName)
	return nil
}

func (f *fakeRuntime) called(prefix string) bool {
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

type fixture struct {
	sel      *Selector
	kind     *fakeRuntime
	embedded *fakeRuntime
	paths    paths.Paths
	notices  []string
	progress []string
	probes   int
}

func newFixture(t *testing.T, engineAnswers bool) *fixture {
	t.Helper()
	dir := t.TempDir()
	fx := &fixture{kind: newFake(RuntimeKind), embedded: newFake(RuntimeEmbedded)}
	fx.paths = paths.FromEnv(func(k string) string {
		switch k {
		case "HOME":
			return dir
		case "XDG_DATA_HOME":
			return filepath.Join(dir, "data")
		}
		return ""
	})
	probe := engine.ProberFunc(func(ctx context.Context) engine.Info {
		fx.probes++
		if engineAnswers {
			return engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Running: true}
		}
		return engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Err: errors.New("exit status 1"),
			Output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"}
	})
	sel, err := NewSelector(SelectorConfig{Probe: probe, Kind: fx.kind, Embedded: fx.embedded, Paths: fx.paths,
		Notice: func(s string) { fx.notices = append(fx.notices, s) }})
	if err != nil {
		t.Fatal(err)
	}
	fx.sel = sel
	return fx
}

func (fx *fixture) up(want string) (Runtime, error) {
	return fx.sel.Up(context.Background(), want, "dslab", func(s string) { fx.progress = append(fx.progress, s) })
}

var pullFailure = engine.Classify(
	errors.New(`failed to pull image "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5": command "docker pull" failed with error: exit status 1`),
	`Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host`)

func TestAutoPicksKindWhenEngineAnswers(t *testing.T) {
	fx := newFixture(t, true)
	rt, err := fx.up(RuntimeAuto)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Name() != RuntimeKind || !fx.kind.called("up") || fx.embedded.called("up") {
		t.Fatalf("runtime %s; kind calls %v, embedded calls %v", rt.Name(), fx.kind.calls, fx.embedded.calls)
	}
	if got := fx.sel.Recorded("dslab"); got != RuntimeKind {
		t.Errorf("recorded %q", got)
	}
	if len(fx.notices) != 0 {
		t.Errorf("unexpected notices %q", fx.notices)
	}
}

func TestAutoPicksEmbeddedWithoutEngine(t *testing.T) {
	fx := newFixture(t, false)
	rt, err := fx.up("")
	if err != nil {
		t.Fatal(err)
	}
	if rt.Name() != RuntimeEmbedded || fx.kind.called("up") {
		t.Fatalf("runtime %s; kind calls %v", rt.Name(), fx.kind.calls)
	}
	if len(fx.notices) != 1 || !strings.Contains(fx.notices[0], "embedded 런타임") || !strings.Contains(fx.notices[0], "데몬(daemon)") {
		t.Errorf("notice %q", fx.notices)
	}
	if got := fx.sel.Recorded("dslab"); got != RuntimeEmbedded {
		t.Errorf("recorded %q", got)
	}
}

func TestAutoFallsBackWhenKindFails(t *testing.T) {
	fx := newFixture(t, true)
	fx.kind.upErr = pullFailure
	rt, err := fx.up(RuntimeAuto)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Name() != RuntimeEmbedded || !fx.embedded.called("up") {
		t.Fatalf("did not fall back: %s, embedded calls %v", rt.Name(), fx.embedded.calls)
	}
	if !fx.kind.called("down dslab keep=false") {
		t.Errorf("half-created kind cluster not removed: %v", fx.kind.calls)
	}
	if st, _ := fx.kind.Status(context.Background(), "dslab"); st.State != StateAbsent {
		t.Errorf("kind cluster left %s", st.State)
	}
	if len(fx.notices) != 1 {
		t.Fatalf("notices %q", fx.notices)
	}
	n := fx.notices[0]
	for _, w := range []string{"kind → embedded", pullFailure.Cause, pullFailure.Fix, "(kind 오류(error): failed to pull image", "no such host"} {
		if !strings.Contains(n, w) {
			t.Errorf("notice lacks %q:\n%s", w, n)
		}
	}
	if got := fx.sel.Recorded("dslab"); got != RuntimeEmbedded {
		t.Errorf("recorded %q", got)
	}
}

func TestKindStopsWithClassifiedError(t *testing.T) {
	fx := newFixture(t, true)
	fx.kind.upErr = pullFailure
	_, err := fx.up(RuntimeKind)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassImagePull {
		t.Fatalf("err = %v", err)
	}
	if fx.embedded.called("up") || len(fx.notices) != 0 {
		t.Errorf("--runtime kind fell back: %v %q", fx.embedded.calls, fx.notices)
	}
	if !fx.kind.called("down dslab keep=false") {
		t.Errorf("half-created cluster not removed: %v", fx.kind.calls)
	}
	if got := fx.sel.Recorded("dslab"); got != "" {
		t.Errorf("a failed kind cluster stays recorded as %q", got)
	}
	if _, err := os.Stat(fx.paths.ClusterDir("dslab")); !os.IsNotExist(err) {
		t.Errorf("empty cluster directory left: %v", err)
	}
}

func TestKindUnclassifiedErrorIsClassified(t *testing.T) {
	fx := newFixture(t, true)
	fx.kind.upErr = errors.New("something odd")
	_, err := fx.up(RuntimeKind)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassUnknown || !strings.Contains(err.Error(), "something odd") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelledKindDoesNotFallBack(t *testing.T) {
	fx := newFixture(t, true)
	ctx, cancel := context.WithCancel(context.Background())
	fx.kind.onUp = func(context.Context) { cancel() }
	fx.kind.upErr = context.Canceled
	_, err := fx.sel.Up(ctx, RuntimeAuto, "dslab", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if fx.embedded.called("up") {
		t.Error("fell back after cancel")
	}
	if !fx.kind.called("down") {
		t.Error("no cleanup after cancel")
	}
}

func TestExistingClusterStaysOnItsRuntime(t *testing.T) {
	fx := newFixture(t, true)
	if _, err := fx.up(RuntimeEmbedded); err != nil {
		t.Fatal(err)
	}
	// auto (engine answers) must not create a second cluster on kind.
	rt, err := fx.up(RuntimeAuto)
	if err != nil || rt.Name() != RuntimeEmbedded || fx.kind.called("up") {
		t.Fatalf("auto on an existing embedded cluster: %v %v %v", rt, err, fx.kind.calls)
	}
	// --runtime kind conflicts.
	if _, err := fx.up(RuntimeKind); err == nil || !strings.Contains(err.Error(), "dslab cluster down") {
		t.Fatalf("conflict not reported: %v", err)
	}
	// status, down and kubeconfig follow the record.
	auto, err := fx.sel.Runtime(RuntimeAuto)
	if err != nil {
		t.Fatal(err)
	}
	st, err := auto.Status(context.Background(), "dslab")
	if err != nil || st.Runtime != RuntimeEmbedded || st.State != StateRunning {
		t.Fatalf("status %+v %v", st, err)
	}
	if got := auto.KubeconfigPath("dslab"); got != "/embedded/dslab" {
		t.Errorf("kubeconfig %q", got)
	}
	if err := auto.Down(context.Background(), "dslab", true); err != nil {
		t.Fatal(err)
	}
	if fx.sel.Recorded("dslab") != RuntimeEmbedded {
		t.Error("keepData down lost the record")
	}
	if err := auto.Down(context.Background(), "dslab", false); err != nil {
		t.Fatal(err)
	}
	if fx.sel.Recorded("dslab") != "" {
		t.Error("down kept the record")
	}
	if _, err := os.Stat(filepath.Join(fx.paths.ClusterDir("dslab"), RuntimeFile)); !os.IsNotExist(err) {
		t.Errorf("runtime file: %v", err)
	}
}

func TestExistingWithoutRecordFindsKind(t *testing.T) {
	fx := newFixture(t, true)
	fx.kind.states["dslab"] = StateRunning // made by `kind create cluster --name dslab`
	rt, found := fx.sel.Existing(context.Background(), "dslab")
	if !found || rt.Name() != RuntimeKind {
		t.Fatalf("Existing = %s %v", rt.Name(), found)
	}
	rt, found = fx.sel.Existing(context.Background(), "other")
	if found || rt.Name() != RuntimeEmbedded {
		t.Fatalf("Existing(other) = %s %v", rt.Name(), found)
	}
}

func TestParseRuntime(t *testing.T) {
	for in, want := range map[string]string{"": RuntimeAuto, "auto": RuntimeAuto, "KIND": RuntimeKind, " embedded ": RuntimeEmbedded} {
		if got, err := ParseRuntime(in); err != nil || got != want {
			t.Errorf("ParseRuntime(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRuntime("minikube"); err == nil || !strings.Contains(err.Error(), "auto, kind, embedded") {
		t.Errorf("ParseRuntime(minikube) = %v", err)
	}
}
