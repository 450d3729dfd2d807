package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	s := serveTestClass(t, data, "CLI 수업", nil)
	st, srv, hs := s.st, s.srv, s.hs

	student := paths.Under(filepath.Join(dir, "student"))
	if code, _, errs := runClassCLI(t, student, "class", "status"); code != ExitUsage || !strings.Contains(errs, "참가하지 않았습니다") {
		t.Fatalf("status before join: %d %s", code, errs)
	}
	code, out, errs := runClassCLI(t, student, "class", "join", hs.URL+"/join?code="+s.code, "--name", "김철수", "--student-id", "2026001")
	if code != 0 || !strings.Contains(out, "참가했습니다") {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	if fi, err := os.Stat(client.CredentialsFile(student.ConfigDir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials: %v %v", fi, err)
	}
	if code, out, _ := runClassCLI(t, student, "class", "join", hs.URL, "--code", s.code, "--name", "김철수", "--student-id", "2026001"); code != 0 || !strings.Contains(out, "이미") {
		t.Fatalf("second join: %d %s", code, out)
	}
	// After a rename the current title, and a wrong code is said to be
	// unchecked (issue 12: the old title, and silence about the code).
	// The instructor restarts the class with a new title: a new server
	// on the same store and address.
	if err := s.st.UpdateClass(ctx, "새 이름 수업", nil); err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = s.newServer(t).Handler()
	if code, out, _ := runClassCLI(t, student, "class", "join", hs.URL, "--code", "999999", "--name", "김철수", "--id", "2026001"); code != 0 || !strings.Contains(out, `이미 수업 "새 이름 수업" 에`) || !strings.Contains(out, "참가 코드 999999 는 확인하지 않았습니다") {
		t.Fatalf("join after a rename with a wrong code: %d %s", code, out)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	code, out, errs = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", snap)
	if code != 0 || !strings.Contains(out, "ds-basics: ✔ 통과") {
		t.Fatalf("submit: %d %s %s", code, out, errs)
	}
	code, out, _ = runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "연결: 정상") || !strings.Contains(out, "ds-basics") {
		t.Fatalf("status: %d %s", code, out)
	}
	// A failing submission after the pass: status shows what the board
	// counts (the pass stays) and the newest one beside it.
	typo := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "image-typo.json")
	if code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", typo); code != 0 {
		t.Fatalf("submit a failing snapshot: %d %s %s", code, out, errs)
	}
	code, out, _ = runClassCLI(t, student, "class", "status")
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ds-basics") {
			line = l
		}
	}
	if code != 0 || !strings.Contains(line, "✔ 통과") || !strings.Contains(line, "(마지막 제출 ") || !strings.Contains(line, "… 진행 중") ||
		strings.Index(line, "✔ 통과") > strings.Index(line, "… 진행 중") {
		t.Fatalf("status after a failing submission, want the counted pass then the newest failure on the ds-basics line: %d\n%s", code, out)
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
	if code != 0 || json.Unmarshal([]byte(out), &exp) != nil || len(exp.Submissions) != 2 || exp.Submissions[0].Status != api.StatusPassed {
		t.Fatalf("export json: %d %s %s", code, out, errs)
	}

	// approve and regrade reach the class both ways: through the server
	// (--server, instructor token) and straight on the database (--data).
	tokenFile := filepath.Join(data, server.InstructorTokenFile)
	if code, out, errs := runClassCLI(t, instructor, "class", "approve", "2026001", "--server", hs.URL, "--token-file", tokenFile); code != 0 || !strings.Contains(out, "학번 2026001 학생이 다른 컴퓨터에서") {
		t.Fatalf("approve through the server: %d %s %s", code, out, errs)
	}
	if code, _, errs := runClassCLI(t, instructor, "class", "approve", "1999999", "--data", data); code != ExitFailure || !strings.Contains(errs, "학번 1999999 학생이 없습니다") {
		t.Fatalf("approve of an unknown student on the database: %d %s", code, errs)
	}
	for _, how := range [][]string{{"--data", data}, {"--server", hs.URL, "--token-file", tokenFile}} {
		code, out, errs := runClassCLI(t, instructor, append([]string{"class", "regrade", "--all"}, how...)...)
		if code != 0 || !strings.Contains(out, "다시 채점했습니다: 바뀐 결과 없음 · 제출 2개") || !strings.Contains(out, "채점기 버전: dslab ") || strings.Contains(out, "(snapshot v") {
			t.Fatalf("regrade %v: %d %s %s", how, code, out, errs)
		}
	}
	// Both ways leave the same trace as the board's 모두 다시 채점 button:
	// a regrade command the board's 최근 동작 and the students see (issue
	// 12: the CLI's regrade left none).
	var regrades int
	cmds, err := st.Commands(ctx, 0, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		if c.Kind == store.CommandRegrade && c.Message == "바뀐 결과 없음 · 제출 2개" {
			regrades++
		}
	}
	if regrades != 2 {
		t.Fatalf("%d regrade commands stored after two CLI regrades, want 2: %+v", regrades, cmds)
	}

	// Server down: the submission waits in the outbox, then drains. It is
	// a new capture of the passing state (the first capture again would be
	// answered as the stored one: TestSameCaptureStoredOnce).
	hs.Close()
	again := recaptured(t, snap, filepath.Join(dir, "solution-again.json"))
	code, out, _ = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", again)
	if code != ExitFailure || !strings.Contains(out, "편지함") {
		t.Fatalf("submit with the server down: %d %s", code, out)
	}
	// status says it waits (the instructor trial on f9ad301: no sign).
	if code, out, _ := runClassCLI(t, student, "class", "status"); code != ExitFailure || !strings.Contains(out, "제출 대기 1건 (서버에 다시 연결되면 보냅니다)") {
		t.Fatalf("status with the server down: %d %s", code, out)
	}
	hs2 := httptest.NewUnstartedServer(srv.Handler())
	hs2.Listener.Close()
	hs2.Listener = mustListen(t, strings.TrimPrefix(hs.URL, "http://"))
	hs2.Start()
	defer hs2.Close()
	code, out, _ = runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "방금 보냄 1개") || !strings.Contains(out, "보낼 제출 0개") || strings.Contains(out, "제출 대기") {
		t.Fatalf("status after the server came back: %d %s", code, out)
	}
	if subs, _ := st.Submissions(ctx, 0, false); len(subs) != 3 {
		t.Fatalf("%d submissions stored, want 3", len(subs))
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

// TestPrintServerScores: `class status` lists what counts (as the board and
// the class table) in dslab grade's words, as `class submit` does (issue
// 12: "✘ 실패 5/10" here, "진행 중 · 5/10점" there), with the newest
// submission beside it when different,
// says when nothing on time counts, and reads an older server's newest
// verdicts as such.
func TestPrintServerScores(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	v := func(id int64, ex, status string, score int, flags ...string) *api.Verdict {
		return &api.Verdict{SubmissionID: id, Exercise: ex, Status: status, Score: score, MaxScore: 10, ReceivedAt: at.Add(time.Duration(id) * time.Minute), Flags: flags}
	}
	var buf bytes.Buffer
	printServerScores(&buf, api.MeResponse{Latest: []api.Verdict{*v(4, "ds-basics", api.StatusFailed, 3)}, Scores: []api.ExerciseScore{
		{Exercise: "ds-basics", Counted: v(2, "ds-basics", api.StatusPassed, 10), Newest: v(4, "ds-basics", api.StatusFailed, 3)},
		{Exercise: "gpu-only", Newest: v(6, "gpu-only", api.StatusPassed, 10, server.FlagLate)},
		{Exercise: "taints", Counted: v(5, "taints", api.StatusFailed, 5)},
	}})
	want := []string{
		"서버의 채점 결과 (점수표·보드와 같은 기준",
		"  ds-basics          ✔ 통과 · 10/10점  09:02:00  (마지막 제출 09:04:00: … 진행 중 · 3/10점)",
		"  gpu-only           — 제때 낸 제출 없음  (마지막 제출 09:06:00: ✔ 통과 · 10/10점, 마감 후 — 점수에 들어가지 않음)",
		"  taints             … 진행 중 · 5/10점  09:05:00",
		"  기호: ✔ 통과 · ○ 시작 전 · … 진행 중 · — 제출 없음", // every mark named
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(want) || !strings.HasPrefix(lines[0], want[0]) || !slices.Equal(lines[1:], want[1:]) {
		t.Fatalf("got:\n%s\nwant:\n%s", buf.String(), strings.Join(want, "\n"))
	}
	buf.Reset()
	printServerScores(&buf, api.MeResponse{Latest: []api.Verdict{*v(4, "ds-basics", api.StatusFailed, 3)}})
	if got := buf.String(); !strings.Contains(got, "연습마다 마지막 제출") || !strings.Contains(got, "ds-basics          … 진행 중 · 3/10점  09:04:00") {
		t.Fatalf("older server:\n%s", got)
	}
	// Issue 12: a submission that waited in the outbox shows when it was
	// captured, and when it was received only beside it (more than a
	// minute apart); within a minute only the capture time.
	queued := v(7, "taints", api.StatusPassed, 10)
	queued.ClientTime = queued.ReceivedAt.Add(-36 * time.Second)
	late := v(8, "ds-basics", api.StatusPassed, 10)
	late.ClientTime = late.ReceivedAt.Add(-3 * time.Minute)
	buf.Reset()
	printServerScores(&buf, api.MeResponse{Scores: []api.ExerciseScore{{Exercise: "ds-basics", Counted: late}, {Exercise: "taints", Counted: queued}}})
	if got := buf.String(); !strings.Contains(got, "ds-basics          ✔ 통과 · 10/10점  09:05:00 (보낸 시각 09:08:00)") || !strings.Contains(got, "taints             ✔ 통과 · 10/10점  09:06:24\n") {
		t.Fatalf("capture times:\n%s", got)
	}
	buf.Reset()
	printServerScores(&buf, api.MeResponse{Latest: []api.Verdict{}, Scores: []api.ExerciseScore{}})
	if got := buf.String(); got != "서버의 채점 결과: 아직 없습니다\n" {
		t.Fatalf("no submissions: %q", got)
	}
}

// recaptured writes the snapshot file src to dst as captured now (a new
// capture of the same cluster state) and returns dst.
func recaptured(t *testing.T, src, dst string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["capturedAt"] = time.Now().UTC().Format(time.RFC3339Nano)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}
