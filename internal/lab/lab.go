// Package lab is the cluster-facing side of the TUI that is not UI: the
// live watcher (client-go shared informers on nodes, the exercise's
// DaemonSet, its pods, revisions and events, debounced, graded on every
// relevant change), the node map built from a grade result, starting and
// resetting exercises, the learner's work files (starter manifests, apply
// on save), the lab shell, and the progress summary.
//
// Nothing here writes to the terminal or blocks the TUI: the TUI calls
// these functions from tea.Cmds and receives watcher updates from a
// channel.
package lab

import (
	"context"

	"github.com/dslab-kr/dslab/internal/cluster"
)

// ClusterOps are the cluster lifecycle operations the TUI offers (the app
// implements them on the runtime selector).
type ClusterOps interface {
	// Up creates or restarts the lab cluster (runtime auto) and reports
	// progress lines, including the kind → embedded fallback notice.
	Up(ctx context.Context, progress cluster.Progress) (cluster.Status, error)
	// Down stops the cluster; keepData keeps it for a later Up.
	Down(ctx context.Context, keepData bool) error
	// Status reports the cluster's runtime, state, nodes and context.
	Status(ctx context.Context) (cluster.Status, error)
}
