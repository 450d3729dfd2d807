// Package gradertest simulates a dslab lab without a cluster: the lab
// topology, exercise setup, applying manifests and what the DaemonSet
// controller then does (placement, RollingUpdate in batches of
// maxUnavailable, OnDelete), node labels and taints, and the rollout
// recorder. It produces grader.Snapshots for unit tests, fixtures and
// benchmarks. Grading itself never uses it.
package gradertest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
)

// T0 is when every simulated lab starts.
var T0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// Lab is a simulated cluster.
type Lab struct {
	Cluster string
	Now     time.Time
	Nodes   []grader.Node
	// Baseline is set by StartExercise.
	Baseline *grader.Baseline
	ds       []*simDS
	pods     []grader.Pod
	events   []grader.Event
	rec      *recorder
	broken   map[string]string // image -> waiting reason
	seq      int
	// quotas and limitRanges are the ResourceQuotas and LimitRange
	// defaults applied (pitfalls.go); orphans are pods whose DaemonSet was
	// deleted with --cascade=orphan.
	quotas      []grader.ResourceQuota
	limitRanges map[string]corev1.ResourceRequirements
	orphans     []grader.Pod
	surge       []grader.Pod
}

type simDS struct {
	grader.DaemonSet
	spec string // JSON of the spec, for generation bumps
}

type recorder struct {
	ns, name string
	started  time.Time
	stopped  *time.Time
	interval time.Duration
	points   []grader.Sample // state changes; heartbeats are filled in

	startRevision int64
}

// NewLab returns the lab topology of cluster name at T0.
func NewLab(name string) *Lab {
	l := &Lab{Cluster: name, Now: T0, broken: map[string]string{}}
	for _, n := range cluster.Topology(name) {
		gn := grader.Node{Name: n.Name, Labels: n.Labels, Created: T0.Add(-time.Hour), Ready: true}
		for _, t := range n.Taints {
			gn.Taints = append(gn.Taints, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
		}
		l.Nodes = append(l.Nodes, gn)
	}
	return l
}

// NewSyntheticLab returns a lab of n worker nodes (plus a control plane),
// every third with hardware=gpu, every other with disktype=ssd.
func NewSyntheticLab(n int) *Lab {
	l := NewLab("big")
	l.Nodes = l.Nodes[:1]
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("big-worker%d", i+1)
		labels := map[string]string{cluster.LabelHostname: name, cluster.LabelOS: "linux", "disktype": "hdd"}
		if i%3 == 0 {
			labels["hardware"] = "gpu"
		}
		if i%2 == 0 {
			labels["disktype"] = "ssd"
		}
		l.Nodes = append(l.Nodes, grader.Node{Name: name, Labels: labels, Created: T0.Add(-time.Hour), Ready: true})
	}
	return l
}

// Tick advances the clock.
func (l *Lab) Tick(d time.Duration) { l.Now = l.Now.Add(d) }

func (l *Lab) expand(s string) string { return strings.ReplaceAll(s, "{cluster}", l.Cluster) }

func (l *Lab) node(name string) *grader.Node {
	for i := range l.Nodes {
		if l.Nodes[i].Name == l.expand(name) {
			return &l.Nodes[i]
		}
	}
	panic("gradertest: no node " + name)
}

// StartExercise does what `dslab exercise start` does: remove the
// exercise's objects, set its taints and labels, apply its manifests, wait
// for them, record the baseline and start the recorder if asked.
func (l *Lab) StartExercise(ex exercises.Exercise) {
	for _, r := range ex.Setup.Remove {
		l.Delete(r.Namespace, r.Name)
	}
	for _, t := range ex.Setup.Taints {
		l.Taint(t.Node, corev1.Taint{Key: t.Key, Value: t.Value, Effect: t.Effect})
	}
	for _, lb := range ex.Setup.Labels {
		if lb.Remove {
			l.Unlabel(lb.Node, lb.Key)
		} else {
			l.Label(lb.Node, lb.Key, lb.Value)
		}
	}
	for _, f := range ex.Setup.Apply {
		l.Apply(ex.Files[f])
	}
	for _, f := range ex.Setup.ApplyIfMissing {
		dss, err := exercises.DaemonSets(ex.Files[f])
		if err != nil {
			panic(err)
		}
		if l.find(dss[0].Namespace, dss[0].Name) == nil {
			l.Apply(ex.Files[f])
		}
	}
	for _, f := range ex.Setup.Then {
		l.Tick(10 * time.Second)
		l.Apply(ex.Files[f])
	}
	l.Tick(10 * time.Second)
	var pods []grader.BaselinePod
	if bi := ex.Setup.BreakImage; bi != nil {
		pods = l.breakImage(ex, *bi)
	}
	b := grader.BaselineFromNodes(ex.ID, l.Cluster, l.Now, l.Nodes)
	b.Pods = pods
	b.Source = "state"
	l.Baseline = &b
	if ex.Setup.Recorder {
		l.StartRecorder(ex.Spec.Target.Namespace, ex.Spec.Target.Name)
	}
	l.Tick(time.Second)
}

