package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// ConnState is the watcher's connection to the cluster.
type ConnState string

const (
	StateConnecting   ConnState = "connecting"
	StateConnected    ConnState = "connected"
	StateDisconnected ConnState = "disconnected"
)

// Update is what the watcher publishes: the connection state and, when
// connected, the nodes and (with an exercise) its grade and node map.
type Update struct {
	// Seq increases with every update.
	Seq uint64
	At  time.Time
	// State is the connection; Problem says in Korean why it is not
	// connected.
	State   ConnState
	Problem string
	// Stopping is set on a disconnected update when the API server was
	// seen shutting down (its /readyz/shutdown check failed: the cluster
	// is being stopped, by `dslab cluster down` or otherwise).
	Stopping bool
	// Conn is the connection the update was read through (nil when not
	// connected); commands (apply, exercise start) use it.
	Conn *kube.Conn
	// Context is the kubeconfig context of Conn.
	Context string
	// Nodes are the cluster's nodes (sorted by name) when connected.
	Nodes []grader.Node

	// Exercise is the exercise being watched ("" when none).
	Exercise string
	// Started reports whether the exercise was started on this cluster
	// (a baseline from exercise start exists); Active is the exercise
	// started last on this cluster.
	Started bool
	Active  string
	// Snapshot, Result and Map are the latest grade (nil/zero when not
	// connected or no exercise).
	Snapshot *grader.Snapshot
	Result   *grader.Result
	Map      NodeMap
	// Cause is the change that triggered this grade ("" for the first).
	Cause string
	// Leftovers are copies of the exercise's target DaemonSet in other
	// namespaces (LeftoversIn; nil when none or no exercise).
	Leftovers []Leftover
	// ShellApplied is set when the learner changed the target DaemonSet
	// outside the lab's applier since the last grade (kubectl apply in the
	// lab shell or another terminal; countShellApply): a failed apply of
	// the work file shown before no longer describes the cluster.
	ShellApplied bool
}

// Counts reports whether u's grade may be recorded as the learner's
// (progress, pass evidence): not while the cluster is prepared for another
// exercise (Active, set by exercise start), whose setup can make this
// exercise's checks pass without the learner doing anything (trial:
// noexecute-churn's NoExecute taint passed cordon-maintenance).
func (u Update) Counts() bool { return u.Active == "" || u.Active == u.Exercise }

// Graded reports whether the update carries a grade.
func (u Update) Graded() bool { return u.Result != nil }

// ReadyNodes counts the Ready nodes of the update.
func (u Update) ReadyNodes() int {
	n := 0
	for _, x := range u.Nodes {
		if x.Ready {
			n++
		}
	}
	return n
}

// WatcherConfig configures a Watcher.
type WatcherConfig struct {
	// Connect connects to the lab cluster (kube.Connect on the user's
	// kubeconfig in dslab); it is called again after every loss, so a
	// re-created cluster (new certificates) is picked up.
	Connect func(ctx context.Context) (*kube.Conn, error)
	// Paths locate exercise baselines and rollout recordings.
	Paths  paths.Paths
	Logger *slog.Logger
	// Debounce is how long the watcher waits for more changes before
	// grading (default 30 ms); MaxDelay bounds the wait when changes keep
	// coming (default 150 ms).
	Debounce time.Duration
	MaxDelay time.Duration
	// Retry is the interval between connection attempts while the cluster
	// is unreachable (default 1 s).
	Retry time.Duration
	// SyncTimeout bounds the initial listing of a session (default 20 s).
	SyncTimeout time.Duration
	// Probe is the interval of the liveness probe while connected
	// (default 2 s): the API server's /readyz/shutdown check (probeAPIServer)
	// fails as soon as it begins to shut down (`dslab cluster down` in
	// another terminal), seconds before its watches end.
	Probe time.Duration
	Now   func() time.Time
	// Attempts, when set, is offered every failing grade of the exercise
	// started last on the cluster (an attempt record for instructor
	// grading, with hints and attempts from Progress); the caller runs it.
	Attempts *AttemptWriter
	Progress *progress.Store
	// OnGrade, when set, is called with every update that carries a grade,
	// on the watcher's goroutine: it must not block (the class
	// auto-submitter only hands the grade over).
	OnGrade func(Update)
}

