// Package embedded is the runtime that runs a real Kubernetes control plane
// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler built from
// k8s.io/kubernetes) on this machine with simulated kubelets. This file is
// the client side used by the CLI and TUI; the supervisor subpackage is the
// long-running side.
package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded/kubeletsim"
	"github.com/dslab-kr/dslab/internal/cluster/nodes"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// Runtime implements cluster.Runtime with an embedded control plane.
type Runtime struct {
	paths      paths.Paths
	executable string
	log        *slog.Logger
	startLimit time.Duration
}

var _ cluster.Runtime = (*Runtime)(nil)

// Option configures a Runtime.
type Option func(*Runtime)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(r *Runtime) { r.log = l } }

// WithStartTimeout bounds how long Up waits for the cluster (default 3m).
func WithStartTimeout(d time.Duration) Option { return func(r *Runtime) { r.startLimit = d } }

// New returns the embedded runtime. executable is the dslab binary that is
// re-exec'd as the supervisor and the control-plane components.
func New(p paths.Paths, executable string, opts ...Option) *Runtime {
	r := &Runtime{paths: p, executable: executable, log: slog.New(slog.DiscardHandler), startLimit: 3 * time.Minute}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Name implements cluster.Runtime.
func (r *Runtime) Name() string { return cluster.RuntimeEmbedded }

// Dir is the state directory of cluster name.
func (r *Runtime) Dir(name string) Dir { return Dir(r.paths.ClusterDir(name)) }

// KubeconfigPath implements cluster.Runtime.
func (r *Runtime) KubeconfigPath(name string) string { return r.Dir(name).AdminKubeconfig() }

// Context implements cluster.Runtime: the context is named after the cluster.
func (r *Runtime) Context(name string) string { return name }

// Error is an embedded-runtime failure with a Korean explanation for the
// learner and the technical detail (log tail) kept apart.
type Error struct {
	Message string // Korean, for the learner
	Detail  string // technical (log tail), may be empty
	Err     error
}

func (e *Error) Error() string {
	s := e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Detail != "" {
		s += "\n" + e.Detail
	}
	return s
}
func (e *Error) Unwrap() error { return e.Err }

// Up implements cluster.Runtime.
func (r *Runtime) Up(ctx context.Context, name string, progress cluster.Progress) error {
	if progress == nil {
		progress = func(string) {}
	}
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return err
	}
	if err := platformSupported(); err != nil {
		return err
	}
	start := time.Now()
	d := r.Dir(name)
	if err := os.MkdirAll(d.Logs(), 0o700); err != nil {
		return &Error{Message: "클러스터 상태 디렉터리를 만들 수 없습니다 (" + string(d) + ")", Err: err}
	}
	var exited chan error
	if d.SupervisorRunning() && r.exposeChanged(d) {
		progress("API 서버 공개(--expose) 설정이 바뀌어 클러스터 " + name + " " + hangul.EulReul(name) + " 데이터는 그대로 두고 다시 시작합니다")
		if err := r.stop(ctx, d); err != nil {
			return err
		}
	}
	if d.SupervisorRunning() {
		progress("클러스터 " + name + " " + hangul.IGa(name) + " 이미 실행 중입니다. 상태를 확인합니다")
	} else {
		if d.Exists() {
			progress("중지된 클러스터 " + name + " " + hangul.EulReul(name) + " 저장된 데이터로 다시 시작합니다")
		} else {
			progress("새 클러스터 " + name + " " + hangul.EulReul(name) + " 만듭니다 (embedded: etcd + kube-apiserver + kube-controller-manager + kube-scheduler)")
		}
		_ = os.Remove(d.StatusFile())
		var err error
		if exited, err = r.spawnSupervisor(name, d); err != nil {
			return &Error{Message: "클러스터 관리 프로세스(supervisor)를 시작할 수 없습니다", Err: err}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.startLimit)
	defer cancel()
	if err := r.waitRunning(ctx, d, exited, progress); err != nil {
		return err
	}
	client, err := r.client(name)
	if err != nil {
		return err
	}
	stopped, err := d.LoadStoppedNodes()
	if err != nil {
		return &Error{Message: "멈춘 노드 목록(stopped-nodes.json)을 읽을 수 없습니다", Err: err}
	}
	if len(stopped) > 0 {
		progress("멈춘 노드(dslab cluster node stop)는 그대로 둡니다: " + strings.Join(stopped, ", ") + " (다시 켜려면 dslab cluster node start 노드)")
	}
	if err := waitNodesReady(ctx, client, stopped, progress); err != nil {
		return &Error{Message: "노드가 준비(Ready) 상태가 되지 않았습니다", Detail: logTail(d.Log("supervisor"), 10), Err: err}
	}
	if err := MergeKubeconfig(d.AdminKubeconfig(), r.paths.Kubeconfig(), r.Context(name)); err != nil {
		return &Error{Message: "kubeconfig 에 컨텍스트(context) " + name + " " + hangul.EulReul(name) + " 추가할 수 없습니다 (" + r.paths.Kubeconfig() + ")", Err: err}
	}
	progress(fmt.Sprintf("클러스터 %s 준비 완료 (%.1f초). kubectl 컨텍스트: %s", name, time.Since(start).Seconds(), r.Context(name)))
	return nil
}

// SetExpose records the --expose setting of cluster name; the next Up
// applies it (restarting a running cluster whose setting differs).
func (r *Runtime) SetExpose(name string, e Expose) error {
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return err
	}
	if err := r.Dir(name).SaveExpose(e); err != nil {
		return &Error{Message: "API 서버 공개(--expose) 설정을 저장할 수 없습니다", Err: err}
	}
	return nil
}

