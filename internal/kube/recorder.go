package kube

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"

	"github.com/dslab-kr/dslab/grader"
)

// The rollout recorder watches one DaemonSet and its pods and writes a
// sample (desired, available, unavailable, updated) whenever they change
// and at least every Interval as a heartbeat, to <dir>/samples.jsonl.
// <dir>/recorder.json says who records what since when, and why it stopped.

const (
	recorderState   = "recorder.json"
	recorderSamples = "samples.jsonl"
)

// unreachableLimit is how long the recorder tolerates an unreachable API server.
const unreachableLimit = 10 * time.Minute

// RecorderState is recorder.json.
type RecorderState struct {
	PID        int           `json:"pid"`
	Namespace  string        `json:"namespace"`
	Name       string        `json:"name"`
	Started    time.Time     `json:"started"`
	Interval   time.Duration `json:"interval"`
	Until      time.Time     `json:"until"`
	Stopped    *time.Time    `json:"stopped,omitempty"`
	StopReason string        `json:"stopReason,omitempty"`
	// StartRevision is the DaemonSet's newest ControllerRevision at start.
	StartRevision int64 `json:"startRevision,omitempty"`
}

// Recorder records the rollout of one DaemonSet.
type Recorder struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	Dir       string
	// Interval is the heartbeat interval (default grader.DefaultRecorderInterval).
	Interval time.Duration
	// Until stops the recorder (default: 8 hours from start).
	Until time.Time
	Now   func() time.Time
	// Exercise, when set, makes the recorder also publish its recording
	// in the cluster (SaveRecordingInCluster), so that an instructor on
	// another machine grades the rollout too: on every change, at most
	// every PublishEvery on heartbeats (default 10 s), and when it stops.
	Exercise     string
	PublishEvery time.Duration
}

func (r *Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Run records until ctx ends or Until passes.
func (r *Recorder) Run(ctx context.Context) (err error) {
	if r.Interval <= 0 {
		r.Interval = grader.DefaultRecorderInterval
	}
	start := r.now()
	if r.Until.IsZero() {
		r.Until = start.Add(8 * time.Hour)
	}
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return err
	}
	st := RecorderState{PID: os.Getpid(), Namespace: r.Namespace, Name: r.Name, Started: start, Interval: r.Interval, Until: r.Until,
		StartRevision: newestRevision(ctx, r.Client, r.Namespace, r.Name)}
	if err := writeState(r.Dir, st); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(r.Dir, recorderSamples), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	reason := "deadline"
	var samples []grader.Sample
	var lastPublish time.Time
	publish := func(ctx context.Context, force bool) {
		if r.Exercise == "" || (!force && r.now().Sub(lastPublish) < r.publishEvery()) {
			return
		}
		lastPublish = r.now()
		rec := &grader.Recording{Namespace: st.Namespace, Name: st.Name, Started: st.Started, Interval: st.Interval,
			Stopped: st.Stopped, StopReason: st.StopReason, StartRevision: st.StartRevision, Samples: samples}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if perr := SaveRecordingInCluster(pctx, r.Client, r.Exercise, rec); perr != nil {
			fmt.Fprintf(os.Stderr, "publish recording: %v\n", perr)
		}
	}
	defer func() {
		t := r.now()
		st.Stopped = &t
		if err != nil {
			reason = err.Error()
		}
		st.StopReason = reason
		_ = writeState(r.Dir, st)
		publish(context.Background(), true)
	}()

	factory := informers.NewSharedInformerFactoryWithOptions(r.Client, 0, informers.WithNamespace(r.Namespace))
	dsInf := factory.Apps().V1().DaemonSets()
	podInf := factory.Core().V1().Pods()
	changed := make(chan struct{}, 1)
	poke := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	h := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke() },
		UpdateFunc: func(any, any) { poke() },
		DeleteFunc: func(any) { poke() },
	}
	if _, err := dsInf.Informer().AddEventHandler(h); err != nil {
		return err
	}
	if _, err := podInf.Informer().AddEventHandler(h); err != nil {
		return err
	}
	stop := make(chan struct{})
	defer close(stop)
	factory.Start(stop)
	syncCtx, cancel := context.WithTimeout(ctx, time.Minute)
	ok := cache.WaitForCacheSync(syncCtx.Done(), dsInf.Informer().HasSynced, podInf.Informer().HasSynced)
	cancel()
	if !ok {
		if ctx.Err() != nil {
			reason = "signal"
			return nil
		}
		return errors.New("informer cache did not sync")
	}
	enc := json.NewEncoder(f)
	var last grader.Sample
	write := func(force bool) error {
		ds, _ := dsInf.Lister().DaemonSets(r.Namespace).Get(r.Name)
		pods, _ := podInf.Lister().Pods(r.Namespace).List(labels.Everything())
		s := ComputeSample(ds, pods, r.now())
		if !force && sameSample(s, last) {
			return nil
		}
		changed := !sameSample(s, last)
		last = s
		samples = append(samples, s)
		if err := enc.Encode(s); err != nil {
			return err
		}
		publish(ctx, changed)
		return nil
	}
	if err := write(true); err != nil {
		return err
	}
	tick := time.NewTicker(r.Interval)
	defer tick.Stop()
	// A recorder whose cluster is gone (deleted, stopped for good) ends by
	// itself instead of retrying for hours.
	lastOK, ticks := r.now(), 0
	alive := func() bool {
		ticks++
		if ticks%5 != 0 {
			return true
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := r.Client.AppsV1().DaemonSets(r.Namespace).Get(cctx, r.Name, metav1.GetOptions{})
		if err == nil || apierrors.IsNotFound(err) {
			lastOK = r.now()
		}
		return r.now().Sub(lastOK) < unreachableLimit
	}
	deadline := time.NewTimer(time.Until(r.Until))
	defer deadline.Stop()
	for {
		select {
		case <-ctx.Done():
			reason = "signal"
			return nil
		case <-deadline.C:
			reason = "deadline"
			return nil
		case <-changed:
			if err := write(false); err != nil {
				return err
			}
		case <-tick.C:
			if !alive() {
				reason = "cluster unreachable"
				return nil
			}
			if err := write(true); err != nil {
				return err
			}
		}
	}
}

