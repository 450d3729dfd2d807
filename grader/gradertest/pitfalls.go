package gradertest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
)

// What the simulated lab does for the production-pitfalls exercises
// (issue 10): cordon, ResourceQuota admission and LimitRange defaults,
// a surge rollout stuck on a host port, taint evictions, DaemonSets
// deleted with --cascade=orphan.

// applyOthers applies the ResourceQuotas and LimitRanges of a manifest.
func (l *Lab) applyOthers(manifest []byte) {
	ms, err := exercises.SplitManifests(manifest)
	if err != nil {
		panic(err)
	}
	changed := false
	for _, m := range ms {
		switch m.Kind {
		case "ResourceQuota":
			changed = true
			var q corev1.ResourceQuota
			if err := yaml.UnmarshalStrict(m.JSON, &q); err != nil {
				panic(err)
			}
			l.quotas = slices.DeleteFunc(l.quotas, func(x grader.ResourceQuota) bool { return x.Namespace == q.Namespace && x.Name == q.Name })
			l.quotas = append(l.quotas, grader.ResourceQuota{Namespace: q.Namespace, Name: q.Name, UID: l.uid(), Hard: q.Spec.Hard})
		case "LimitRange":
			changed = true
			var lr corev1.LimitRange
			if err := yaml.UnmarshalStrict(m.JSON, &lr); err != nil {
				panic(err)
			}
			if l.limitRanges == nil {
				l.limitRanges = map[string]corev1.ResourceRequirements{}
			}
			for _, it := range lr.Spec.Limits {
				if it.Type == corev1.LimitTypeContainer {
					l.limitRanges[lr.Namespace] = corev1.ResourceRequirements{Requests: it.DefaultRequest, Limits: it.Default}
				}
			}
		}
	}
	if changed {
		l.resync()
	}
}

// DeleteQuota deletes a ResourceQuota.
func (l *Lab) DeleteQuota(ns, name string) {
	l.quotas = slices.DeleteFunc(l.quotas, func(x grader.ResourceQuota) bool { return x.Namespace == ns && x.Name == name })
	l.Tick(time.Second)
	l.resync()
}

// admitted is what the API server stores for a container's resources in
// ns: LimitRange defaults for what is missing, requests defaulting to
// limits. Nil when ns has neither a quota nor a LimitRange (the lab then
// does not record resources on pods).
func (l *Lab) admitted(ns string, r corev1.ResourceRequirements) *corev1.ResourceRequirements {
	def, hasLR := l.limitRanges[ns]
	hasQuota := false
	for _, q := range l.quotas {
		hasQuota = hasQuota || q.Namespace == ns
	}
	if !hasLR && !hasQuota {
		return nil
	}
	out := corev1.ResourceRequirements{Requests: corev1.ResourceList{}, Limits: corev1.ResourceList{}}
	for k, v := range r.Limits {
		out.Limits[k] = v
	}
	for k, v := range def.Limits {
		if _, ok := out.Limits[k]; !ok {
			out.Limits[k] = v
		}
	}
	for k, v := range r.Requests {
		out.Requests[k] = v
	}
	for k, v := range def.Requests {
		if _, ok := out.Requests[k]; !ok {
			out.Requests[k] = v
		}
	}
	for k, v := range out.Limits {
		if _, ok := out.Requests[k]; !ok {
			out.Requests[k] = v
		}
	}
	return &out
}

// usage is what one pod of d counts against a quota resource
// ("requests.cpu"), and whether the pod sets it.
func (l *Lab) usage(d *simDS, rn corev1.ResourceName) (resource.Quantity, bool) {
	kind, res, _ := strings.Cut(string(rn), ".")
	total := resource.Quantity{}
	for _, c := range d.Template.Containers {
		r := l.admitted(d.Namespace, c.Resources)
		list := r.Requests
		if kind == "limits" {
			list = r.Limits
		}
		q, ok := list[corev1.ResourceName(res)]
		if !ok {
			return total, false
		}
		total.Add(q)
	}
	return total, true
}

// refuse is ResourceQuota admission for the next pod of d, when have pods
// of d are already admitted: it records the FailedCreate event the
// DaemonSet controller would and reports whether the pod is refused.
func (l *Lab) refuse(d *simDS, have int) bool {
	for _, q := range l.quotas {
		if q.Namespace != d.Namespace {
			continue
		}
		var missing, exceeded []string
		for _, rn := range sortedNames(q.Hard) {
			per, ok := l.usage(d, rn)
			if !ok {
				missing = append(missing, fmt.Sprintf("%s for: %s", rn, d.Template.Containers[0].Name))
				continue
			}
			used := resource.Quantity{}
			for i := 0; i <= have; i++ {
				used.Add(per)
			}
			if used.Cmp(q.Hard[rn]) > 0 {
				exceeded = append(exceeded, fmt.Sprintf("%s=%s", rn, per.String()))
			}
		}
		msg := ""
		switch {
		case len(missing) > 0:
			msg = fmt.Sprintf("Error creating: pods %q is forbidden: failed quota: %s: must specify %s", d.Name+"-xxxxx", q.Name, strings.Join(missing, "; "))
		case len(exceeded) > 0:
			msg = fmt.Sprintf("Error creating: pods %q is forbidden: exceeded quota: %s, requested: %s", d.Name+"-xxxxx", q.Name, strings.Join(exceeded, ","))
		default:
			continue
		}
		l.event(grader.Event{Namespace: d.Namespace, Kind: "DaemonSet", Name: d.Name, Type: "Warning", Reason: "FailedCreate", Message: msg})
		return true
	}
	return false
}

