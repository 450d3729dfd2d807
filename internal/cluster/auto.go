package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// RuntimeFile is the file in a cluster's directory that records which
// runtime the cluster lives on.
const RuntimeFile = "runtime"

// cleanupTimeout bounds removing a half-created kind cluster before falling
// back.
const cleanupTimeout = 3 * time.Minute

// ParseRuntime checks a --runtime value; "" means auto.
func ParseRuntime(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", RuntimeAuto:
		return RuntimeAuto, nil
	case RuntimeKind:
		return RuntimeKind, nil
	case RuntimeEmbedded:
		return RuntimeEmbedded, nil
	}
	return "", fmt.Errorf("알 수 없는 런타임(runtime) %q 입니다: auto, kind, embedded 중 하나를 쓰세요", s)
}

// SelectorConfig is what a Selector needs. Kind and Embedded are the two
// runtimes (the selector does not build them).
type SelectorConfig struct {
	// Probe finds the container engine (engine.NewProber()).
	Probe engine.Prober
	// Kind and Embedded are the runtimes to choose from.
	Kind     Runtime
	Embedded Runtime
	// Paths locates the cluster directories (for the runtime record).
	Paths paths.Paths
	// Notice shows a Korean notice the learner must see (the fallback from
	// kind to embedded). When nil, notices go to the progress callback.
	Notice func(string)
}

// Selector chooses the runtime of a cluster: with --runtime auto, kind when a
// container engine answers, else embedded, and embedded again when kind
// fails. It records the choice so that later commands reach the same
// runtime.
type Selector struct {
	cfg SelectorConfig
}

// NewSelector returns a Selector; Probe, Kind and Embedded must be set.
func NewSelector(cfg SelectorConfig) (*Selector, error) {
	if cfg.Probe == nil || cfg.Kind == nil || cfg.Embedded == nil {
		return nil, errors.New("cluster.NewSelector: Probe, Kind and Embedded are required")
	}
	return &Selector{cfg: cfg}, nil
}

func (s *Selector) byName(name string) Runtime {
	if name == RuntimeKind {
		return s.cfg.Kind
	}
	return s.cfg.Embedded
}

func (s *Selector) notice(progress Progress, msg string) {
	if s.cfg.Notice != nil {
		s.cfg.Notice(msg)
		return
	}
	if progress != nil {
		progress(msg)
	}
}

// Recorded returns the runtime recorded for the cluster ("" when none).
func (s *Selector) Recorded(name string) string {
	b, err := os.ReadFile(filepath.Join(s.cfg.Paths.ClusterDir(name), RuntimeFile))
	if err != nil {
		return ""
	}
	switch v := strings.TrimSpace(string(b)); v {
	case RuntimeKind, RuntimeEmbedded:
		return v
	}
	return ""
}

func (s *Selector) record(name, runtime string) error {
	dir := s.cfg.Paths.ClusterDir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("클러스터 디렉터리(directory) %s %s 만들 수 없습니다: %w", dir, hangul.EulReul(dir), err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, RuntimeFile), []byte(runtime+"\n"), 0o700); err != nil {
		return fmt.Errorf("런타임 기록 파일을 쓸 수 없습니다: %w", err)
	}
	return nil
}

// forget removes the record, and the cluster directory when nothing else is
// left in it.
func (s *Selector) forget(name string) {
	dir := s.cfg.Paths.ClusterDir(name)
	_ = os.Remove(filepath.Join(dir, RuntimeFile))
	_ = os.Remove(dir) // only succeeds when empty
}

// present reports whether rt has the cluster (in any state but absent).
func present(ctx context.Context, rt Runtime, name string) bool {
	st, err := rt.Status(ctx, name)
	return err == nil && st.State != StateAbsent
}

// Existing returns the runtime an existing cluster lives on: the recorded
// one, else kind when a container engine answers and kind has the cluster,
// else embedded. found is false when no runtime has the cluster.
func (s *Selector) Existing(ctx context.Context, name string) (rt Runtime, found bool) {
	if rec := s.Recorded(name); rec != "" {
		rt := s.byName(rec)
		return rt, present(ctx, rt, name)
	}
	if present(ctx, s.cfg.Embedded, name) {
		return s.cfg.Embedded, true
	}
	if s.cfg.Probe.Probe(ctx).Answers() && present(ctx, s.cfg.Kind, name) {
		return s.cfg.Kind, true
	}
	return s.cfg.Embedded, false
}

