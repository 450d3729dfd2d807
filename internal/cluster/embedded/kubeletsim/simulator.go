package kubeletsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/distribution/reference"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
)

// Options tune the simulator.
type Options struct {
	// LeaseInterval is how often node leases are renewed (kubelet: 10s).
	LeaseInterval time.Duration
	// StatusInterval is how often the Ready heartbeat is written to node
	// status when nothing changed (kubelet: 5m; dslab uses 1m).
	StatusInterval time.Duration
	// Workers sync pods in parallel.
	Workers int
	// Events records kubelet-style events (Pulled, Created, Started, …).
	Events bool
	// KubeletAPI, when Addr is set, serves the simulated kubelet API
	// (container logs) for every node on that loopback address.
	KubeletAPI KubeletAPI
	// Stopped lists the nodes whose kubelet is "down" from the start
	// (`dslab cluster node stop`, kept across supervisor restarts); see
	// SetStopped.
	Stopped []string
	// Images is what the simulated registry knows (nil: NewImageKnowledge).
	Images *ImageKnowledge
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.LeaseInterval == 0 {
		o.LeaseInterval = 10 * time.Second
	}
	if o.StatusInterval == 0 {
		o.StatusInterval = time.Minute
	}
	if o.Workers == 0 {
		o.Workers = 8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Images == nil {
		o.Images = NewImageKnowledge()
	}
}

// Simulator runs the kubelets of every node annotated dslab.kr/simulated.
type Simulator struct {
	client kubernetes.Interface
	opts   Options
	log    *slog.Logger

	nodes corelisters.NodeLister
	pods  corelisters.PodLister
	queue workqueue.TypedRateLimitingInterface[string]

	broadcaster record.EventBroadcaster

	mu        sync.Mutex
	recorders map[string]record.EventRecorder // per node (event source host)
	leases    map[string]*coordinationv1.Lease
	beats     map[string]time.Time // last status heartbeat per node
	podSeq    map[string]int       // next pod IP index per node
	podIndex  cache.Indexer        // pods by node name
	stopped   map[string]bool      // nodes whose kubelet is down
	resumed   chan string          // nodes to bring back at once (SetStopped → Run)
	// terminating remembers when the kubelet began stopping each deleted
	// pod (by key), so a preStop sleep hook runs its full length.
	terminating map[string]termination

	pulls *puller // node image stores and the image pull back-off
}

// New returns a simulator using client (which should have a generous QPS).
func New(client kubernetes.Interface, opts Options) *Simulator {
	opts.defaults()
	return &Simulator{
		client:      client,
		opts:        opts,
		log:         opts.Logger,
		queue:       workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		recorders:   map[string]record.EventRecorder{},
		leases:      map[string]*coordinationv1.Lease{},
		beats:       map[string]time.Time{},
		podSeq:      map[string]int{},
		terminating: map[string]termination{},
		stopped:     stoppedSet(opts.Stopped),
		resumed:     make(chan string, 64),
		pulls:       newPuller(opts.Images, clock.RealClock{}),
	}
}

func stoppedSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// SetStopped replaces the set of nodes whose kubelet is down. A stopped
// node gets no Lease renewal, no status heartbeat and no pod sync (its pods
// keep whatever the control plane writes, e.g. Ready=False from the
// node-lifecycle controller, and pods deleted there stay Terminating), just
// as when a real kubelet stops answering. A node leaving the set sends a
// heartbeat at once and re-syncs its pods (while Run runs). Safe for
// concurrent use.
func (s *Simulator) SetStopped(names []string) {
	next := stoppedSet(names)
	s.mu.Lock()
	var resumed []string
	for n := range s.stopped {
		if !next[n] {
			resumed = append(resumed, n)
		}
	}
	for n := range next {
		if !s.stopped[n] {
			s.log.Info("node kubelet stopped", "node", n)
		}
	}
	s.stopped = next
	s.mu.Unlock()
	for _, n := range resumed {
		s.log.Info("node kubelet resumed", "node", n)
		select {
		case s.resumed <- n:
		default:
			// Run is not draining (not started or stopping): the periodic
			// heartbeat picks the node up again.
			s.log.Warn("resume queue full", "node", n)
		}
	}
}

func (s *Simulator) isStopped(node string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped[node]
}

// resume brings a node's kubelet back: a forced heartbeat and a sync of
// every pod bound to it.
func (s *Simulator) resume(ctx context.Context, name string) {
	s.heartbeat(ctx, name, true)
	objs, _ := s.podIndex.ByIndex("node", name)
	for _, obj := range objs {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			s.queue.Add(key)
		}
	}
}

