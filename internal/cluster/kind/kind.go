// Package kind runs the lab cluster with kind (Kubernetes in Docker) through
// the sigs.k8s.io/kind Go API.
package kind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/apis/config/defaults"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	kindexec "sigs.k8s.io/kind/pkg/exec"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	nodestatus "github.com/dslab-kr/dslab/internal/cluster/nodes"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// DefaultReadyTimeout bounds the wait for every node to be Ready.
const DefaultReadyTimeout = 5 * time.Minute

// ClientFactory builds a client-go clientset from a kubeconfig file.
type ClientFactory func(kubeconfig string) (kubernetes.Interface, error)

// Runtime is the kind runtime. Build it with New.
type Runtime struct {
	paths        paths.Paths
	image        string
	log          *slog.Logger
	prober       engine.Prober
	newProvider  ProviderFactory
	newClient    ClientFactory
	readyTimeout time.Duration
	// exerciseImages lists the images of the offline kit and of
	// side-loading into new nodes.
	exerciseImages func() ([]string, error)
	poll           time.Duration
}

var _ cluster.Runtime = (*Runtime)(nil)

// Option configures the runtime.
type Option func(*Runtime)

// WithImage sets the node image (`--image`); empty means kind's default
// (DefaultNodeImage).
func WithImage(image string) Option { return func(r *Runtime) { r.image = image } }

// WithLogger receives kind's full log (including debug lines); it should
// write to a file, never to the terminal.
func WithLogger(l *slog.Logger) Option { return func(r *Runtime) { r.log = l } }

// WithProber sets how the container engine is found.
func WithProber(p engine.Prober) Option { return func(r *Runtime) { r.prober = p } }

// WithProvider replaces kind's provider (tests).
func WithProvider(f ProviderFactory) Option { return func(r *Runtime) { r.newProvider = f } }

// WithClient replaces the client-go clientset factory (tests).
func WithClient(f ClientFactory) Option { return func(r *Runtime) { r.newClient = f } }

// WithReadyTimeout bounds the wait for Ready nodes.
func WithReadyTimeout(d time.Duration) Option { return func(r *Runtime) { r.readyTimeout = d } }

// WithExerciseImages replaces the exercise image list (default:
// ExerciseImages). Up copies those the engine has into new nodes, so that
// exercises need no registry; the offline kit holds them all.
func WithExerciseImages(f func() ([]string, error)) Option {
	return func(r *Runtime) { r.exerciseImages = f }
}

