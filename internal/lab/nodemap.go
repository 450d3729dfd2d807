package lab

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/cluster"
)

// NodeMap is the live node map of one exercise: a row per node saying what
// runs there, what the exercise expects and why it passes or fails. It is
// derived from a grade Result and the Snapshot it graded (BuildNodeMap).
type NodeMap struct {
	Target grader.ObjectRef `json:"target"`
	// Exists is false while the target DaemonSet does not exist.
	Exists bool `json:"exists"`
	// Desired, Ready and Updated are the DaemonSet's status counters.
	Desired int32     `json:"desired"`
	Ready   int32     `json:"ready"`
	Updated int32     `json:"updated"`
	Rows    []NodeRow `json:"rows"`
}

// Expectations of a node (NodeRow.Expected).
const (
	ExpectPod   = "pod"  // a Ready pod of the target belongs here
	ExpectNoPod = "none" // no pod of the target belongs here
	ExpectAny   = ""     // the exercise does not constrain this node
)

// NodeRow is one node of the map.
type NodeRow struct {
	Name         string `json:"name"`
	ControlPlane bool   `json:"controlPlane,omitempty"`
	NodeReady    bool   `json:"nodeReady"`
	// Missing is set for a node of the baseline that no longer exists.
	Missing bool `json:"missing,omitempty"`
	// Attrs are the labels that matter to this exercise ("hardware=gpu"),
	// the node's taints ("key=value:Effect") and a cordon.
	Attrs []string `json:"attrs,omitempty"`
	// Pod is the target's pod on the node ("" when none) and Status its
	// state as kubectl shows it (Running, Pending, ImagePullBackOff,
	// Terminating…); PodReady is its Ready condition.
	Pod      string `json:"pod,omitempty"`
	Status   string `json:"status,omitempty"`
	PodReady bool   `json:"podReady,omitempty"`
	// Expected is ExpectPod, ExpectNoPod or ExpectAny.
	Expected string `json:"expected"`
	// Graded is true when some check judged this node; OK is then true
	// when every such check passed here.
	Graded bool `json:"graded"`
	OK     bool `json:"ok"`
	// Reason says (Korean) why the node is fine or not.
	Reason string `json:"reason,omitempty"`
	// Since is when the state Reason judges began (grader.NodeResult.Since:
	// the pod's creation when Reason counts how long it has run) and
	// CapturedAt the capture the Reason was written at; both zero when
	// Reason states no age. ReasonAt tells the age as of now.
	Since      time.Time `json:"since,omitzero"`
	CapturedAt time.Time `json:"capturedAt,omitzero"`
}

// ReasonAt is Reason with the age it states as of now (LiveAge): a pod
// made at the last grade reads "만들어진 지 12초" twelve seconds later, not
// "0초" until the next grade (issue 14, noexecute-churn).
func (r NodeRow) ReasonAt(now time.Time) string {
	return LiveAge(r.Reason, r.Since, r.CapturedAt, now)
}

// LiveAge rewrites the age a grader text states — "만들어진 지 N초" or
// "N초째", N the whole seconds from since to captured (grader
// checkUninterrupted's words) — as of now. text is unchanged when since
// or captured is zero or now is not after captured.
func LiveAge(text string, since, captured, now time.Time) string {
	if since.IsZero() || captured.IsZero() || !now.After(captured) {
		return text
	}
	old := int(captured.Sub(since).Truncate(time.Second).Seconds())
	cur := int(now.Sub(since).Truncate(time.Second).Seconds())
	text = strings.Replace(text, "지 "+strconv.Itoa(old)+"초", "지 "+strconv.Itoa(cur)+"초", 1)
	return strings.Replace(text, " "+strconv.Itoa(old)+"초째", " "+strconv.Itoa(cur)+"초째", 1)
}

// verdictEntry is one check's result on one node.
type verdictEntry struct {
	kind string
	nr   grader.NodeResult
	// point: the check expects different values on different nodes (an
	// image on one node, another elsewhere: on-delete's canary), so its
	// reason is what a passed row shows.
	point bool
}

// kindOrder ranks check kinds for the reason shown on a row: placement
// explains best, integrity (node edits) last.
func kindOrder(kind string) int {
	switch kind {
	case grader.KindPlacement:
		return 0
	case grader.KindUpdated, grader.KindImage, grader.KindCreatedAfterLabel:
		return 1
	case grader.KindNodeLabel:
		return 2
	case grader.KindIntegrity:
		return 4
	}
	return 3
}

