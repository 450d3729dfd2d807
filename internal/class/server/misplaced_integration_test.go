package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationMisplacedDaemonSetIsAFailure is issue 12's instructor
// trial on a real embedded cluster and a real class server: the student
// applies ds-basics' DaemonSet in namespace default and submits with the
// real lab client (`dslab class submit`); the server stores a failure whose
// reason names the namespace (it stored "not started", the board's "○ 시작
// 전 (연습을 열었음 / 초기화함)"). She then deletes it with kubectl: the
// next submission is a failure saying the DaemonSet is missing, not the
// quiet line of an open or a reset.
func TestIntegrationMisplacedDaemonSetIsAFailure(t *testing.T) {
	c := testcluster.Start(t)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	instructor := testcluster.NewEnv(t)
	data := filepath.Join(instructor.Root, "class")
	srv := startServe(t, instructor, data)

	s := newStudent(t, c)
	run(t, ctx, s, "class", "join", srv.url, "--code", srv.code, "--name", "정하늘", "--student-id", "2026004")
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, s, "exercise", "start", ex.ID)
	wrong := bytes.ReplaceAll(ex.Solution, []byte("namespace: "+ex.Spec.Target.Namespace), []byte("namespace: default"))
	if bytes.Equal(wrong, ex.Solution) {
		t.Fatal("the solution names no namespace to change")
	}
	if err := kube.Apply(ctx, c.Client, wrong); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.AppsV1().DaemonSets("default").Get(ctx, ex.Spec.Target.Name, metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := s.Run(ctx, "class", "submit", ex.ID)
	t.Logf("submit (wrong namespace):\n%s%s", out, stderr)
	last, why := lastSubmission(t, ctx, srv.url, data)
	if last.Status != api.StatusFailed || !strings.Contains(why, "네임스페이스 default") {
		t.Fatalf("DaemonSet in default stored as %s (%q), want %s naming the namespace (submit: %v)", last.Status, why, api.StatusFailed, err)
	}

	if err := c.Client.AppsV1().DaemonSets("default").Delete(ctx, ex.Spec.Target.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := c.Client.AppsV1().DaemonSets("default").Get(ctx, ex.Spec.Target.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the DaemonSet was not deleted")
		case <-time.After(200 * time.Millisecond):
		}
	}
	out, stderr, err = s.Run(ctx, "class", "submit", ex.ID)
	t.Logf("submit (deleted):\n%s%s", out, stderr)
	after, why := lastSubmission(t, ctx, srv.url, data)
	if after.ID == last.ID {
		t.Fatalf("the capture after the delete was not stored (submit: %v)", err)
	}
	if after.Status != api.StatusFailed || !strings.Contains(why, "없습니다") || strings.HasPrefix(why, "시작 전") {
		t.Fatalf("deleted after an attempt stored as %s (%q), want %s saying it is missing", after.Status, why, api.StatusFailed)
	}
}

// lastSubmission is the newest submission of the class's export and its
// result's first failing reason.
func lastSubmission(t *testing.T, ctx context.Context, url, data string) (api.ExportSubmission, string) {
	t.Helper()
	tok, err := os.ReadFile(filepath.Join(data, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", url+api.PathExport, nil)
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
	if len(exp.Submissions) == 0 {
		t.Fatal("no submission stored")
	}
	last := exp.Submissions[0]
	for _, s := range exp.Submissions {
		if s.ID > last.ID {
			last = s
		}
	}
	var r grader.Result
	if err := json.Unmarshal(last.Result, &r); err != nil {
		t.Fatal(err)
	}
	return last, r.FirstFailure()
}