// New returns the kind runtime. Kubeconfig locations come from p: kind
// merges its context "kind-<name>" into p.Kubeconfig(), and a cluster's own
// kubeconfig is written under p.ClusterDir(name).
func New(p paths.Paths, opts ...Option) *Runtime {
	r := &Runtime{
		paths:          p,
		prober:         engine.NewProber(),
		newProvider:    NewKindProvider,
		newClient:      newClientset,
		readyTimeout:   DefaultReadyTimeout,
		exerciseImages: ExerciseImages,
		poll:           time.Second,
	}
	for _, o := range opts {
		o(r)
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r
}

func newClientset(kubeconfig string) (kubernetes.Interface, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.Timeout = 15 * time.Second
	return kubernetes.NewForConfig(cfg)
}

// Name is "kind".
func (r *Runtime) Name() string { return cluster.RuntimeKind }

// Context is kind's context name, "kind-<name>".
func (r *Runtime) Context(name string) string { return "kind-" + name }

// KubeconfigPath is the cluster's own kubeconfig, exported by Up.
func (r *Runtime) KubeconfigPath(name string) string {
	return filepath.Join(r.paths.ClusterDir(name), "kind-kubeconfig")
}

// Image is the node image Up asks kind for ("" means kind's default).
func (r *Runtime) Image() string { return r.image }

// DefaultNodeImage is kind's default node image (with its digest).
func DefaultNodeImage() string { return defaults.Image }

// Engine probes the container engine.
func (r *Runtime) Engine(ctx context.Context) engine.Info { return r.prober.Probe(ctx) }

// provider probes the engine and builds a provider; the error is a
// classified *engine.Error when the engine cannot be used.
func (r *Runtime) provider(ctx context.Context, progress cluster.Progress) (Provider, engine.Info, error) {
	info := r.prober.Probe(ctx)
	if p := info.Problem(); p != nil {
		return nil, info, p
	}
	prov, err := r.newProvider(info, newProgressLogger(progress, r.log))
	if err != nil {
		return nil, info, engine.Classify(err, "")
	}
	return prov, info, nil
}

func emit(progress cluster.Progress, format string, args ...any) {
	if progress != nil {
		progress(fmt.Sprintf(format, args...))
	}
}

// Up creates the cluster, or starts its stopped node containers, and waits
// until every node is Ready. A failure is a classified *engine.Error, and a
// half-created cluster is removed again.
func (r *Runtime) Up(ctx context.Context, name string, progress cluster.Progress) error {
	if err := cluster.ValidateName("클러스터(cluster)", name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	prov, _, err := r.provider(ctx, progress)
	if err != nil {
		return err
	}
	topo := cluster.Topology(name)
	existing, err := prov.ListNodes(name)
	if err != nil {
		return r.classify(err)
	}
	if len(existing) > 0 {
		ok, err := r.resume(ctx, prov, name, topo, existingNames(existing), progress)
		if err != nil {
			return err
		}
		if ok {
			return r.finish(ctx, prov, name, topo, progress)
		}
	}

	cfg, err := Config(name, topo)
	if err != nil {
		return err
	}
	image := r.nodeImage(ctx, prov, progress)
	shown := image
	if shown == "" {
		shown = DefaultNodeImage()
	}
	emit(progress, "kind 클러스터 %q %s 만듭니다: 노드 %d개, 노드 이미지(node image) %s", name, hangul.EulReul(name), len(topo), stripDigest(shown))
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		done <- prov.Create(CreateRequest{Name: name, Config: cfg, NodeImage: image, KubeconfigPath: r.paths.Kubeconfig()})
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		// kind's create cannot be interrupted; let the current step end and
		// remove what it made.
		emit(progress, "취소합니다: kind 가 지금 단계를 마치면 만들던 클러스터를 지웁니다 …")
		<-done
		r.cleanup(prov, name, progress)
		return ctx.Err()
	}
	if err != nil {
		r.log.Error("kind create failed", "cluster", name, "after", time.Since(start), "error", fmt.Sprintf("%+v", err))
		cerr := r.classify(err)
		r.cleanup(prov, name, progress)
		return cerr
	}
	r.log.Info("kind create done", "cluster", name, "after", time.Since(start))
	if err := r.finish(ctx, prov, name, topo, progress); err != nil {
		if ctx.Err() != nil {
			r.cleanup(prov, name, progress)
		}
		return err
	}
	return nil
}

// resume handles a cluster whose containers exist: it starts stopped ones
// and reports true, or removes an incomplete cluster and reports false.
func (r *Runtime) resume(ctx context.Context, prov Provider, name string, topo []cluster.NodeSpec, have []string, progress cluster.Progress) (bool, error) {
	want := make([]string, len(topo))
	for i, n := range topo {
		want[i] = n.Name
	}
	sort.Strings(want)
	if strings.Join(want, ",") != strings.Join(have, ",") {
		emit(progress, "kind 클러스터 %q %s 불완전합니다 (노드 %s). 지우고 새로 만듭니다", name, hangul.IGa(name), strings.Join(have, ", "))
		if err := prov.Delete(name, r.paths.Kubeconfig()); err != nil {
			return false, r.classify(err)
		}
		return false, nil
	}
	running, err := prov.Running(ctx, have)
	if err != nil {
		return false, r.classify(err)
	}
	var stopped []string
	for _, n := range have {
		if !running[n] {
			stopped = append(stopped, n)
		}
	}
	if len(stopped) > 0 {
		emit(progress, "멈춰 있던 kind 노드를 다시 시작합니다: %s", strings.Join(stopped, ", "))
		if err := prov.Start(ctx, stopped); err != nil {
			return false, r.classify(err)
		}
	} else {
		emit(progress, "kind 클러스터 %q %s 이미 있습니다", name, hangul.IGa(name))
	}
	return true, nil
}

// finish exports the kubeconfig, waits for Ready nodes and side-loads the
// exercise images.
func (r *Runtime) finish(ctx context.Context, prov Provider, name string, topo []cluster.NodeSpec, progress cluster.Progress) error {
	kc := r.KubeconfigPath(name)
	if err := os.MkdirAll(filepath.Dir(kc), 0o700); err != nil {
		return fmt.Errorf("클러스터 디렉터리(directory)를 만들 수 없습니다: %w", err)
	}
	if err := prov.ExportKubeConfig(name, kc); err != nil {
		return r.classify(err)
	}
	_ = os.Chmod(kc, 0o600)
	if err := r.waitReady(ctx, name, topo, progress); err != nil {
		return err
	}
	r.sideLoadImages(ctx, prov, name, progress)
	emit(progress, "kind 클러스터 %q 준비 완료: kubectl 컨텍스트(context) %s", name, r.Context(name))
	return nil
}

func (r *Runtime) waitReady(ctx context.Context, name string, topo []cluster.NodeSpec, progress cluster.Progress) error {
	client, err := r.newClient(r.KubeconfigPath(name))
	if err != nil {
		return fmt.Errorf("kubeconfig %s %s 읽을 수 없습니다: %w", r.KubeconfigPath(name), hangul.EulReul(r.KubeconfigPath(name)), err)
	}
	ctx, cancel := context.WithTimeout(ctx, r.readyTimeout)
	defer cancel()
	last := -1
	var lastErr error
	for {
		ready, err := readyNodes(ctx, client)
		if err == nil {
			n := 0
			for _, t := range topo {
				if ready[t.Name] {
					n++
				}
			}
			if n != last {
				emit(progress, "노드 Ready: %d/%d", n, len(topo))
				last = n
			}
			if n == len(topo) {
				return nil
			}
		} else {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				msg := fmt.Sprintf("kind 클러스터 %q 의 노드가 %s 안에 모두 Ready 가 되지 않았습니다 (%d/%d)", name, r.readyTimeout, max(last, 0), len(topo))
				if lastErr != nil {
					msg += fmt.Sprintf(": %v", lastErr)
				}
				return errors.New(msg + "\n  → 해결: dslab cluster status 로 노드 상태를 보고, 컴퓨터 자원(CPU/메모리)이 부족하지 않은지 dslab doctor 로 확인하세요")
			}
			return ctx.Err()
		case <-time.After(r.poll):
		}
	}
}