// breakImage is Setup.BreakImage: the target's applied manifest again with
// the container's image set to a broken one (the rollout stalls on its
// first pod); it returns the target's Ready pods.
func (l *Lab) breakImage(ex exercises.Exercise, bi exercises.BreakImage) []grader.BaselinePod {
	l.BreakImage(bi.Image, bi.WaitReason)
	t := ex.Spec.Target
	for _, f := range ex.Setup.Apply {
		dss, err := exercises.DaemonSets(ex.Files[f])
		if err != nil {
			panic(err)
		}
		for i := range dss {
			ds := &dss[i]
			if ds.Namespace != t.Namespace || ds.Name != t.Name {
				continue
			}
			for j := range ds.Spec.Template.Spec.Containers {
				if c := &ds.Spec.Template.Spec.Containers[j]; c.Name == bi.Container {
					c.Image = bi.Image
				}
			}
			l.applyOne(ds)
		}
	}
	l.Tick(10 * time.Second)
	var out []grader.BaselinePod
	d := l.find(t.Namespace, t.Name)
	for _, p := range l.pods {
		if d != nil && p.OwnerUID == d.UID && p.Ready {
			out = append(out, grader.BaselinePod{Namespace: p.Namespace, Name: p.Name, UID: p.UID, Node: p.Node, Image: p.Containers[0].Image})
		}
	}
	return out
}

// Solve applies the exercise's reference solution and its steps (those
// marked Before first).
func (l *Lab) Solve(ex exercises.Exercise) {
	for _, s := range ex.SolutionSteps {
		if s.Before {
			l.step(s)
		}
	}
	l.Apply(ex.Solution)
	for _, s := range ex.SolutionSteps {
		if !s.Before {
			l.step(s)
		}
	}
}

func (l *Lab) step(s exercises.Step) {
	switch {
	case s.Taint != nil && s.Taint.Remove:
		l.Untaint(s.Taint.Node, s.Taint.Key)
	case s.Taint != nil:
		l.Taint(s.Taint.Node, corev1.Taint{Key: s.Taint.Key, Value: s.Taint.Value, Effect: s.Taint.Effect})
	case s.Cordon != "":
		l.Cordon(s.Cordon)
	case s.DeleteDaemonSet != nil:
		l.Delete(s.DeleteDaemonSet.Namespace, s.DeleteDaemonSet.Name)
	case s.Label != nil && s.Label.Remove:
		l.Unlabel(s.Label.Node, s.Label.Key)
	case s.Label != nil:
		l.Label(s.Label.Node, s.Label.Key, s.Label.Value)
	case s.DeletePod != nil:
		l.DeletePods(s.DeletePod.Namespace, s.DeletePod.Node)
	}
}

func (l *Lab) find(ns, name string) *simDS {
	for _, d := range l.ds {
		if d.Namespace == ns && d.Name == name {
			return d
		}
	}
	return nil
}

func (l *Lab) uid() string {
	l.seq++
	return fmt.Sprintf("uid-%04d", l.seq)
}

// defaults applies the API server's DaemonSet defaults that grading reads.
func defaults(ds *appsv1.DaemonSet) {
	s := &ds.Spec.UpdateStrategy
	if s.Type == "" {
		s.Type = appsv1.RollingUpdateDaemonSetStrategyType
	}
	if s.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		if s.RollingUpdate == nil {
			s.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
		}
		if s.RollingUpdate.MaxUnavailable == nil {
			one := intstr.FromInt32(1)
			s.RollingUpdate.MaxUnavailable = &one
		}
		if s.RollingUpdate.MaxSurge == nil {
			zero := intstr.FromInt32(0)
			s.RollingUpdate.MaxSurge = &zero
		}
	}
}

func templateHash(t grader.PodTemplate) string {
	b, _ := json.Marshal(t)
	h := fnv.New32a()
	h.Write(b)
	return fmt.Sprintf("%08x", h.Sum32())[:8]
}

