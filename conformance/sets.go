package conformance

import (
	"regexp"
	"time"
)

// specSet is a named choice of upstream e2e specs: ginkgo focus regexes
// (matched against the spec's full text, "[sig-apps] Daemon set [Serial]
// should run and stop simple daemon [Conformance]") and a suite timeout.
type specSet struct {
	focus   []string
	timeout time.Duration
	// about says in Korean and English what the set covers (table header).
	about string
}

// specSets returns the sets by name. The names of the upstream Describe
// blocks are in k8s.io/kubernetes v1.37.2 test/e2e/apps/daemon_set.go,
// apps/controller_revision.go, node/taints.go and scheduling/*.go.
func specSets() map[string]specSet {
	daemonset := `\[sig-apps\] Daemon set`
	return map[string]specSet{
		// make test: the ten DaemonSet specs (seven of them Conformance).
		"daemonset": {
			focus:   []string{daemonset},
			timeout: 25 * time.Minute,
			about:   "데몬셋(DaemonSet) e2e · upstream `[sig-apps] Daemon set`",
		},
		// make conformance: everything the course teaches — DaemonSets and
		// their rollout history (ControllerRevision), taints and tolerations
		// (NoExecuteTaintManager, SchedulerPredicates/Priorities), node
		// affinity and nodeSelector, hostPort, resource requests, and
		// PriorityClass (SchedulerPreemption).
		"wide": {
			focus: []string{
				daemonset,
				`\[sig-apps\] ControllerRevision`,
				`\[sig-node\] NoExecuteTaintManager`,
				`\[sig-scheduling\] SchedulerPredicates`,
				`\[sig-scheduling\] SchedulerPriorities`,
				`\[sig-scheduling\] SchedulerPreemption`,
			},
			timeout: 90 * time.Minute,
			about:   "과정이 가르치는 모든 것 (데몬셋, 롤아웃 기록, 테인트·톨러레이션, 노드 어피니티, hostPort, 리소스, 프라이어리티클래스) · what the course teaches",
		},
	}
}

// matches reports whether a spec's full text matches one of the set's focus
// regexes (ginkgo's own focus semantics: any regex, unanchored).
func (s specSet) matches(fullText string) bool {
	for _, f := range s.focus {
		if regexp.MustCompile(f).MatchString(fullText) {
			return true
		}
	}
	return false
}
