package exercises

import "github.com/dslab-kr/dslab/grader"

// Localize returns a copy of ex whose texts — Title, Task, Hints and the
// grading spec's titles, descriptions and constraints (grader.Spec.Localize)
// — name the nodes of the lab cluster called cluster: "{cluster}-worker2"
// becomes "lab2-worker2" (cluster "" means grader.DefaultCluster, "dslab").
// Node names the grader and setup use keep "{cluster}" (they are expanded
// against the connected cluster). ex itself is not changed.
func (ex Exercise) Localize(cluster string) Exercise {
	loc := func(s string) string { return grader.LocalizeText(s, cluster) }
	out := ex
	out.Title, out.Task = loc(ex.Title), loc(ex.Task)
	out.Hints = make([]string, len(ex.Hints))
	for i, h := range ex.Hints {
		out.Hints[i] = loc(h)
	}
	out.Spec = ex.Spec.Localize(cluster)
	return out
}

// Localize returns a catalog of the exercises localized for cluster
// (Exercise.Localize); c itself is not changed.
func (c *Catalog) Localize(cluster string) *Catalog {
	out := &Catalog{list: make([]Exercise, len(c.list))}
	for i, ex := range c.list {
		out.list[i] = ex.Localize(cluster)
	}
	return out
}
