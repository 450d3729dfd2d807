// Package kubeletsim simulates the kubelets of the embedded cluster: it
// registers nodes, keeps their heartbeats (Lease and Ready condition) fresh,
// runs the pods bound to them (Pending → Running/Ready with container
// statuses, IPs and start times), completes graceful deletion (once the
// containers' preStop sleep hooks have run, within the grace period), keeps
// node allocatable in step with capacity, and removes the pods of deleted
// nodes. It never runs a container.
package kubeletsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	v1helper "k8s.io/kubernetes/pkg/apis/core/v1/helper"

	"github.com/dslab-kr/dslab/internal/cluster"
)

// Annotations dslab puts on the nodes it simulates.
const (
	AnnotationSimulated = "dslab.kr/simulated"
	AnnotationNodeIndex = "dslab.kr/node-index"
)

// KubeletVersion is reported in node status (the control plane's version).
const KubeletVersion = "v1.37.2"

// IsSimulated reports whether node is run by the simulator.
func IsSimulated(node *corev1.Node) bool {
	return node != nil && node.Annotations[AnnotationSimulated] == "true"
}

// nodeIndex returns the index stored on a simulated node (-1 if none).
func nodeIndex(node *corev1.Node) int {
	i, err := strconv.Atoi(node.Annotations[AnnotationNodeIndex])
	if err != nil {
		return -1
	}
	return i
}

// nodeIP is the simulated InternalIP of the node with index i (kind's
// docker network uses 172.18.0.0/16 the same way).
func nodeIP(i int) string {
	n := i + 2
	return fmt.Sprintf("172.18.%d.%d", n/256, n%256)
}

// podCIDR is the pod range of the node with index i.
func podCIDR(i int) string {
	return fmt.Sprintf("10.%d.%d.0/24", 244+i/256, i%256)
}

// RegisterNode creates the Node object for spec as a kubelet would register
// itself: labels, taints, pod CIDR and the simulator's annotations, then its
// capacity and conditions through the status subresource. An existing node
// is returned as it is.
func RegisterNode(ctx context.Context, client kubernetes.Interface, spec cluster.NodeSpec) (*corev1.Node, error) {
	nodes, err := RegisterNodes(ctx, client, []cluster.NodeSpec{spec}, 1)
	if err != nil {
		return nil, err
	}
	return nodes[0], nil
}

// RegisterNodes registers many nodes with workers requests in flight,
// listing the existing nodes once to hand out node indices (IPs, pod CIDRs).
func RegisterNodes(ctx context.Context, client kubernetes.Interface, specs []cluster.NodeSpec, workers int) ([]*corev1.Node, error) {
	existing, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	byName := map[string]*corev1.Node{}
	next := 0
	for i := range existing.Items {
		n := &existing.Items[i]
		byName[n.Name] = n
		if idx := nodeIndex(n); idx >= next {
			next = idx + 1
		}
	}
	out := make([]*corev1.Node, len(specs))
	errs := make([]error, len(specs))
	sem := make(chan struct{}, max(workers, 1))
	var wg sync.WaitGroup
	for i, spec := range specs {
		if n, ok := byName[spec.Name]; ok {
			out[i] = n
			continue
		}
		idx := next
		next++
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = registerNode(ctx, client, spec, idx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("node %s: %w", specs[i].Name, err)
		}
	}
	return out, nil
}