// Exposure is how a running cluster is reachable from other machines.
type Exposure struct {
	Setting Expose   // expose.json
	URLs    []string // API server URLs the running supervisor forwards on
	Port    int      // the API server port
}

// Exposure reports the --expose setting of cluster name and, when it
// runs, the URLs it is reachable on.
func (r *Runtime) Exposure(name string) (Exposure, error) {
	d := r.Dir(name)
	var x Exposure
	e, err := d.LoadExpose()
	if err != nil {
		return x, err
	}
	x.Setting = e
	if cfg, err := d.LoadConfig(); err == nil {
		x.Port = cfg.Ports.APIServer
	}
	if d.SupervisorRunning() {
		if st, err := d.LoadStatus(); err == nil {
			x.URLs = st.Exposed
		}
	}
	return x, nil
}

// exposeChanged reports whether the running supervisor started with
// another --expose setting than the one recorded now.
func (r *Runtime) exposeChanged(d Dir) bool {
	want, err := d.LoadExpose()
	if err != nil {
		return false
	}
	st, err := d.LoadStatus()
	if err != nil || st.Phase != PhaseRunning {
		return false
	}
	if !want.Enabled() {
		return st.Expose != ""
	}
	return st.Expose != want.String()
}

func (r *Runtime) spawnSupervisor(name string, d Dir) (chan error, error) {
	logFile, err := os.OpenFile(d.Log("supervisor"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(r.executable, "__supervisor", "--name", name, "--dir", string(d))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Dir = string(d)
	// A session of its own: the cluster outlives the CLI or TUI, and ^C in
	// the terminal does not reach it.
	cmd.SysProcAttr = sessionProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r.log.Info("supervisor started", "pid", cmd.Process.Pid, "cluster", name)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return exited, nil
}

// exitAlreadyRunning mirrors supervisor.ExitAlreadyRunning (kept here so the
// client does not link the supervisor).
const exitAlreadyRunning = 3

func (r *Runtime) waitRunning(ctx context.Context, d Dir, exited chan error, progress cluster.Progress) error {
	lastStep := ""
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := d.LoadStatus()
		if err == nil {
			switch st.Phase {
			case PhaseRunning:
				return nil
			case PhaseFailed:
				return &Error{Message: "클러스터를 시작하지 못했습니다", Detail: logTail(d.Log("supervisor"), 15), Err: errors.New(st.Error)}
			}
			if st.Step != "" && st.Step != lastStep {
				lastStep = st.Step
				progress(st.Step)
			}
		}
		select {
		case <-ctx.Done():
			return &Error{Message: "클러스터가 제한 시간 안에 시작되지 않았습니다", Detail: logTail(d.Log("supervisor"), 15), Err: ctx.Err()}
		case err := <-exited:
			var ee *exec.ExitError
			if errors.As(err, &ee) && ee.ExitCode() == exitAlreadyRunning {
				exited = nil // another `up` won the race; follow its supervisor
				continue
			}
			if st, serr := d.LoadStatus(); serr == nil && st.Phase == PhaseFailed && st.Error != "" {
				err = errors.New(st.Error)
			}
			return &Error{Message: "클러스터 관리 프로세스(supervisor)가 시작 중에 종료되었습니다", Detail: logTail(d.Log("supervisor"), 15), Err: err}
		case <-tick.C:
		}
	}
}

// waitNodesReady waits until every simulated node except the stopped ones
// is Ready and carries no not-ready taint.
func waitNodesReady(ctx context.Context, client kubernetes.Interface, stopped []string, progress cluster.Progress) error {
	last := ""
	skip := map[string]bool{}
	for _, n := range stopped {
		skip[n] = true
	}
	for {
		nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err == nil && len(nodes.Items) > 0 {
			ready, want := 0, 0
			for i := range nodes.Items {
				if skip[nodes.Items[i].Name] {
					continue
				}
				want++
				if nodeSchedulableReady(&nodes.Items[i]) {
					ready++
				}
			}
			msg := fmt.Sprintf("노드 준비 대기 중 (%d/%d Ready)", ready, want)
			if msg != last {
				progress(msg)
				last = msg
			}
			if ready == want {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return err
			}
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func nodeSchedulableReady(n *corev1.Node) bool {
	for _, t := range n.Spec.Taints {
		if t.Key == corev1.TaintNodeNotReady || t.Key == corev1.TaintNodeUnreachable {
			return false
		}
	}
	return nodes.Ready(n)
}

// Down implements cluster.Runtime.
func (r *Runtime) Down(ctx context.Context, name string, keepData bool) error {
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return err
	}
	d := r.Dir(name)
	if err := r.stop(ctx, d); err != nil {
		return err
	}
	if keepData {
		return nil
	}
	if err := os.RemoveAll(string(d)); err != nil {
		return &Error{Message: "클러스터 데이터를 지울 수 없습니다 (" + string(d) + ")", Err: err}
	}
	if err := RemoveFromKubeconfig(r.paths.Kubeconfig(), r.Context(name)); err != nil {
		return &Error{Message: "kubeconfig 에서 컨텍스트(context) " + name + " " + hangul.EulReul(name) + " 지울 수 없습니다", Err: err}
	}
	return nil
}

// stop ends the supervisor (SIGTERM, then SIGKILL of its process group) and
// makes sure no component it started survives.
func (r *Runtime) stop(ctx context.Context, d Dir) error {
	st, _ := d.LoadStatus()
	if d.SupervisorRunning() {
		pid := d.SupervisorPID()
		if pid <= 0 {
			pid = st.PID
		}
		if pid > 0 {
			_ = terminateProcess(pid)
		}
		deadline := time.Now().Add(30 * time.Second)
		for d.SupervisorRunning() && time.Now().Before(deadline) && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
		}
		if d.SupervisorRunning() && pid > 0 {
			r.log.Warn("supervisor did not stop in time; killing its process group", "pid", pid)
			_ = killProcessGroup(pid)
			for i := 0; d.SupervisorRunning() && i < 100; i++ {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if d.SupervisorRunning() {
			return &Error{Message: fmt.Sprintf("클러스터 관리 프로세스(supervisor, pid %d)를 멈출 수 없습니다", pid)}
		}
	}
	// Components die with the supervisor (Pdeathsig on Linux; elsewhere the
	// supervisor stops them itself); make sure of it.
	for _, c := range st.Components {
		if c.PID > 0 && processIsComponent(c.PID) {
			_ = killProcess(c.PID)
		}
	}
	return nil
}

// Status implements cluster.Runtime: absent without a state directory,
// stopped without a supervisor; with one, the phase it writes to status.json
// (supervisor/status.go) says starting or stopping (while `cluster down`
// stops it, from any terminal), else running, or degraded when a component
// restarts or the API server does not answer.
func (r *Runtime) Status(ctx context.Context, name string) (cluster.Status, error) {
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return cluster.Status{}, err
	}
	d := r.Dir(name)
	s := cluster.Status{Name: name, Runtime: r.Name(), State: cluster.StateAbsent}
	if !d.Exists() {
		return s, nil
	}
	s.Kubeconfig = d.AdminKubeconfig()
	s.Context = r.Context(name)
	if cfg, err := d.LoadConfig(); err == nil {
		s.Endpoint = Server(cfg.Ports.APIServer)
	}
	if !d.SupervisorRunning() {
		s.State = cluster.StateStopped
		return s, nil
	}
	st, err := d.LoadStatus()
	switch {
	case err != nil || st.Phase == PhaseStarting:
		s.State = cluster.StateStarting
		return s, nil
	case st.Phase == PhaseStopping || st.Phase == PhaseStopped:
		// The supervisor got `cluster down`'s signal and is stopping its
		// components (it writes stopped just before it lets go of the
		// lock): the components that are gone are not a fault.
		s.State, s.Message = cluster.StateStopping, "클러스터를 멈추는 중입니다 (cluster down): 구성 요소가 차례로 끝납니다"
		return s, nil
	case st.Phase == PhaseFailed:
		s.State, s.Message = cluster.StateDegraded, "클러스터 관리 프로세스(supervisor)가 실패해 끝나는 중입니다: "+st.Error
		return s, nil
	}
	s.State = cluster.StateRunning
	var down []string
	for _, c := range st.Components {
		if !c.Running {
			down = append(down, c.Name)
		}
	}
	client, err := r.client(name)
	if err != nil {
		s.State, s.Message = cluster.StateDegraded, err.Error()
		return s, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	nodeList, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		s.State, s.Message = cluster.StateDegraded, "API 서버(kube-apiserver)에 연결할 수 없습니다: "+err.Error()
		return s, nil
	}
	s.Nodes = nodes.Statuses(nodeList.Items)
	stopped, err := d.LoadStoppedNodes()
	if err == nil {
		for i := range s.Nodes {
			s.Nodes[i].Stopped = slices.Contains(stopped, s.Nodes[i].Name)
		}
	}
	if len(down) > 0 {
		s.State, s.Message = cluster.StateDegraded, "재시작 중인 구성 요소: "+strings.Join(down, ", ")
	} else if len(stopped) > 0 {
		s.Message = "멈춘 노드(node stop): " + strings.Join(stopped, ", ") + " — dslab cluster node start 노드 로 다시 켭니다"
	}
	return s, nil
}

// RESTConfig returns the admin client configuration of cluster name.
func (r *Runtime) RESTConfig(name string) (*rest.Config, error) {
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: r.KubeconfigPath(name)}, nil).ClientConfig()
	if err != nil {
		return nil, &Error{Message: "클러스터의 kubeconfig 를 읽을 수 없습니다", Err: err}
	}
	return cfg, nil
}

func (r *Runtime) client(name string) (kubernetes.Interface, error) {
	cfg, err := r.RESTConfig(name)
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(cfg)
}

func (r *Runtime) requireRunning(name string) (kubernetes.Interface, error) {
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return nil, err
	}
	if !r.Dir(name).SupervisorRunning() {
		return nil, &Error{Message: "클러스터 " + name + " " + hangul.IGa(name) + " 실행 중이 아닙니다. 먼저 dslab cluster up 을 실행하세요"}
	}
	return r.client(name)
}