// Watcher watches the lab cluster with shared informers and publishes an
// Update on every relevant change (debounced), regraded. It reconnects by
// itself when the API server goes away and comes back. Its zero value is
// not usable: build it with NewWatcher and run it with Run.
type Watcher struct {
	cfg     WatcherConfig
	log     *slog.Logger
	updates chan Update
	notify  chan struct{}

	mu      sync.Mutex // guards want, refresh and regrade
	want    *exercises.Exercise
	refresh int
	regrade bool

	seq  uint64 // owned by the Run goroutine
	last Update // the last update published (Run goroutine)
	// seen is the target DaemonSet as last graded, per exercise (Run
	// goroutine; shellattempt.go).
	seen map[string]dsVersion
}

// NewWatcher returns a watcher; cfg.Connect is required.
func NewWatcher(cfg WatcherConfig) *Watcher {
	if cfg.Debounce <= 0 {
		cfg.Debounce = 30 * time.Millisecond
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 150 * time.Millisecond
	}
	if cfg.Retry <= 0 {
		cfg.Retry = time.Second
	}
	if cfg.SyncTimeout <= 0 {
		cfg.SyncTimeout = 20 * time.Second
	}
	if cfg.Probe <= 0 {
		cfg.Probe = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Watcher{cfg: cfg, log: log.With("component", "watcher"), updates: make(chan Update, 1), notify: make(chan struct{}, 1)}
}

// Updates delivers the latest update; an update not yet received is
// replaced by a newer one, so a slow reader never blocks the watcher. The
// channel is closed when Run returns.
func (w *Watcher) Updates() <-chan Update { return w.updates }

// SetExercise chooses the exercise to watch and grade (nil: none). It
// never blocks.
func (w *Watcher) SetExercise(ex *exercises.Exercise) {
	w.mu.Lock()
	if ex != nil {
		c := *ex
		ex = &c
	}
	w.want = ex
	w.mu.Unlock()
	w.poke()
}

// Refresh re-reads the exercise's baseline and regrades (after the
// exercise was started or reset). It never blocks.
func (w *Watcher) Refresh() {
	w.mu.Lock()
	w.refresh++
	w.mu.Unlock()
	w.poke()
}

// Regrade grades the watched exercise again from the current state even
// when nothing changed (after an apply the API server answered
// "unchanged"); the update's Cause is CauseRegrade. It never blocks.
func (w *Watcher) Regrade() {
	w.mu.Lock()
	w.regrade = true
	w.mu.Unlock()
	w.poke()
}

func (w *Watcher) takeRegrade() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.regrade
	w.regrade = false
	return r
}

