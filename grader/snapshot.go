// Package grader checks a captured cluster state against an exercise's
// intent, node by node, and explains in Korean what is wrong and why.
//
// It is pure: Grade takes a Spec and a Snapshot (plain JSON-serialisable
// data captured elsewhere, see internal/kube) and returns a Result. Nothing in
// this package talks to a cluster, so a class server can re-grade snapshots
// that students' labs send.
package grader

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SnapshotVersion is the schema version of Snapshot written by this code.
const SnapshotVersion = 1

// Snapshot is the state of one cluster at one moment, as far as grading
// needs it.
type Snapshot struct {
	Version    int       `json:"version"`
	CapturedAt time.Time `json:"capturedAt"`
	// Cluster is the lab cluster name (the prefix of its node names, e.g.
	// "dslab"); exercise specs refer to nodes as "{cluster}-worker".
	Cluster    string      `json:"cluster,omitempty"`
	Context    string      `json:"context,omitempty"`
	Nodes      []Node      `json:"nodes"`
	DaemonSets []DaemonSet `json:"daemonSets,omitempty"`
	Pods       []Pod       `json:"pods,omitempty"`
	Events     []Event     `json:"events,omitempty"`
	// Baseline is the node state recorded by `dslab exercise start`, nil
	// when none was found.
	Baseline *Baseline `json:"baseline,omitempty"`
	// Rollout is the rollout recorder's observations (rolling-update only).
	Rollout *Recording `json:"rollout,omitempty"`
	// ClusterUID is the cluster's identity: the UID of its kube-system
	// namespace (kube.ClusterUID), "" when unknown. The class server flags
	// the same identity under two students.
	ClusterUID string `json:"clusterUID,omitempty"`
	// ResourceQuotas are the ResourceQuotas of the targets' namespaces
	// (quota-limits).
	ResourceQuotas []ResourceQuota `json:"resourceQuotas,omitempty"`
	// LabelledPods are the pods of the targets' namespaces that no captured
	// DaemonSet controls but that carry a key=value label of a target's pod
	// template: pods orphaned by `kubectl delete --cascade=orphan`, copies
	// started by hand (selector-change). Their Labels are set.
	LabelledPods []Pod `json:"labelledPods,omitempty"`
	// HintsUsed is how many of the exercise's hints the learner had opened
	// when the snapshot was sent to a class server (the lab's progress
	// store, progress.ExerciseProgress.HintsUsed); nil when the sender did
	// not say. Never graded: the class board shows it.
	HintsUsed *int `json:"hintsUsed,omitempty"`
	// Attempts is how many times the learner had applied a change to the
	// exercise when the snapshot was sent to a class server (the lab's
	// progress store, progress.ExerciseProgress.Attempts: every apply of
	// the work file, every change from the lab shell; a reset is none);
	// nil when the sender did not say or the lab counted none (work done
	// outside it: the server counts submissions then). Never graded: the class board's 회
	// and the export's 시도 show it (issue 12: submissions mid-rollout and
	// during a reset were counted as attempts).
	Attempts *int `json:"attempts,omitempty"`
	// SolutionViewedAt is when the learner first printed the exercise's
	// reference answer on this computer (`dslab exercise solution`; the
	// record is $XDG_CONFIG_HOME/dslab/solutions-viewed.json); nil when
	// never or when the sender did not say. Never graded: the class
	// server flags the submission solution-viewed.
	SolutionViewedAt *time.Time `json:"solutionViewedAt,omitempty"`
}

// ResourceQuota is a namespace's ResourceQuota: spec.hard and status.used
// (k8s.io/api/core/v1 ResourceQuota).
type ResourceQuota struct {
	Namespace string              `json:"namespace"`
	Name      string              `json:"name"`
	UID       string              `json:"uid,omitempty"`
	Hard      corev1.ResourceList `json:"hard,omitempty"`
	Used      corev1.ResourceList `json:"used,omitempty"`
	// Deleting is true when the quota has a deletionTimestamp.
	Deleting bool `json:"deleting,omitempty"`
}

