package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

func TestLabOffer(t *testing.T) {
	snap := &grader.Snapshot{Version: 1, Context: "dslab"}
	failed := &grader.Result{Exercise: "taints", Status: grader.StatusFailed, Score: 3}
	notStarted := &grader.Result{Exercise: "taints", Status: grader.StatusNotStarted}
	cases := []struct {
		name string
		u    lab.Update
		want bool
	}{
		{"graded attempt", lab.Update{Exercise: "taints", Result: failed, Snapshot: snap}, true},
		{"started, nothing applied yet", lab.Update{Exercise: "taints", Started: true, Result: notStarted, Snapshot: snap}, true},
		{"only browsing", lab.Update{Exercise: "taints", Result: notStarted, Snapshot: snap}, false},
		{"no grade", lab.Update{Exercise: "taints"}, false},
		{"no exercise", lab.Update{Result: failed, Snapshot: snap}, false},
	}
	for _, c := range cases {
		o, ok := labOffer(c.u)
		if ok != c.want {
			t.Errorf("%s: offered %v, want %v", c.name, ok, c.want)
		}
		if ok && (o.Exercise != "taints" || o.Score != c.u.Result.Score || o.Status != c.u.Result.Status) {
			t.Errorf("%s: offer %+v", c.name, o)
		}
	}
	o, _ := labOffer(lab.Update{Exercise: "taints", Result: failed, Snapshot: snap, Conn: &kube.Conn{}})
	if o.Identify == nil {
		t.Error("an update with a connection must offer a way to identify the cluster")
	}
}

// TestGradeSubmitsToClass: after `class join`, `dslab grade`'s snapshots
// go to the server (one line on stderr with the server's verdict); with
// the server gone they wait in the outbox, the grade itself unaffected.
func TestGradeSubmitsToClass(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "server"), "수업", nil)
	st, hs := s.st, s.hs
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", hs.URL, "--code", s.code, "--name", "이영희"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap grader.Snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		t.Fatal(err)
	}
	ex, _ := cat.Get("ds-basics")
	var errb bytes.Buffer
	env := Env{Streams: Streams{Out: &bytes.Buffer{}, Err: &errb}, Paths: student}
	submitGrades(ctx, env, "text", []exercises.Exercise{ex}, []grader.Snapshot{snap}, &errb)
	if !strings.Contains(errb.String(), "수업 서버에 제출했습니다: ds-basics ✔ 통과") {
		t.Fatalf("stderr: %q", errb.String())
	}
	subs, _ := st.Submissions(ctx, 0, false)
	if len(subs) != 1 || subs[0].Status != "passed" {
		t.Fatalf("server has %+v", subs)
	}
	// JSON output: nothing extra on either stream.
	errb.Reset()
	submitGrades(ctx, env, "json", []exercises.Exercise{ex}, []grader.Snapshot{snap}, &errb)
	if errb.Len() != 0 {
		t.Fatalf("json output wrote %q", errb.String())
	}
	hs.Close()
	submitGrades(ctx, env, "text", []exercises.Exercise{ex}, []grader.Snapshot{snap}, &errb)
	if !strings.Contains(errb.String(), "편지함(outbox)에 남겨 두었습니다") {
		t.Fatalf("stderr with the server down: %q", errb.String())
	}
	if p, _ := (client.Outbox{Dir: client.OutboxDir(student.DataDir)}).Pending(); len(p) != 1 {
		t.Fatalf("outbox holds %d, want 1", len(p))
	}
}
