package grader

import (
	"fmt"
	"time"
)

// SimulatePods returns the pods a healthy cluster would run for ds: one
// Ready pod, created at t, on every node the DaemonSet controller would pick.
// It is how tests and benchmarks build realistic snapshots without a
// cluster; grading never uses it.
func SimulatePods(nodes []Node, ds DaemonSet, t time.Time) []Pod {
	p := NewPlacer(ds.Template, nodes)
	hash := ""
	if r, ok := ds.newestRevision(); ok {
		hash = r.Hash
	}
	var pods []Pod
	for i, n := range nodes {
		if !p.Place(n).Fits {
			continue
		}
		pod := Pod{
			Namespace:    ds.Namespace,
			Name:         fmt.Sprintf("%s-%05d", ds.Name, i),
			Node:         n.Name,
			OwnerUID:     ds.UID,
			OwnerKind:    "DaemonSet",
			Phase:        "Running",
			Ready:        true,
			Created:      t,
			RevisionHash: hash,
		}
		for _, c := range ds.Template.Containers {
			pod.Containers = append(pod.Containers, ContainerStatus{Name: c.Name, Image: c.Image, Ready: true, State: "running"})
		}
		pods = append(pods, pod)
	}
	return pods
}
