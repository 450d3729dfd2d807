package kind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	kinderrors "sigs.k8s.io/kind/pkg/errors"
	kindexec "sigs.k8s.io/kind/pkg/exec"
	kindlog "sigs.k8s.io/kind/pkg/log"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/paths"
)

var _ cluster.Runtime = New(paths.Paths{})

// fakeNode is a kind node handle; only its name is used by the fakes.
type fakeNode struct{ name string }

func (n fakeNode) String() string                         { return n.name }
func (n fakeNode) Role() (string, error)                  { return "", nil }
func (n fakeNode) IP() (string, string, error)            { return "", "", nil }
func (n fakeNode) SerialLogs(io.Writer) error             { return nil }
func (n fakeNode) Command(string, ...string) kindexec.Cmd { panic("not used") }
func (n fakeNode) CommandContext(context.Context, string, ...string) kindexec.Cmd {
	panic("not used")
}

// fakeProvider plays kind and the engine: Create makes containers (or fails
// as configured), logging kind's status lines through the logger it got.
type fakeProvider struct {
	mu         sync.Mutex
	logger     kindlog.Logger
	containers map[string]bool // name → running
	images     map[string]bool
	createErr  error
	createHook func()
	creates    []CreateRequest
	deletes    []string
	started    []string
	stopped    []string
	saved      [][]string
	loadedInto []string
}

func newFakeProvider() *fakeProvider {
	return &fakeProvider{containers: map[string]bool{}, images: map[string]bool{}}
}

func (f *fakeProvider) Create(req CreateRequest) error {
	f.mu.Lock()
	f.creates = append(f.creates, req)
	f.mu.Unlock()
	f.logger.V(0).Infof("Creating cluster %q ...\n", req.Name)
	f.logger.V(0).Infof(" • %s  ...\n", "Ensuring node image (kindest/node:v1.37.0) 🖼")
	if f.createHook != nil {
		f.createHook()
	}
	if f.createErr != nil {
		f.logger.V(0).Infof(" ✗ %s\n", "Ensuring node image (kindest/node:v1.37.0) 🖼")
		return f.createErr
	}
	f.logger.V(0).Infof(" ✓ %s\n", "Ensuring node image (kindest/node:v1.37.0) 🖼")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range cluster.Topology(req.Name) {
		f.containers[n.Name] = true
	}
	return nil
}

func (f *fakeProvider) Delete(name, kubeconfigPath string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deletes = append(f.deletes, name+" "+kubeconfigPath)
	for c := range f.containers {
		if strings.HasPrefix(c, name+"-") {
			delete(f.containers, c)
		}
	}
	return nil
}

func (f *fakeProvider) List() ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	set := map[string]bool{}
	for c := range f.containers {
		set[c[:strings.LastIndex(c, "-")]] = true
	}
	var out []string
	for n := range set {
		out = append(out, strings.TrimSuffix(n, "-control"))
	}
	sort.Strings(out)
	return out, nil
}

func (f *fakeProvider) ListNodes(name string) ([]nodes.Node, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []nodes.Node
	for c := range f.containers {
		if strings.HasPrefix(c, name+"-") {
			out = append(out, fakeNode{c})
		}
	}
	return out, nil
}