// AddNode implements cluster.Runtime: registers a simulated node and waits
// until it is Ready.
func (r *Runtime) AddNode(ctx context.Context, name string, node cluster.NodeSpec) error {
	if err := cluster.ValidateName("노드", node.Name); err != nil {
		return err
	}
	client, err := r.requireRunning(name)
	if err != nil {
		return err
	}
	if _, err := client.CoreV1().Nodes().Get(ctx, node.Name, metav1.GetOptions{}); err == nil {
		return &Error{Message: "노드 " + node.Name + " " + hangul.IGa(node.Name) + " 이미 있습니다"}
	}
	if _, err := kubeletsim.RegisterNode(ctx, client, node); err != nil {
		return &Error{Message: "노드 " + node.Name + " " + hangul.EulReul(node.Name) + " 추가할 수 없습니다", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	stopped, _ := r.Dir(name).LoadStoppedNodes()
	if err := waitNodesReady(ctx, client, stopped, func(string) {}); err != nil {
		return &Error{Message: "노드 " + node.Name + " " + hangul.IGa(node.Name) + " 준비(Ready) 상태가 되지 않았습니다", Err: err}
	}
	return nil
}

// RemoveNode implements cluster.Runtime: deletes the node; the simulator
// removes its pods, as the pod garbage collector would.
func (r *Runtime) RemoveNode(ctx context.Context, name, nodeName string) error {
	client, err := r.requireRunning(name)
	if err != nil {
		return err
	}
	node, err := client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return &Error{Message: "노드 " + nodeName + " " + hangul.IGa(nodeName) + " 없습니다"}
	}
	if err != nil {
		return &Error{Message: "노드 " + nodeName + " " + hangul.EulReul(nodeName) + " 조회할 수 없습니다", Err: err}
	}
	if _, cp := node.Labels[cluster.LabelControlPlane]; cp {
		return &Error{Message: "컨트롤 플레인 노드 " + nodeName + " " + hangul.EunNeun(nodeName) + " 제거할 수 없습니다 (control-plane)"}
	}
	if err := client.CoreV1().Nodes().Delete(ctx, nodeName, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return &Error{Message: "노드 " + nodeName + " " + hangul.EulReul(nodeName) + " 제거할 수 없습니다", Err: err}
	}
	// A node added again under this name starts with a running kubelet.
	return r.setStopped(name, nodeName, false)
}

// StopNode implements cluster.Runtime: the node's simulated kubelet stops
// renewing its Lease (kube-node-lease), stops posting node status and stops
// syncing its pods. The stopped set is kept in stopped-nodes.json, which
// the running supervisor follows within about half a second and a
// restarted one starts with.
func (r *Runtime) StopNode(ctx context.Context, name, nodeName string) error {
	if err := r.checkStoppable(ctx, name, nodeName); err != nil {
		return err
	}
	return r.setStopped(name, nodeName, true)
}

// StartNode implements cluster.Runtime: the node's simulated kubelet sends
// a heartbeat at once and syncs its pods again.
func (r *Runtime) StartNode(ctx context.Context, name, nodeName string) error {
	if err := r.checkStoppable(ctx, name, nodeName); err != nil {
		return err
	}
	return r.setStopped(name, nodeName, false)
}

// checkStoppable requires a running cluster with a simulated worker node
// called nodeName.
func (r *Runtime) checkStoppable(ctx context.Context, name, nodeName string) error {
	client, err := r.requireRunning(name)
	if err != nil {
		return err
	}
	node, err := client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return &Error{Message: "노드 " + nodeName + " " + hangul.IGa(nodeName) + " 없습니다 (dslab kubectl get nodes 로 이름을 확인하세요)"}
	}
	if err != nil {
		return &Error{Message: "노드 " + nodeName + " " + hangul.EulReul(nodeName) + " 조회할 수 없습니다", Err: err}
	}
	if _, cp := node.Labels[cluster.LabelControlPlane]; cp {
		return &Error{Message: "컨트롤 플레인 노드 " + nodeName + " " + hangul.EunNeun(nodeName) + " 멈출 수 없습니다: 워커 노드를 고르세요 (control-plane)"}
	}
	if !kubeletsim.IsSimulated(node) {
		return &Error{Message: "노드 " + nodeName + " " + hangul.EunNeun(nodeName) + " dslab 이 시뮬레이션하는 노드가 아닙니다"}
	}
	return nil
}

// setStopped adds nodeName to (or removes it from) stopped-nodes.json.
func (r *Runtime) setStopped(name, nodeName string, stop bool) error {
	return r.setStoppedIn(r.Dir(name), nodeName, stop)
}

func (r *Runtime) setStoppedIn(d Dir, nodeName string, stop bool) error {
	cur, err := d.LoadStoppedNodes()
	if err != nil {
		return &Error{Message: "멈춘 노드 목록(stopped-nodes.json)을 읽을 수 없습니다", Err: err}
	}
	next := slices.DeleteFunc(slices.Clone(cur), func(n string) bool { return n == nodeName })
	if stop {
		next = append(next, nodeName)
	}
	if slices.Equal(normalizeNodes(next), cur) {
		return nil
	}
	if err := d.SaveStoppedNodes(next); err != nil {
		return &Error{Message: "멈춘 노드 목록(stopped-nodes.json)을 저장할 수 없습니다", Err: err}
	}
	return nil
}

// logTail returns the last n lines of a log file (for error details).
func logTail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "--- " + path + " (마지막 " + fmt.Sprint(len(lines)) + "줄) ---\n" + strings.Join(lines, "\n")
}
