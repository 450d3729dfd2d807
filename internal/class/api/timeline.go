package api

// NodeCounts sums up the nodes of one check of a timeline entry whose
// per-node lines were trimmed: Total nodes, Failed of them, and Shown, the
// failing nodes still listed in the result (the first ones, in the
// grader's order).
type NodeCounts struct {
	Total  int `json:"total"`
	Failed int `json:"failed"`
	Shown  int `json:"shown"`
}