func (r *Recorder) publishEvery() time.Duration {
	if r.PublishEvery > 0 {
		return r.PublishEvery
	}
	return 10 * time.Second
}

// newestRevision is the highest ControllerRevision number of the
// DaemonSet ns/name (0 if none or unknown).
func newestRevision(ctx context.Context, client kubernetes.Interface, ns, name string) int64 {
	ds, err := client.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return 0
	}
	revs, err := client.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0
	}
	var n int64
	for i := range revs.Items {
		if c := metav1.GetControllerOf(&revs.Items[i]); c != nil && c.UID == ds.UID && revs.Items[i].Revision > n {
			n = revs.Items[i].Revision
		}
	}
	return n
}

func sameSample(a, b grader.Sample) bool {
	return a.UID == b.UID && a.Generation == b.Generation && a.Desired == b.Desired && a.Available == b.Available &&
		a.Updated == b.Updated && a.Missing == b.Missing && strings.Join(a.NotReady, ",") == strings.Join(b.NotReady, ",")
}

// ComputeSample computes one observation: nodes with a Ready,
// non-terminating pod of ds count as available; unavailable is how many
// of the desired nodes lack one.
func ComputeSample(ds *appsv1.DaemonSet, pods []*corev1.Pod, now time.Time) grader.Sample {
	s := grader.Sample{Time: now}
	if ds == nil || ds.DeletionTimestamp != nil {
		s.Missing = true
		return s
	}
	s.UID, s.Generation, s.Desired = string(ds.UID), ds.Generation, ds.Status.DesiredNumberScheduled
	s.Updated = ds.Status.UpdatedNumberScheduled
	readyNodes := map[string]bool{}
	nodes := map[string]bool{}
	for _, p := range pods {
		c := metav1.GetControllerOf(p)
		if c == nil || c.UID != ds.UID || p.Spec.NodeName == "" {
			continue
		}
		nodes[p.Spec.NodeName] = true
		if p.DeletionTimestamp != nil || !podReady(p) {
			continue
		}
		readyNodes[p.Spec.NodeName] = true
	}
	s.Available = int32(len(readyNodes))
	if s.Desired > s.Available {
		s.Unavailable = s.Desired - s.Available
	}
	for n := range nodes {
		if !readyNodes[n] {
			s.NotReady = append(s.NotReady, n)
		}
	}
	sort.Strings(s.NotReady)
	return s
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func writeState(dir string, st RecorderState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, recorderState), append(data, '\n'))
}

