package exercises

import "github.com/dslab-kr/dslab/grader"

// Localize returns a copy of ex whose texts — Title, Task, Hints and the
// grading spec's titles, descriptions and constraints (grader.Spec.Localize)
// — name the nodes of the lab cluster called cluster: "{cluster}-worker2"
// becomes "lab2-worker2" (cluster "" means grader.DefaultCluster, "dslab").
// Node names the grader and setup use keep "{cluster}" (they are expanded
// against the connected cluster). ex itself is not changed.
//
// Load returns exercises already localized for the default cluster; their
// source texts (with "{cluster}") are kept, so Localize works on any
// loaded exercise, again and again.
func (ex Exercise) Localize(cluster string) Exercise {
	src := ex.src
	if src == nil {
		src = &sourceTexts{title: ex.Title, task: ex.Task, hints: ex.Hints, spec: ex.Spec}
	}
	loc := func(s string) string { return grader.LocalizeText(s, cluster) }
	out := ex
	out.src = src
	out.Title, out.Task = loc(src.title), loc(src.task)
	out.Hints = make([]string, len(src.hints))
	for i, h := range src.hints {
		out.Hints[i] = loc(h)
	}
	out.Spec = src.spec.Localize(cluster)
	return out
}

// sourceTexts are an exercise's texts as written, with "{cluster}".
type sourceTexts struct {
	title, task string
	hints       []string
	spec        grader.Spec
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
