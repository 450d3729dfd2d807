package grader

import "strings"

// DefaultCluster is the lab cluster's default name (internal/cluster's
// DefaultName): the node-name prefix when a snapshot names no cluster.
const DefaultCluster = "dslab"

// ClusterPlaceholder stands for the lab cluster's name in exercise texts
// and node names ("{cluster}-worker2").
const ClusterPlaceholder = "{cluster}"

// LocalizeText replaces ClusterPlaceholder in s with cluster (DefaultCluster
// when empty): "{cluster}-worker2" → "lab2-worker2".
func LocalizeText(s, cluster string) string {
	if cluster == "" {
		cluster = DefaultCluster
	}
	return strings.ReplaceAll(s, ClusterPlaceholder, cluster)
}

// Localize returns a copy of s whose Korean texts (Title, the node sets'
// Description and ExcludeReason, every check's Title and Constraint) name
// the nodes of cluster instead of "{cluster}". Node names (Names, Include,
// Exclude, Node, Changes) keep the placeholder: Grade expands them against
// the snapshot. s itself is not changed.
func (s Spec) Localize(cluster string) Spec {
	loc := func(t string) string { return LocalizeText(t, cluster) }
	out := s
	out.Title = loc(s.Title)
	out.Expect = s.Expect.localize(loc)
	out.Checks = make([]Check, len(s.Checks))
	for i, c := range s.Checks {
		c.Title, c.Constraint = loc(c.Title), loc(c.Constraint)
		if c.Nodes != nil {
			n := c.Nodes.localize(loc)
			c.Nodes = &n
		}
		out.Checks[i] = c
	}
	return out
}

func (n NodeSet) localize(loc func(string) string) NodeSet {
	n.Description, n.ExcludeReason = loc(n.Description), loc(n.ExcludeReason)
	return n
}
