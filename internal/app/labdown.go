package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
)

// labDownError is a lab cluster of this machine that cannot be reached
// because its runtime says it is not running (stopped, stopping,
// starting, absent): Error is the Korean state and what to do first, as
// the TUI says it (클러스터 dslab 이 멈춰 있습니다 (중지됨)), and the
// connection error after, shortened to its network cause. It unwraps to
// the *kube.ConnectError, so the offline grade still takes it as a
// failure to reach the cluster (isConnectError).
type labDownError struct {
	name  string
	state cluster.State
	// detail is the technical cause, shortened (connectDetail); "" when
	// there is none.
	detail string
	err    error
}

func (e *labDownError) Error() string {
	if e.detail == "" {
		return e.Korean()
	}
	return e.Korean() + "\n(연결 오류: " + e.detail + ")"
}

func (e *labDownError) Unwrap() error { return e.err }

// Korean is the cluster's state and what to do, in one line.
func (e *labDownError) Korean() string {
	return labStateText(e.name, e.state)
}

// labStateText is the one Korean line every CLI command says for the lab
// cluster name in state when it needs the cluster: the state as the TUI
// names it where the sentence does not say it already (internal/tui
// stateName: 중지됨; never "없습니다 (없음)", issue 14) and the command
// that helps. "" for a running (or degraded) cluster.
func labStateText(name string, state cluster.State) string {
	switch state {
	case cluster.StateStopped:
		return fmt.Sprintf("클러스터 %s %s 멈춰 있습니다 (중지됨) — dslab cluster up 으로 시작하세요", name, hangul.IGa(name))
	case cluster.StateStopping:
		return fmt.Sprintf("클러스터 %s %s 멈추는 중입니다 — 멈춘 뒤 dslab cluster up 으로 다시 시작하세요", name, hangul.IGa(name))
	case cluster.StateStarting:
		return fmt.Sprintf("클러스터 %s %s 시작하는 중입니다 — 준비되면 다시 실행하세요 (dslab cluster status 로 확인)", name, hangul.IGa(name))
	case cluster.StateAbsent:
		return fmt.Sprintf("클러스터 %s %s 없습니다 — dslab cluster up 으로 만드세요", name, hangul.IGa(name))
	}
	return ""
}

// labClusterOf is the name of the lab cluster of this machine whose
// context a connection to t used (ctxName: the context kube.Connect
// chose): the default lab (kube.LabContexts) or a cluster made with
// `dslab cluster up --name`. ok is false for a chosen kubeconfig file or
// a context that is no lab cluster's.
func labClusterOf(env Env, t kube.Target, ctxName string) (string, bool) {
	if t.Kubeconfig != "" {
		return "", false
	}
	if ctxName == "" {
		ctxName = t.Context
	}
	if ctxName == "" || slices.Contains(kube.LabContexts, ctxName) {
		return cluster.DefaultName, true
	}
	for _, c := range localLabClusters(env.Paths) {
		if c.context == ctxName {
			return c.name, true
		}
	}
	return "", false
}

// explainLabDown is err (a failed kube.Connect to t) explained from the
// runtime when the target is a lab cluster of this machine that does not
// run: a *labDownError that says 중지됨 (or 멈추는 중, 시작하는 중, 없음)
// in Korean first, rather than kube's "API 서버가 응답하지 않습니다 (Get
// …/readyz…: dial tcp …)" (issue 14). err is returned unchanged when it
// is no connection failure, the target is no lab cluster, the runtime's
// state is unknown or it says the cluster runs.
func explainLabDown(ctx context.Context, env Env, t kube.Target, err error) error {
	var ce *kube.ConnectError
	if !errors.As(err, &ce) || ce.Reason != "unreachable" {
		// A missing context or kubeconfig: kube's message names it
		// (and explainMissingLab the --context to use).
		return err
	}
	name, ok := labClusterOf(env, t, ce.Context)
	if !ok {
		return err
	}
	state, ok := labState(ctx, env, name)
	if !ok || labStateText(name, state) == "" {
		return err
	}
	return &labDownError{name: name, state: state, detail: connectDetail(ce), err: err}
}

// labState is the state the runtime of the lab cluster name reports
// (cluster.Runtime.Status); ok is false when it cannot tell.
func labState(ctx context.Context, env Env, name string) (cluster.State, bool) {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := existingRuntime(env, name).Status(ctx, name)
	if err != nil {
		return "", false
	}
	return st.State, true
}

// connectDetail is the technical cause of a failed connection, short: the
// network error ("dial tcp 127.0.0.1:41111: connect: connection refused")
// without client-go's request line (`Get "https://…/readyz?timeout=…":`),
// else the underlying error's text.
func connectDetail(ce *kube.ConnectError) string {
	if ce.Err == nil {
		return ""
	}
	var op *net.OpError
	if errors.As(ce.Err, &op) {
		return op.Error()
	}
	return ce.Err.Error()
}
