package app

import (
	"context"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassDropsQueuedWorkOfRemovedExercise is the instructor trial on
// 63d375f (issue 12): serve restarted with a shorter --exercises while
// the server was down; the student's submit, made offline from the list
// saved at join, queued ds-basics, taints and gpu-only; with the server
// back, the queued gpu-only was refused ("이 수업에 없는 연습입니다"),
// submit exited 2 and status kept "거절됨 1개" forever. A removed exercise
// is not the student's fault: reaching the server, the client refreshes
// the class's exercise list (saved in the credentials) and drops the
// queued work of the removed exercise with one Korean note (exit 0, not a
// refusal), while a real refusal (a broken snapshot) still counts. The
// real server (restarted on the same address over the same database) and
// the real CLI.
func TestClassDropsQueuedWorkOfRemovedExercise(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "데몬셋 워크숍", []string{"ds-basics", "taints", "gpu-only"})
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	addr := s.hs.Listener.Addr().String()

	// The server goes away; the instructor restarts the class with a
	// shorter list (the database keeps it; serve's ChangeClass).
	s.srv.Close()
	s.hs.Close()
	class, err := s.st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := server.ChangeClass(ctx, s.st, class, nil, []string{"ds-basics", "taints"}); err != nil {
		t.Fatal(err)
	}
	// Offline, the student submits from the list saved at join.
	snap := func(ex string) string {
		return filepath.Join("..", "..", "grader", "testdata", "exercises", ex, "solution.json")
	}
	for _, ex := range []string{"ds-basics", "taints", "gpu-only"} {
		if code, out, errs := runClassCLI(t, student, "class", "submit", ex, "--snapshot", snap(ex)); code != ExitFailure || !strings.Contains(out, "편지함(outbox)에 남았습니다") {
			t.Fatalf("offline submit %s: %d %s %s", ex, code, out, errs)
		}
	}
	creds, err := client.LoadCredentials(student.ConfigDir)
	if err != nil || creds == nil {
		t.Fatal(creds, err)
	}
	box := client.New(*creds, student.DataDir).Outbox
	if p, _ := box.Pending(); len(p) != 3 {
		t.Fatalf("queued offline: %d items, want 3", len(p))
	}

	// The server is back on the same address.
	srv := s.newServer(t)
	var ln net.Listener
	for i := 0; ; i++ { // the old listener's port is free again at once on Linux; a moment elsewhere
		if ln, err = net.Listen("tcp", addr); err == nil || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)

	code, out, errs := runClassCLI(t, student, "class", "submit")
	if code != 0 || strings.Contains(out+errs, "거절") && !strings.Contains(out, "거절이 아닙니다") {
		t.Fatalf("submit with the server back: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "ds-basics: ✔ 통과") || !strings.Contains(out, "taints: ✔ 통과") {
		t.Errorf("the class's exercises were not sent:\n%s", out)
	}
	const note = "편지함의 제출 1개(gpu-only)는 강사가 수업에서 뺀 연습이라 보내지 않았습니다"
	if strings.Count(out, note) != 1 || !strings.Contains(out, "이 수업의 연습 2개: ds-basics, taints") {
		t.Errorf("no single note on the dropped gpu-only:\n%s", out)
	}
	if rej, _ := box.Rejected(); len(rej) != 0 {
		t.Errorf("rejected/ holds %v", rej)
	}
	if dropped, _ := os.ReadDir(filepath.Join(box.Dir, client.DroppedDir)); len(dropped) != 1 {
		t.Errorf("dropped/ holds %d items, want the gpu-only one", len(dropped))
	}
	subs, err := s.st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		if sub.Exercise == "gpu-only" {
			t.Errorf("gpu-only was stored: %+v", sub)
		}
	}
	if creds, _ := client.LoadCredentials(student.ConfigDir); creds == nil || !slices.Equal(creds.Exercises, []string{"ds-basics", "taints"}) {
		t.Errorf("credentials keep the old list: %+v", creds)
	}
	code, out, _ = runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "보낼 제출 0개") || strings.Contains(out, "거절") {
		t.Errorf("status after the drop: %d\n%s", code, out)
	}
	// submit --all now takes the fresh list: gpu-only is not even queued.
	code, out, errs = runClassCLI(t, student, "class", "submit", "gpu-only", "--snapshot", snap("gpu-only"))
	if code != ExitUsage || !strings.Contains(errs, "이 수업의 연습은 ds-basics, taints 입니다") {
		t.Errorf("submit gpu-only after the change: %d %s %s", code, out, errs)
	}

	// A real refusal stays one: a snapshot the server cannot read.
	if _, err := box.Enqueue("taints", []byte(`{"version": "bogus"}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runClassCLI(t, student, "class", "submit")
	if code != ExitUsage || !strings.Contains(out, "! 서버가 제출 하나를 거절했습니다") || strings.Contains(out, "뺀 연습") {
		t.Errorf("a broken snapshot: exit %d\n%s%s", code, out, errs)
	}
	if rej, _ := box.Rejected(); len(rej) != 1 {
		t.Errorf("rejected/ holds %v, want the broken one", rej)
	}
}
