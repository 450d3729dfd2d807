package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationUnchangedResubmitIsOneAttempt is issue 12's instructor
// trial on a real embedded cluster: the class server is SIGKILLed, the
// student runs `dslab class submit --all` three times against an unchanged
// cluster (the outbox keeps one submission per exercise: real captures of
// an unchanged cluster are the same snapshot apart from capturedAt), the
// server comes back on the same address, `class status` sends them, and a
// fourth `submit --all` with the server up is answered "unchanged" — the
// export counts one attempt per exercise.
func TestIntegrationUnchangedResubmitIsOneAttempt(t *testing.T) {
	c := testcluster.Start(t)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	instructor := testcluster.NewEnv(t)
	data := filepath.Join(instructor.Root, "class")
	srv := startServe(t, instructor, data, "--listen", addr)

	s := newStudent(t, c)
	run(t, ctx, s, "class", "join", srv.url, "--code", srv.code, "--name", "정하늘", "--student-id", "2026004")
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, s, "exercise", "start", ex.ID)
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	settle(t, ctx, c, ex)

	srv.cmd.Process.Kill() // SIGKILL, as in the trial
	<-srv.done
	box := client.Outbox{Dir: client.OutboxDir(s.Paths.DataDir)}
	var queued int
	for i := 1; i <= 3; i++ {
		out, stderr, err := s.Run(ctx, "class", "submit", "--all")
		if testcluster.ExitCode(err) != 1 || !strings.Contains(out+stderr, "편지함(outbox)에 남았습니다") {
			t.Fatalf("submit %d with the server down: %v\n%s\n%s", i, err, out, stderr)
		}
		items, err := box.Pending()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			queued = len(items)
			if queued == 0 {
				t.Fatal("nothing queued")
			}
		} else if len(items) != queued {
			t.Fatalf("submit %d of the unchanged cluster: %d items waiting, want the first run's %d", i, len(items), queued)
		}
	}

	srv = startServe(t, instructor, data, "--listen", addr)
	if srv.url != "http://"+addr {
		t.Fatalf("server came back at %s, want %s", srv.url, addr)
	}
	if out := run(t, ctx, s, "class", "status"); !strings.Contains(out, "방금 보냄 "+strconv.Itoa(queued)+"개") {
		t.Fatalf("status after the server came back:\n%s", out)
	}
	out := run(t, ctx, s, "class", "submit", "--all")
	if n := strings.Count(out, "지난 제출과 같은 스냅숏이라 새 시도로 세지 않았습니다"); n != queued {
		t.Fatalf("submit with the server up: %d of %d said unchanged:\n%s", n, queued, out)
	}

	tok, err := os.ReadFile(filepath.Join(data, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.url+api.PathExport, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var exp api.Export
	if err := json.NewDecoder(resp.Body).Decode(&exp); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %v", resp.StatusCode, err)
	}
	if len(exp.Submissions) != queued {
		t.Fatalf("%d submissions stored, want %d (one per exercise)", len(exp.Submissions), queued)
	}
	for _, st := range exp.Students {
		for _, a := range st.Attempts {
			if a.Count != 1 {
				t.Errorf("%s %s: %d attempts, want 1", st.RosterID, a.Exercise, a.Count)
			}
		}
	}
}