// BuildNodeMap builds the node map of ex from the snapshot it graded and
// the result.
func BuildNodeMap(ex exercises.Exercise, snap grader.Snapshot, res grader.Result) NodeMap {
	m := NodeMap{Target: ex.Spec.Target}
	var ds *grader.DaemonSet
	for i := range snap.DaemonSets {
		d := &snap.DaemonSets[i]
		if d.Namespace == ex.Spec.Target.Namespace && d.Name == ex.Spec.Target.Name {
			ds = d
			break
		}
	}
	if ds != nil {
		m.Exists = true
		m.Desired, m.Ready, m.Updated = ds.Status.DesiredNumberScheduled, ds.Status.NumberReady, ds.Status.UpdatedNumberScheduled
	}

	kinds := map[string]string{}
	for _, c := range ex.Spec.Checks {
		kinds[c.ID] = c.Kind
	}
	byNode := map[string][]verdictEntry{}
	for _, c := range res.Checks {
		expected := map[string]bool{}
		for _, nr := range c.Nodes {
			expected[nr.Expected] = true
		}
		for _, nr := range c.Nodes {
			byNode[nr.Node] = append(byNode[nr.Node], verdictEntry{kinds[c.ID], nr, kinds[c.ID] == grader.KindImage && len(expected) > 1})
		}
	}
	for n := range byNode {
		sort.SliceStable(byNode[n], func(i, j int) bool { return kindOrder(byNode[n][i].kind) < kindOrder(byNode[n][j].kind) })
	}

	expected := map[string]bool{}
	for _, n := range grader.ExpectedNodes(ex.Spec, snap) {
		expected[n] = true
	}
	exclusive := false // some placement check wants no pod outside the set
	for _, c := range ex.Spec.Checks {
		if c.Kind == grader.KindPlacement && c.Mode != grader.ModeCovers && c.Nodes == nil {
			exclusive = true
		}
	}
	fallback := func(row *NodeRow) {
		if row.Expected != ExpectAny {
			return
		}
		switch {
		case expected[row.Name]:
			row.Expected = ExpectPod
		case exclusive:
			row.Expected = ExpectNoPod
		default:
			return
		}
	}
	// notStarted: without the DaemonSet nothing is graded (grader
	// StatusNotStarted): a row says what is expected, never ✓ or ✗, so that
	// the map agrees with the checklist of the same result.
	notStarted := func(row *NodeRow) {
		if ds != nil {
			return
		}
		row.Graded, row.OK, row.Reason = false, false, ""
	}

	keys := relevantLabelKeys(ex, ds)
	seen := map[string]bool{}
	for _, n := range snap.Nodes {
		seen[n.Name] = true
		row := NodeRow{Name: n.Name, NodeReady: n.Ready}
		_, row.ControlPlane = n.Labels[cluster.LabelControlPlane]
		for _, k := range keys {
			if v, ok := n.Labels[k]; ok {
				row.Attrs = append(row.Attrs, k+"="+v)
			}
		}
		for _, t := range n.Taints {
			row.Attrs = append(row.Attrs, grader.TaintString(t))
		}
		if n.Unschedulable {
			row.Attrs = append(row.Attrs, "SchedulingDisabled(cordon)")
		}
		if ds != nil {
			if p := podOn(snap.Pods, ds.UID, n.Name); p != nil {
				row.Pod, row.Status, row.PodReady = p.Name, podStatus(*p), p.Ready && !p.Terminating()
			}
		}
		fillVerdict(&row, byNode[n.Name])
		if !row.Since.IsZero() {
			row.CapturedAt = snap.CapturedAt
		}
		fallback(&row)
		notStarted(&row)
		m.Rows = append(m.Rows, row)
	}
	var missing []string
	for n := range byNode {
		if !seen[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	for _, n := range missing {
		row := NodeRow{Name: n, Missing: true}
		fillVerdict(&row, byNode[n])
		fallback(&row)
		notStarted(&row)
		m.Rows = append(m.Rows, row)
	}
	sort.SliceStable(m.Rows, func(i, j int) bool { return m.Rows[i].Name < m.Rows[j].Name })
	return m
}

// fillVerdict sets the expectation, verdict and reason of a row from the
// node results of every check about it (most telling kind first).
func fillVerdict(row *NodeRow, entries []verdictEntry) {
	row.Expected = ExpectAny
	if len(entries) == 0 {
		return
	}
	row.Graded, row.OK = true, true
	for _, e := range entries {
		if row.Expected == ExpectAny && e.kind != grader.KindIntegrity && e.kind != grader.KindNodeLabel {
			if e.nr.Expected == grader.StateAbsent {
				row.Expected = ExpectNoPod
			} else {
				row.Expected = ExpectPod
			}
		}
		if !e.nr.Passed && row.OK {
			row.OK = false
			row.Reason, row.Since = e.nr.Reason, e.nr.Since
		}
	}
	if row.OK {
		// A check that tells the nodes apart is the exercise's point
		// (issue 14: on-delete's ✓ rows said only "Ready", not which
		// image each node runs).
		for _, e := range entries {
			if e.point && e.nr.Reason != "" {
				row.Reason, row.Since = e.nr.Reason, e.nr.Since
				return
			}
		}
		for _, e := range entries {
			if e.nr.Reason != "" {
				row.Reason, row.Since = e.nr.Reason, e.nr.Since
				break
			}
		}
	}
}

// relevantLabelKeys are the node label keys this exercise is about: those
// its spec and setup name, and those the DaemonSet's node selector and
// required node affinity use.
func relevantLabelKeys(ex exercises.Exercise, ds *grader.DaemonSet) []string {
	set := map[string]bool{}
	for k := range ex.Spec.Expect.Labels {
		set[k] = true
	}
	for _, c := range ex.Spec.Checks {
		switch c.Kind {
		case grader.KindNodeSelector, grader.KindNodeAffinity, grader.KindNodeLabel, grader.KindCreatedAfterLabel:
			set[c.Key] = true
		}
		if c.Nodes != nil {
			for k := range c.Nodes.Labels {
				set[k] = true
			}
		}
	}
	for _, ch := range append(slices.Clone(ex.Spec.Changes), ex.Setup.Labels...) {
		if ch.Kind != "taint" {
			set[ch.Key] = true
		}
	}
	if ds != nil {
		for k := range ds.Template.NodeSelector {
			set[k] = true
		}
		if a := ds.Template.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
			for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
				for _, r := range t.MatchExpressions {
					set[r.Key] = true
				}
			}
		}
	}
	delete(set, "")
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// podOn picks the pod of owner on node the way the grader does: the newest
// Ready one, else the newest live one, else a terminating one.
func podOn(pods []grader.Pod, owner, node string) *grader.Pod {
	var live, term []*grader.Pod
	for i := range pods {
		p := &pods[i]
		if p.OwnerUID != owner || p.Node != node {
			continue
		}
		if p.Terminating() {
			term = append(term, p)
		} else {
			live = append(live, p)
		}
	}
	sort.SliceStable(live, func(i, j int) bool { return live[i].Created.After(live[j].Created) })
	for _, p := range live {
		if p.Ready {
			return p
		}
	}
	if len(live) > 0 {
		return live[0]
	}
	if len(term) > 0 {
		return term[0]
	}
	return nil
}

// podStatus is the pod's state as the STATUS column of kubectl get pods
// shows it.
func podStatus(p grader.Pod) string {
	if p.Terminating() {
		return "Terminating"
	}
	for _, c := range p.Containers {
		if c.State == "waiting" && c.Reason != "" {
			return c.Reason
		}
		if c.State == "terminated" && c.Reason != "" {
			return c.Reason
		}
	}
	if p.Phase == "" {
		return "Pending"
	}
	if p.Phase == "Running" && !p.Ready {
		return "Running(NotReady)"
	}
	return p.Phase
}

// Row returns the row of node name.
func (m NodeMap) Row(name string) (NodeRow, bool) {
	for _, r := range m.Rows {
		if r.Name == name {
			return r, true
		}
	}
	return NodeRow{}, false
}

// PodNodes lists the nodes with a Ready pod of the target.
func (m NodeMap) PodNodes() []string {
	var out []string
	for _, r := range m.Rows {
		if r.PodReady {
			out = append(out, r.Name)
		}
	}
	return out
}

// String is a plain one-line summary (for logs).
func (m NodeMap) String() string {
	var b strings.Builder
	b.WriteString(m.Target.String())
	for _, r := range m.Rows {
		mark := "·"
		if r.Graded && r.OK {
			mark = "✓"
		} else if r.Graded {
			mark = "✗"
		}
		b.WriteString(" " + mark + r.Name)
		if r.Pod != "" {
			b.WriteString("[" + r.Status + "]")
		}
	}
	return b.String()
}

// MapBeforeFailedApplyLead is grader.BeforeFailedApplyLead short enough
// for a compact map row, which is cut at the panel's width.
const MapBeforeFailedApplyLead = "(적용 실패 전 오브젝트) "

// BeforeFailedApply is m as shown while the last apply of the work file
// failed: the cluster still holds the object from before it, so the
// reason of each failing row says so (issue 14: the map still said
// "hardwre 의 오타가 아닌가요?" for a file already fixed). Passing rows and
// rows without a reason are unchanged; m itself is not modified.
func (m NodeMap) BeforeFailedApply() NodeMap {
	rows := make([]NodeRow, len(m.Rows))
	copy(rows, m.Rows)
	for i := range rows {
		if rows[i].Graded && !rows[i].OK && rows[i].Reason != "" && !strings.HasPrefix(rows[i].Reason, MapBeforeFailedApplyLead) {
			rows[i].Reason = MapBeforeFailedApplyLead + rows[i].Reason
		}
	}
	m.Rows = rows
	return m
}
