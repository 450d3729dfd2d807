package app

import (
	"context"
	"time"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/cluster/kind"
)

// embeddedRuntime is the embedded runtime of this dslab binary.
func embeddedRuntime(env Env) *embedded.Runtime {
	return embedded.New(env.Paths, env.Executable, embedded.WithLogger(env.Logger()))
}

// newSelector builds the runtime selector (auto: kind when a container
// engine answers, else embedded; embedded again when kind fails).
func newSelector(env Env, image string) (*cluster.Selector, error) {
	opts := []kind.Option{kind.WithLogger(env.Logger())}
	if image != "" {
		opts = append(opts, kind.WithImage(image))
	}
	return cluster.NewSelector(cluster.SelectorConfig{
		Probe:    engine.NewProber(),
		Kind:     kind.New(env.Paths, opts...),
		Embedded: embeddedRuntime(env),
		Paths:    env.Paths,
	})
}

// upCluster brings cluster name up on the runtime want ("auto", "kind",
// "embedded") and returns the runtime it runs on. Notices (the fallback
// from kind to embedded) and progress go to progress.
func upCluster(ctx context.Context, env Env, want, image, name string, progress cluster.Progress) (cluster.Runtime, error) {
	sel, err := newSelector(env, image)
	if err != nil {
		return nil, err
	}
	rt, err := sel.Up(ctx, want, name, progress)
	if err != nil {
		// An *engine.Error prints its Korean cause and fix, then kind's own
		// error line.
		return nil, &ExitError{Code: ExitFailure, Err: err}
	}
	return rt, nil
}

// existingRuntime returns the runtime cluster name lives on (the recorded
// one, else the one that has it), or the embedded runtime when none has it.
func existingRuntime(env Env, name string) cluster.Runtime {
	sel, err := newSelector(env, "")
	if err != nil {
		return embeddedRuntime(env)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if rt, found := sel.Existing(ctx, name); found {
		return rt
	}
	return embeddedRuntime(env)
}