// conflict returns an error when the cluster already lives on the other
// runtime than want.
func (s *Selector) conflict(ctx context.Context, want, name string) error {
	other := RuntimeKind
	if want == RuntimeKind {
		other = RuntimeEmbedded
	}
	if s.Recorded(name) != other || !present(ctx, s.byName(other), name) {
		return nil
	}
	return fmt.Errorf("클러스터 %q %s 이미 %s 런타임에 있습니다.\n  → 해결: 그대로 쓰려면 --runtime %s (또는 auto), %s %s 새로 만들려면 먼저 dslab cluster down 으로 지우세요", name, hangul.IGa(name), other, other, want, hangul.EuroRo(want))
}

// Up brings the cluster up on the runtime want ("auto", "kind" or
// "embedded") and returns the runtime it runs on.
//
//   - embedded: the embedded runtime.
//   - kind: kind, or the classified *engine.Error (Korean cause and fix) when
//     kind cannot run; a half-created kind cluster is removed.
//   - auto: a cluster that already exists comes up where it lives; a new one
//     on kind when a container engine answers, else on embedded; when kind
//     fails, its half-created cluster is removed and the cluster comes up on
//     embedded after a visible notice that says why.
func (s *Selector) Up(ctx context.Context, want, name string, progress Progress) (Runtime, error) {
	want, err := ParseRuntime(want)
	if err != nil {
		return nil, err
	}
	if err := ValidateName("클러스터(cluster)", name); err != nil {
		return nil, err
	}
	switch want {
	case RuntimeEmbedded, RuntimeKind:
		if err := s.conflict(ctx, want, name); err != nil {
			return nil, err
		}
		return s.upOn(ctx, want, name, progress)
	}

	if rec := s.Recorded(name); rec != "" && present(ctx, s.byName(rec), name) {
		return s.upOn(ctx, rec, name, progress)
	}
	info := s.cfg.Probe.Probe(ctx)
	if !info.Answers() {
		why := ""
		if p := info.Problem(); p != nil {
			why = "\n  까닭: " + p.Cause
		}
		s.notice(progress, "알림: 컨테이너 엔진(Docker/Podman)이 응답하지 않아 embedded 런타임으로 클러스터를 만듭니다."+why)
		return s.upOn(ctx, RuntimeEmbedded, name, progress)
	}
	rt, kerr := s.upOn(ctx, RuntimeKind, name, progress)
	if kerr == nil {
		return rt, nil
	}
	if ctx.Err() != nil {
		return nil, kerr
	}
	ce := engine.Classify(kerr, "")
	msg := fmt.Sprintf("알림: kind 로 클러스터를 만들 수 없어 embedded 런타임으로 바꿉니다 (kind → embedded).\n  원인: %s\n  → 해결 (kind 를 쓰려면): %s", ce.Cause, ce.Fix)
	if d := ce.Detail(); d != "" {
		msg += "\n  (kind 오류(error): " + d + ")"
	}
	s.notice(progress, msg)
	return s.upOn(ctx, RuntimeEmbedded, name, progress)
}

// upOn records the runtime and brings the cluster up there. When kind fails
// to create a new cluster, what it half-created is removed and the record
// restored; an error from kind is always a classified *engine.Error.
func (s *Selector) upOn(ctx context.Context, runtime, name string, progress Progress) (Runtime, error) {
	rt := s.byName(runtime)
	prev := s.Recorded(name)
	fresh := runtime == RuntimeKind && !present(ctx, rt, name)
	if err := s.record(name, runtime); err != nil {
		return nil, err
	}
	err := rt.Up(ctx, name, progress)
	if err == nil {
		return rt, nil
	}
	if runtime != RuntimeKind {
		return nil, err
	}
	if fresh {
		s.removeHalfCreated(ctx, name, progress)
		if prev != "" && prev != runtime {
			_ = s.record(name, prev)
		} else {
			s.forget(name)
		}
	}
	if ctx.Err() != nil {
		return nil, err
	}
	return nil, engine.Classify(err, "")
}