func readyNodes(ctx context.Context, client kubernetes.Interface) (map[string]bool, error) {
	list, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range list.Items {
		out[n.Name] = nodestatus.Ready(&n)
	}
	return out, nil
}

// nodeImage picks the node image: the --image one, else kind's default; when
// the default (pinned by digest) is not in the engine but the same tag is
// (an archive from `dslab images load` loses the digest), that tag.
func (r *Runtime) nodeImage(ctx context.Context, prov Provider, progress cluster.Progress) string {
	if r.image != "" {
		return r.image
	}
	def := DefaultNodeImage()
	if prov.ImagePresent(ctx, def) {
		return ""
	}
	if tag := stripDigest(def); tag != def && prov.ImagePresent(ctx, tag) {
		emit(progress, "로컬에 있는 노드 이미지 %s %s 씁니다 (오프라인 키트(offline kit))", tag, hangul.EulReul(tag))
		return tag
	}
	return ""
}

func stripDigest(image string) string {
	if i := strings.Index(image, "@sha256:"); i >= 0 {
		return image[:i]
	}
	return image
}

// classify turns a kind error into a classified *engine.Error, using the
// output of the command that failed.
func (r *Runtime) classify(err error) error {
	if err == nil {
		return nil
	}
	var ce *engine.Error
	if errors.As(err, &ce) {
		return ce
	}
	output := ""
	if re := kindexec.RunErrorForError(err); re != nil {
		output = string(re.Output)
	}
	return engine.Classify(err, output)
}

// cleanup removes a half-created cluster (kind usually did already).
func (r *Runtime) cleanup(prov Provider, name string, progress cluster.Progress) {
	left, err := prov.ListNodes(name)
	if err == nil && len(left) == 0 {
		return
	}
	emit(progress, "만들다 만 kind 클러스터 %q %s 지웁니다", name, hangul.EulReul(name))
	if err := prov.Delete(name, r.paths.Kubeconfig()); err != nil {
		r.log.Error("cleanup of half-created kind cluster failed", "cluster", name, "error", err)
		emit(progress, "경고: kind 클러스터 %q %s 지우지 못했습니다: %v (kind delete cluster --name %s %s 지우세요)", name, hangul.EulReul(name), err, name, hangul.EuroRo(name))
	}
	_ = os.Remove(r.KubeconfigPath(name))
}