// ReadRecorderState reads recorder.json; none is (nil, nil).
func ReadRecorderState(dir string) (*RecorderState, error) {
	data, err := os.ReadFile(filepath.Join(dir, recorderState))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st RecorderState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// ReadRecording reads what the recorder in dir observed; none is (nil, nil).
func ReadRecording(dir string) (*grader.Recording, error) {
	st, err := ReadRecorderState(dir)
	if err != nil || st == nil {
		return nil, err
	}
	rec := &grader.Recording{
		Namespace: st.Namespace, Name: st.Name, Started: st.Started, Interval: st.Interval,
		Stopped: st.Stopped, StopReason: st.StopReason, StartRevision: st.StartRevision,
	}
	rec.Running = st.Stopped == nil && RecorderAlive(dir)
	f, err := os.Open(filepath.Join(dir, recorderSamples))
	if errors.Is(err, os.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		var s grader.Sample
		if json.Unmarshal(sc.Bytes(), &s) != nil {
			continue // a line cut short by a crash
		}
		rec.Samples = append(rec.Samples, s)
	}
	return rec, sc.Err()
}

// RecorderAlive reports whether the recorder process of dir still runs:
// its pid is alive and, where /proc exists, is a dslab recorder for dir.
func RecorderAlive(dir string) bool {
	st, err := ReadRecorderState(dir)
	if err != nil || st == nil || st.PID <= 0 || st.Stopped != nil {
		return false
	}
	if !processAlive(st.PID) {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", st.PID))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) || !procMounted()
	}
	return strings.Contains(string(cmdline), "__recorder") && strings.Contains(string(cmdline), filepath.Base(dir))
}

func procMounted() bool {
	_, err := os.Stat("/proc/self/cmdline")
	return err == nil
}

// StopRecorder ends the recorder of dir, if one runs, and waits briefly
// for it to say it stopped.
func StopRecorder(dir string) error {
	if !RecorderAlive(dir) {
		return nil
	}
	st, err := ReadRecorderState(dir)
	if err != nil || st == nil {
		return err
	}
	if err := terminateProcess(st.PID); err != nil {
		return err
	}
	for i := 0; i < 50 && RecorderAlive(dir); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// SpawnRecorder starts `exe __recorder …` detached (its own session, so it
// outlives the CLI and ^C does not reach it), logging to dir/recorder.log.
// exited receives the process's end if it ends while this process runs.
func SpawnRecorder(exe string, args []string, dir string) (pid int, exited <-chan error, err error) {
	if err := recorderSupported(); err != nil {
		return 0, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, nil, err
	}
	// Observations of an earlier run must not mix with this one.
	for _, f := range []string{recorderState, recorderSamples} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, nil, err
		}
	}
	log, err := os.OpenFile(filepath.Join(dir, "recorder.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, nil, err
	}
	defer log.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return 0, nil, err
	}
	defer devnull.Close()
	cmd := exec.Command(exe, append([]string{"__recorder"}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, log, log
	cmd.Dir = dir
	cmd.SysProcAttr = sessionProcAttr()
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	// Reap it if it dies while we still run; otherwise init adopts it.
	ch := make(chan error, 1)
	go func() { ch <- cmd.Wait() }()
	return cmd.Process.Pid, ch, nil
}

// lastLine is the last non-empty line of a file, for error messages.
func lastLine(path string) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// WaitRecorderReady waits until the recorder in dir wrote its first sample
// (it then observes the cluster), or reports why not.
func WaitRecorderReady(ctx context.Context, dir string, exited <-chan error, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("롤아웃 기록기(recorder)가 바로 끝났습니다 (%v): %s", err, lastLine(filepath.Join(dir, "recorder.log")))
		default:
		}
		if rec, err := ReadRecording(dir); err == nil && rec != nil && len(rec.Samples) > 0 {
			return nil
		}
		if st, _ := ReadRecorderState(dir); st != nil && st.Stopped != nil {
			return fmt.Errorf("롤아웃 기록기(recorder)가 바로 멈췄습니다: %s", st.StopReason)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("롤아웃 기록기(recorder)가 %s 안에 시작하지 않았습니다 (%s 참고)", timeout, filepath.Join(dir, "recorder.log"))
}