func (w *Watcher) poke() {
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

func (w *Watcher) wanted() (*exercises.Exercise, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.want, w.refresh
}

func exerciseID(ex *exercises.Exercise) string {
	if ex == nil {
		return ""
	}
	return ex.ID
}

// publish replaces any update the reader has not taken yet. A
// disconnected update that says nothing new is not sent again.
func (w *Watcher) publish(u Update) {
	if u.State != StateConnected && u.State == w.last.State && u.Problem == w.last.Problem && u.Exercise == w.last.Exercise {
		return
	}
	w.last = u
	w.seq++
	u.Seq = w.seq
	if u.At.IsZero() {
		u.At = w.cfg.Now()
	}
	if w.cfg.OnGrade != nil && u.Graded() {
		w.cfg.OnGrade(u)
	}
	select {
	case w.updates <- u:
		return
	default:
	}
	select {
	case <-w.updates:
	default:
	}
	w.updates <- u // single producer: there is room now
}

// errSwitch ends a session to start one for another exercise on the same
// connection.
var errSwitch = errors.New("exercise switched")

// Run watches until ctx ends, then closes Updates.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.updates)
	var conn *kube.Conn
	for ctx.Err() == nil {
		if conn == nil {
			ex, _ := w.wanted()
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			c, err := w.cfg.Connect(cctx)
			if err == nil {
				// An API server shutting down still answers Connect's ping.
				if perr := probeAPIServer(cctx, c.Client); errors.Is(perr, errShuttingDown) {
					err = shuttingDown()
				}
			}
			cancel()
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				w.log.Debug("connect failed", "err", err)
				w.publish(Update{State: StateDisconnected, Problem: err.Error(), Exercise: exerciseID(ex), Stopping: errors.Is(err, errShuttingDown)})
				w.wait(ctx, w.cfg.Retry)
				continue
			}
			conn = c
			w.log.Info("connected", "context", conn.Context)
		}
		err := w.session(ctx, conn)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, errSwitch):
			continue
		}
		w.log.Warn("connection lost", "err", err)
		ex, _ := w.wanted()
		w.publish(Update{State: StateDisconnected, Problem: err.Error(), Exercise: exerciseID(ex), Stopping: errors.Is(err, errShuttingDown)})
		conn = nil
		w.wait(ctx, w.cfg.Retry/2)
	}
}

// wait sleeps for d, or less when the wanted exercise changes (so that a
// disconnected update names the new one at once).
func (w *Watcher) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-w.notify:
		ex, _ := w.wanted()
		w.publish(Update{State: StateConnecting, Exercise: exerciseID(ex)})
	}
}

// errorSpy reports transport errors of requests that were not cancelled:
// client-go's reflectors retry "connection refused" quietly, this is how
// the watcher learns that the API server is gone.
type errorSpy struct {
	rt     http.RoundTripper
	report func(error)
}

func (s *errorSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.rt.RoundTrip(req)
	if err != nil && req.Context().Err() == nil {
		s.report(err)
	}
	return resp, err
}

// strip drops what grading never reads from cached objects to keep the
// watcher small: managed fields (except on nodes, where they date labels,
// and DaemonSets, where they tell the shell's applies from the lab's) and
// node image lists.
func strip(obj any) (any, error) {
	switch o := obj.(type) {
	case *corev1.Node:
		o.Status.Images = nil
	case *corev1.Pod, *appsv1.ControllerRevision, *corev1.Event:
		if a, err := meta.Accessor(o); err == nil {
			a.SetManagedFields(nil)
		}
	}
	return obj, nil
}