// Apply applies every DaemonSet (and ResourceQuota, LimitRange) of a
// manifest stream, as kubectl apply would, and lets the controller act. A
// DaemonSet whose selector differs from the existing one's is left
// unchanged, as the API server refuses it (spec.selector is immutable).
func (l *Lab) Apply(manifest []byte) {
	l.applyOthers(manifest)
	dss, err := exercises.DaemonSets(manifest)
	if err != nil {
		panic(err)
	}
	for i := range dss {
		l.applyOne(&dss[i])
	}
}

func (l *Lab) applyOne(ds *appsv1.DaemonSet) {
	defaults(ds)
	specJSON, _ := json.Marshal(ds.Spec)
	cur := l.find(ds.Namespace, ds.Name)
	conv := grader.FromDaemonSet(ds, nil)
	if cur == nil {
		d := &simDS{DaemonSet: conv, spec: string(specJSON)}
		d.UID = l.uid()
		d.Created = l.Now
		d.Generation = 1
		d.Revisions = []grader.Revision{{Name: d.Name + "-" + templateHash(d.Template), Revision: 1, Hash: templateHash(d.Template), Created: l.Now, Images: images(d.Template)}}
		l.ds = append(l.ds, d)
		l.sync(d, false)
		return
	}
	if cur.spec == string(specJSON) {
		return
	}
	if !reflect.DeepEqual(cur.Selector, conv.Selector) {
		return // field is immutable
	}
	oldHash := templateHash(cur.Template)
	cur.spec = string(specJSON)
	cur.Generation++
	cur.Template = conv.Template
	cur.UpdateStrategy = conv.UpdateStrategy
	cur.Selector = conv.Selector
	if h := templateHash(cur.Template); h != oldHash {
		next := cur.Revisions[len(cur.Revisions)-1].Revision + 1
		if i := slices.IndexFunc(cur.Revisions, func(r grader.Revision) bool { return r.Hash == h }); i >= 0 {
			// A template seen before (a rollback) reuses its
			// ControllerRevision with a new number and its old creation
			// time, as Kubernetes does (pkg/controller/daemon/update.go).
			r := cur.Revisions[i]
			r.Revision = next
			cur.Revisions = append(slices.Delete(cur.Revisions, i, i+1), r)
		} else {
			cur.Revisions = append(cur.Revisions, grader.Revision{Name: cur.Name + "-" + h, Revision: next, Hash: h, Created: l.Now, Images: images(cur.Template)})
		}
	}
	l.sync(cur, cur.UpdateStrategy.Type != appsv1.OnDeleteDaemonSetStrategyType)
}

func images(t grader.PodTemplate) []string {
	var out []string
	for _, c := range t.Containers {
		out = append(out, c.Image)
	}
	return out
}

func (l *Lab) newestHash(d *simDS) string { return d.Revisions[len(d.Revisions)-1].Hash }

func (l *Lab) newPod(d *simDS, node string, at time.Time) grader.Pod {
	l.seq++
	p := grader.Pod{
		Namespace: d.Namespace, Name: fmt.Sprintf("%s-%05x", d.Name, l.seq), UID: l.uid(), Node: node,
		OwnerUID: d.UID, OwnerKind: "DaemonSet", Phase: "Running", Ready: true, Created: at,
		RevisionHash: l.newestHash(d), TemplateGeneration: fmt.Sprint(d.Generation),
	}
	for _, c := range d.Template.Containers {
		cs := grader.ContainerStatus{Name: c.Name, Image: c.Image, Ready: true, State: "running", Resources: l.admitted(d.Namespace, c.Resources)}
		if reason, bad := l.broken[c.Image]; bad {
			cs.Ready, cs.State, cs.Reason = false, "waiting", reason
			p.Ready, p.Phase = false, "Pending"
		}
		p.Containers = append(p.Containers, cs)
	}
	return p
}

func (l *Lab) podsOf(d *simDS) map[string]int {
	out := map[string]int{}
	for i, p := range l.pods {
		if p.OwnerUID == d.UID {
			out[p.Node] = i
		}
	}
	return out
}

