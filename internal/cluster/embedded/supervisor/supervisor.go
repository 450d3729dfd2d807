// Package supervisor runs one embedded cluster: etcd in-process, and
// kube-apiserver, kube-controller-manager and kube-scheduler as supervised
// child processes (re-execs of the dslab binary), plus the kubelet
// simulator. It is started detached by `dslab cluster up` as the hidden
// command `dslab __supervisor` and outlives the CLI or TUI that started it.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/cluster/embedded/kubeletsim"
)

// Options configure a supervisor run.
type Options struct {
	Name       string
	Dir        embedded.Dir
	Executable string // the dslab binary to re-exec for components
	Logger     *slog.Logger
}

// ErrAlreadyRunning means another supervisor holds the cluster's lock.
var ErrAlreadyRunning = errors.New("another dslab supervisor already runs this cluster")

// ExitAlreadyRunning is the supervisor's exit code for ErrAlreadyRunning.
const ExitAlreadyRunning = 3

// Run brings the cluster up and keeps it running until ctx is done, then
// stops everything it started.
func Run(ctx context.Context, o Options) (err error) {
	log := o.Logger
	if err := os.MkdirAll(o.Dir.Logs(), 0o700); err != nil {
		return err
	}
	lock, err := o.Dir.TryLock()
	if err != nil {
		if errors.Is(err, embedded.ErrLocked) {
			return ErrAlreadyRunning
		}
		return err
	}
	defer lock.Close()
	if err := os.WriteFile(o.Dir.PID(), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(o.Dir.PID())

	status := newStatusWriter(o.Dir, func(err error) { log.Warn("write status", "err", err) })
	defer func() {
		if err != nil {
			status.fail(err)
		} else {
			status.step(embedded.PhaseStopped, "")
		}
	}()
	status.step(embedded.PhaseStarting, "설정과 인증서 준비")

	cfg, err := o.Dir.LoadConfig()
	if err != nil {
		if !os.IsNotExist(err) {
			return err
		}
		cfg = embedded.Config{Name: o.Name, Runtime: cluster.RuntimeEmbedded, Created: time.Now()}
	}
	changed, err := embedded.EnsurePorts(&cfg.Ports)
	if err != nil {
		return err
	}
	if len(changed) > 0 {
		log.Info("ports were taken; using new ones", "changed", changed)
	}
	if err := o.Dir.SaveConfig(cfg); err != nil {
		return err
	}
	expose, exposeIPs, err := exposeAddrs(o.Dir)
	if err != nil {
		return err
	}
	pki := o.Dir.PKI()
	if err := pki.Ensure(time.Now(), exposeIPs...); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if len(exposeIPs) > 0 {
		fwd, err := startForwarder(expose, exposeIPs, cfg.Ports.APIServer, log)
		if err != nil {
			return err
		}
		defer fwd.Close()
		var urls []string
		for _, a := range fwd.Addrs() {
			host, _, _ := net.SplitHostPort(a)
			urls = append(urls, embedded.ExposedURL(host, cfg.Ports.APIServer))
		}
		status.update(func(s *embedded.SupervisorStatus) { s.Expose, s.Exposed = expose.String(), urls })
		log.Info("API server exposed", "urls", urls)
	}
	if err := embedded.WriteKubeconfigs(o.Dir, o.Name, cfg.Ports.APIServer); err != nil {
		return fmt.Errorf("kubeconfigs: %w", err)
	}

	// etcd, in-process.
	status.step(embedded.PhaseStarting, "etcd 시작")
	etcd, err := startEtcd(o, cfg.Ports)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer func() {
		etcd.Close()
		log.Info("etcd stopped")
	}()
	log.Info("etcd ready", "port", cfg.Ports.EtcdClient)

	runCtx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	var children []*child
	done := make(chan struct{})
	defer func() {
		stopAll()
		for range children {
			<-done
		}
	}()
	spawn := func(name string, args []string) *child {
		c := &child{name: name, exe: o.Executable, args: args, logPath: o.Dir.Log(name), log: log, status: status, started: make(chan struct{})}
		children = append(children, c)
		go func() { c.run(runCtx); done <- struct{}{} }()
		return c
	}

	// All three start together: the controller manager and the scheduler
	// wait for the apiserver themselves, and their start-up overlaps its.
	status.step(embedded.PhaseStarting, "kube-apiserver, kube-controller-manager, kube-scheduler 시작")
	spawn("kube-apiserver", apiserverArgs(o.Dir, cfg.Ports))
	spawn("kube-controller-manager", controllerManagerArgs(o.Dir))
	spawn("kube-scheduler", schedulerArgs(o.Dir))
	admin, err := restConfig(o.Dir.AdminKubeconfig())
	if err != nil {
		return err
	}
	if err := waitReady(ctx, admin, 2*time.Minute); err != nil {
		return fmt.Errorf("kube-apiserver did not become ready (see %s): %w", o.Dir.Log("kube-apiserver"), err)
	}
	log.Info("kube-apiserver ready", "port", cfg.Ports.APIServer)

	status.step(embedded.PhaseStarting, "노드 등록 (kubelet 시뮬레이터)")
	simCfg, err := restConfig(o.Dir.ComponentKubeconfig("kubelet-simulator"))
	if err != nil {
		return err
	}
	simCfg.QPS, simCfg.Burst = 400, 800
	simClient, err := kubernetes.NewForConfig(simCfg)
	if err != nil {
		return err
	}
	if !cfg.NodesRegistered {
		if _, err := kubeletsim.RegisterNodes(ctx, simClient, cluster.Topology(o.Name), 4); err != nil {
			return fmt.Errorf("register nodes: %w", err)
		}
		cfg.NodesRegistered = true
		if err := o.Dir.SaveConfig(cfg); err != nil {
			return err
		}
	}
	stopped, err := o.Dir.LoadStoppedNodes()
	if err != nil {
		return fmt.Errorf("stopped nodes: %w", err)
	}
	if len(stopped) > 0 {
		log.Info("nodes stay stopped", "nodes", stopped)
	}
	sim := kubeletsim.New(simClient, kubeletsim.Options{
		Events:  true,
		Stopped: stopped,
		KubeletAPI: kubeletsim.KubeletAPI{
			Addr:     "127.0.0.1:" + strconv.Itoa(cfg.Ports.Kubelet),
			CertFile: pki.ServingCert(),
			KeyFile:  pki.ServingKey(),
		},
		Logger: log.With("component", "kubelet-simulator"),
	})
	simDone := make(chan error, 1)
	go func() { simDone <- sim.Run(runCtx) }()
	go followStoppedNodes(runCtx, o.Dir, stopped, sim, log)

	status.step(embedded.PhaseRunning, "")
	log.Info("cluster running", "name", o.Name)
	select {
	case <-ctx.Done():
	case err := <-simDone:
		if err != nil {
			return fmt.Errorf("kubelet simulator: %w", err)
		}
	}
	status.step(embedded.PhaseStopping, "")
	log.Info("stopping")
	return nil
}

// stoppedPoll is how often the supervisor rereads stopped-nodes.json.
const stoppedPoll = 500 * time.Millisecond

// followStoppedNodes hands every change of stopped-nodes.json (written by
// `dslab cluster node stop/start`) to the simulator until ctx is done.
func followStoppedNodes(ctx context.Context, d embedded.Dir, cur []string, sim *kubeletsim.Simulator, log *slog.Logger) {
	t := time.NewTicker(stoppedPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		next, err := d.LoadStoppedNodes()
		if err != nil {
			log.Warn("read stopped nodes", "err", err)
			continue
		}
		if !slices.Equal(next, cur) {
			sim.SetStopped(next)
			cur = next
		}
	}
}

// exposeAddrs reads the cluster's --expose setting and resolves it to IP
// addresses (none when the cluster is not exposed).
func exposeAddrs(d embedded.Dir) (embedded.Expose, []net.IP, error) {
	e, err := d.LoadExpose()
	if err != nil {
		return e, nil, fmt.Errorf("expose 설정을 읽을 수 없습니다: %w", err)
	}
	if !e.Enabled() {
		return e, nil, nil
	}
	var ifs []embedded.InterfaceAddrs
	if e.Auto {
		if ifs, err = embedded.HostInterfaces(); err != nil {
			return e, nil, fmt.Errorf("네트워크 인터페이스 목록을 읽을 수 없습니다: %w", err)
		}
	}
	ips, err := e.Resolve(ifs)
	return e, ips, err
}

// startForwarder listens on the exposed addresses. An explicit address
// that cannot be bound is fatal; with auto, such addresses are skipped as
// long as one works.
func startForwarder(e embedded.Expose, ips []net.IP, port int, log *slog.Logger) (*embedded.Forwarder, error) {
	fwd, errs := embedded.Forward(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), port, ips, log)
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, err.Error())
			log.Warn("expose: cannot listen", "addr", ips[i].String(), "err", err)
		}
	}
	if len(failed) > 0 && (!e.Auto || len(fwd.Addrs()) == 0) {
		fwd.Close()
		return nil, fmt.Errorf("API 서버를 외부 주소에서 열 수 없습니다 (--expose=%s, 포트 %d). 주소가 이 컴퓨터의 것인지, 포트를 다른 프로그램이 쓰고 있지 않은지 확인하세요: %s",
			e.String(), port, strings.Join(failed, "; "))
	}
	return fwd, nil
}