// session is one connection's watch: informers for the wanted exercise,
// graded on every relevant change, until the connection is lost (an
// error), the exercise changes (errSwitch) or ctx ends.
func (w *Watcher) session(ctx context.Context, conn *kube.Conn) error {
	ex, gen := w.wanted()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()

	lost := make(chan error, 1)
	report := func(err error) {
		select {
		case lost <- err:
		default:
		}
	}
	cfg := rest.CopyConfig(conn.Rest)
	cfg.Timeout = 0 // watches are long requests
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return &errorSpy{rt: rt, report: report} })
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}

	changed := make(chan string, 1)
	signal := func(cause string) {
		select {
		case changed <- cause:
		default:
		}
	}
	onWatchError := func(ctx context.Context, r *cache.Reflector, err error) {
		if sctx.Err() != nil {
			return // the session is ending
		}
		if !apierrors.IsResourceExpired(err) && !apierrors.IsGone(err) {
			report(err)
		}
		cache.DefaultWatchErrorHandler(ctx, r, err)
	}

	all := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithTransform(strip))
	nodes := all.Core().V1().Nodes()
	dss := all.Apps().V1().DaemonSets()
	var target grader.ObjectRef
	var podLabels map[string]string
	var others map[string]bool
	if ex != nil {
		target = ex.Spec.Target
		podLabels = TargetPodLabels(*ex)
		others = OtherExercisesDaemonSets(*ex)
	}
	var hs []cache.InformerSynced
	add := func(inf cache.SharedIndexInformer, h cache.ResourceEventHandler) {
		_ = inf.SetWatchErrorHandlerWithContext(onWatchError)
		_, _ = inf.AddEventHandler(h)
		hs = append(hs, inf.HasSynced)
	}
	add(nodes.Informer(), cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { signal("노드 " + name(obj) + " 추가") },
		UpdateFunc: func(old, cur any) {
			if nodeChanged(old, cur) {
				signal("노드 " + name(cur) + " 변경")
			}
		},
		DeleteFunc: func(obj any) { signal("노드 " + name(obj) + " 삭제") },
	})
	add(dss.Informer(), cache.FilteringResourceEventHandler{
		FilterFunc: func(obj any) bool {
			m, err := meta.Accessor(unwrap(obj))
			if err != nil || ex == nil {
				return false
			}
			if m.GetName() == target.Name || m.GetNamespace() == target.Namespace {
				return true
			}
			// A copy in another namespace (LeftoversIn) is shown too.
			d, ok := unwrap(obj).(*appsv1.DaemonSet)
			if !ok {
				return false
			}
			_, copied := CopyOf(d, target.Name, podLabels)
			return copied
		},
		Handler: changes("데몬셋", signal),
	})

	var nsf informers.SharedInformerFactory
	if ex != nil {
		nsf = informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(target.Namespace), informers.WithTransform(strip))
		add(nsf.Core().V1().Pods().Informer(), cache.FilteringResourceEventHandler{
			FilterFunc: func(obj any) bool {
				m, err := meta.Accessor(unwrap(obj))
				if err != nil {
					return false
				}
				c := metav1.GetControllerOfNoCopy(m)
				return c != nil && c.Kind == "DaemonSet"
			},
			Handler: changesNamed("파드", func(obj any) string { return podSubject(obj, target, others) }, signal),
		})
		add(nsf.Apps().V1().ControllerRevisions().Informer(), changes("리비전", signal))
		add(nsf.Core().V1().ResourceQuotas().Informer(), changes("리소스 쿼터", signal))
		add(nsf.Core().V1().Events().Informer(), cache.FilteringResourceEventHandler{
			FilterFunc: func(obj any) bool {
				e, ok := unwrap(obj).(*corev1.Event)
				return ok && e.InvolvedObject.Kind == "DaemonSet" && e.InvolvedObject.Name == target.Name
			},
			Handler: eventChanges(signal),
		})
	}
	// The record of the exercise started on the cluster (ConfigMap
	// dslab-system/dslab-current, kube.RecordCurrent): `dslab exercise
	// start`/`reset` in another terminal writes it, and what the update
	// says of the exercise (Active, Started, the baseline) is read again.
	// It is not waited for (a user who may not read it still grades) and
	// its errors do not end the session.
	currentChanged := make(chan struct{}, 1)
	cur := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(kube.SystemNamespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.FieldSelector = "metadata.name=" + kube.CurrentName }))
	onCurrent := func(any) {
		select {
		case currentChanged <- struct{}{}:
		default:
		}
	}
	_, _ = cur.Core().V1().ConfigMaps().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: onCurrent, UpdateFunc: func(_, o any) { onCurrent(o) }, DeleteFunc: onCurrent,
	})
	all.Start(sctx.Done())
	cur.Start(sctx.Done())
	if nsf != nil {
		nsf.Start(sctx.Done())
	}
	defer func() {
		cancel()
		all.Shutdown()
		cur.Shutdown()
		if nsf != nil {
			nsf.Shutdown()
		}
	}()

	go w.probe(sctx, client, report)
	if err := w.waitSynced(sctx, conn, hs, lost); err != nil {
		return err
	}
	// The initial listing signalled every object; the first grade covers them.
	select {
	case <-changed:
	default:
	}
	select {
	case <-currentChanged:
	default:
	}

	st := &sessionState{w: w, conn: conn, ex: ex, nodes: nodes.Lister(), dss: dss.Lister(), ns: nsf, podLabels: podLabels, others: others}
	st.loadBaseline(sctx, client)

	// recheck re-grades when time alone may change the verdict
	// (grader.Result.RecheckAt), with nothing changing in the cluster.
	recheck := time.NewTimer(time.Hour)
	recheck.Stop()
	defer recheck.Stop()
	publish := func(u Update) {
		recheck.Stop()
		if d, ok := RecheckDelay(u.Result, w.cfg.Now()); ok {
			recheck.Reset(d)
		}
		w.publish(u)
	}
	w.takeRegrade() // the first grade of a session is fresh
	publish(st.grade(""))

	var timer *time.Timer
	var timerC <-chan time.Time
	var first time.Time
	cause := ""
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-lost:
			if lerr := w.confirmLost(ctx, conn, err); lerr != nil {
				return lerr
			}
		case <-w.notify:
			ex2, gen2 := w.wanted()
			if exerciseID(ex2) != exerciseID(ex) {
				return errSwitch
			}
			if gen2 != gen {
				gen = gen2
				st.loadBaseline(sctx, client)
				w.takeRegrade() // this grade is fresh too
				publish(st.grade("새로 준비됨"))
				continue
			}
			if w.takeRegrade() {
				publish(st.grade(CauseRegrade))
			}
		case c := <-changed:
			if cause == "" {
				cause = c
			}
			now := time.Now()
			if timer == nil {
				first = now
				timer = time.NewTimer(w.cfg.Debounce)
				timerC = timer.C
				continue
			}
			d := min(w.cfg.Debounce, w.cfg.MaxDelay-now.Sub(first))
			timer.Reset(max(d, 0))
		case <-timerC:
			timer, timerC = nil, nil
			publish(st.grade(cause))
			cause = ""
		case <-recheck.C:
			publish(st.grade(CauseRecheck))
		case <-currentChanged:
			// An exercise was started or reset (here or elsewhere).
			active, started := st.active, st.started
			st.loadBaseline(sctx, client)
			if st.active != active || st.started != started || st.active == exerciseID(ex) {
				publish(st.grade(CauseStarted))
			}
		}
	}
}