// sync is the DaemonSet controller: pods on nodes that fit and not on
// others; with roll, pods of older revisions are replaced in batches of
// maxUnavailable (recorded if the recorder runs).
func (l *Lab) sync(d *simDS, roll bool) {
	if !l.surges(d) {
		l.clearSurge(d)
	}
	placer := grader.NewPlacer(d.Template, l.Nodes)
	have := l.podsOf(d)
	var keep []grader.Pod
	var stale []string
	want := 0
	for _, n := range l.Nodes {
		fit := placer.Place(n)
		i, ok := have[n.Name]
		switch {
		case fit.Fits:
			want++
			if !ok {
				if l.refuse(d, len(keep)) {
					continue
				}
				keep = append(keep, l.newPod(d, n.Name, l.Now))
			} else if roll && l.pods[i].RevisionHash != l.newestHash(d) {
				stale = append(stale, n.Name)
				keep = append(keep, l.pods[i])
			} else {
				keep = append(keep, l.pods[i])
			}
		case ok && fit.ContinueRunning:
			// shouldContinueRunning: a NoSchedule taint no longer
			// tolerated evicts nothing; the pod stays, misscheduled.
			keep = append(keep, l.pods[i])
		}
	}
	var others []grader.Pod
	for _, p := range l.pods {
		if p.OwnerUID != d.UID {
			others = append(others, p)
		}
	}
	l.pods = append(others, keep...)
	if len(stale) > 0 {
		l.rollOut(d, stale, want)
	}
	l.status(d)
}

func (l *Lab) rollOut(d *simDS, stale []string, desired int) {
	if l.surgeStuck(d, stale) {
		return
	}
	l.clearSurge(d)
	batch := desired
	if ru := d.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxUnavailable != nil {
		v, err := intstr.GetScaledValueFromIntOrPercent(ru.MaxUnavailable, desired, true)
		if err == nil && v > 0 {
			batch = v
		}
	}
	sort.Strings(stale)
	start := l.Now
	for b := 0; b*batch < len(stale); b++ {
		part := stale[b*batch : min((b+1)*batch, len(stale))]
		at := start.Add(time.Duration(b) * 2 * time.Second)
		l.record(d, at, int32(desired), part)
		stalled := false
		for _, node := range part {
			for i := range l.pods {
				if l.pods[i].OwnerUID == d.UID && l.pods[i].Node == node {
					l.pods[i] = l.newPod(d, node, at.Add(time.Second))
					stalled = stalled || !l.pods[i].Ready
				}
			}
		}
		l.Now = at.Add(2 * time.Second)
		if stalled {
			// New pods that never become available (a broken image) use
			// up maxUnavailable: the controller replaces no more.
			break
		}
	}
	l.record(d, l.Now, int32(desired), nil)
}

func (l *Lab) status(d *simDS) {
	have := l.podsOf(d)
	d.Status = grader.DaemonSetStatus{ObservedGeneration: d.Generation}
	placer := grader.NewPlacer(d.Template, l.Nodes)
	for _, n := range l.Nodes {
		if !placer.Place(n).Fits {
			continue
		}
		d.Status.DesiredNumberScheduled++
		if i, ok := have[n.Name]; ok {
			d.Status.CurrentNumberScheduled++
			if l.pods[i].Ready {
				d.Status.NumberReady++
				d.Status.NumberAvailable++
			}
			if l.pods[i].RevisionHash == l.newestHash(d) {
				d.Status.UpdatedNumberScheduled++
			}
		}
	}
	d.Status.NumberUnavailable = d.Status.DesiredNumberScheduled - d.Status.NumberAvailable
}

// Delete deletes a DaemonSet and its pods.
func (l *Lab) Delete(ns, name string) {
	d := l.find(ns, name)
	if d == nil {
		return
	}
	l.ds = slices.DeleteFunc(l.ds, func(x *simDS) bool { return x == d })
	l.pods = slices.DeleteFunc(l.pods, func(p grader.Pod) bool { return p.OwnerUID == d.UID })
	if l.rec != nil && l.rec.ns == ns && l.rec.name == name {
		l.rec.points = append(l.rec.points, grader.Sample{Time: l.Now, Missing: true})
	}
}

// DeletePods deletes the pods of every DaemonSet in ns on node; the
// controller recreates them from the current template.
func (l *Lab) DeletePods(ns, node string) {
	node = l.expand(node)
	for _, d := range l.ds {
		if d.Namespace != ns {
			continue
		}
		l.pods = slices.DeleteFunc(l.pods, func(p grader.Pod) bool { return p.OwnerUID == d.UID && p.Node == node })
		l.Tick(time.Second)
		l.sync(d, false)
	}
}

func (l *Lab) resync() {
	for _, d := range l.ds {
		l.sync(d, false)
	}
}

func (l *Lab) touchLabel(n *grader.Node, key string) {
	if n.LabelTimes == nil {
		n.LabelTimes = map[string]time.Time{}
	}
	n.LabelTimes[key] = l.Now
}

