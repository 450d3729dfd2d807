package server_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

func loadSnap(t *testing.T, path string) grader.Snapshot {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s grader.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// consistency runs the checks as the server does on receipt a second
// after the capture, with the client's clock right.
func consistency(t *testing.T, ex string, snap grader.Snapshot) []string {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := cat.Get(ex)
	if err != nil {
		t.Fatal(err)
	}
	received := snap.CapturedAt.Add(time.Second)
	return server.Consistency(e.Spec, snap, api.SubmitRequest{SentAt: received}, received)
}

// TestConsistencyRealSnapshots: the grader's testdata snapshots (every
// exercise's solution and wrong answers, shaped as the lab captures them)
// raise no consistency flag — the checks do not accuse honest students.
// Snapshots captured from a real cluster are checked the same way by
// TestIntegrationClassEndToEnd.
func TestConsistencyRealSnapshots(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "grader", "testdata", "exercises", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no testdata snapshots")
	}
	for _, f := range files {
		ex := filepath.Base(filepath.Dir(f))
		if flags := consistency(t, ex, loadSnap(t, f)); len(flags) > 0 {
			t.Errorf("%s: flags %v on a real snapshot", strings.TrimPrefix(f, "../../../"), flags)
		}
	}
}

// TestConsistencyHandMade: each edit a student could make by hand to a
// snapshot raises its flag.
func TestConsistencyHandMade(t *testing.T) {
	base := filepath.Join("..", "..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	fresh := func() grader.Snapshot { return loadSnap(t, base) }
	if len(fresh().Pods) == 0 || fresh().Cluster == "" {
		t.Fatal("the solution snapshot must have pods and a cluster name")
	}
	cases := []struct {
		flag string
		edit func(s *grader.Snapshot)
	}{
		{server.FlagForeignPod, func(s *grader.Snapshot) { s.Pods[0].Node = "someone-elses-node" }},
		{server.FlagOrphanPods, func(s *grader.Snapshot) {
			s.Pods[0].OwnerUID = "11111111-2222-3333-4444-555555555555"
			s.Pods[0].OwnerKind = "DaemonSet"
		}},
		{server.FlagNodeOutsideCluster, func(s *grader.Snapshot) {
			s.Nodes = append(s.Nodes, grader.Node{Name: "laptop-worker", Ready: true, Created: s.Nodes[0].Created})
		}},
		{server.FlagTimes, func(s *grader.Snapshot) { s.Pods[0].Created = s.CapturedAt.Add(time.Hour) }},
		{server.FlagTimes, func(s *grader.Snapshot) {
			s.DaemonSets[0].Created = s.Pods[0].Created.Add(time.Hour)
			s.CapturedAt = s.CapturedAt.Add(2 * time.Hour)
		}},
		{server.FlagStatusWithoutPods, func(s *grader.Snapshot) { s.Pods = nil }},
		{server.FlagBeforeBaseline, func(s *grader.Snapshot) {
			s.Baseline = &grader.Baseline{Exercise: "ds-basics", Source: "state", Recorded: s.CapturedAt.Add(time.Minute)}
		}},
		{server.FlagBaselineMissing, func(s *grader.Snapshot) {
			s.Baseline = &grader.Baseline{Exercise: "taints", Source: "state", Recorded: s.CapturedAt.Add(-time.Minute)}
		}},
	}
	for _, c := range cases {
		s := fresh()
		c.edit(&s)
		if flags := consistency(t, "ds-basics", s); !slices.Contains(flags, c.flag) {
			t.Errorf("want %s, got %v", c.flag, flags)
		}
	}
	// The clock checks: the client's clock and a capture in the future.
	s := fresh()
	e, _ := exercises.Load()
	ex, _ := e.Get("ds-basics")
	got := server.Consistency(ex.Spec, s, api.SubmitRequest{SentAt: s.CapturedAt.Add(-5 * time.Minute)}, s.CapturedAt.Add(time.Second))
	if !slices.Contains(got, server.FlagClockSkew) {
		t.Errorf("client clock 5 min behind: %v", got)
	}
	got = server.Consistency(ex.Spec, s, api.SubmitRequest{}, s.CapturedAt.Add(-10*time.Minute))
	if !slices.Contains(got, server.FlagFutureSnapshot) {
		t.Errorf("captured 10 min after receipt: %v", got)
	}
}

func withClusterUID(t *testing.T, raw json.RawMessage, uid string) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["clusterUID"] = uid
	return mustJSON(m)
}

// TestCopiedClusterFlagsBoth: two students whose snapshots carry the same
// cluster identity (kube-system UID) are both flagged copied-cluster, in
// the answer and in the export's flags; the same student again, or another
// student with their own cluster, is not.
func TestCopiedClusterFlagsBoth(t *testing.T) {
	f := newFixture(t)
	a, b, c := f.join("a", "machine-aa"), f.join("b", "machine-bb"), f.join("c", "machine-cc")
	_, ra, _ := f.submit(a.Token, "key-a-000000000001", "ds-basics", withClusterUID(t, snapshot(t, "ds-basics", "solution"), "cluster-uid-shared"))
	_, ra2, _ := f.submit(a.Token, "key-a-000000000002", "taints", withClusterUID(t, snapshot(t, "taints", "solution"), "cluster-uid-shared"))
	if slices.Contains(ra.Flags, store.FlagCopiedCluster) || slices.Contains(ra2.Flags, store.FlagCopiedCluster) {
		t.Fatalf("one student's own cluster flagged: %v %v", ra.Flags, ra2.Flags)
	}
	// Bob's snapshot of another exercise (another DaemonSet UID) from
	// Alice's cluster.
	_, rb, body := f.submit(b.Token, "key-b-000000000001", "gpu-only", withClusterUID(t, snapshot(t, "gpu-only", "solution"), "cluster-uid-shared"))
	if !slices.Contains(rb.Flags, store.FlagCopiedCluster) {
		t.Fatalf("same cluster under two students not flagged: %s", body)
	}
	_, rc, _ := f.submit(c.Token, "key-c-000000000001", "gpu-only", withClusterUID(t, snapshot(t, "gpu-only", "solution"), "cluster-uid-carol"))
	if slices.Contains(rc.Flags, store.FlagCopiedCluster) {
		t.Fatalf("a cluster of one's own flagged: %v", rc.Flags)
	}
	for _, s := range f.export().Submissions {
		want := s.RosterID != "c"
		if got := slices.Contains(s.Flags, store.FlagCopiedCluster); got != want {
			t.Errorf("export: %s's %s flags %v, copied-cluster want %v", s.RosterID, s.Exercise, s.Flags, want)
		}
	}
	var buf strings.Builder
	if err := server.WriteSubmissionsCSV(&buf, f.export(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",표시,") || !strings.Contains(buf.String(), api.FlagText(store.FlagCopiedCluster)) {
		t.Fatalf("CSV export lacks the flags column or the flag:\n%s", buf.String())
	}
}