// Causes of grades that no change in the cluster triggered.
const (
	// CauseRecheck: time alone may have changed a verdict (RecheckAt).
	CauseRecheck = "시간 경과 (다시 채점)"
	// CauseRegrade: Regrade was asked (an apply that changed nothing).
	CauseRegrade = "다시 채점"
	// CauseStarted: an exercise was started or reset on the cluster (the
	// record dslab-current changed).
	CauseStarted = "연습 시작 기록 변경"
)

// recheckSlack is added to RecheckAt: the clock that stamps pods (the API
// server's) and this one may differ by a little.
const recheckSlack = 200 * time.Millisecond

// RecheckDelay is how long to wait before re-grading res because time
// alone may change its verdict (grader.Result.RecheckAt plus a small
// slack), measured from now; ok is false when no re-grade is needed.
func RecheckDelay(res *grader.Result, now time.Time) (d time.Duration, ok bool) {
	if res == nil || res.RecheckAt.IsZero() {
		return 0, false
	}
	return max(res.RecheckAt.Sub(now)+recheckSlack, 0), true
}

// waitSynced waits for the informers' first listing, a lost connection or
// the sync timeout.
func (w *Watcher) waitSynced(ctx context.Context, conn *kube.Conn, hs []cache.InformerSynced, lost <-chan error) error {
	deadline := time.NewTimer(w.cfg.SyncTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		synced := true
		for _, h := range hs {
			synced = synced && h()
		}
		if synced {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("클러스터 상태를 %s 안에 읽지 못했습니다", w.cfg.SyncTimeout)
		case err := <-lost:
			if lerr := w.confirmLost(ctx, conn, err); lerr != nil {
				return lerr
			}
		case <-tick.C:
		}
	}
}

