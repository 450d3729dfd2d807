package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestTimelineBoundsNodeFeedback (issue 12): a stored submission graded
// on 9000 nodes made the student's timeline 5.6 MB. The timeline stays
// under 200 KB, lists the first failing nodes of each big check with their
// reasons, counts the rest (api.TimelineEntry.NodesOmitted), keeps a
// small check's nodes whole, and links to the whole stored result
// (api.PathSubmission, instructor only).
func TestTimelineBoundsNodeFeedback(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	f.join("big", "machine-big")
	ctx := context.Background()
	x, err := st.StudentByRosterID(ctx, "big")
	if err != nil {
		t.Fatal(err)
	}
	const nodes = 9000
	placed, raw := storeBigSubmission(t, st, x.ID, nodes)

	code, body := f.do("GET", api.PathTimeline+"big", f.instructor, nil)
	if code != 200 {
		t.Fatalf("timeline: %d %s", code, body)
	}
	t.Logf("stored result %d bytes, timeline %d bytes", len(raw), len(body))
	if len(body) > 200<<10 {
		t.Fatalf("timeline of one 9000-node submission is %d bytes, want ≤ 200 KB", len(body))
	}
	var tl api.Timeline
	if err := json.Unmarshal(body, &tl); err != nil {
		t.Fatal(err)
	}
	var e *api.TimelineEntry
	for i := range tl.Entries {
		if tl.Entries[i].Submission != nil {
			e = &tl.Entries[i]
		}
	}
	if e == nil || e.Result == nil {
		t.Fatalf("no submission with its result in %s", body[:min(len(body), 500)])
	}
	got := map[string]grader.CheckResult{}
	for _, c := range e.Result.Checks {
		got[c.ID] = c
	}
	p := got["placement"]
	if len(p.Nodes) != server.TimelineNodes || p.Message != placed.Message {
		t.Fatalf("placement lists %d nodes (want the first %d failing), message %q", len(p.Nodes), server.TimelineNodes, p.Message)
	}
	for i, n := range p.Nodes {
		if want := placed.Nodes[10+i]; n != want {
			t.Fatalf("placement node %d is %+v, want the failing %+v with its reason", i, n, want)
		}
	}
	if c := e.NodesOmitted["placement"]; c != (api.NodeCounts{Total: nodes, Failed: nodes - 10, Shown: server.TimelineNodes}) {
		t.Errorf("placement counts %+v", c)
	}
	if c := e.NodesOmitted["image"]; c != (api.NodeCounts{Total: nodes, Failed: 0, Shown: 0}) || len(got["image"].Nodes) != 0 {
		t.Errorf("passed image check: counts %+v, %d nodes listed", c, len(got["image"].Nodes))
	}
	if _, ok := e.NodesOmitted["ready"]; ok || len(got["ready"].Nodes) != 2 {
		t.Errorf("the 2-node check was cut: %+v", got["ready"].Nodes)
	}

	// Nothing is lost: the entry links to the whole stored result.
	if want := api.PathSubmission + itoa(e.Submission.SubmissionID); e.Details != want {
		t.Fatalf("details link %q, want %q", e.Details, want)
	}
	code, body = f.do("GET", e.Details, f.instructor, nil)
	var d api.SubmissionDetail
	if code != 200 || json.Unmarshal(body, &d) != nil {
		t.Fatalf("details: %d %.300s", code, body)
	}
	if d.RosterID != "big" || d.Submission.SubmissionID != e.Submission.SubmissionID || len(d.Result.Checks) != 3 ||
		len(d.Result.Checks[0].Nodes) != nodes || len(d.Result.Checks[1].Nodes) != nodes || d.Result.Checks[0].Nodes[nodes-1] != placed.Nodes[nodes-1] {
		t.Fatalf("details: roster %q, submission %d, %d checks", d.RosterID, d.Submission.SubmissionID, len(d.Result.Checks))
	}
	student := f.join("s2", "machine-s2")
	for _, c := range []struct {
		path, token string
		code        int
	}{{e.Details, student.Token, 403}, {e.Details, "", 401}, {api.PathSubmission + "999999", f.instructor, 404}, {api.PathSubmission + "x", f.instructor, 404}} {
		if code, body := f.do("GET", c.path, c.token, nil); code != c.code {
			t.Errorf("GET %s: %d %.200s, want %d", c.path, code, body, c.code)
		}
	}
}

// storeBigSubmission stores a failed ds-basics submission of studentID
// graded on nodes nodes: check "placement" fails on all but the first 10
// (each with a Korean reason), "image" passes on all, "ready" has 2 nodes
// (one failing). It returns the placement check and the stored result.
func storeBigSubmission(t *testing.T, st store.Store, studentID int64, nodes int) (grader.CheckResult, []byte) {
	t.Helper()
	ctx := context.Background()
	res := grader.Result{Exercise: "ds-basics", Status: grader.StatusFailed, Score: 2, MaxScore: 10}
	placed := grader.CheckResult{ID: "placement", Title: "노드마다 파드", MaxPoints: 5, Message: "8990개 노드에 파드가 없습니다"}
	image := grader.CheckResult{ID: "image", Title: "이미지", Passed: true, Points: 2, MaxPoints: 2, Message: "이미지가 맞습니다"}
	small := grader.CheckResult{ID: "ready", Title: "준비", MaxPoints: 3, Message: "한 노드의 파드가 준비되지 않았습니다"}
	for i := range nodes {
		name := fmt.Sprintf("worker-%05d", i)
		ok := i < 10
		n := grader.NodeResult{Node: name, Passed: ok, Expected: grader.StateRunning, Actual: grader.StateRunning}
		if !ok {
			n.Actual, n.Reason = grader.StateAbsent, name+" 에 파드가 없습니다: 노드의 테인트 gpu=true:NoSchedule 를 용인하지 않습니다"
		}
		placed.Nodes = append(placed.Nodes, n)
		image.Nodes = append(image.Nodes, grader.NodeResult{Node: name, Passed: true, Expected: "nginx:1.27", Actual: "nginx:1.27"})
	}
	small.Nodes = []grader.NodeResult{{Node: "worker-00000", Passed: true, Expected: "ready", Actual: "ready"},
		{Node: "worker-00001", Passed: false, Expected: "ready", Actual: "not-ready", Reason: "준비 검사가 실패합니다"}}
	res.Checks = []grader.CheckResult{placed, image, small}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.AddSubmission(ctx, store.Submission{StudentID: studentID, IdempotencyKey: "key-bigcluster-0001", Exercise: "ds-basics",
		Snapshot: []byte("{}"), SnapshotSHA256: strings.Repeat("0", 64), Result: raw, Score: res.Score, MaxScore: res.MaxScore, Status: res.Status, GraderVersion: "test",
		ReceivedAt: time.Now(), ClientTime: time.Now(), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	return placed, raw
}