// Run starts the informers and workers and blocks until ctx is done.
func (s *Simulator) Run(ctx context.Context) error {
	defer s.queue.ShutDown()
	if s.opts.Events {
		s.broadcaster = record.NewBroadcaster(record.WithContext(ctx))
		s.broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: s.client.CoreV1().Events("")})
		defer s.broadcaster.Shutdown()
	}

	nodeFactory := informers.NewSharedInformerFactory(s.client, 0)
	podFactory := informers.NewSharedInformerFactoryWithOptions(s.client, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = fields.OneTermNotEqualSelector("spec.nodeName", "").String()
		}))
	nodeInformer := nodeFactory.Core().V1().Nodes()
	podInformer := podFactory.Core().V1().Pods()
	s.nodes = nodeInformer.Lister()
	s.pods = podInformer.Lister()
	s.podIndex = podInformer.Informer().GetIndexer()
	if err := podInformer.Informer().AddIndexers(cache.Indexers{"node": func(obj any) ([]string, error) {
		if p, ok := obj.(*corev1.Pod); ok {
			return []string{p.Spec.NodeName}, nil
		}
		return nil, nil
	}}); err != nil {
		return err
	}
	enqueue := func(obj any) {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			s.queue.Add(key)
		}
	}
	if _, err := podInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
		// A deleted pod is synced once more so its termination record is
		// dropped.
		DeleteFunc: func(obj any) {
			if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
				s.queue.Add(key)
			}
		},
	}); err != nil {
		return err
	}
	if _, err := nodeInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if n, ok := obj.(*corev1.Node); ok && IsSimulated(n) {
				go s.heartbeat(ctx, n.Name, true)
			}
		},
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if n, ok := obj.(*corev1.Node); ok && IsSimulated(n) {
				go s.nodeDeleted(ctx, n.Name, podInformer.Informer().GetIndexer())
			}
		},
	}); err != nil {
		return err
	}
	nodeFactory.Start(ctx.Done())
	podFactory.Start(ctx.Done())
	nodeFactory.WaitForCacheSync(ctx.Done())
	podFactory.WaitForCacheSync(ctx.Done())
	s.log.Info("kubelet simulator started")
	if s.opts.KubeletAPI.Addr != "" {
		go func() {
			if err := s.serveKubeletAPI(ctx); err != nil {
				s.log.Warn("simulated kubelet API stopped", "err", err)
			}
		}()
	}

	var wg sync.WaitGroup
	for range s.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s.processNext(ctx) {
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		wait.UntilWithContext(ctx, s.heartbeatAll, s.opts.LeaseInterval)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case name := <-s.resumed:
				s.resume(ctx, name)
			}
		}
	}()
	<-ctx.Done()
	s.queue.ShutDown()
	wg.Wait()
	return nil
}

func (s *Simulator) processNext(ctx context.Context) bool {
	key, quit := s.queue.Get()
	if quit {
		return false
	}
	defer s.queue.Done(key)
	if err := s.syncPod(ctx, key); err != nil {
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			s.log.Warn("sync pod", "pod", key, "err", err)
		}
		s.queue.AddRateLimited(key)
		return true
	}
	s.queue.Forget(key)
	return true
}