// errShuttingDown is what the probe reports when the API server has begun
// to shut down.
var errShuttingDown = errors.New("API 서버(kube-apiserver)가 멈추는 중입니다")

// shuttingDown is the session's end when the probe saw the shutdown.
func shuttingDown() error {
	return fmt.Errorf("%w — 클러스터가 멈추고 있습니다", errShuttingDown)
}

// confirmLost decides whether err (a failed request or the probe) means
// the API server is gone: a shutdown the probe saw is; otherwise the
// server is pinged (kube.Ping) and a server that answers was a transient
// error (nil).
func (w *Watcher) confirmLost(ctx context.Context, conn *kube.Conn, err error) error {
	if errors.Is(err, errShuttingDown) {
		return shuttingDown()
	}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	perr := kube.Ping(pctx, conn.Client)
	cancel()
	if perr != nil {
		return fmt.Errorf("API 서버(kube-apiserver)와 연결이 끊겼습니다 (%v)", perr)
	}
	w.log.Debug("transient request error", "err", err)
	return nil
}

// probe checks the API server every cfg.Probe until ctx ends and reports
// what probeAPIServer finds wrong. Watches alone notice a stopped API
// server only when its graceful shutdown ends (seconds later); the probe
// sees the shutdown begin.
func (w *Watcher) probe(ctx context.Context, client kubernetes.Interface, report func(error)) {
	t := time.NewTicker(w.cfg.Probe)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, max(w.cfg.Probe, time.Second))
		err := probeAPIServer(pctx, client)
		cancel()
		if err != nil && ctx.Err() == nil {
			report(err)
		}
	}
}

// probeAPIServer asks the API server's shutdown readiness check
// (GET /readyz/shutdown; k8s.io/apiserver/pkg/server/healthz, the
// "shutdown" check fails from the moment the server receives SIGTERM). It
// returns errShuttingDown when the check fails, the transport error when
// the server cannot be reached, and nil otherwise (a server without the
// check, 404, or one that restricts it, 401/403, is taken as alive: the
// watches report the rest).
func probeAPIServer(ctx context.Context, client kubernetes.Interface) error {
	rc := client.Discovery().RESTClient()
	if rc == nil || reflect.ValueOf(rc).IsNil() {
		return nil
	}
	var code int
	err := rc.Get().AbsPath("/readyz/shutdown").Do(ctx).StatusCode(&code).Error()
	switch {
	case err == nil:
		return nil
	case code == http.StatusInternalServerError || code == http.StatusServiceUnavailable:
		return errShuttingDown
	case code != 0:
		return nil
	}
	return err
}

func unwrap(obj any) any {
	if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		return d.Obj
	}
	return obj
}

func name(obj any) string {
	if m, err := meta.Accessor(unwrap(obj)); err == nil {
		return m.GetName()
	}
	return "?"
}

func changes(kind string, signal func(string)) cache.ResourceEventHandlerFuncs {
	return changesNamed(kind, name, signal)
}

func changesNamed(kind string, name func(any) string, signal func(string)) cache.ResourceEventHandlerFuncs {
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { signal(kind + " " + name(obj) + " 추가") },
		UpdateFunc: func(_, cur any) { signal(kind + " " + name(cur) + " 변경") },
		DeleteFunc: func(obj any) { signal(kind + " " + name(obj) + " 삭제") },
	}
}

// podSubject names a pod in the grading header's cause: a pod of another
// exercise's or another DaemonSet is said to be one (issue 14: the taints
// header said "파드 gpu-monitor-x252h 변경", gpu-only's pod, as if it were
// this exercise's). The kind word ("파드") is added by changesNamed.
func podSubject(obj any, target grader.ObjectRef, others map[string]bool) string {
	m, err := meta.Accessor(unwrap(obj))
	if err != nil {
		return "?"
	}
	c := metav1.GetControllerOfNoCopy(m)
	switch {
	case c == nil || c.Name == target.Name:
		return m.GetName()
	case others[m.GetNamespace()+"/"+c.Name]:
		return m.GetName() + " (다른 연습의 데몬셋 " + c.Name + ")"
	}
	return m.GetName() + " (다른 데몬셋 " + c.Name + ")"
}