// Node is a cluster node.
type Node struct {
	Name    string            `json:"name"`
	Labels  map[string]string `json:"labels,omitempty"`
	Taints  []corev1.Taint    `json:"taints,omitempty"`
	Created time.Time         `json:"created"`
	Ready   bool              `json:"ready"`
	// Unschedulable is spec.unschedulable (cordon).
	Unschedulable bool `json:"unschedulable,omitempty"`
	// LabelTimes is, per label key, the last time a field manager wrote it
	// (from managedFields); absent when unknown.
	LabelTimes map[string]time.Time `json:"labelTimes,omitempty"`
}

// ObjectRef names a namespaced object.
type ObjectRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

func (r ObjectRef) String() string { return r.Namespace + "/" + r.Name }

// DaemonSet is the part of a DaemonSet that grading reads.
type DaemonSet struct {
	Namespace       string                         `json:"namespace"`
	Name            string                         `json:"name"`
	UID             string                         `json:"uid"`
	Created         time.Time                      `json:"created"`
	Generation      int64                          `json:"generation"`
	Selector        *metav1.LabelSelector          `json:"selector,omitempty"`
	Template        PodTemplate                    `json:"template"`
	UpdateStrategy  appsv1.DaemonSetUpdateStrategy `json:"updateStrategy"`
	MinReadySeconds int32                          `json:"minReadySeconds,omitempty"`
	Status          DaemonSetStatus                `json:"status"`
	// Revisions are the DaemonSet's ControllerRevisions, oldest first.
	Revisions []Revision `json:"revisions,omitempty"`
	// Deleting is true when the DaemonSet has a deletionTimestamp.
	Deleting bool `json:"deleting,omitempty"`
}

// Ref returns the DaemonSet's namespace/name.
func (d DaemonSet) Ref() ObjectRef { return ObjectRef{Namespace: d.Namespace, Name: d.Name} }

// PodTemplate is the part of a pod template that decides placement and what
// the exercises check.
type PodTemplate struct {
	Labels         map[string]string   `json:"labels,omitempty"`
	NodeName       string              `json:"nodeName,omitempty"`
	NodeSelector   map[string]string   `json:"nodeSelector,omitempty"`
	Affinity       *corev1.Affinity    `json:"affinity,omitempty"`
	Tolerations    []corev1.Toleration `json:"tolerations,omitempty"`
	HostNetwork    bool                `json:"hostNetwork,omitempty"`
	Containers     []Container         `json:"containers,omitempty"`
	InitContainers []Container         `json:"initContainers,omitempty"`
	// Resources are the pod-level requests and limits (spec.resources,
	// feature PodLevelResources), when set.
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// Container is one container of a pod template.
type Container struct {
	Name      string                      `json:"name"`
	Image     string                      `json:"image"`
	Ports     []corev1.ContainerPort      `json:"ports,omitempty"`
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
}

// DaemonSetStatus mirrors the DaemonSet status counters.
type DaemonSetStatus struct {
	ObservedGeneration     int64 `json:"observedGeneration"`
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	NumberMisscheduled     int32 `json:"numberMisscheduled"`
	NumberReady            int32 `json:"numberReady"`
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled"`
	NumberAvailable        int32 `json:"numberAvailable"`
	NumberUnavailable      int32 `json:"numberUnavailable"`
}

// Revision is a ControllerRevision of a DaemonSet.
type Revision struct {
	Name     string    `json:"name"`
	Revision int64     `json:"revision"`
	Hash     string    `json:"hash,omitempty"`
	Created  time.Time `json:"created"`
	// Images are the container images of the revision's template, when known.
	Images []string `json:"images,omitempty"`
}

// Pod is a pod (only pods that some DaemonSet in the snapshot controls are
// captured).
type Pod struct {
	Namespace string    `json:"namespace"`
	Name      string    `json:"name"`
	UID       string    `json:"uid,omitempty"`
	Node      string    `json:"node,omitempty"`
	OwnerUID  string    `json:"ownerUID,omitempty"`
	OwnerKind string    `json:"ownerKind,omitempty"`
	Phase     string    `json:"phase,omitempty"`
	Ready     bool      `json:"ready"`
	Created   time.Time `json:"created"`
	// ReadySince is the Ready condition's last transition when Ready.
	ReadySince *time.Time `json:"readySince,omitempty"`
	// Deleting is the deletionTimestamp, when the pod is terminating.
	Deleting *time.Time `json:"deleting,omitempty"`
	// RevisionHash is the controller-revision-hash label.
	RevisionHash string `json:"revisionHash,omitempty"`
	// TemplateGeneration is the pod-template-generation label.
	TemplateGeneration string            `json:"templateGeneration,omitempty"`
	Containers         []ContainerStatus `json:"containers,omitempty"`
	// Unschedulable is the PodScheduled=False message, if any.
	Unschedulable string `json:"unschedulable,omitempty"`
	Reason        string `json:"reason,omitempty"`
	Message       string `json:"message,omitempty"`
	// Labels are the pod's labels; set only on Snapshot.LabelledPods.
	Labels map[string]string `json:"labels,omitempty"`
}

// Terminating reports whether the pod is being deleted.
func (p Pod) Terminating() bool { return p.Deleting != nil }

// ContainerStatus is a container of a pod: its spec image and, when
// reported, its status.
type ContainerStatus struct {
	Name         string `json:"name"`
	Image        string `json:"image"`
	Ready        bool   `json:"ready"`
	RestartCount int32  `json:"restartCount,omitempty"`
	// State is "waiting", "running", "terminated" or "" (unknown).
	State   string `json:"state,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Resources are the container's requests and limits as admitted (after
	// LimitRange defaults), when captured.
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// Event is a Kubernetes event about a captured object.
type Event struct {
	Namespace string    `json:"namespace,omitempty"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Type      string    `json:"type,omitempty"`
	Reason    string    `json:"reason"`
	Message   string    `json:"message,omitempty"`
	Count     int32     `json:"count,omitempty"`
	Last      time.Time `json:"last"`
}

// Baseline is the node state recorded when an exercise was started.
type Baseline struct {
	Exercise string    `json:"exercise"`
	Cluster  string    `json:"cluster,omitempty"`
	Recorded time.Time `json:"recorded"`
	// Source says where the baseline came from: "state" (the state dir),
	// "cluster" (the in-cluster copy), "topology" (derived from the lab
	// topology because none was recorded).
	Source string         `json:"source,omitempty"`
	Nodes  []BaselineNode `json:"nodes"`
	// Pods are pods recorded at exercise start (the target's Ready pods
	// after a setup that breaks a rollout), for "the healthy pods are the
	// same pods" (check kind samePods).
	Pods []BaselinePod `json:"pods,omitempty"`
}

// BaselinePod is one pod recorded at exercise start.
type BaselinePod struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	UID       string `json:"uid"`
	Node      string `json:"node"`
	// Image is the first container's image.
	Image string `json:"image,omitempty"`
}