func registerNode(ctx context.Context, client kubernetes.Interface, spec cluster.NodeSpec, idx int) (*corev1.Node, error) {
	labels := map[string]string{}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	if labels[cluster.LabelHostname] == "" {
		labels[cluster.LabelHostname] = spec.Name
	}
	if labels[cluster.LabelOS] == "" {
		labels[cluster.LabelOS] = "linux"
	}
	if labels[cluster.LabelArch] == "" {
		labels[cluster.LabelArch] = "amd64"
	}
	labels["beta.kubernetes.io/os"] = labels[cluster.LabelOS]
	labels["beta.kubernetes.io/arch"] = labels[cluster.LabelArch]
	var taints []corev1.Taint
	for _, t := range spec.Taints {
		taints = append(taints, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:   spec.Name,
			Labels: labels,
			Annotations: map[string]string{
				AnnotationSimulated: "true",
				AnnotationNodeIndex: strconv.Itoa(idx),
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{
			PodCIDR:    podCIDR(idx),
			PodCIDRs:   []string{podCIDR(idx)},
			ProviderID: "dslab://" + spec.Name,
			Taints:     taints,
		},
	}
	created, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return client.CoreV1().Nodes().Get(ctx, spec.Name, metav1.GetOptions{})
	}
	if err != nil {
		return nil, err
	}
	// Capacity and conditions go through the status subresource, as the
	// kubelet reports them right after registering.
	return created, setCapacity(ctx, client, created, spec)
}

func setCapacity(ctx context.Context, client kubernetes.Interface, node *corev1.Node, spec cluster.NodeSpec) error {
	cpu, mem, pods := spec.CPU, spec.Memory, spec.Pods
	if cpu == "" {
		cpu = "4"
	}
	if mem == "" {
		mem = "8Gi"
	}
	if pods == "" {
		pods = "110"
	}
	list := corev1.ResourceList{}
	for name, q := range map[corev1.ResourceName]string{corev1.ResourceCPU: cpu, corev1.ResourceMemory: mem, corev1.ResourcePods: pods, corev1.ResourceEphemeralStorage: "100Gi"} {
		v, err := resource.ParseQuantity(q)
		if err != nil {
			return fmt.Errorf("node %s: capacity %s=%q: %w", spec.Name, name, q, err)
		}
		list[name] = v
	}
	// The simulator may report a heartbeat for the new node at the same
	// time: retry on conflicts with a fresh copy.
	return retryOnConflict(func() error {
		fresh, err := client.CoreV1().Nodes().Get(ctx, node.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		fresh.Status.Capacity = list
		fresh.Status.Allocatable = list.DeepCopy()
		fillNodeStatus(fresh, metav1.Now())
		_, err = client.CoreV1().Nodes().UpdateStatus(ctx, fresh, metav1.UpdateOptions{})
		return err
	})
}

// fillNodeStatus sets the conditions, addresses and node info a healthy
// kubelet reports, with heartbeat now.
func fillNodeStatus(node *corev1.Node, now metav1.Time) {
	idx := nodeIndex(node)
	if idx < 0 {
		idx = 0
	}
	type cond struct {
		t       corev1.NodeConditionType
		status  corev1.ConditionStatus
		reason  string
		message string
	}
	want := []cond{
		{corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
		{corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
		{corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
		{corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status (simulated by dslab)"},
	}
	for _, w := range want {
		found := false
		for i := range node.Status.Conditions {
			c := &node.Status.Conditions[i]
			if c.Type != w.t {
				continue
			}
			found = true
			if c.Status != w.status {
				c.LastTransitionTime = now
			}
			c.Status, c.Reason, c.Message, c.LastHeartbeatTime = w.status, w.reason, w.message, now
		}
		if !found {
			node.Status.Conditions = append(node.Status.Conditions, corev1.NodeCondition{
				Type: w.t, Status: w.status, Reason: w.reason, Message: w.message,
				LastHeartbeatTime: now, LastTransitionTime: now,
			})
		}
	}
	syncAllocatable(node)
	node.Status.Addresses = []corev1.NodeAddress{
		{Type: corev1.NodeInternalIP, Address: nodeIP(idx)},
		{Type: corev1.NodeHostName, Address: node.Name},
		// The simulated kubelet API (logs) of every node is served on
		// loopback; the apiserver reaches it through this address
		// (--kubelet-preferred-address-types=InternalDNS).
		{Type: corev1.NodeInternalDNS, Address: "localhost"},
	}
	if node.Status.DaemonEndpoints.KubeletEndpoint.Port == 0 {
		node.Status.DaemonEndpoints.KubeletEndpoint.Port = 10250
	}
	sum := sha256.Sum256([]byte(node.Name))
	id := hex.EncodeToString(sum[:16])
	node.Status.NodeInfo = corev1.NodeSystemInfo{
		MachineID:               id,
		SystemUUID:              id,
		BootID:                  id,
		KernelVersion:           "6.1.0-dslab",
		OSImage:                 "dslab simulated node",
		ContainerRuntimeVersion: "containerd://2.1.0-dslab-sim",
		KubeletVersion:          KubeletVersion,
		OperatingSystem:         "linux",
		Architecture:            "amd64",
	}
}

// syncAllocatable sets the node's allocatable from its capacity as the
// kubelet's MachineInfo status setter does on every status sync: each
// capacity entry is allocatable in full (the simulator reserves nothing for
// the system), and an extended resource that left capacity leaves
// allocatable too. So an extended resource someone adds to capacity only
// (as upstream's pod-overhead e2e spec does with example.com/beardsecond)
// becomes schedulable at the node's next status sync.
//
// Source: k8s.io/kubernetes pkg/kubelet/nodestatus/setters.go (MachineInfo).
func syncAllocatable(node *corev1.Node) {
	if node.Status.Allocatable == nil {
		node.Status.Allocatable = corev1.ResourceList{}
	}
	for name := range node.Status.Allocatable {
		if _, ok := node.Status.Capacity[name]; !ok && v1helper.IsExtendedResourceName(name) {
			delete(node.Status.Allocatable, name)
		}
	}
	for name, q := range node.Status.Capacity {
		node.Status.Allocatable[name] = q.DeepCopy()
	}
}

// allocatableInSync reports whether the node's allocatable is what
// syncAllocatable computes, i.e. whether the kubelet has nothing new to
// report about it.
func allocatableInSync(node *corev1.Node) bool {
	want := node.DeepCopy()
	syncAllocatable(want)
	return apiequality.Semantic.DeepEqual(want.Status.Allocatable, node.Status.Allocatable)
}

// nodeReady reports whether the node's Ready condition is True.
func nodeReady(node *corev1.Node) bool {
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// podIPFor returns the n-th pod IP in the node's pod CIDR.
func podIPFor(node *corev1.Node, n int) string {
	_, ipnet, err := net.ParseCIDR(node.Spec.PodCIDR)
	if err != nil {
		return ""
	}
	ip := ipnet.IP.To4()
	if ip == nil {
		return ""
	}
	return net.IPv4(ip[0], ip[1], ip[2], byte(2+n%250)).String()
}

// podIPIndex is the inverse of podIPFor (-1 when ip is not one of the
// node's pod IPs).
func podIPIndex(node *corev1.Node, ip string) int {
	_, ipnet, err := net.ParseCIDR(node.Spec.PodCIDR)
	parsed := net.ParseIP(ip).To4()
	if err != nil || parsed == nil || !ipnet.Contains(parsed) || parsed[3] < 2 {
		return -1
	}
	return int(parsed[3]) - 2
}
