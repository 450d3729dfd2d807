package app

import (
	"context"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
)

// tuiCluster gives the TUI's cluster panel the same operations as
// `dslab cluster up/down/status` (runtime auto, with the fallback notice
// reported as a progress line).
type tuiCluster struct{ env Env }

var _ lab.ClusterOps = tuiCluster{}

func (c tuiCluster) Up(ctx context.Context, progress cluster.Progress) (cluster.Status, error) {
	rt, err := upCluster(ctx, c.env, cluster.RuntimeAuto, "", cluster.DefaultName, progress)
	if err != nil {
		return cluster.Status{}, err
	}
	return rt.Status(ctx, cluster.DefaultName)
}

func (c tuiCluster) Down(ctx context.Context, keepData bool) error {
	return existingRuntime(c.env, cluster.DefaultName).Down(ctx, cluster.DefaultName, keepData)
}

func (c tuiCluster) Status(ctx context.Context) (cluster.Status, error) {
	return existingRuntime(c.env, cluster.DefaultName).Status(ctx, cluster.DefaultName)
}

// labConnect connects the TUI's watcher to the lab cluster through the
// user's kubeconfig (the "dslab" or "kind-dslab" context).
func labConnect(env Env) func(context.Context) (*kube.Conn, error) {
	return func(ctx context.Context) (*kube.Conn, error) {
		return kube.Connect(ctx, env.Paths.Kubeconfigs, kube.Target{})
	}
}