// eventChanges names an event by what it is about ("이벤트 (log-agent)
// 추가"), not by its generated name ("log-agent.18ecc9b65710b010").
func eventChanges(signal func(string)) cache.ResourceEventHandlerFuncs {
	return changesNamed("이벤트", eventSubject, signal)
}

// eventSubject is "(name)" of the object an event is about.
func eventSubject(obj any) string {
	if e, ok := unwrap(obj).(*corev1.Event); ok && e.InvolvedObject.Name != "" {
		return "(" + e.InvolvedObject.Name + ")"
	}
	return name(obj)
}

// nodeChanged ignores node status heartbeats: only labels, taints, cordon
// and readiness matter to grading and the map.
func nodeChanged(old, cur any) bool {
	a, ok1 := old.(*corev1.Node)
	b, ok2 := cur.(*corev1.Node)
	if !ok1 || !ok2 {
		return true
	}
	ga, gb := grader.FromNode(a), grader.FromNode(b)
	return ga.Ready != gb.Ready || ga.Unschedulable != gb.Unschedulable ||
		!reflect.DeepEqual(a.Labels, b.Labels) || !reflect.DeepEqual(a.Spec.Taints, b.Spec.Taints)
}

// sessionState grades from one session's caches.
type sessionState struct {
	w     *Watcher
	conn  *kube.Conn
	ex    *exercises.Exercise
	nodes interface {
		List(labels.Selector) ([]*corev1.Node, error)
	}
	dss interface {
		List(labels.Selector) ([]*appsv1.DaemonSet, error)
	}
	// ns is the exercise namespace's factory (pods, revisions, events).
	ns informers.SharedInformerFactory
	// podLabels are the target's pod labels (TargetPodLabels).
	podLabels map[string]string
	// others are the other exercises' DaemonSets (OtherExercisesDaemonSets).
	others map[string]bool

	baseline *grader.Baseline
	started  bool
	active   string
}

// loadBaseline finds the exercise's baseline as `dslab grade` does: the
// state directory, else the in-cluster copy (else, at grading time, one
// derived from the lab topology).
func (s *sessionState) loadBaseline(ctx context.Context, client kubernetes.Interface) {
	s.baseline, s.started = nil, false
	stateName := kube.StateName(s.conn.Context)
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cur, cerr := kube.LoadCurrent(cctx, client)
	if cerr == nil && cur != nil {
		s.active = cur.Exercise
	} else {
		s.active, _ = ActiveExercise(s.w.cfg.Paths, stateName)
	}
	if s.ex == nil {
		return
	}
	b, err := kube.LoadBaseline(kube.BaselineFile(kube.ExerciseDir(s.w.cfg.Paths, stateName, s.ex.ID)))
	if err != nil {
		s.w.log.Warn("baseline", "exercise", s.ex.ID, "err", err)
	}
	// A start newer than the local baseline (its record is written before
	// `dslab exercise start` saves the local file, to the second): the
	// in-cluster copy, saved before the record, is the current one.
	newer := cerr == nil && cur != nil && cur.Exercise == s.ex.ID && b != nil && cur.Started.After(b.Recorded)
	if b != nil && !newer {
		s.baseline, s.started = b, true
		return
	}
	if cb, err := kube.LoadBaselineFromCluster(cctx, client, s.ex.ID); err == nil && cb != nil {
		// The record says this exercise is the one started here (maybe
		// just now, its local baseline not saved yet).
		s.baseline = cb
		s.started = cerr == nil && cur != nil && cur.Exercise == s.ex.ID
		return
	}
	if b != nil {
		s.baseline, s.started = b, true
	}
}

