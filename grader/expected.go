package grader

// ExpectedNodes returns, sorted, the nodes where spec expects the target's
// pods in snap: the spec's Expect set evaluated over the baseline (or over
// the current nodes when snap has no baseline), exactly as Grade evaluates
// it. It lets a caller show expectations before the learner's DaemonSet
// exists (the live node map of the TUI).
func ExpectedNodes(spec Spec, snap Snapshot) []string {
	g := newGradeCtx(spec, snap)
	return g.sortedSet(g.expected)
}