// Down deletes the cluster (its containers and its kubeconfig context), or
// with keepData only stops its containers so that Up starts them again.
func (r *Runtime) Down(ctx context.Context, name string, keepData bool) error {
	if err := cluster.ValidateName("클러스터(cluster)", name); err != nil {
		return err
	}
	prov, _, err := r.provider(ctx, nil)
	if err != nil {
		if !keepData {
			// Nothing can run without the engine; forget the cluster's files
			// so that a later Up starts clean.
			_ = os.Remove(r.KubeconfigPath(name))
		}
		return err
	}
	existing, err := prov.ListNodes(name)
	if err != nil {
		return r.classify(err)
	}
	if keepData {
		if len(existing) == 0 {
			return nil
		}
		return r.classify(prov.Stop(ctx, existingNames(existing)))
	}
	if len(existing) > 0 {
		if err := prov.Delete(name, r.paths.Kubeconfig()); err != nil {
			return r.classify(err)
		}
	}
	if err := os.Remove(r.KubeconfigPath(name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// Status reports the node containers and, when they run, the nodes as the
// API server sees them.
func (r *Runtime) Status(ctx context.Context, name string) (cluster.Status, error) {
	st := cluster.Status{Name: name, Runtime: cluster.RuntimeKind, State: cluster.StateAbsent, Context: r.Context(name)}
	if err := cluster.ValidateName("클러스터(cluster)", name); err != nil {
		return st, err
	}
	prov, _, err := r.provider(ctx, nil)
	if err != nil {
		var ce *engine.Error
		if errors.As(err, &ce) {
			if _, serr := os.Stat(r.KubeconfigPath(name)); serr == nil {
				st.State = cluster.StateStopped
				st.Kubeconfig = r.KubeconfigPath(name)
			}
			st.Message = ce.Message()
			return st, nil
		}
		return st, err
	}
	existing, err := prov.ListNodes(name)
	if err != nil {
		return st, r.classify(err)
	}
	if len(existing) == 0 {
		return st, nil
	}
	names := existingNames(existing)
	running, err := prov.Running(ctx, names)
	if err != nil {
		return st, r.classify(err)
	}
	up := 0
	for _, n := range names {
		if running[n] {
			up++
		}
	}
	st.Kubeconfig = r.KubeconfigPath(name)
	switch {
	case up == 0:
		st.State = cluster.StateStopped
		st.Message = "노드 컨테이너가 모두 멈춰 있습니다. dslab cluster up 으로 다시 시작하세요"
		for _, n := range names {
			st.Nodes = append(st.Nodes, cluster.NodeStatus{Name: n})
		}
		return st, nil
	case up < len(names):
		st.State = cluster.StateDegraded
		st.Message = fmt.Sprintf("노드 컨테이너 %d개 중 %d개만 실행 중입니다", len(names), up)
	}
	if _, err := os.Stat(st.Kubeconfig); err != nil {
		if err := prov.ExportKubeConfig(name, st.Kubeconfig); err != nil {
			st.State = cluster.StateDegraded
			st.Message = fmt.Sprintf("kubeconfig 를 내보낼 수 없습니다: %v", err)
			return st, nil
		}
	}
	if cfg, err := clientcmd.LoadFromFile(st.Kubeconfig); err == nil {
		if c, ok := cfg.Clusters[r.Context(name)]; ok {
			st.Endpoint = c.Server
		}
	}
	client, err := r.newClient(st.Kubeconfig)
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		var list *corev1.NodeList
		list, err = client.CoreV1().Nodes().List(sctx, metav1.ListOptions{})
		if err == nil {
			st.Nodes = nodestatus.Statuses(list.Items)
			for i := range st.Nodes {
				if run, known := running[st.Nodes[i].Name]; known && !run {
					st.Nodes[i].Stopped = true
				}
			}
		}
	}
	if err != nil {
		st.State = cluster.StateDegraded
		st.Message = fmt.Sprintf("API 서버(API server)에 연결할 수 없습니다: %v", err)
		return st, nil
	}
	if st.State == cluster.StateAbsent {
		st.State = cluster.StateRunning
		ready := 0
		for _, n := range st.Nodes {
			if n.Ready {
				ready++
			}
		}
		if ready < len(cluster.Topology(name)) {
			st.State = cluster.StateDegraded
			st.Message = fmt.Sprintf("Ready 노드 %d/%d", ready, len(cluster.Topology(name)))
		}
	}
	return st, nil
}

// AddNode is not supported: kind cannot add nodes to a running cluster.
func (r *Runtime) AddNode(ctx context.Context, name string, node cluster.NodeSpec) error {
	return fmt.Errorf("kind 런타임은 만들어진 클러스터에 노드를 더할 수 없습니다 (embedded 런타임에서는 됩니다): %w", cluster.ErrNotSupported)
}

// RemoveNode is not supported by kind either.
func (r *Runtime) RemoveNode(ctx context.Context, name string, nodeName string) error {
	return fmt.Errorf("kind 런타임은 만들어진 클러스터에서 노드를 뺄 수 없습니다 (embedded 런타임에서는 됩니다): %w", cluster.ErrNotSupported)
}

// StopNode stops the node's container (`docker stop`), as if the machine
// went down; kubelet, containerd and every pod on it stop with it.
func (r *Runtime) StopNode(ctx context.Context, name, nodeName string) error {
	prov, err := r.workerContainer(ctx, name, nodeName)
	if err != nil {
		return err
	}
	return r.classify(prov.Stop(ctx, []string{nodeName}))
}

// StartNode starts the node's container again (`docker start`); its
// kubelet registers again and the node becomes Ready.
func (r *Runtime) StartNode(ctx context.Context, name, nodeName string) error {
	prov, err := r.workerContainer(ctx, name, nodeName)
	if err != nil {
		return err
	}
	return r.classify(prov.Start(ctx, []string{nodeName}))
}

// workerContainer checks that nodeName is a worker node container of
// cluster name (kind names a node's container after the node).
func (r *Runtime) workerContainer(ctx context.Context, name, nodeName string) (Provider, error) {
	if err := cluster.ValidateName("클러스터(cluster)", name); err != nil {
		return nil, err
	}
	prov, _, err := r.provider(ctx, nil)
	if err != nil {
		return nil, err
	}
	existing, err := prov.ListNodes(name)
	if err != nil {
		return nil, r.classify(err)
	}
	if len(existing) == 0 {
		return nil, fmt.Errorf("kind 클러스터 %q %s 없습니다. 먼저 dslab cluster up 을 실행하세요", name, hangul.IGa(name))
	}
	for _, n := range existing {
		if n.String() != nodeName {
			continue
		}
		if role, _ := n.Role(); role == "control-plane" || nodeName == name+"-control-plane" {
			return nil, fmt.Errorf("컨트롤 플레인 노드 %s %s 멈출 수 없습니다: 클러스터 전체가 멈춥니다. 워커 노드를 고르세요 (control-plane)", nodeName, hangul.EunNeun(nodeName))
		}
		return prov, nil
	}
	return nil, fmt.Errorf("kind 클러스터 %q 에 노드 %s %s 없습니다 (노드: %s)", name, nodeName, hangul.IGa(nodeName), strings.Join(existingNames(existing), ", "))
}

// Clusters lists every kind cluster on the engine (for `dslab doctor`).
func (r *Runtime) Clusters(ctx context.Context) ([]string, error) {
	prov, _, err := r.provider(ctx, nil)
	if err != nil {
		return nil, err
	}
	names, err := prov.List()
	return names, r.classify(err)
}

// NodeImagePresent reports whether the node image Up would use is in the
// engine (the default or its tag without digest, or the --image one).
func (r *Runtime) NodeImagePresent(ctx context.Context) (string, bool, error) {
	prov, _, err := r.provider(ctx, nil)
	if err != nil {
		return "", false, err
	}
	if r.image != "" {
		return r.image, prov.ImagePresent(ctx, r.image), nil
	}
	def := DefaultNodeImage()
	if prov.ImagePresent(ctx, def) {
		return stripDigest(def), true, nil
	}
	tag := stripDigest(def)
	return tag, prov.ImagePresent(ctx, tag), nil
}

func existingNames(ns []nodes.Node) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, n.String())
	}
	sort.Strings(out)
	return out
}