// attempted reports whether the learner has made an attempt at the
// exercise watched: an apply counted in the progress (every apply of the
// work file, a change from the lab shell). Without a progress store
// (tests, tools) every grade may be recorded, as before.
func (s *sessionState) attempted() bool {
	p := s.w.cfg.Progress
	return p == nil || p.Exercise(s.ex.ID).Attempts > 0
}

func (s *sessionState) grade(cause string) Update {
	u := Update{State: StateConnected, Conn: s.conn, Context: s.conn.Context, Exercise: exerciseID(s.ex), Started: s.started, Active: s.active, Cause: cause}
	nodes, _ := s.nodes.List(labels.Everything())
	if s.ex == nil {
		snap := kube.SnapshotFromObjects(kube.CaptureOptions{Context: s.conn.Context, Now: s.w.cfg.Now}, kube.Objects{Nodes: nodes})
		u.Nodes = snap.Nodes
		return u
	}
	objs := kube.Objects{Nodes: nodes}
	objs.DaemonSets, _ = s.dss.List(labels.Everything())
	f := s.ns
	objs.Pods, _ = f.Core().V1().Pods().Lister().List(labels.Everything())
	objs.Revisions, _ = f.Apps().V1().ControllerRevisions().Lister().List(labels.Everything())
	objs.Events, _ = f.Core().V1().Events().Lister().List(labels.Everything())
	objs.ResourceQuotas, _ = f.Core().V1().ResourceQuotas().Lister().List(labels.Everything())
	snap := kube.SnapshotFromObjects(kube.CaptureOptions{Targets: []grader.ObjectRef{s.ex.Spec.Target}, Context: s.conn.Context, Now: s.w.cfg.Now}, objs)
	snap.Baseline = s.baseline
	if snap.Baseline == nil {
		snap.Baseline = kube.TopologyBaseline(*s.ex, snap.Nodes)
	}
	if s.ex.Setup.Recorder {
		dir := kube.RecorderDir(kube.ExerciseDir(s.w.cfg.Paths, kube.StateName(s.conn.Context), s.ex.ID))
		if rec, err := kube.ReadRecording(dir); err == nil {
			snap.Rollout = rec
		}
	}
	res := grader.Grade(s.ex.Spec, snap)
	u.ShellApplied = s.countShellApply(objs.DaemonSets, res)
	// An attempt record only once the learner has made an attempt (an
	// apply counted in the progress): an exercise only opened stays 시작함
	// everywhere (progress.StateOf), not 미통과 from its set-up state.
	if a := s.w.cfg.Attempts; a != nil && !res.Passed && res.Status != grader.StatusNotStarted && s.started && s.active == s.ex.ID && s.attempted() {
		a.Offer(s.conn.Client, NewAttempt(s.w.cfg.Progress, res, snap, s.w.cfg.Now()))
	}
	u.Nodes, u.Snapshot, u.Result = snap.Nodes, &snap, &res
	u.Leftovers = LeftoversIn(objs.DaemonSets, *s.ex, s.podLabels, s.others)
	u.Map = BuildNodeMap(*s.ex, snap, res)
	s.w.log.Debug("graded", "exercise", s.ex.ID, "score", res.Score, "cause", cause, "map", u.Map.String())
	return u
}

// ActiveExercise returns the exercise started last on the cluster with
// state name stateName (kube.StateName), from the baselines exercise start
// recorded, and when it was started.
func ActiveExercise(p paths.Paths, stateName string) (string, time.Time) {
	dir := filepath.Dir(kube.ExerciseDir(p, stateName, "x"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", time.Time{}
	}
	var id string
	var at time.Time
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b, err := kube.LoadBaseline(kube.BaselineFile(filepath.Join(dir, e.Name())))
		if err != nil || b == nil {
			continue
		}
		if b.Recorded.After(at) {
			id, at = e.Name(), b.Recorded
		}
	}
	return id, at
}
