package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/paths"
)

// Content tests read the text unwrapped (COLUMNS very wide); the layout at
// 60 and 80 columns is TestCLIProseFitsWidth's.
// unwrapped is a Getenv for tests that read CLI text unwrapped.
func unwrapped(k string) string {
	if k == "COLUMNS" {
		return "100000"
	}
	return ""
}

func runClassCLI(t *testing.T, p paths.Paths, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: unwrapped}
	code := Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// TestClassCLI runs a class through the commands: the instructor's data
// dir served in-process, a student joining, submitting a saved snapshot
// (server re-grades it), status, export (CSV with BOM, JSON) and leave;
// with the server down, a submission waits in the outbox and drains later.
func TestClassCLI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "serverdata")
	st, err := store.OpenSQLite(ctx, filepath.Join(data, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	class, _, err := server.Setup(ctx, st, "CLI 수업", nil, filepath.Join(data, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: graderVersion()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	student := paths.Under(filepath.Join(dir, "student"))
	if code, _, errs := runClassCLI(t, student, "class", "status"); code != ExitUsage || !strings.Contains(errs, "참가하지 않았습니다") {
		t.Fatalf("status before join: %d %s", code, errs)
	}
	code, out, errs := runClassCLI(t, student, "class", "join", hs.URL+"/join?code="+class.JoinCode, "--name", "김철수", "--student-id", "2026001")
	if code != 0 || !strings.Contains(out, "참가했습니다") {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	if fi, err := os.Stat(client.CredentialsFile(student.ConfigDir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials: %v %v", fi, err)
	}
	if code, out, _ := runClassCLI(t, student, "class", "join", hs.URL, "--code", class.JoinCode, "--name", "김철수", "--student-id", "2026001"); code != 0 || !strings.Contains(out, "이미") {
		t.Fatalf("second join: %d %s", code, out)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	code, out, errs = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", snap)
	if code != 0 || !strings.Contains(out, "✓ ds-basics: 통과") {
		t.Fatalf("submit: %d %s %s", code, out, errs)
	}
	code, out, _ = runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "연결: 정상") || !strings.Contains(out, "ds-basics") {
		t.Fatalf("status: %d %s", code, out)
	}

	instructor := paths.Under(filepath.Join(dir, "instructor"))
	outFile := filepath.Join(dir, "class.csv")
	if code, _, errs := runClassCLI(t, instructor, "class", "export", "--data", data, "-o", "csv", "--out", outFile); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	csv, _ := os.ReadFile(outFile)
	if !strings.HasPrefix(string(csv), "\uFEFF학생,학번,오류,점수,만점,") || !strings.Contains(string(csv), "김철수,2026001,") {
		t.Fatalf("csv:\n%s", csv)
	}
	code, out, errs = runClassCLI(t, instructor, "class", "export", "--server", hs.URL, "--token-file", filepath.Join(data, server.InstructorTokenFile), "-o", "json")
	var exp api.Export
	if code != 0 || json.Unmarshal([]byte(out), &exp) != nil || len(exp.Submissions) != 1 || exp.Submissions[0].Status != api.StatusPassed {
		t.Fatalf("export json: %d %s %s", code, out, errs)
	}

	// approve and regrade reach the class both ways: through the server
	// (--server, instructor token) and straight on the database (--data).
	tokenFile := filepath.Join(data, server.InstructorTokenFile)
	if code, out, errs := runClassCLI(t, instructor, "class", "approve", "2026001", "--server", hs.URL, "--token-file", tokenFile); code != 0 || !strings.Contains(out, "학번 2026001 학생이 다른 컴퓨터에서") {
		t.Fatalf("approve through the server: %d %s %s", code, out, errs)
	}
	if code, _, errs := runClassCLI(t, instructor, "class", "approve", "1999999", "--data", data); code != ExitUsage || !strings.Contains(errs, "학번 1999999 학생이 없습니다") {
		t.Fatalf("approve of an unknown student on the database: %d %s", code, errs)
	}
	for _, how := range [][]string{{"--data", data}, {"--server", hs.URL, "--token-file", tokenFile}} {
		code, out, errs := runClassCLI(t, instructor, append([]string{"class", "regrade", "--all"}, how...)...)
		if code != 0 || !strings.Contains(out, "제출 1개를 다시 채점했습니다: 결과가 바뀐 제출 0개") {
			t.Fatalf("regrade %v: %d %s %s", how, code, out, errs)
		}
	}

	// Server down: the submission waits in the outbox, then drains.
	hs.Close()
	code, out, _ = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", snap)
	if code != ExitFailure || !strings.Contains(out, "편지함") {
		t.Fatalf("submit with the server down: %d %s", code, out)
	}
	hs2 := httptest.NewUnstartedServer(srv.Handler())
	hs2.Listener.Close()
	hs2.Listener = mustListen(t, strings.TrimPrefix(hs.URL, "http://"))
	hs2.Start()
	defer hs2.Close()
	code, out, _ = runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "방금 보냄 1개") || !strings.Contains(out, "보내는 중 0개") {
		t.Fatalf("status after the server came back: %d %s", code, out)
	}
	if subs, _ := st.Submissions(ctx, 0, false); len(subs) != 2 {
		t.Fatalf("%d submissions stored, want 2", len(subs))
	}
	if code, out, _ := runClassCLI(t, student, "class", "leave"); code != 0 || !strings.Contains(out, "나왔습니다") {
		t.Fatalf("leave: %d %s", code, out)
	}
}

func mustListen(t *testing.T, addr string) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