func (f *fakeProvider) ExportKubeConfig(name, path string) error {
	return os.WriteFile(path, []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kind-%[1]s
  cluster: {server: "https://127.0.0.1:40123"}
contexts:
- name: kind-%[1]s
  context: {cluster: kind-%[1]s, user: kind-%[1]s}
current-context: kind-%[1]s
users:
- name: kind-%[1]s
  user: {token: fake}
`, name)), 0o644)
}

func (f *fakeProvider) Running(ctx context.Context, cs []string) (map[string]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for _, c := range cs {
		out[c] = f.containers[c]
	}
	return out, nil
}

func (f *fakeProvider) Start(ctx context.Context, cs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range cs {
		f.containers[c] = true
	}
	f.started = append(f.started, cs...)
	return nil
}

func (f *fakeProvider) Stop(ctx context.Context, cs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range cs {
		f.containers[c] = false
	}
	f.stopped = append(f.stopped, cs...)
	return nil
}

func (f *fakeProvider) ImagePresent(ctx context.Context, image string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.images[image]
}

func (f *fakeProvider) SaveImages(ctx context.Context, images []string, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, images)
	return os.WriteFile(path, []byte(strings.Join(images, "\n")), 0o644)
}

func (f *fakeProvider) LoadArchive(node nodes.Node, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loadedInto = append(f.loadedInto, node.String())
	return nil
}

func readyNode(name string, ready bool, labels map[string]string, taints ...corev1.Taint) *corev1.Node {
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.NodeSpec{Taints: taints},
		Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: st}}},
	}
}

func labNodes(name string, ready bool) []runtime.Object {
	var out []runtime.Object
	for _, n := range cluster.Topology(name) {
		var taints []corev1.Taint
		for _, t := range n.Taints {
			taints = append(taints, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
		}
		out = append(out, readyNode(n.Name, ready, n.Labels, taints...))
	}
	return out
}

type rig struct {
	rt       *Runtime
	prov     *fakeProvider
	client   *fake.Clientset
	paths    paths.Paths
	progress []string
	mu       sync.Mutex
	engine   engine.Info
}

func newRig(t *testing.T, objs ...runtime.Object) *rig {
	t.Helper()
	r := &rig{prov: newFakeProvider(), client: fake.NewClientset(objs...)}
	r.engine = engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Running: true}
	r.paths = paths.Under(t.TempDir())
	r.rt = New(r.paths,
		WithProber(engine.ProberFunc(func(context.Context) engine.Info { return r.engine })),
		WithProvider(func(info engine.Info, logger kindlog.Logger) (Provider, error) {
			r.prov.logger = logger
			return r.prov, nil
		}),
		WithClient(func(kc string) (kubernetes.Interface, error) {
			if _, err := os.Stat(kc); err != nil {
				return nil, err
			}
			return r.client, nil
		}),
		WithReadyTimeout(2*time.Second),
		WithExerciseImages(func() ([]string, error) { return testImages(), nil }),
	)
	r.rt.poll = 10 * time.Millisecond
	return r
}

func (r *rig) onProgress(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress = append(r.progress, s)
}

func (r *rig) saw(sub string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.progress {
		if strings.Contains(p, sub) {
			return true
		}
	}
	return false
}

func TestUpCreatesTheLabCluster(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	if err := r.rt.Up(context.Background(), "dslab", r.onProgress); err != nil {
		t.Fatal(err)
	}
	if len(r.prov.creates) != 1 {
		t.Fatalf("creates %v", r.prov.creates)
	}
	req := r.prov.creates[0]
	want, _ := Config("dslab", cluster.Topology("dslab"))
	if req.Name != "dslab" || req.NodeImage != "" || req.KubeconfigPath != r.paths.Kubeconfig() || len(req.Config.Nodes) != len(want.Nodes) {
		t.Errorf("create request %+v", req)
	}
	for _, w := range []string{"kind: • 노드 이미지(node image) 확인", "kind: ✓ 노드 이미지(node image) 확인", "노드 Ready: 4/4", "kind-dslab"} {
		if !r.saw(w) {
			t.Errorf("no progress line with %q in %q", w, r.progress)
		}
	}
	if _, err := os.Stat(r.rt.KubeconfigPath("dslab")); err != nil {
		t.Errorf("kubeconfig not exported: %v", err)
	}
	if got := r.rt.Context("dslab"); got != "kind-dslab" {
		t.Errorf("context %q", got)
	}
	// Up again is a no-op that still waits for Ready.
	if err := r.rt.Up(context.Background(), "dslab", r.onProgress); err != nil || len(r.prov.creates) != 1 {
		t.Fatalf("second Up: %v, creates %d", err, len(r.prov.creates))
	}
}

func TestUpWaitsForEveryNode(t *testing.T) {
	objs := labNodes("dslab", true)
	objs[3] = readyNode("dslab-worker3", false, nil)
	r := newRig(t, objs...)
	r.rt.readyTimeout = 200 * time.Millisecond
	err := r.rt.Up(context.Background(), "dslab", r.onProgress)
	if err == nil || !strings.Contains(err.Error(), "(3/4)") || !hasHangul(err.Error()) {
		t.Fatalf("err = %v", err)
	}
}

func TestUpImagePullFailure(t *testing.T) {
	r := newRig(t)
	// what kind returns when docker cannot pull the node image
	r.prov.createErr = kinderrors.Wrapf(&kindexec.RunError{
		Command: []string{"docker", "pull", DefaultNodeImage()},
		Output:  []byte(`Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host` + "\n"),
		Inner:   errors.New("exit status 1"),
	}, "failed to pull image %q", DefaultNodeImage())
	r.prov.createHook = func() { r.prov.containers["dslab-control-plane"] = false } // half-created
	err := r.rt.Up(context.Background(), "dslab", r.onProgress)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassImagePull {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(ce.Detail(), "no such host") {
		t.Errorf("the command output is lost: %q", ce.Detail())
	}
	if len(r.prov.containers) != 0 || len(r.prov.deletes) != 1 {
		t.Errorf("half-created cluster left: containers %v deletes %v", r.prov.containers, r.prov.deletes)
	}
	if !r.saw("kind: ✗ 노드 이미지(node image) 확인") {
		t.Errorf("progress %q", r.progress)
	}
}

func TestUpWithoutEngine(t *testing.T) {
	r := newRig(t)
	r.engine = engine.Info{Err: fmt.Errorf("neither docker nor podman found in PATH: %w", os.ErrNotExist)}
	err := r.rt.Up(context.Background(), "dslab", r.onProgress)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassNoEngine {
		t.Fatalf("err = %v", err)
	}
	if r.prov.logger != nil {
		t.Error("provider built without an engine")
	}
}

func TestUpCancelledRemovesTheCluster(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	r.prov.createHook = func() {
		cancel()
		<-release
		r.prov.mu.Lock()
		r.prov.containers["dslab-control-plane"] = true
		r.prov.mu.Unlock()
	}
	done := make(chan error, 1)
	go func() { done <- r.rt.Up(ctx, "dslab", r.onProgress) }()
	for !r.saw("취소합니다") {
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(r.prov.containers) != 0 {
		t.Errorf("containers left %v", r.prov.containers)
	}
}

func TestUpUsesLocalTagOfDefaultImage(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	r.prov.images[stripDigest(DefaultNodeImage())] = true
	if err := r.rt.Up(context.Background(), "dslab", r.onProgress); err != nil {
		t.Fatal(err)
	}
	if got := r.prov.creates[0].NodeImage; got != "kindest/node:v1.37.0" {
		t.Errorf("node image %q", got)
	}
	r2 := newRig(t, labNodes("dslab", true)...)
	r2.rt.image = "example.org/node:v1"
	if err := r2.rt.Up(context.Background(), "dslab", nil); err != nil {
		t.Fatal(err)
	}
	if got := r2.prov.creates[0].NodeImage; got != "example.org/node:v1" {
		t.Errorf("--image ignored: %q", got)
	}
}

func TestUpRestartsStoppedAndReplacesIncomplete(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	for _, n := range cluster.Topology("dslab") {
		r.prov.containers[n.Name] = false
	}
	if err := r.rt.Up(context.Background(), "dslab", r.onProgress); err != nil {
		t.Fatal(err)
	}
	if len(r.prov.creates) != 0 || len(r.prov.started) != 4 {
		t.Errorf("creates %d, started %v", len(r.prov.creates), r.prov.started)
	}

	r2 := newRig(t, labNodes("dslab", true)...)
	r2.prov.containers["dslab-control-plane"] = true // a crash left one node
	if err := r2.rt.Up(context.Background(), "dslab", r2.onProgress); err != nil {
		t.Fatal(err)
	}
	if len(r2.prov.deletes) != 1 || len(r2.prov.creates) != 1 || !r2.saw("불완전") {
		t.Errorf("deletes %v creates %d progress %q", r2.prov.deletes, len(r2.prov.creates), r2.progress)
	}
}

func TestUpSideLoadsExerciseImages(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	imgs := testImages()
	r.prov.images[imgs[0]] = true
	r.prov.images[imgs[3]] = true
	if err := r.rt.Up(context.Background(), "dslab", r.onProgress); err != nil {
		t.Fatal(err)
	}
	if len(r.prov.saved) != 1 || strings.Join(r.prov.saved[0], ",") != imgs[0]+","+imgs[3] {
		t.Errorf("saved %v", r.prov.saved)
	}
	sort.Strings(r.prov.loadedInto)
	if strings.Join(r.prov.loadedInto, ",") != "dslab-control-plane,dslab-worker,dslab-worker2,dslab-worker3" {
		t.Errorf("loaded into %v", r.prov.loadedInto)
	}
}

func TestStatusAndDown(t *testing.T) {
	r := newRig(t, labNodes("dslab", true)...)
	ctx := context.Background()
	st, err := r.rt.Status(ctx, "dslab")
	if err != nil || st.State != cluster.StateAbsent || st.Runtime != cluster.RuntimeKind {
		t.Fatalf("before up: %+v %v", st, err)
	}
	if err := r.rt.Up(ctx, "dslab", nil); err != nil {
		t.Fatal(err)
	}
	st, err = r.rt.Status(ctx, "dslab")
	if err != nil || st.State != cluster.StateRunning || len(st.Nodes) != 4 || st.Endpoint != "https://127.0.0.1:40123" || st.Context != "kind-dslab" {
		t.Fatalf("running: %+v %v", st, err)
	}
	cp := st.Nodes[0]
	if cp.Name != "dslab-control-plane" || !cp.Ready || len(cp.Taints) != 1 || cp.Taints[0].String() != "node-role.kubernetes.io/control-plane:NoSchedule" || strings.Join(cp.Roles, ",") != "control-plane" {
		t.Errorf("control plane %+v", cp)
	}

	if err := r.rt.Down(ctx, "dslab", true); err != nil {
		t.Fatal(err)
	}
	if st, _ = r.rt.Status(ctx, "dslab"); st.State != cluster.StateStopped || len(r.prov.stopped) != 4 {
		t.Fatalf("after down --keep: %+v stopped %v", st, r.prov.stopped)
	}
	if err := r.rt.Down(ctx, "dslab", false); err != nil {
		t.Fatal(err)
	}
	if st, _ = r.rt.Status(ctx, "dslab"); st.State != cluster.StateAbsent {
		t.Fatalf("after down: %+v", st)
	}
	if r.prov.deletes[0] != "dslab "+r.paths.Kubeconfig() {
		t.Errorf("delete %q: the user's kubeconfig context must go too", r.prov.deletes)
	}
	if _, err := os.Stat(r.rt.KubeconfigPath("dslab")); !os.IsNotExist(err) {
		t.Errorf("exported kubeconfig left: %v", err)
	}
	// without an engine: a cluster that had been exported is stopped, with why.
	if err := r.rt.Up(ctx, "dslab", nil); err != nil {
		t.Fatal(err)
	}
	r.engine = engine.Info{Engine: engine.Docker, Path: "/usr/bin/docker", Err: errors.New("exit status 1"), Output: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"}
	st, err = r.rt.Status(ctx, "dslab")
	if err != nil || st.State != cluster.StateStopped || !strings.Contains(st.Message, "데몬(daemon)") {
		t.Fatalf("engine down: %+v %v", st, err)
	}
}

func TestAddRemoveNodeNotSupported(t *testing.T) {
	r := newRig(t)
	if err := r.rt.AddNode(context.Background(), "dslab", cluster.NewNodeSpec("dslab-worker4", nil)); !errors.Is(err, cluster.ErrNotSupported) || !hasHangul(err.Error()) {
		t.Errorf("AddNode: %v", err)
	}
	if err := r.rt.RemoveNode(context.Background(), "dslab", "dslab-worker3"); !errors.Is(err, cluster.ErrNotSupported) {
		t.Errorf("RemoveNode: %v", err)
	}
}

func TestParseLoaded(t *testing.T) {
	out := "Loaded image: kindest/node:v1.37.0\nLoaded image: quay.io/prometheus/node-exporter:v1.8.2\nLoaded image ID: sha256:abc\n"
	got := parseLoaded(out)
	if strings.Join(got, ",") != "kindest/node:v1.37.0,quay.io/prometheus/node-exporter:v1.8.2,sha256:abc" {
		t.Errorf("docker: %q", got)
	}
	got = parseLoaded("Getting image source signatures\nLoaded image(s): localhost/a:1,quay.io/b:2\n")
	if strings.Join(got, ",") != "localhost/a:1,quay.io/b:2" {
		t.Errorf("podman: %q", got)
	}
}

// testImages stands in for the exercises' image list.
func testImages() []string {
	return []string{
		"quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
		"quay.io/prometheus/node-exporter:v1.8.2",
		"quay.io/prometheus/node-exporter:v1.9.1",
		"docker.io/library/busybox:1.37.0",
	}
}

func TestKitImages(t *testing.T) {
	exerciseImgs, err := ExerciseImages()
	if err != nil || len(exerciseImgs) == 0 {
		t.Fatalf("exercise images %v, %v", exerciseImgs, err)
	}
	kit, err := New(paths.Paths{}).KitImages()
	if err != nil {
		t.Fatal(err)
	}
	if kit[0] != DefaultNodeImage() || strings.Join(kit[1:], " ") != strings.Join(exerciseImgs, " ") {
		t.Errorf("kit %q, exercises use %q", kit, exerciseImgs)
	}
	for _, img := range kit[1:] {
		if isNodeImage(img) {
			t.Errorf("%s taken for a node image", img)
		}
	}
	if !isNodeImage(kit[0]) || !isNodeImage("kindest/node:v1.37.0") {
		t.Error("node image not recognised")
	}
	kit, err = New(paths.Paths{}, WithImage("example.org/node:v1"), WithExerciseImages(func() ([]string, error) { return nil, errors.New("broken") })).KitImages()
	if err == nil || !hasHangul(err.Error()) {
		t.Errorf("broken list: %q %v", kit, err)
	}
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