func restConfig(kubeconfig string) (*rest.Config, error) {
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}, nil).ClientConfig()
}

// waitReady polls the apiserver's /readyz.
func waitReady(ctx context.Context, cfg *rest.Config, timeout time.Duration) error {
	c := rest.CopyConfig(cfg)
	c.Timeout = 2 * time.Second
	client, err := kubernetes.NewForConfig(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last == nil {
				last = ctx.Err()
			}
			return last
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func startEtcd(o Options, ports embedded.Ports) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = o.Name
	cfg.Dir = o.Dir.Etcd()
	client := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(ports.EtcdClient)}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(ports.EtcdPeer)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{o.Dir.Log("etcd")}
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "1h"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(time.Minute):
		e.Server.Stop()
		e.Close()
		return nil, errors.New("etcd did not become ready within a minute")
	}
}

func apiserverArgs(d embedded.Dir, p embedded.Ports) []string {
	pki := d.PKI()
	return []string{
		"--etcd-servers=http://127.0.0.1:" + strconv.Itoa(p.EtcdClient),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(p.APIServer),
		"--cert-dir=" + filepath.Join(string(d), "apiserver-certs"),
		"--tls-cert-file=" + pki.ServingCert(),
		"--tls-private-key-file=" + pki.ServingKey(),
		"--client-ca-file=" + pki.CACert(),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki.ServiceAccountPub(),
		"--service-account-signing-key-file=" + pki.ServiceAccountKey(),
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/16",
		"--allow-privileged=true",
		"--profiling=false",
		"--kubelet-timeout=2s",
		// `kubectl logs` reaches the simulated kubelet API on loopback
		// (every simulated node has the address InternalDNS=localhost).
		"--kubelet-preferred-address-types=InternalDNS",
		"--kubelet-certificate-authority=" + pki.CACert(),
		"--endpoint-reconciler-type=none",
	}
}

// clientComponentArgs are the flags kube-controller-manager and
// kube-scheduler share: their own kubeconfig for everything, no leader
// election (one replica), no serving port, and client QPS high enough for
// 1,000 simulated nodes (the default 20 QPS makes a DaemonSet there take a
// minute to create its pods).
func clientComponentArgs(kubeconfig string) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=0",
		"--profiling=false",
		"--kube-api-qps=300",
		"--kube-api-burst=600",
	}
}

func controllerManagerArgs(d embedded.Dir) []string {
	pki := d.PKI()
	return append(clientComponentArgs(d.ComponentKubeconfig("controller-manager")),
		"--controllers=*,-nodeipam",
		"--service-account-private-key-file="+pki.ServiceAccountKey(),
		"--root-ca-file="+pki.CACert(),
		"--cluster-signing-cert-file="+pki.CACert(),
		"--cluster-signing-key-file="+pki.CAKey(),
		"--use-service-account-credentials=false",
		"--cluster-name=dslab",
	)
}

func schedulerArgs(d embedded.Dir) []string {
	return clientComponentArgs(d.ComponentKubeconfig("scheduler"))
}