// heartbeatAll renews every simulated node's lease, spreading the calls.
func (s *Simulator) heartbeatAll(ctx context.Context) {
	nodes, err := s.nodes.List(labels.Everything())
	if err != nil {
		return
	}
	sem := make(chan struct{}, s.opts.Workers)
	var wg sync.WaitGroup
	for _, n := range nodes {
		if !IsSimulated(n) || s.isStopped(n.Name) {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(name string) {
			defer func() { <-sem; wg.Done() }()
			s.heartbeat(ctx, name, false)
		}(n.Name)
	}
	wg.Wait()
}

// heartbeat renews the node's lease and, when due (or forced), its Ready
// condition. A stopped node's kubelet sends nothing.
func (s *Simulator) heartbeat(ctx context.Context, name string, force bool) {
	if s.isStopped(name) {
		return
	}
	if err := s.renewLease(ctx, name); err != nil && ctx.Err() == nil {
		s.log.Warn("renew lease", "node", name, "err", err)
	}
	s.mu.Lock()
	due := force || time.Since(s.beats[name]) >= s.opts.StatusInterval
	s.mu.Unlock()
	// Like the kubelet (which computes its status every 10s and writes it
	// when it changed), report at once what changed, e.g. an extended
	// resource added to capacity that allocatable lacks.
	if !due && s.nodes != nil {
		if node, err := s.nodes.Get(name); err == nil && !allocatableInSync(node) {
			due = true
		}
	}
	if !due {
		return
	}
	err := retryOnConflict(func() error {
		node, err := s.client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if !IsSimulated(node) {
			return nil
		}
		fillNodeStatus(node, metav1.Now())
		if port := s.opts.KubeletAPI.port(); port != 0 {
			node.Status.DaemonEndpoints.KubeletEndpoint.Port = int32(port)
		}
		_, err = s.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		if ctx.Err() == nil && !apierrors.IsNotFound(err) {
			s.log.Warn("node status", "node", name, "err", err)
		}
		return
	}
	s.mu.Lock()
	s.beats[name] = time.Now()
	s.mu.Unlock()
}

func (s *Simulator) renewLease(ctx context.Context, name string) error {
	leases := s.client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	var err error
	for range 3 {
		now := metav1.NewMicroTime(time.Now())
		s.mu.Lock()
		lease := s.leases[name]
		s.mu.Unlock()
		if lease == nil {
			lease, err = leases.Get(ctx, name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				lease, err = s.createLease(ctx, name, now)
				if err == nil {
					s.storeLease(name, lease)
					return nil
				}
			}
			if err != nil {
				if apierrors.IsAlreadyExists(err) {
					continue // created concurrently: read it next round
				}
				return err
			}
		}
		l := lease.DeepCopy()
		l.Spec.RenewTime = &now
		updated, uerr := leases.Update(ctx, l, metav1.UpdateOptions{})
		if uerr == nil {
			s.storeLease(name, updated)
			return nil
		}
		err = uerr
		s.storeLease(name, nil) // stale or gone: read it again
		if !apierrors.IsConflict(uerr) && !apierrors.IsNotFound(uerr) {
			return uerr
		}
	}
	return err
}

func (s *Simulator) createLease(ctx context.Context, name string, now metav1.MicroTime) (*coordinationv1.Lease, error) {
	node, err := s.nodes.Get(name)
	if err != nil {
		return nil, err
	}
	return s.client.CoordinationV1().Leases(corev1.NamespaceNodeLease).Create(ctx, &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: corev1.NamespaceNodeLease,
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "v1", Kind: "Node", Name: name, UID: node.UID,
			}},
		},
		Spec: coordinationv1.LeaseSpec{
			HolderIdentity:       ptr.To(name),
			LeaseDurationSeconds: ptr.To[int32](40),
			RenewTime:            &now,
		},
	}, metav1.CreateOptions{})
}

func (s *Simulator) storeLease(name string, l *coordinationv1.Lease) {
	s.mu.Lock()
	if l == nil {
		delete(s.leases, name)
	} else {
		s.leases[name] = l
	}
	s.mu.Unlock()
}

