package grader

import "testing"

// Check titles name the graded cluster's nodes: a spec written with
// "{cluster}-worker2" reads lab2-worker2 on a cluster named lab2 and
// dslab-worker2 on the default one.
func TestGradeLocalizesTitles(t *testing.T) {
	spec := Spec{ID: "x", Title: "{cluster}-worker2 연습", Target: ObjectRef{Namespace: "ns", Name: "ds"},
		Checks: []Check{{ID: "exists", Kind: "exists", Title: "{cluster}-worker2 에 파드", Points: 1}}}
	for _, tc := range []struct{ cluster, want string }{{"lab2", "lab2-worker2 에 파드"}, {"", "dslab-worker2 에 파드"}} {
		res := Grade(spec, Snapshot{Cluster: tc.cluster})
		if len(res.Checks) != 1 || res.Checks[0].Title != tc.want {
			t.Errorf("cluster %q: checks %+v, want title %q", tc.cluster, res.Checks, tc.want)
		}
		if spec.Checks[0].Title != "{cluster}-worker2 에 파드" {
			t.Fatalf("Grade changed the caller's spec: %q", spec.Checks[0].Title)
		}
	}
}