// BaselineNode is a node's labels and taints at the baseline.
type BaselineNode struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	Taints []corev1.Taint    `json:"taints,omitempty"`
}

// Recording is what the rollout recorder observed of one DaemonSet.
type Recording struct {
	Namespace string    `json:"namespace"`
	Name      string    `json:"name"`
	Started   time.Time `json:"started"`
	// Interval is the recorder's heartbeat interval; a gap in the samples
	// longer than a few intervals means the recorder was not running.
	Interval time.Duration `json:"interval"`
	// Running reports whether the recorder process was alive at capture.
	Running bool `json:"running"`
	// Stopped is when the recorder said it stopped, if it did.
	Stopped *time.Time `json:"stopped,omitempty"`
	// StopReason is why it stopped ("deadline", "signal", an error).
	StopReason string `json:"stopReason,omitempty"`
	// StartRevision is the DaemonSet's newest ControllerRevision number
	// when the recorder started (0 if unknown); newer revisions are the
	// learner's rollouts.
	StartRevision int64    `json:"startRevision,omitempty"`
	Samples       []Sample `json:"samples"`
}

// Sample is one observation of the recorded DaemonSet.
type Sample struct {
	Time       time.Time `json:"t"`
	UID        string    `json:"uid,omitempty"`
	Generation int64     `json:"gen,omitempty"`
	// Desired is status.desiredNumberScheduled.
	Desired int32 `json:"desired"`
	// Available is the number of nodes with a Ready, non-terminating pod.
	Available int32 `json:"available"`
	// Unavailable is max(0, Desired-Available).
	Unavailable int32 `json:"unavailable"`
	// Updated is the number of such pods on the newest revision.
	Updated int32 `json:"updated"`
	// NotReady lists nodes without a Ready pod at that moment.
	NotReady []string `json:"notReady,omitempty"`
	// Missing is true when the DaemonSet did not exist.
	Missing bool `json:"missing,omitempty"`
}
