package app

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationTUIAutoSubmit runs the TUI's live grading path without the
// screen: the lab watcher on a real embedded cluster, wired to the class
// submitter exactly as runTUI does (attachClassSubmitter). After `class
// join`, `exercise start` and the reference solution, the server holds a
// passed submission it graded itself, carrying the cluster's kube-system
// UID; nothing was written to the terminal and the outbox is empty. A
// wrong edit before the answer is submitted as a failure only once the
// cluster settled (issue 12: 4/10 then 8/10 for one edit), and every
// snapshot carries the lab's apply count.
func TestIntegrationTUIAutoSubmit(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	s := serveTestClass(t, filepath.Join(t.TempDir(), "serverdata"), "수업", nil)
	st := s.st
	if code, out, errs := runClassCLI(t, c.Paths, "class", "join", s.hs.URL, "--code", s.code, "--name", "최유나"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}

	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: c.Paths, Getenv: func(string) string { return "" }}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	// The lab's own count of the learner's applies (progress), which the
	// snapshots carry to the board's 회 and the export's 시도.
	prog := progress.New("")
	prog.UpdateExercise("gpu-only", func(e *progress.ExerciseProgress) { e.Attempts = 2 })
	wcfg := lab.WatcherConfig{Connect: labConnect(env), Paths: env.Paths, Progress: prog}
	if !attachClassSubmitter(wctx, env, &wcfg, client.AutoConfig{MinGap: 200 * time.Millisecond}) {
		t.Fatal("joined, but no submitter attached")
	}
	w := lab.NewWatcher(wcfg)
	go w.Run(wctx)
	go func() {
		for range w.Updates() {
		}
	}()

	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := c.Run(ctx, "exercise", "start", ex.ID); err != nil {
		t.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	w.SetExercise(&ex)
	w.Refresh()
	// First an edit without the nodeSelector (a pod on every worker, a
	// failure), then the answer (a rollout that deletes two of them):
	// only grades of a settled cluster are sent as failures.
	wrong := strings.Replace(string(ex.Solution), "      nodeSelector:\n        hardware: gpu\n", "", 1)
	if wrong == string(ex.Solution) {
		t.Fatal("the solution has no nodeSelector to leave out")
	}
	if err := kube.Apply(ctx, c.Client, []byte(wrong)); err != nil {
		t.Fatal(err)
	}
	for failed := false; !failed; {
		subs, err := st.Submissions(ctx, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			failed = failed || (s.Exercise == ex.ID && s.Status == "failed")
		}
		if !failed {
			select {
			case <-ctx.Done():
				t.Fatalf("no failed submission reached the server; it has %+v", subs)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	var passed *store.Submission
	for passed == nil {
		subs, err := st.Submissions(ctx, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range subs {
			if subs[i].Exercise == ex.ID && subs[i].Status == "passed" {
				passed = &subs[i]
			}
		}
		if passed == nil {
			select {
			case <-ctx.Done():
				t.Fatalf("no passed submission reached the server; it has %+v", subs)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	ks, err := c.Client.CoreV1().Namespaces().Get(ctx, "kube-system", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if passed.ClusterUID != string(ks.UID) || passed.GraderVersion != graderVersion() || len(passed.Flags) != 0 {
		t.Fatalf("submission: cluster %q (want %q), grader %q, flags %v", passed.ClusterUID, ks.UID, passed.GraderVersion, passed.Flags)
	}
	withSnaps, err := st.Submissions(ctx, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range withSnaps {
		var snap grader.Snapshot
		if err := json.Unmarshal(sub.Snapshot, &snap); err != nil {
			t.Fatal(err)
		}
		if sub.Status == "failed" && !api.Settled(snap, ex.Spec.Target) {
			t.Errorf("submission %d (%s %d/%d) is a moment of a rollout", sub.ID, sub.Status, sub.Score, sub.MaxScore)
		}
		if snap.Attempts == nil || *snap.Attempts != 2 {
			t.Errorf("submission %d carries attempts %v, want the lab's 2", sub.ID, snap.Attempts)
		}
	}
	if out.Len()+errb.Len() != 0 {
		t.Fatalf("the submitter wrote to the terminal: %q %q", out.String(), errb.String())
	}
	outbox := client.Outbox{Dir: client.OutboxDir(c.Paths.DataDir)}
	for {
		p, _ := outbox.Pending()
		if len(p) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d submissions stayed in the outbox", len(p))
		case <-time.After(200 * time.Millisecond):
		}
	}

	// `dslab grade` of an exercise other than the one started is graded
	// from its record, so there is nothing of it to submit; with the
	// started one beside it, only that one is submitted (the class trial
	// saw `index out of range` in submitGrades here).
	before, err := st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	// At a terminal (stdout and stderr one stream) the class line comes
	// after the grade report (the instructor trial on f9ad301 read
	// "수업 서버에 제출했습니다: …" above it).
	var both bytes.Buffer
	genv := Env{Streams: Streams{In: strings.NewReader(""), Out: &both, Err: &both}, Paths: c.Paths, Getenv: func(string) string { return "" }}
	Run(ctx, genv, []string{"grade", "gpu-only"})
	if text := both.String(); strings.Index(text, "수업 서버에 제출했습니다") <= 0 || !strings.Contains(text[:strings.Index(text, "수업 서버에 제출했습니다")], "gpu-only") {
		t.Errorf("grade's class line is not after its report:\n%s", text)
	}
	for _, args := range [][]string{{"grade", "ds-basics"}, {"grade", "--all"}} {
		stdout, stderr, err := c.Run(ctx, args...)
		if code := testcluster.ExitCode(err); code == 2 || strings.Contains(stderr, "panic") {
			t.Fatalf("dslab %v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
	}
	after, err := st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range after[len(before):] {
		if s.Exercise != ex.ID {
			t.Errorf("grade submitted %s, which it graded from its record, not from the cluster", s.Exercise)
		}
	}
}