// Label sets a node label (kubectl label node N k=v --overwrite).
func (l *Lab) Label(node, key, value string) {
	n := l.node(node)
	labels := map[string]string{}
	for k, v := range n.Labels {
		labels[k] = v
	}
	labels[key] = value
	n.Labels = labels
	l.touchLabel(n, key)
	l.Tick(time.Second)
	l.resync()
}

// Unlabel removes a node label.
func (l *Lab) Unlabel(node, key string) {
	n := l.node(node)
	labels := map[string]string{}
	for k, v := range n.Labels {
		if k != key {
			labels[k] = v
		}
	}
	n.Labels = labels
	l.Tick(time.Second)
	l.resync()
}

// Taint adds a taint.
func (l *Lab) Taint(node string, t corev1.Taint) {
	n := l.node(node)
	n.Taints = append(slices.Clone(n.Taints), t)
	l.Tick(time.Second)
	l.resync()
}

// Untaint removes the taints with key.
func (l *Lab) Untaint(node, key string) {
	n := l.node(node)
	n.Taints = slices.DeleteFunc(slices.Clone(n.Taints), func(t corev1.Taint) bool { return t.Key == key })
	l.Tick(time.Second)
	l.resync()
}

// BreakImage makes pods of image fail to start with reason (e.g.
// ImagePullBackOff) from now on.
func (l *Lab) BreakImage(image, reason string) { l.broken[image] = reason }

// StartRecorder starts the simulated rollout recorder.
func (l *Lab) StartRecorder(ns, name string) {
	l.rec = &recorder{ns: ns, name: name, started: l.Now, interval: grader.DefaultRecorderInterval}
	if d := l.find(ns, name); d != nil {
		l.rec.startRevision = d.Revisions[len(d.Revisions)-1].Revision
		l.record(d, l.Now, d.Status.DesiredNumberScheduled, nil)
	}
}

// StopRecorder stops it (the recorder process died or was killed).
func (l *Lab) StopRecorder() {
	t := l.Now
	l.rec.stopped = &t
}

func (l *Lab) record(d *simDS, at time.Time, desired int32, down []string) {
	r := l.rec
	if r == nil || r.stopped != nil || r.ns != d.Namespace || r.name != d.Name {
		return
	}
	s := grader.Sample{Time: at, UID: d.UID, Generation: d.Generation, Desired: desired, Unavailable: int32(len(down)), NotReady: down}
	s.Available = desired - s.Unavailable
	r.points = append(r.points, s)
}

// Snapshot captures the lab now.
func (l *Lab) Snapshot() grader.Snapshot {
	s := grader.Snapshot{
		Version:    grader.SnapshotVersion,
		CapturedAt: l.Now,
		Cluster:    l.Cluster,
		Context:    l.Cluster,
		Nodes:      slices.Clone(l.Nodes),
		Pods:       slices.Clone(l.pods),
		Events:     slices.Clone(l.events),
		Baseline:   l.Baseline,
	}
	l.snapshotPitfalls(&s)
	for _, d := range l.ds {
		s.DaemonSets = append(s.DaemonSets, d.DaemonSet)
	}
	if r := l.rec; r != nil {
		rec := &grader.Recording{Namespace: r.ns, Name: r.name, Started: r.started, Interval: r.interval, Running: r.stopped == nil, Stopped: r.stopped, StartRevision: r.startRevision}
		if r.stopped != nil {
			rec.StopReason = "signal"
		}
		end := l.Now
		if r.stopped != nil {
			end = *r.stopped
		}
		// Heartbeats carry the latest state; state changes are samples too.
		var last grader.Sample
		pi := 0
		for t := r.started; !t.After(end); t = t.Add(r.interval) {
			for pi < len(r.points) && !r.points[pi].Time.After(t) {
				if r.points[pi].Time.Before(t) || r.points[pi].Time.Equal(t) {
					rec.Samples = append(rec.Samples, r.points[pi])
					last = r.points[pi]
				}
				pi++
			}
			hb := last
			hb.Time = t
			if len(rec.Samples) == 0 || !rec.Samples[len(rec.Samples)-1].Time.Equal(t) {
				rec.Samples = append(rec.Samples, hb)
			}
		}
		for ; pi < len(r.points) && !r.points[pi].Time.After(end); pi++ {
			rec.Samples = append(rec.Samples, r.points[pi])
		}
		sort.SliceStable(rec.Samples, func(i, j int) bool { return rec.Samples[i].Time.Before(rec.Samples[j].Time) })
		s.Rollout = rec
	}
	return s
}
