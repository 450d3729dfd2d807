package kind

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/paths"
)

// ensureDocker makes a Docker engine answer: it is used when it already
// does; as root, Debian's docker.io is installed when dockerd is missing and
// dockerd is started (and stopped again when the test ends). Otherwise the
// test is skipped with the reason.
func ensureDocker(t *testing.T) engine.Info {
	t.Helper()
	ctx := context.Background()
	if info := engine.NewProber().Probe(ctx); info.Answers() {
		return info
	}
	if os.Geteuid() != 0 {
		t.Skip("no container engine answers and the test is not root, so it cannot install/start Debian's docker.io (run as root, or start docker first)")
	}
	if _, err := exec.LookPath("dockerd"); err != nil {
		if _, err := exec.LookPath("apt-get"); err != nil {
			t.Skip("dockerd is missing and there is no apt-get to install docker.io")
		}
		t.Log("installing Debian's docker.io (apt-get install -y docker.io) …")
		start := time.Now()
		install := func() ([]byte, error) {
			cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "docker.io")
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			return cmd.CombinedOutput()
		}
		out, err := install()
		if err != nil {
			// the package lists may be missing or stale
			if uout, uerr := exec.Command("apt-get", "update").CombinedOutput(); uerr != nil {
				t.Skipf("cannot install docker.io: apt-get update failed: %v\n%s", uerr, tail(uout))
			}
			out, err = install()
		}
		if err != nil {
			t.Skipf("cannot install docker.io: %v\n%s", err, tail(out))
		}
		t.Logf("docker.io installed in %s", time.Since(start).Round(time.Second))
	}
	logPath := filepath.Join(t.TempDir(), "dockerd.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	dockerd := exec.Command("dockerd")
	dockerd.Stdout, dockerd.Stderr = logFile, logFile
	dockerd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := dockerd.Start(); err != nil {
		logFile.Close()
		t.Skipf("cannot start dockerd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- dockerd.Wait(); logFile.Close() }()
	t.Cleanup(func() {
		_ = dockerd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = syscall.Kill(-dockerd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		info := engine.NewProber().Probe(ctx)
		if info.Answers() {
			t.Logf("started dockerd %s (log %s)", info.ServerVersion, logPath)
			return info
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logPath)
			t.Skipf("dockerd exited: %v\n%s", err, tail(log))
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("dockerd did not answer within 60s: %v\n%s", info.Err, tail(log))
		}
	}
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

func testPaths(t *testing.T) paths.Paths {
	return paths.Under(t.TempDir())
}

// standInEmbedded stands in for the embedded runtime: what is under test is
// kind's real failure, its classification, the cleanup and the fallback.
type standInEmbedded struct {
	mu  sync.Mutex
	ups []string
}

func (s *standInEmbedded) Name() string { return cluster.RuntimeEmbedded }
func (s *standInEmbedded) Up(ctx context.Context, name string, progress cluster.Progress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ups = append(s.ups, name)
	return nil
}
func (s *standInEmbedded) Down(context.Context, string, bool) error { return nil }
func (s *standInEmbedded) Status(ctx context.Context, name string) (cluster.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.ups {
		if n == name {
			return cluster.Status{Name: name, Runtime: cluster.RuntimeEmbedded, State: cluster.StateRunning}, nil
		}
	}
	return cluster.Status{Name: name, Runtime: cluster.RuntimeEmbedded, State: cluster.StateAbsent}, nil
}
func (s *standInEmbedded) KubeconfigPath(name string) string { return "" }
func (s *standInEmbedded) Context(name string) string        { return "dslab-" + name }
func (s *standInEmbedded) AddNode(context.Context, string, cluster.NodeSpec) error {
	return cluster.ErrNotSupported
}
func (s *standInEmbedded) RemoveNode(context.Context, string, string) error {
	return cluster.ErrNotSupported
}
func (s *standInEmbedded) StopNode(context.Context, string, string) error {
	return cluster.ErrNotSupported
}
func (s *standInEmbedded) StartNode(context.Context, string, string) error {
	return cluster.ErrNotSupported
}

// unpullableImage is a node image whose pull fails on any machine (.invalid
// never resolves), for machines where kind's default would be pulled.
const unpullableImage = "registry.invalid/kindest/node:v1.37.0"

// pullFailingImage returns the node image kind must fail to pull here: kind's
// default when it is not in the engine and the registry does not resolve
// (exactly the offline failure), else unpullableImage.
func pullFailingImage(t *testing.T, info engine.Info) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if imagePresent(ctx, info, DefaultNodeImage()) || imagePresent(ctx, info, stripDigest(DefaultNodeImage())) {
		return unpullableImage
	}
	if _, err := net.DefaultResolver.LookupHost(ctx, "registry-1.docker.io"); err == nil {
		return unpullableImage
	}
	return "" // kind's default
}

func kindContainers(t *testing.T, info engine.Info, name string) string {
	out, err := info.Command(context.Background(), "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster="+name, "--format", "{{.Names}}").Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestIntegrationAutoFallsBackToEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	info := ensureDocker(t)
	p := testPaths(t)
	image := pullFailingImage(t, info)
	shown := image
	if shown == "" {
		shown = DefaultNodeImage()
	}
	var logBuf bytes.Buffer
	kindRT := New(p, WithImage(image), WithLogger(slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	embedded := &standInEmbedded{}
	var mu sync.Mutex
	var notices, progress []string
	sel, err := cluster.NewSelector(cluster.SelectorConfig{
		Probe: engine.NewProber(), Kind: kindRT, Embedded: embedded, Paths: p,
		Notice: func(s string) { mu.Lock(); notices = append(notices, s); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	onProgress := func(s string) { mu.Lock(); progress = append(progress, s); mu.Unlock() }

	const name = "dslab-it-auto"
	start := time.Now()
	rt, err := sel.Up(context.Background(), cluster.RuntimeAuto, name, onProgress)
	elapsed := time.Since(start)
	t.Logf("auto: kind failed and fell back in %s (node image %s)", elapsed.Round(100*time.Millisecond), shown)
	t.Logf("progress:\n  %s", strings.Join(progress, "\n  "))
	if err != nil {
		t.Fatalf("auto did not fall back: %v\nkind log:\n%s", err, logBuf.String())
	}
	if rt.Name() != cluster.RuntimeEmbedded || len(embedded.ups) != 1 {
		t.Fatalf("runtime %s, embedded ups %v", rt.Name(), embedded.ups)
	}
	if len(notices) != 1 {
		t.Fatalf("notices %q", notices)
	}
	t.Logf("notice:\n%s", notices[0])
	want := engine.Classify(fmt.Errorf("failed to pull image %q", shown), "")
	for _, w := range []string{"kind → embedded", want.Cause, "dslab images load"} {
		if !strings.Contains(notices[0], w) {
			t.Errorf("notice lacks %q", w)
		}
	}
	if !strings.Contains(strings.Join(progress, "\n"), "kind: ✗ 노드 이미지(node image) 확인") {
		t.Errorf("kind's failing step was not forwarded as progress")
	}
	if left := kindContainers(t, info, name); left != "" {
		t.Errorf("half-created kind cluster left: %s", left)
	}
	if got := sel.Recorded(name); got != cluster.RuntimeEmbedded {
		t.Errorf("recorded runtime %q", got)
	}
	if kc, err := clientcmd.LoadFromFile(p.Kubeconfig()); err == nil {
		if _, ok := kc.Contexts[kindRT.Context(name)]; ok {
			t.Errorf("context %s left in %s", kindRT.Context(name), p.Kubeconfig())
		}
	}

	// --runtime kind stops with the same classified error, no fallback.
	const name2 = "dslab-it-kind"
	start = time.Now()
	_, err = sel.Up(context.Background(), cluster.RuntimeKind, name2, nil)
	t.Logf("--runtime kind failed in %s", time.Since(start).Round(100*time.Millisecond))
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassImagePull {
		t.Fatalf("--runtime kind: %v", err)
	}
	t.Logf("--runtime kind error:\n%v", err)
	if len(embedded.ups) != 1 {
		t.Error("--runtime kind fell back")
	}
	if left := kindContainers(t, info, name2); left != "" {
		t.Errorf("half-created kind cluster left: %s", left)
	}
}

// TestIntegrationPrivilegedRefused runs kind with a node image that is
// present (so no pull happens) on an engine that refuses privileged
// containers, as the engine on the lab's build machines does.
func TestIntegrationPrivilegedRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	info := ensureDocker(t)
	ctx := context.Background()
	const image = "dslab-it.invalid/fake-node:1"
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	_ = tw.WriteHeader(&tar.Header{Name: "README", Mode: 0o644, Size: 5})
	_, _ = tw.Write([]byte("dslab"))
	_ = tw.Close()
	imp := info.Command(ctx, "import", "--change", `ENTRYPOINT ["/sbin/init"]`, "-", image)
	imp.Stdin = &tarball
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = info.Command(ctx, "rmi", "-f", image).Run() })
	out, _ := info.Command(ctx, "run", "--rm", "--privileged", image, "/nonexistent").CombinedOutput()
	if !strings.Contains(string(out), "unable to apply caps") {
		t.Skipf("this engine allows privileged containers (%s)", strings.TrimSpace(string(out)))
	}

	p := testPaths(t)
	const name = "dslab-it-priv"
	start := time.Now()
	err := New(p, WithImage(image)).Up(ctx, name, nil)
	t.Logf("kind failed in %s: %v", time.Since(start).Round(100*time.Millisecond), err)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassPrivileged {
		t.Fatalf("err = %v", err)
	}
	if left := kindContainers(t, info, name); left != "" {
		t.Errorf("half-created kind cluster left: %s", left)
	}
}

// TestIntegrationKindE2E creates a real kind cluster; it needs a network (or
// the node image) and an engine that allows privileged containers.
func TestIntegrationKindE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	if os.Getenv("DSLAB_E2E_KIND") != "1" {
		t.Skip("set DSLAB_E2E_KIND=1 to create a real kind cluster (needs a network and privileged containers)")
	}
	info := ensureDocker(t)
	p := testPaths(t)
	const name = "dslab-e2e"
	rt := New(p)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	t.Cleanup(func() {
		if err := rt.Down(context.Background(), name, false); err != nil {
			t.Errorf("down: %v", err)
		}
		if left := kindContainers(t, info, name); left != "" {
			t.Errorf("containers left after down: %s", left)
		}
	})
	start := time.Now()
	if err := rt.Up(ctx, name, func(s string) { t.Log(s) }); err != nil {
		t.Fatalf("up: %v", err)
	}
	t.Logf("kind cluster up in %s", time.Since(start).Round(time.Second))

	st, err := rt.Status(ctx, name)
	if err != nil || st.State != cluster.StateRunning {
		t.Fatalf("status %+v %v", st, err)
	}
	topo := cluster.Topology(name)
	byName := map[string]cluster.NodeStatus{}
	for _, n := range st.Nodes {
		byName[n.Name] = n
	}
	for _, spec := range topo {
		n, ok := byName[spec.Name]
		if !ok || !n.Ready {
			t.Errorf("node %s missing or not Ready", spec.Name)
			continue
		}
		for k, v := range spec.Labels {
			if k == cluster.LabelArch {
				continue // the real architecture
			}
			if n.Labels[k] != v {
				t.Errorf("node %s label %s=%q, want %q", spec.Name, k, n.Labels[k], v)
			}
		}
		if len(n.Taints) != len(spec.Taints) {
			t.Errorf("node %s taints %v, want %v", spec.Name, n.Taints, spec.Taints)
		}
	}
	// The user's kubeconfig got the context too.
	kc, err := clientcmd.LoadFromFile(p.Kubeconfig())
	if err != nil || kc.Contexts["kind-"+name] == nil {
		t.Fatalf("context kind-%s not merged into %s: %v", name, p.Kubeconfig(), err)
	}

	// A DaemonSet without tolerations lands on the three workers only.
	client, err := newClientset(rt.KubeconfigPath(name))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "e2e"}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "e2e", Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.10"}}},
			},
		},
	}
	if _, err := client.AppsV1().DaemonSets("default").Create(ctx, ds, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		got, err := client.AppsV1().DaemonSets("default").Get(ctx, "e2e", metav1.GetOptions{})
		if err == nil && got.Status.DesiredNumberScheduled == 3 && got.Status.CurrentNumberScheduled == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("DaemonSet not scheduled on the 3 workers: %+v %v", got.Status, err)
		}
		time.Sleep(2 * time.Second)
	}
}
