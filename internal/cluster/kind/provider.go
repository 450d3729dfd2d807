package kind

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	kindlog "sigs.k8s.io/kind/pkg/log"

	"github.com/dslab-kr/dslab/internal/cluster/engine"
)

// CreateRequest is everything the runtime asks kind to create.
type CreateRequest struct {
	Name   string
	Config *v1alpha4.Cluster
	// NodeImage overrides every node's image; empty means kind's default.
	NodeImage string
	// KubeconfigPath is the kubeconfig kind merges its context into.
	KubeconfigPath string
}

// Provider is what the runtime needs from kind and the container engine.
// The production one wraps sigs.k8s.io/kind's *cluster.Provider; tests use a
// fake.
type Provider interface {
	// Create runs kind's create (which removes the nodes again when it fails).
	Create(req CreateRequest) error
	// Delete removes the cluster's nodes and its context from kubeconfigPath.
	Delete(name, kubeconfigPath string) error
	// List returns the names of all kind clusters.
	List() ([]string, error)
	// ListNodes returns the cluster's node containers (running or not).
	ListNodes(name string) ([]nodes.Node, error)
	// ExportKubeConfig writes a kubeconfig for the cluster (host endpoint).
	ExportKubeConfig(name, path string) error
	// Running reports which of the containers run.
	Running(ctx context.Context, containers []string) (map[string]bool, error)
	// Start and Stop start or stop containers.
	Start(ctx context.Context, containers []string) error
	Stop(ctx context.Context, containers []string) error
	// ImagePresent reports whether the engine holds image locally.
	ImagePresent(ctx context.Context, image string) bool
	// SaveImages writes images from the engine into one archive (docker save).
	SaveImages(ctx context.Context, images []string, path string) error
	// LoadArchive imports an image archive into a node's containerd
	// (kind load image-archive).
	LoadArchive(node nodes.Node, path string) error
}

// ProviderFactory builds a Provider for the engine that answered, with kind's
// logger.
type ProviderFactory func(info engine.Info, logger kindlog.Logger) (Provider, error)

// NewKindProvider is the production ProviderFactory.
func NewKindProvider(info engine.Info, logger kindlog.Logger) (Provider, error) {
	var opt kindcluster.ProviderOption
	switch info.Engine {
	case engine.Docker:
		opt = kindcluster.ProviderWithDocker()
	case engine.Podman:
		opt = kindcluster.ProviderWithPodman()
	default:
		return nil, engine.Classify(fmt.Errorf("failed to detect any supported node provider (engine %q)", info.Engine), "")
	}
	p := kindcluster.NewProvider(kindcluster.ProviderWithLogger(logger), opt)
	return &kindProvider{p: p, info: info}, nil
}

type kindProvider struct {
	p    *kindcluster.Provider
	info engine.Info
}

func (k *kindProvider) Create(req CreateRequest) error {
	opts := []kindcluster.CreateOption{
		kindcluster.CreateWithV1Alpha4Config(req.Config),
		kindcluster.CreateWithKubeconfigPath(req.KubeconfigPath),
		// dslab waits for every node itself (kind only waits for the
		// control plane) and prints its own summary.
		kindcluster.CreateWithWaitForReady(0),
		kindcluster.CreateWithDisplayUsage(false),
		kindcluster.CreateWithDisplaySalutation(false),
		kindcluster.CreateWithRetain(false),
	}
	if req.NodeImage != "" {
		opts = append(opts, kindcluster.CreateWithNodeImage(req.NodeImage))
	}
	return k.p.Create(req.Name, opts...)
}

func (k *kindProvider) Delete(name, kubeconfigPath string) error {
	return k.p.Delete(name, kubeconfigPath)
}

func (k *kindProvider) List() ([]string, error) { return k.p.List() }

func (k *kindProvider) ListNodes(name string) ([]nodes.Node, error) { return k.p.ListNodes(name) }

func (k *kindProvider) ExportKubeConfig(name, path string) error {
	return k.p.ExportKubeConfig(name, path, false)
}

func (k *kindProvider) Running(ctx context.Context, containers []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(containers) == 0 {
		return out, nil
	}
	args := append([]string{"inspect", "--format", "{{.Name}} {{.State.Running}}"}, containers...)
	stdout, err := k.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		out[strings.TrimPrefix(f[0], "/")] = f[1] == "true"
	}
	return out, nil
}

func (k *kindProvider) Start(ctx context.Context, containers []string) error {
	if len(containers) == 0 {
		return nil
	}
	_, err := k.run(ctx, append([]string{"start"}, containers...)...)
	return err
}

func (k *kindProvider) Stop(ctx context.Context, containers []string) error {
	if len(containers) == 0 {
		return nil
	}
	_, err := k.run(ctx, append([]string{"stop", "--time", "30"}, containers...)...)
	return err
}

func (k *kindProvider) ImagePresent(ctx context.Context, image string) bool {
	_, err := k.run(ctx, "image", "inspect", "--format", "{{.Id}}", image)
	return err == nil
}

func (k *kindProvider) SaveImages(ctx context.Context, images []string, path string) error {
	args := []string{"save", "-o", path}
	if k.info.Engine == engine.Podman {
		args = append(args, "--multi-image-archive")
	}
	_, err := k.runTimeout(ctx, 30*time.Minute, append(args, images...)...)
	return err
}

func (k *kindProvider) LoadArchive(node nodes.Node, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return nodeutils.LoadImageArchive(node, f)
}

func (k *kindProvider) run(ctx context.Context, args ...string) (string, error) {
	return k.runTimeout(ctx, 2*time.Minute, args...)
}

func (k *kindProvider) runTimeout(ctx context.Context, timeout time.Duration, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := k.info.Command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), engine.Classify(fmt.Errorf("%s %s: %w", k.info.Engine, args[0], err), stderr.String())
	}
	return stdout.String(), nil
}