// removeHalfCreated deletes what a failed kind create left behind. kind
// removes its nodes itself, so this mostly removes the context it may have
// merged into the user's kubeconfig; it must run even when ctx is done.
func (s *Selector) removeHalfCreated(ctx context.Context, name string, progress Progress) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	err := s.cfg.Kind.Down(cctx, name, false)
	if err == nil {
		return
	}
	var ce *engine.Error
	if errors.As(err, &ce) {
		switch ce.Class {
		case engine.ClassNoEngine, engine.ClassEngineNotRunning, engine.ClassEnginePermission:
			return // no engine, nothing was created
		}
	}
	if progress != nil {
		progress(fmt.Sprintf("경고: 만들다 만 kind 클러스터 %q %s 지우지 못했습니다: %v (kind delete cluster --name %s %s 지우세요)", name, hangul.EulReul(name), err, name, hangul.EuroRo(name)))
	}
}

// Down stops the cluster on the runtime it lives on; without keepData the
// runtime record goes too.
func (s *Selector) Down(ctx context.Context, name string, keepData bool) error {
	rt, _ := s.Existing(ctx, name)
	if err := rt.Down(ctx, name, keepData); err != nil {
		return err
	}
	if !keepData {
		s.forget(name)
	}
	return nil
}

// Runtime returns a Runtime for want ("auto", "kind", "embedded"): Up goes
// through Selector.Up; with "auto" every other method reaches the runtime the
// cluster lives on, with "kind"/"embedded" that runtime.
func (s *Selector) Runtime(want string) (Runtime, error) {
	want, err := ParseRuntime(want)
	if err != nil {
		return nil, err
	}
	return &selected{s: s, want: want}, nil
}

type selected struct {
	s    *Selector
	want string
}

var _ Runtime = (*selected)(nil)

func (r *selected) Name() string { return r.want }

func (r *selected) target(ctx context.Context, name string) Runtime {
	if r.want != RuntimeAuto {
		return r.s.byName(r.want)
	}
	rt, _ := r.s.Existing(ctx, name)
	return rt
}

// targetNoCtx picks without probing: the recorded runtime, else want's.
func (r *selected) targetNoCtx(name string) Runtime {
	if r.want != RuntimeAuto {
		return r.s.byName(r.want)
	}
	if rec := r.s.Recorded(name); rec != "" {
		return r.s.byName(rec)
	}
	return r.s.cfg.Embedded
}

func (r *selected) Up(ctx context.Context, name string, progress Progress) error {
	_, err := r.s.Up(ctx, r.want, name, progress)
	return err
}

func (r *selected) Down(ctx context.Context, name string, keepData bool) error {
	if r.want == RuntimeAuto {
		return r.s.Down(ctx, name, keepData)
	}
	if err := r.s.byName(r.want).Down(ctx, name, keepData); err != nil {
		return err
	}
	if !keepData && r.s.Recorded(name) == r.want {
		r.s.forget(name)
	}
	return nil
}

func (r *selected) Status(ctx context.Context, name string) (Status, error) {
	return r.target(ctx, name).Status(ctx, name)
}

func (r *selected) KubeconfigPath(name string) string {
	return r.targetNoCtx(name).KubeconfigPath(name)
}

func (r *selected) Context(name string) string { return r.targetNoCtx(name).Context(name) }

func (r *selected) AddNode(ctx context.Context, name string, node NodeSpec) error {
	return r.target(ctx, name).AddNode(ctx, name, node)
}

func (r *selected) RemoveNode(ctx context.Context, name string, nodeName string) error {
	return r.target(ctx, name).RemoveNode(ctx, name, nodeName)
}

func (r *selected) StopNode(ctx context.Context, name, nodeName string) error {
	return r.target(ctx, name).StopNode(ctx, name, nodeName)
}

func (r *selected) StartNode(ctx context.Context, name, nodeName string) error {
	return r.target(ctx, name).StartNode(ctx, name, nodeName)
}