func sortedNames(l corev1.ResourceList) []corev1.ResourceName {
	var out []corev1.ResourceName
	for k := range l {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// event records e now, counting repeats.
func (l *Lab) event(e grader.Event) {
	e.Last = l.Now
	for i := range l.events {
		x := &l.events[i]
		if x.Kind == e.Kind && x.Name == e.Name && x.Reason == e.Reason && x.Message == e.Message {
			x.Count++
			x.Last = l.Now
			return
		}
	}
	e.Count = 1
	l.events = append(l.events, e)
}

// surgeStuck is a RollingUpdate with maxSurge > 0 of a template that binds
// a host port: the controller starts the new pod beside the old one on the
// first stale node, the scheduler's NodePorts filter refuses it, and the
// rollout goes no further. It reports whether that happened.
func (l *Lab) surgeStuck(d *simDS, stale []string) bool {
	if !l.surges(d) {
		return false
	}
	for _, p := range l.surge {
		if p.OwnerUID == d.UID {
			return true
		}
	}
	p := l.newPod(d, stale[0], l.Now)
	p.Ready, p.Phase = false, "Pending"
	p.Unschedulable = fmt.Sprintf("Unschedulable: 0/%d nodes are available: 1 node(s) didn't have free ports for the requested pod ports, %d node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/%d nodes are available: 1 No preemption victims found for incoming pod, %d Preemption is not helpful for scheduling.", len(l.Nodes), len(l.Nodes)-1, len(l.Nodes), len(l.Nodes)-1)
	for i := range p.Containers {
		p.Containers[i].Ready, p.Containers[i].State = false, ""
	}
	l.surge = append(l.surge, p)
	return true
}

// surges reports a RollingUpdate with maxSurge > 0 of a template with a
// host port.
func (l *Lab) surges(d *simDS) bool {
	ru := d.UpdateStrategy.RollingUpdate
	if d.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil || ru.MaxSurge == nil {
		return false
	}
	if v, _ := intstr.GetScaledValueFromIntOrPercent(ru.MaxSurge, len(l.Nodes), true); v == 0 {
		return false
	}
	for _, c := range d.Template.Containers {
		for _, p := range c.Ports {
			if p.HostPort != 0 {
				return true
			}
		}
	}
	return false
}

// clearSurge drops the pending surge pods of d (the controller deletes
// the excess pod once the strategy no longer surges).
func (l *Lab) clearSurge(d *simDS) {
	l.surge = slices.DeleteFunc(l.surge, func(p grader.Pod) bool { return p.OwnerUID == d.UID })
}

// Cordon marks a node unschedulable (kubectl cordon); the node lifecycle
// controller adds the node.kubernetes.io/unschedulable:NoSchedule taint.
func (l *Lab) Cordon(node string) {
	n := l.node(node)
	n.Unschedulable = true
	n.Taints = append(slices.Clone(n.Taints), corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	l.Tick(time.Second)
	l.resync()
}

// DeleteOrphan deletes a DaemonSet with --cascade=orphan: its pods keep
// running without an owner.
func (l *Lab) DeleteOrphan(ns, name string) {
	d := l.find(ns, name)
	if d == nil {
		return
	}
	for _, p := range l.pods {
		if p.OwnerUID != d.UID {
			continue
		}
		p.OwnerUID, p.OwnerKind = "", ""
		p.Labels = map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: p.RevisionHash}
		for k, v := range d.Template.Labels {
			p.Labels[k] = v
		}
		l.orphans = append(l.orphans, p)
	}
	l.pods = slices.DeleteFunc(l.pods, func(p grader.Pod) bool { return p.OwnerUID == d.UID })
	l.ds = slices.DeleteFunc(l.ds, func(x *simDS) bool { return x == d })
	l.Tick(time.Second)
}

// DeleteOrphans deletes the orphaned pods in ns.
func (l *Lab) DeleteOrphans(ns string) {
	l.orphans = slices.DeleteFunc(l.orphans, func(p grader.Pod) bool { return p.Namespace == ns })
	l.Tick(time.Second)
}

// Evict is the taint-eviction controller evicting the pod of DaemonSet
// ns/name on node (TaintManagerEviction), which the DaemonSet controller
// then creates again.
func (l *Lab) Evict(ns, name, node string) {
	d := l.find(ns, name)
	node = l.expand(node)
	for _, p := range l.pods {
		if p.OwnerUID == d.UID && p.Node == node {
			l.event(grader.Event{Namespace: ns, Kind: "Pod", Name: p.Name, Type: "Normal", Reason: grader.EvictionReason, Message: grader.EvictionMessagePrefix + " Pod " + ns + "/" + p.Name})
		}
	}
	l.pods = slices.DeleteFunc(l.pods, func(p grader.Pod) bool { return p.OwnerUID == d.UID && p.Node == node })
	l.Tick(time.Second)
	l.sync(d, false)
}

// snapshotPitfalls adds what the pitfalls exercises capture.
func (l *Lab) snapshotPitfalls(s *grader.Snapshot) {
	for _, p := range l.surge {
		if slices.ContainsFunc(l.ds, func(d *simDS) bool { return d.UID == p.OwnerUID }) {
			s.Pods = append(s.Pods, p)
		}
	}
	s.LabelledPods = slices.Clone(l.orphans)
	for _, q := range l.quotas {
		q.Used = corev1.ResourceList{}
		for _, rn := range sortedNames(q.Hard) {
			used := resource.Quantity{}
			for _, d := range l.ds {
				if d.Namespace != q.Namespace {
					continue
				}
				per, _ := l.usage(d, rn)
				for _, p := range l.pods {
					if p.OwnerUID == d.UID {
						used.Add(per)
					}
				}
			}
			q.Used[rn] = used
		}
		s.ResourceQuotas = append(s.ResourceQuotas, q)
	}
}