// nodeDeleted removes the pods bound to a deleted node (as the pod garbage
// collector eventually would) and forgets the node.
func (s *Simulator) nodeDeleted(ctx context.Context, name string, pods cache.Indexer) {
	s.mu.Lock()
	delete(s.leases, name)
	delete(s.beats, name)
	delete(s.recorders, name)
	delete(s.podSeq, name)
	s.mu.Unlock()
	s.pulls.forgetNode(name)
	objs, _ := pods.ByIndex("node", name)
	for _, obj := range objs {
		p := obj.(*corev1.Pod)
		s.forceDelete(ctx, p)
	}
	err := s.client.CoordinationV1().Leases(corev1.NamespaceNodeLease).Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) && ctx.Err() == nil {
		s.log.Warn("delete lease", "node", name, "err", err)
	}
	s.log.Info("node removed", "node", name, "pods", len(objs))
}

func (s *Simulator) forceDelete(ctx context.Context, p *corev1.Pod) {
	err := s.client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{
		GracePeriodSeconds: ptr.To[int64](0),
		Preconditions:      &metav1.Preconditions{UID: &p.UID},
	})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) && ctx.Err() == nil {
		s.log.Warn("delete pod", "pod", p.Namespace+"/"+p.Name, "err", err)
	}
}

func (s *Simulator) recorder(node string) record.EventRecorder {
	if s.broadcaster == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.recorders[node]
	if !ok {
		r = s.broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "kubelet", Host: node})
		s.recorders[node] = r
	}
	return r
}

// syncPod brings one bound pod's status to what a kubelet would report.
func (s *Simulator) syncPod(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		s.forgetTermination(key)
		return nil
	}
	if err != nil {
		return err
	}
	node, err := s.nodes.Get(pod.Spec.NodeName)
	if err != nil || !IsSimulated(node) {
		return nil // not ours (or the node is gone: nodeDeleted cleans up)
	}
	if s.isStopped(node.Name) {
		return nil // its kubelet is down; resume re-syncs the node's pods
	}
	if pod.DeletionTimestamp != nil {
		// The containers stop when their preStop sleep hooks end (at
		// once without one, as the pause container does on SIGTERM);
		// then the kubelet finishes the graceful deletion.
		if wait := preStopRemaining(pod, s.terminationStart(key, pod.UID), time.Now()); wait > 0 {
			s.queue.AddAfter(key, wait)
			return nil
		}
		s.forceDelete(ctx, pod)
		return nil
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	freshIP := ""
	if pod.Status.PodIP == "" && !pod.Spec.HostNetwork {
		freshIP = s.nextPodIP(node)
	}
	status, events, retry := desiredStatus(pod, node, freshIP, metav1.Now(), s.pulls)
	if retry > 0 {
		// The kubelet syncs the pod again when the image pull back-off ends.
		s.queue.AddAfter(key, retry)
	}
	if statusEqual(&pod.Status, &status) {
		return nil
	}
	updated := pod.DeepCopy()
	updated.Status = status
	if _, err := s.client.CoreV1().Pods(ns).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
		return err
	}
	if r := s.recorder(node.Name); r != nil {
		for _, e := range events {
			r.Event(pod, e.kind, e.reason, e.message)
		}
	}
	return nil
}

// nextPodIP hands out the next IP of the node's pod CIDR. The first time a
// node is seen (e.g. after the supervisor restarted) it continues after the
// highest IP its existing pods have, so restarts do not hand out IPs twice.
func (s *Simulator) nextPodIP(node *corev1.Node) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq, ok := s.podSeq[node.Name]
	if !ok && s.podIndex != nil {
		objs, _ := s.podIndex.ByIndex("node", node.Name)
		for _, obj := range objs {
			if p, isPod := obj.(*corev1.Pod); isPod && !p.Spec.HostNetwork {
				if n := podIPIndex(node, p.Status.PodIP); n >= seq {
					seq = n + 1
				}
			}
		}
	}
	s.podSeq[node.Name] = seq + 1
	return podIPFor(node, seq)
}

