package app

import (
	"context"
	"errors"
	"slices"

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
	name := c.name()
	rt := existingRuntime(c.env, name)
	if !keepData {
		// The learner's records go with the data: keep a copy (the TUI
		// owns the terminal, so a failure is only logged).
		if err := keepClusterRecords(ctx, c.env, rt.Context(name)); err != nil {
			c.env.Logger().Warn("keep records", "err", err)
		}
	}
	return rt.Down(ctx, name, keepData)
}

func (c tuiCluster) Status(ctx context.Context) (cluster.Status, error) {
	name := c.name()
	return existingRuntime(c.env, name).Status(ctx, name)
}

// name is the cluster the panel reports and stops: the default lab
// cluster, else the one cluster of this machine made with
// `dslab cluster up --name` (localLabClusters) — the one labConnect
// connects to.
func (c tuiCluster) name() string {
	clusters := localLabClusters(c.env.Paths)
	var others []string
	for _, lc := range clusters {
		if lc.name == cluster.DefaultName {
			return cluster.DefaultName
		}
		others = append(others, lc.name)
	}
	if len(others) == 1 {
		return others[0]
	}
	return cluster.DefaultName
}

// labConnect connects the TUI's watcher to the lab cluster through the
// user's kubeconfig: the default lab context ("dslab" or "kind-dslab"),
// else the context of a dslab cluster of this machine made with
// `dslab cluster up --name` (localLabContexts; the first that answers).
// Without either, the error says so in Korean (explainMissingLab).
func labConnect(env Env) func(context.Context) (*kube.Conn, error) {
	return func(ctx context.Context) (*kube.Conn, error) {
		conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, kube.Target{})
		var ce *kube.ConnectError
		if err == nil || !errors.As(err, &ce) || ce.Reason != "context" {
			return conn, err
		}
		var firstErr error
		for _, c := range localLabContexts(env.Paths) {
			if slices.Contains(kube.LabContexts, c) {
				continue
			}
			conn, cerr := kube.Connect(ctx, env.Paths.Kubeconfigs, kube.Target{Context: c})
			if cerr == nil {
				return conn, nil
			}
			if firstErr == nil {
				firstErr = cerr
			}
		}
		if firstErr != nil {
			// The named cluster's own reason (stopped, unreachable).
			return nil, firstErr
		}
		return nil, explainMissingLab(env.Paths, kube.Target{}, err)
	}
}
