package kubeletsim

import (
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/utils/clock"
)

// Image pull back-off, as the kubelet's: 10 s doubling to 5 min per pod and
// image (pkg/kubelet/kubelet.go imageBackOffPeriod, MaxImageBackOff;
// flowcontrol.NewBackOff, no jitter; an entry untouched for 2×max resets).
const (
	imageBackOffPeriod = 10 * time.Second
	maxImageBackOff    = 300 * time.Second
	// errImagePullShown is how long a failed pull's ErrImagePull stays
	// before the next sync reports ImagePullBackOff. The kubelet's pod
	// worker requeues a failed sync after 10–15 s (pkg/kubelet/pod_workers.go
	// backOffPeriod with jitter); the lab shortens it so the back-off shows
	// sooner. Pulls themselves still follow the kubelet's back-off.
	errImagePullShown = 2 * time.Second
)

// pullOutcome is the result of ensuring one container's image, as the
// kubelet's imageManager.EnsureImageExists
// (pkg/kubelet/images/image_manager.go) and the "Error: %v" event of
// kuberuntime startContainer (pkg/kubelet/kuberuntime/kuberuntime_container.go).
type pullOutcome struct {
	ok bool
	// reason and message of the Waiting state when !ok: ErrImagePull,
	// ImagePullBackOff or ErrImageNeverPull.
	reason, message string
	events          []event
	// retry > 0: sync the pod again after this long (the next pull).
	retry time.Duration
}

// puller simulates each node's image store and the kubelet's pull back-off.
// Safe for concurrent use.
type puller struct {
	knowledge *ImageKnowledge
	clock     clock.Clock
	backOff   *flowcontrol.Backoff

	mu sync.Mutex
	// present: per node, the references pulled beyond the known images
	// (which every node has).
	present map[string]map[string]bool
	// lastErr: the last pull error per back-off key ("ErrImagePull: …"),
	// the kubelet's prevPullErrMsg.
	lastErr map[string]string
	// lastPull: when the last failed pull happened, per back-off key.
	lastPull map[string]time.Time
}

func newPuller(k *ImageKnowledge, c clock.Clock) *puller {
	return &puller{
		knowledge: k,
		clock:     c,
		backOff:   flowcontrol.NewFakeBackOff(imageBackOffPeriod, maxImageBackOff, c), // the kubelet's NewBackOff, on clock c
		present:   map[string]map[string]bool{},
		lastErr:   map[string]string{},
		lastPull:  map[string]time.Time{},
	}
}

// pullPolicy is the container's policy, defaulted as the API server does
// (Always for :latest or no tag, else IfNotPresent; pkg/apis/core/v1
// defaults.go SetDefaults_Container).
func pullPolicy(c *corev1.Container) corev1.PullPolicy {
	if c.ImagePullPolicy != "" {
		return c.ImagePullPolicy
	}
	name := c.Image
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.Index(name, "@"); i >= 0 {
		return corev1.PullIfNotPresent
	}
	if i := strings.LastIndex(name, ":"); i < 0 || name[i+1:] == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

// ensure makes the container's image available on node for pod, the way
// the kubelet does before starting a container. image must parse (the
// caller handles InvalidImageName).
func (p *puller) ensure(node string, podUID types.UID, c *corev1.Container) pullOutcome {
	image := c.Image
	verdict, ref, err := p.knowledge.Lookup(image)
	if err != nil {
		return pullOutcome{reason: "InvalidImageName", message: err.Error()}
	}
	policy := pullPolicy(c)
	now := p.clock.Now()

	p.mu.Lock()
	defer p.mu.Unlock()
	present := verdict == ImageKnown || p.present[node][ref]
	if policy != corev1.PullAlways && present {
		return pullOutcome{ok: true, events: []event{{corev1.EventTypeNormal, "Pulled",
			fmt.Sprintf("Container image %q already present on machine", image)}}}
	}
	if policy == corev1.PullNever {
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", image)
		return pullOutcome{reason: "ErrImageNeverPull", message: msg, events: []event{
			{corev1.EventTypeWarning, "ErrImageNeverPull", msg},
			{corev1.EventTypeWarning, "Failed", "Error: ErrImageNeverPull"},
		}}
	}

	key := fmt.Sprintf("%s_%s", podUID, image)
	if p.backOff.IsInBackOffSinceUpdate(key, now) {
		last := p.lastPull[key]
		if wait := errImagePullShown - now.Sub(last); wait > 0 {
			// Still the failed sync's status: nothing new to report.
			return pullOutcome{reason: "ErrImagePull", message: strings.TrimPrefix(p.lastErr[key], "ErrImagePull: "), retry: wait}
		}
		msg := fmt.Sprintf("Back-off pulling image %q", image)
		status := msg
		if prev, ok := p.lastErr[key]; ok {
			status = msg + ": " + prev
		}
		return pullOutcome{reason: "ImagePullBackOff", message: status, retry: last.Add(p.backOff.Get(key)).Sub(now), events: []event{
			{corev1.EventTypeNormal, "BackOff", msg},
			{corev1.EventTypeWarning, "Failed", "Error: ImagePullBackOff"},
		}}
	}
	delete(p.lastErr, key)
	delete(p.lastPull, key)

	events := []event{{corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", image)}}
	if verdict.Rejected() {
		msg := pullError(verdict, ref)
		p.backOff.Next(key, now)
		p.lastErr[key] = "ErrImagePull: " + msg
		p.lastPull[key] = now
		return pullOutcome{reason: "ErrImagePull", message: msg, retry: errImagePullShown, events: append(events,
			event{corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %s", image, msg)},
			event{corev1.EventTypeWarning, "Failed", "Error: ErrImagePull"})}
	}
	if verdict == ImageSimulated {
		events = append(events, event{corev1.EventTypeNormal, "Pulled", fmt.Sprintf(
			"dslab 시뮬레이션: 랩이 모르는 이미지라서 받은 것으로 처리했습니다. 실제 노드에서는 레지스트리에 없으면 실패합니다 "+
				"(simulated pull of %q: the lab cannot check this image's registry)", image)})
		if p.present[node] == nil {
			p.present[node] = map[string]bool{}
		}
		p.present[node][ref] = true
	} else {
		// Known images are on the node: the registry round trip is all a
		// real pull would do, which the simulator does not spend time on.
		events = append(events, event{corev1.EventTypeNormal, "Pulled",
			fmt.Sprintf("Successfully pulled image %q in 0s (0s including waiting)", image)})
	}
	p.backOff.GC()
	return pullOutcome{ok: true, events: events}
}

// forgetNode drops a deleted node's image store.
func (p *puller) forgetNode(node string) {
	p.mu.Lock()
	delete(p.present, node)
	p.mu.Unlock()
}