type event struct{ kind, reason, message string }

// desiredStatus computes the status a kubelet would report for pod on node,
// pulling images through pulls. It keeps what is already reported (IPs,
// start times) stable. retry > 0 asks for another sync after that long (an
// image pull back-off ends).
func desiredStatus(pod *corev1.Pod, node *corev1.Node, freshIP string, now metav1.Time, pulls *puller) (st corev1.PodStatus, events []event, retry time.Duration) {
	st = *pod.Status.DeepCopy()
	hostIP := ""
	for _, a := range node.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			hostIP = a.Address
		}
	}
	st.HostIP = hostIP
	st.HostIPs = []corev1.HostIP{{IP: hostIP}}
	if pod.Spec.HostNetwork {
		st.PodIP = hostIP
	} else if st.PodIP == "" {
		st.PodIP = freshIP
	}
	st.PodIPs = []corev1.PodIP{{IP: st.PodIP}}
	if st.StartTime == nil {
		st.StartTime = &now
	}

	old := map[string]corev1.ContainerStatus{}
	for _, cs := range pod.Status.ContainerStatuses {
		old[cs.Name] = cs
	}
	var notReady []string
	statuses := make([]corev1.ContainerStatus, 0, len(pod.Spec.Containers))
	for _, c := range pod.Spec.Containers {
		prev, had := old[c.Name]
		cs := corev1.ContainerStatus{Name: c.Name, Image: c.Image, RestartCount: prev.RestartCount}
		if _, err := reference.ParseNormalizedNamed(c.Image); err != nil || c.Image == "" {
			// The kubelet's applyDefaultImageTag failure.
			msg := fmt.Sprintf("Failed to apply default image tag %q: couldn't parse image name %q: %v", c.Image, c.Image, errInvalidReference(err))
			cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "InvalidImageName", Message: msg}}
			notReady = append(notReady, c.Name)
			if !had || prev.State.Waiting == nil || prev.State.Waiting.Reason != "InvalidImageName" {
				events = append(events,
					event{corev1.EventTypeWarning, "InspectFailed", msg},
					event{corev1.EventTypeWarning, "Failed", "Error: InvalidImageName"})
			}
			statuses = append(statuses, cs)
			continue
		}
		running := had && prev.State.Running != nil
		if running && prev.Image == c.Image {
			cs.ImageID, cs.ContainerID = imageID(c.Image), prev.ContainerID
			cs.Ready, cs.Started = true, ptr.To(true)
			cs.State = prev.State
			cs.LastTerminationState = prev.LastTerminationState
			statuses = append(statuses, cs)
			continue
		}
		var lastTerminated corev1.ContainerState
		if running {
			// The image was changed in place: the kubelet kills the
			// container and starts one with the new image.
			lastTerminated = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: prev.State.Running.StartedAt, FinishedAt: now,
				ContainerID: prev.ContainerID,
			}}
		} else if had {
			lastTerminated = prev.LastTerminationState
		}
		pull := pulls.ensure(node.Name, pod.UID, &c)
		events = append(events, pull.events...)
		if pull.retry > 0 && (retry == 0 || pull.retry < retry) {
			retry = pull.retry
		}
		if !pull.ok {
			cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: pull.reason, Message: pull.message}}
			cs.Started = ptr.To(false)
			cs.LastTerminationState = lastTerminated
			notReady = append(notReady, c.Name)
			statuses = append(statuses, cs)
			continue
		}
		cs.ImageID = imageID(c.Image)
		cs.ContainerID = "containerd://" + digest(string(pod.UID) + "/" + c.Name + "/" + c.Image)[:64]
		cs.Ready, cs.Started = true, ptr.To(true)
		if lastTerminated.Terminated != nil {
			cs.RestartCount++ // a container ran before this one
		}
		cs.LastTerminationState = lastTerminated
		cs.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}
		events = append(events,
			event{corev1.EventTypeNormal, "Created", "Created container: " + c.Name},
			event{corev1.EventTypeNormal, "Started", "Started container " + c.Name})
		statuses = append(statuses, cs)
	}
	st.ContainerStatuses = statuses

	var inits []corev1.ContainerStatus
	for _, c := range pod.Spec.InitContainers {
		inits = append(inits, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: imageID(c.Image),
			ContainerID: "containerd://" + digest(string(pod.UID) + "/init/" + c.Name)[:64],
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: *st.StartTime, FinishedAt: *st.StartTime,
			}},
		})
	}
	st.InitContainerStatuses = inits

	ready := len(notReady) == 0
	if ready {
		st.Phase = corev1.PodRunning
	} else {
		st.Phase = corev1.PodPending
	}
	setCond := func(t corev1.PodConditionType, ok bool, reason, msg string) {
		status := corev1.ConditionFalse
		if ok {
			status, reason, msg = corev1.ConditionTrue, "", ""
		}
		for i := range st.Conditions {
			if st.Conditions[i].Type == t {
				if st.Conditions[i].Status != status {
					st.Conditions[i].LastTransitionTime = now
				}
				st.Conditions[i].Status, st.Conditions[i].Reason, st.Conditions[i].Message = status, reason, msg
				st.Conditions[i].ObservedGeneration = pod.Generation
				return
			}
		}
		st.Conditions = append(st.Conditions, corev1.PodCondition{
			Type: t, Status: status, Reason: reason, Message: msg, LastTransitionTime: now,
			ObservedGeneration: pod.Generation,
		})
	}
	msg := fmt.Sprintf("containers with unready status: %v", notReady)
	setCond(corev1.PodReadyToStartContainers, true, "", "")
	setCond(corev1.PodInitialized, true, "", "")
	setCond(corev1.PodReady, ready, "ContainersNotReady", msg)
	setCond(corev1.ContainersReady, ready, "ContainersNotReady", msg)
	st.ObservedGeneration = pod.Generation
	return st, events, retry
}

