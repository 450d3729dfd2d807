package grader

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The From* functions turn API objects into snapshot data. They are pure;
// internal/kube lists the objects with client-go and calls them.

// FromNode converts a Node.
func FromNode(n *corev1.Node) Node {
	out := Node{
		Name:          n.Name,
		Labels:        n.Labels,
		Taints:        n.Spec.Taints,
		Created:       n.CreationTimestamp.Time,
		Unschedulable: n.Spec.Unschedulable,
		LabelTimes:    LabelTimes(n.ManagedFields),
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			out.Ready = c.Status == corev1.ConditionTrue
		}
	}
	return out
}

// LabelTimes returns, per label key, the latest time a field manager that
// owns the label wrote the object (managedFields record a time per
// manager and operation, and which fields it owns).
func LabelTimes(mf []metav1.ManagedFieldsEntry) map[string]time.Time {
	out := map[string]time.Time{}
	for _, e := range mf {
		if e.Time == nil || e.FieldsV1 == nil {
			continue
		}
		var fields struct {
			Metadata struct {
				Labels map[string]json.RawMessage `json:"f:labels"`
			} `json:"f:metadata"`
		}
		if err := json.Unmarshal(e.FieldsV1.Raw, &fields); err != nil {
			continue
		}
		for k := range fields.Metadata.Labels {
			key, ok := strings.CutPrefix(k, "f:")
			if !ok {
				continue
			}
			if t, seen := out[key]; !seen || e.Time.After(t) {
				out[key] = e.Time.Time
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func fromContainers(cs []corev1.Container) []Container {
	var out []Container
	for _, c := range cs {
		out = append(out, Container{Name: c.Name, Image: c.Image, Ports: c.Ports, Resources: c.Resources})
	}
	return out
}

// FromPodSpec extracts the placement-relevant parts of a pod template.
func FromPodSpec(labels map[string]string, s corev1.PodSpec) PodTemplate {
	return PodTemplate{
		Labels:         labels,
		NodeName:       s.NodeName,
		NodeSelector:   s.NodeSelector,
		Affinity:       s.Affinity,
		Tolerations:    s.Tolerations,
		HostNetwork:    s.HostNetwork,
		Containers:     fromContainers(s.Containers),
		InitContainers: fromContainers(s.InitContainers),
		Resources:      s.Resources,
	}
}

// FromDaemonSet converts a DaemonSet; revisions are its ControllerRevisions
// (any order; only those it controls are kept).
func FromDaemonSet(d *appsv1.DaemonSet, revisions []appsv1.ControllerRevision) DaemonSet {
	out := DaemonSet{
		Namespace:       d.Namespace,
		Name:            d.Name,
		UID:             string(d.UID),
		Created:         d.CreationTimestamp.Time,
		Generation:      d.Generation,
		Selector:        d.Spec.Selector,
		Template:        FromPodSpec(d.Spec.Template.Labels, d.Spec.Template.Spec),
		UpdateStrategy:  d.Spec.UpdateStrategy,
		MinReadySeconds: d.Spec.MinReadySeconds,
		Deleting:        d.DeletionTimestamp != nil,
		Status: DaemonSetStatus{
			ObservedGeneration:     d.Status.ObservedGeneration,
			DesiredNumberScheduled: d.Status.DesiredNumberScheduled,
			CurrentNumberScheduled: d.Status.CurrentNumberScheduled,
			NumberMisscheduled:     d.Status.NumberMisscheduled,
			NumberReady:            d.Status.NumberReady,
			UpdatedNumberScheduled: d.Status.UpdatedNumberScheduled,
			NumberAvailable:        d.Status.NumberAvailable,
			NumberUnavailable:      d.Status.NumberUnavailable,
		},
	}
	for i := range revisions {
		r := &revisions[i]
		if c := metav1.GetControllerOf(r); c == nil || string(c.UID) != out.UID {
			continue
		}
		out.Revisions = append(out.Revisions, Revision{
			Name:     r.Name,
			Revision: r.Revision,
			Hash:     r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey],
			Created:  r.CreationTimestamp.Time,
			Images:   revisionImages(r),
		})
	}
	sort.Slice(out.Revisions, func(i, j int) bool { return out.Revisions[i].Revision < out.Revisions[j].Revision })
	return out
}

// revisionImages reads the container images of a DaemonSet revision (its
// data is a strategic-merge patch of the template).
func revisionImages(r *appsv1.ControllerRevision) []string {
	var patch struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Image string `json:"image"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if len(r.Data.Raw) == 0 || json.Unmarshal(r.Data.Raw, &patch) != nil {
		return nil
	}
	var out []string
	for _, c := range patch.Spec.Template.Spec.Containers {
		if c.Image != "" {
			out = append(out, c.Image)
		}
	}
	return out
}

// FromPod converts a pod.
func FromPod(p *corev1.Pod) Pod {
	out := Pod{
		Namespace:          p.Namespace,
		Name:               p.Name,
		UID:                string(p.UID),
		Node:               p.Spec.NodeName,
		Phase:              string(p.Status.Phase),
		Created:            p.CreationTimestamp.Time,
		RevisionHash:       p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey],
		TemplateGeneration: p.Labels[appsv1.DeprecatedTemplateGeneration],
		Reason:             p.Status.Reason,
		Message:            p.Status.Message,
	}
	if c := metav1.GetControllerOf(p); c != nil {
		out.OwnerUID, out.OwnerKind = string(c.UID), c.Kind
	}
	if p.DeletionTimestamp != nil {
		t := p.DeletionTimestamp.Time
		out.Deleting = &t
	}
	if out.Node == "" && p.Spec.Affinity != nil {
		// A DaemonSet pod not yet bound names its node in a matchFields term.
		if ns := requiredTerms(p.Spec.Affinity); ns != nil {
			for _, t := range ns.NodeSelectorTerms {
				for _, f := range t.MatchFields {
					if f.Key == "metadata.name" && len(f.Values) == 1 {
						out.Node = f.Values[0]
					}
				}
			}
		}
	}
	for _, c := range p.Status.Conditions {
		switch {
		case c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue:
			out.Ready = true
			t := c.LastTransitionTime.Time
			out.ReadySince = &t
		case c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse:
			out.Unschedulable = strings.TrimSpace(c.Reason + ": " + c.Message)
		}
	}
	statuses := map[string]corev1.ContainerStatus{}
	for _, s := range p.Status.ContainerStatuses {
		statuses[s.Name] = s
	}
	for _, c := range p.Spec.Containers {
		cs := ContainerStatus{Name: c.Name, Image: c.Image}
		if len(c.Resources.Requests) > 0 || len(c.Resources.Limits) > 0 {
			r := c.Resources
			cs.Resources = &r
		}
		if s, ok := statuses[c.Name]; ok {
			cs.Ready, cs.RestartCount = s.Ready, s.RestartCount
			switch {
			case s.State.Waiting != nil:
				cs.State, cs.Reason, cs.Message = "waiting", s.State.Waiting.Reason, s.State.Waiting.Message
			case s.State.Running != nil:
				cs.State = "running"
			case s.State.Terminated != nil:
				cs.State, cs.Reason, cs.Message = "terminated", s.State.Terminated.Reason, s.State.Terminated.Message
			}
		}
		out.Containers = append(out.Containers, cs)
	}
	return out
}

// FromEvent converts an event.
func FromEvent(e *corev1.Event) Event {
	last := e.LastTimestamp.Time
	if last.IsZero() {
		last = e.EventTime.Time
	}
	if last.IsZero() {
		last = e.CreationTimestamp.Time
	}
	return Event{
		Namespace: e.InvolvedObject.Namespace,
		Kind:      e.InvolvedObject.Kind,
		Name:      e.InvolvedObject.Name,
		Type:      e.Type,
		Reason:    e.Reason,
		Message:   e.Message,
		Count:     e.Count,
		Last:      last,
	}
}

// BaselineFromNodes records the labels and taints of nodes.
func BaselineFromNodes(exercise, cluster string, at time.Time, nodes []Node) Baseline {
	b := Baseline{Exercise: exercise, Cluster: cluster, Recorded: at}
	for _, n := range nodes {
		b.Nodes = append(b.Nodes, BaselineNode{Name: n.Name, Labels: n.Labels, Taints: n.Taints})
	}
	sort.Slice(b.Nodes, func(i, j int) bool { return b.Nodes[i].Name < b.Nodes[j].Name })
	return b
}

// FromResourceQuota converts a ResourceQuota.
func FromResourceQuota(q *corev1.ResourceQuota) ResourceQuota {
	return ResourceQuota{
		Namespace: q.Namespace, Name: q.Name, UID: string(q.UID),
		Hard: q.Spec.Hard, Used: q.Status.Used, Deleting: q.DeletionTimestamp != nil,
	}
}