// errInvalidReference renders the error the way the kubelet prints it.
func errInvalidReference(err error) error {
	if err == nil {
		return reference.ErrReferenceInvalidFormat
	}
	return err
}

func imageID(image string) string {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return ""
	}
	return named.Name() + "@sha256:" + digest(image)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// statusEqual compares the fields the simulator sets, ignoring timestamps
// of conditions that did not change.
func statusEqual(a, b *corev1.PodStatus) bool {
	if a.Phase != b.Phase || a.PodIP != b.PodIP || a.HostIP != b.HostIP || a.ObservedGeneration != b.ObservedGeneration ||
		len(a.ContainerStatuses) != len(b.ContainerStatuses) || len(a.Conditions) != len(b.Conditions) ||
		len(a.InitContainerStatuses) != len(b.InitContainerStatuses) || (a.StartTime == nil) != (b.StartTime == nil) {
		return false
	}
	for i := range a.ContainerStatuses {
		x, y := a.ContainerStatuses[i], b.ContainerStatuses[i]
		if x.Name != y.Name || x.Image != y.Image || x.Ready != y.Ready || x.RestartCount != y.RestartCount ||
			(x.State.Running == nil) != (y.State.Running == nil) || (x.State.Waiting == nil) != (y.State.Waiting == nil) {
			return false
		}
		if x.State.Waiting != nil && (x.State.Waiting.Reason != y.State.Waiting.Reason || x.State.Waiting.Message != y.State.Waiting.Message) {
			return false
		}
	}
	for i := range a.Conditions {
		x := a.Conditions[i]
		found := false
		for _, y := range b.Conditions {
			if y.Type == x.Type {
				found = y.Status == x.Status && y.ObservedGeneration == x.ObservedGeneration
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// retryOnConflict retries fn a few times on update conflicts.
func retryOnConflict(fn func() error) error {
	var err error
	for range 5 {
		if err = fn(); !apierrors.IsConflict(err) {
			return err
		}
	}
	return err
}
