package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/paths"
)

// The student side of the classroom as the instructor trial on d334985
// saw it (issue 12, class19): each test runs the real CLI against a real
// class server on loopback, or the text functions at 80 columns.

// stopTestServer stops s's server (an outage) and returns its address.
func stopTestServer(s *classTestServer) string {
	addr := s.hs.Listener.Addr().String()
	s.srv.Close()
	s.hs.Close()
	return addr
}

// resumeTestServer serves s's store again on addr with cfg (Store, Catalog
// and GraderVersion set here), as `dslab class serve` run again does.
func resumeTestServer(t *testing.T, s *classTestServer, addr string, cfg server.Config) {
	t.Helper()
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Catalog, cfg.GraderVersion = s.st, cat, graderVersion()
	srv, err := server.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	for i := 0; ; i++ { // the old port is free at once on Linux; a moment elsewhere
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
	t.Cleanup(func() { srv.Close(); hs.Close() })
	s.srv, s.hs = srv, hs
}

// joinStudent joins a student under dir/name with 학번 id through the CLI.
func joinStudent(t *testing.T, s *classTestServer, dir, name, id string) paths.Paths {
	t.Helper()
	p := paths.Under(filepath.Join(dir, name))
	if code, out, errs := runClassCLI(t, p, "class", "join", s.hs.URL, "--code", s.code, "--name", name, "--id", id); code != 0 {
		t.Fatalf("join %s: %d %s %s", name, code, out, errs)
	}
	return p
}

func testSnapshot(ex, name string) string {
	return filepath.Join("..", "..", "grader", "testdata", "exercises", ex, name+".json")
}

// TestClassSubmitAfterOutagePrintsEachExerciseOnce (item 2): a submit
// made while the server was down waits in the outbox; the first submit
// with the server back sends it and the new capture, and printed both as
// two results of ds-basics. It prints one line per exercise, the newest
// verdict, counting the earlier one sent with it; the same capture again
// is one result (the outbox keeps one, the server answers unchanged).
func TestClassSubmitAfterOutagePrintsEachExerciseOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "정전 수업", nil)
	student := joinStudent(t, s, dir, "김철수", "2026001")

	addr := stopTestServer(s)
	// The network error in the one Korean rendering (issue 12: `(Post
	// "http://…": dial tcp …: connection refused)`).
	if code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", testSnapshot("ds-basics", "image-typo")); code != ExitFailure || !strings.Contains(out, "편지함(outbox)에 남았습니다") ||
		!strings.Contains(out, "서버에 연결할 수 없습니다 ("+addr) || strings.Contains(out, "dial tcp") || strings.Contains(out, "Post ") {
		t.Fatalf("offline submit: %d %s %s", code, out, errs)
	}
	resumeTestServer(t, s, addr, server.Config{})
	code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", testSnapshot("ds-basics", "solution"))
	if code != 0 || strings.Count(out, "ds-basics:") != 1 || !strings.Contains(out, "ds-basics: ✔ 통과") || !strings.Contains(out, "편지함에 있던 이전 제출 1개도 보냈습니다") {
		t.Fatalf("first submit after the outage: exit %d\n%s%s", code, out, errs)
	}
	// Both states are the student's: the board's timeline keeps them.
	if subs, err := s.st.Submissions(ctx, 0, false); err != nil || len(subs) != 2 {
		t.Fatalf("stored %d submissions (%v), want the queued one and the new one", len(subs), err)
	}

	// The same capture made offline and again online: one result.
	addr = stopTestServer(s)
	runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", testSnapshot("ds-basics", "solution"))
	resumeTestServer(t, s, addr, server.Config{})
	code, out, errs = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", testSnapshot("ds-basics", "solution"))
	if code != 0 || strings.Count(out, "ds-basics:") != 1 || strings.Contains(out, "이전 제출") {
		t.Fatalf("the same capture twice: exit %d\n%s%s", code, out, errs)
	}
	if subs, _ := s.st.Submissions(ctx, 0, false); len(subs) != 2 {
		t.Fatalf("the same capture was stored again: %d submissions", len(subs))
	}
}

// TestAckLinesOnePerExercise (item 2): answers that are one stored
// submission (a new one, then the server's unchanged of it) are one result
// without the "same as before" note; another exercise has its own line.
func TestAckLinesOnePerExercise(t *testing.T) {
	acked := []api.SubmitResponse{
		{ID: 7, Exercise: "ds-basics", Status: api.StatusPassed, Score: 10, MaxScore: 10},
		{ID: 8, Exercise: "taints", Status: api.StatusFailed, Score: 3, MaxScore: 10},
		{ID: 7, Exercise: "ds-basics", Status: api.StatusPassed, Score: 10, MaxScore: 10, Unchanged: true},
	}
	got := ackLines(acked, ": ")
	// The words of dslab grade (grader.ScoreBadge; issue 12: the submit
	// line said "✘ 실패 3/10" where dslab grade said "진행 중 · 3/10점").
	want := []string{"ds-basics: ✔ 통과 · 10/10점 (서버 채점)", "taints: … 진행 중 · 3/10점 (서버 채점)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ackLines:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Alone, an unchanged answer says so.
	if got := ackLines(acked[2:], ": "); len(got) != 1 || !strings.Contains(got[0], "새 시도로 세지 않았습니다") {
		t.Fatalf("unchanged alone: %q", got)
	}
}

// A late submission's line says it does not count, as class status does
// (issue 12: "— 표시: 마감 후 제출" alone).
func TestAckLineLateDoesNotCount(t *testing.T) {
	got := ackLines([]api.SubmitResponse{{ID: 9, Exercise: "taints", Status: api.StatusPassed, Score: 10, MaxScore: 10, Flags: []string{server.FlagLate}}}, ": ")
	if len(got) != 1 || !strings.Contains(got[0], "— 표시: 마감 후 제출 — 점수에 들어가지 않음") {
		t.Fatalf("late ack line: %q", got)
	}
}

// TestDroppedNoteSummarises (item 3): the note on queued work of
// exercises taken out of the class counts them and names the first few
// (it listed every id: five lines at 80 columns), and so for the class's
// list; with a usual outbox path it takes at most four rows at 80.
func TestDroppedNoteSummarises(t *testing.T) {
	res := client.DrainResult{Exercises: []string{"ds-basics", "gpu-only", "taints", "ssd-only", "control-plane"}}
	for _, id := range []string{"rolling-update", "ondelete", "node-affinity", "quota-limits", "new-node", "noexecute-churn"} {
		res.Dropped = append(res.Dropped, client.Item{SubmitRequest: api.SubmitRequest{Exercise: id}})
	}
	note := droppedNote("/home/student/.local/share/dslab/class/outbox", res)
	for _, want := range []string{"편지함의 제출 6개(rolling-update, ondelete, node-affinity 등)", "이 수업의 연습 5개: ds-basics, gpu-only, taints 등"} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q:\n%s", want, note)
		}
	}
	if strings.Contains(note, "quota-limits") || strings.Contains(note, "ssd-only") {
		t.Errorf("note lists every id:\n%s", note)
	}
	var b bytes.Buffer
	textOut{w: &b, width: 80}.Println(note)
	if rows := strings.Count(b.String(), "\n"); rows > 4 {
		t.Errorf("note takes %d rows at 80 columns:\n%s", rows, b.String())
	}
}

// TestClassJoinAgainWithoutIDIsAlreadyJoined (item 4): the install line
// run again without its 학번 (or `class join` without --id) on a computer
// joined with a 학번 was told it was in another class and to leave it. It
// is the same join: already joined, and what to run next.
func TestClassJoinAgainWithoutIDIsAlreadyJoined(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "다시 실행 수업", nil)
	student := joinStudent(t, s, dir, "김철수", "2026001")
	code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수")
	if code != 0 || !strings.Contains(out, "이미 수업 \"다시 실행 수업\" 에 김철수 (학번 2026001) 로 참가해 있습니다") ||
		!strings.Contains(out, "다시 참가할 필요가 없습니다") || !strings.Contains(out, "dslab class status") || strings.Contains(out+errs, "다른 수업") {
		t.Fatalf("join again without --id: %d\n%s%s", code, out, errs)
	}
	if creds, _ := client.LoadCredentials(student.ConfigDir); creds == nil || creds.RosterID != "2026001" {
		t.Fatalf("credentials changed: %+v", creds)
	}
	// Another 학번 on this computer: this class is named, not "another".
	code, out, errs = runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "박영희", "--id", "2026002")
	if code != ExitUsage || !strings.Contains(errs, "이 컴퓨터는 이미 이 수업에 학번 2026001 로 참가해 있습니다") || strings.Contains(errs, "다른 수업") {
		t.Fatalf("join with another 학번: %d\n%s%s", code, out, errs)
	}
}

// TestReplacedStatusShowsCurrentTitle (item 5): the class was renamed
// and the student moved to another computer; the old computer's `class
// status` (its token refused) showed the title saved at its join. The
// server's 401 carries the current title (api.Error.Class).
func TestReplacedStatusShowsCurrentTitle(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "옛 수업 이름", nil)
	old := joinStudent(t, s, dir, "이민호", "2026007")
	addr := stopTestServer(s)
	class, err := s.st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	title := "새 수업 이름"
	if _, _, err := server.ChangeClass(ctx, s.st, class, &title, nil); err != nil {
		t.Fatal(err)
	}
	resumeTestServer(t, s, addr, server.Config{AllowRejoin: true})
	joinStudent(t, s, filepath.Join(dir, "new"), "이민호", "2026007")

	code, out, errs := runClassCLI(t, old, "class", "status")
	if code != ExitFailure || !strings.HasPrefix(out, "수업: 새 수업 이름 (참가할 때 이름: 옛 수업 이름)") {
		t.Fatalf("status of the replaced computer: %d\n%s%s", code, out, errs)
	}
	_, out, _ = runClassCLI(t, old, "class", "status", "-o", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["class"] != title {
		t.Fatalf("status -o json: class %v (%v)\n%s", v["class"], err, out)
	}
}

// TestClassJoinErrorsHaveTechnicalPart (item 6): a wrong join code said
// only the Korean sentence. The server's Korean comes first, the HTTP
// answer after in parentheses; an address that is no class server says so
// with that server's own words.
func TestClassJoinErrorsHaveTechnicalPart(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "코드 수업", nil)
	wrong := "000000"
	if s.code == wrong {
		wrong = "111111"
	}
	student := paths.Under(filepath.Join(dir, "student"))
	code, _, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", wrong, "--name", "김철수", "--id", "2026001")
	ko, tech := strings.Index(errs, "참가 코드가 맞지 않습니다"), strings.Index(errs, "(HTTP 403 wrong-code)")
	if code != ExitFailure || ko < 0 || tech < ko {
		t.Fatalf("wrong code: %d %s", code, errs)
	}
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	code, _, errs = runClassCLI(t, student, "class", "join", other.URL, "--code", s.code, "--name", "김철수", "--id", "2026001")
	if code != ExitFailure || !strings.Contains(errs, "dslab 수업 서버의 답이 아닙니다") || !strings.Contains(errs, "(HTTP 404: 404 page not found)") {
		t.Fatalf("not a class server: %d %s", code, errs)
	}
}

// TestClassStatusKeepsRejectedApart (item 7): items the server refused
// stay in outbox/rejected/ as a record; status printed them on the outbox
// line beside the pending ones ("거절됨 1개"), where they read as still
// waiting. Pending counts only what will be sent; the refused ones are
// said on their own line.
func TestClassStatusKeepsRejectedApart(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "거절 수업", nil)
	student := joinStudent(t, s, dir, "김철수", "2026001")
	creds, err := client.LoadCredentials(student.ConfigDir)
	if err != nil || creds == nil {
		t.Fatal(creds, err)
	}
	box := client.New(*creds, student.DataDir).Outbox
	if _, err := box.Enqueue("ds-basics", []byte(`{"version": "bogus"}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runClassCLI(t, student, "class", "submit"); code != ExitUsage {
		t.Fatalf("submit of a broken snapshot: %d %s %s", code, out, errs)
	}
	code, out, errs := runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "편지함(outbox): 보낼 제출 0개, 방금 보냄 0개\n") ||
		!strings.Contains(out, "서버가 거절한 제출 1개는 보낼 제출이 아닙니다") || strings.Contains(out, "거절됨") {
		t.Fatalf("status with an old refusal: %d\n%s%s", code, out, errs)
	}
	_, out, _ = runClassCLI(t, student, "class", "status", "-o", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["pending"] != 0.0 || v["rejected"] != 1.0 {
		t.Fatalf("status -o json: pending %v rejected %v (%v)", v["pending"], v["rejected"], err)
	}
}

// placeholderParticle is a placeholder of a printed command (학번, 이름,
// 참가코드, 주소:포트) followed by a spaced particle: "--id 학번 으로"
// reads as if 으로 were typed too, and a placeholder has no sound to
// choose the particle by (item 8).
var placeholderParticle = regexp.MustCompile(`(학번|이름|참가코드|주소:포트) (으로|로|을|를|이|가|은|는|입니다)[ .,)]`)

// TestNoParticleAfterPlaceholder (item 8): what `class join` without a
// 학번 and `class --help` print puts no particle after a placeholder.
func TestNoParticleAfterPlaceholder(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "자리표시 수업", nil)
	student := paths.Under(filepath.Join(dir, "student"))
	code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수")
	if code != 0 || !strings.Contains(out, "--id 옵션에 넣어") {
		t.Fatalf("join without a 학번: %d %s %s", code, out, errs)
	}
	_, help, _ := runClassCLI(t, student, "class", "--help")
	for what, text := range map[string]string{"join": out, "class --help": help} {
		if m := placeholderParticle.FindString(text); m != "" {
			t.Errorf("%s: a particle after a placeholder %q:\n%s", what, m, text)
		}
	}
}

// TestClassStatusCountsEveryEarlierCommand (item 10): a broadcast and a
// hint unlock sent before the student joined; the first poll (here as the
// TUI's, which prints nothing) applies the hint silently. `class status`
// then counted nothing from before the join. Its list counts every kind
// from before the join on one line, at every status.
func TestClassStatusCountsEveryEarlierCommand(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "참가 전 수업", nil)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	for _, args := range [][]string{{"broadcast", "--message", "어제의 공지"}, {"unlock-hint", "--exercise", "ds-basics"}} {
		if code, out, errs := runClassCLI(t, teacher, append(append([]string{"class", "send"}, args...), "--server", s.hs.URL, "--token-file", s.tokenFile)...); code != 0 {
			t.Fatalf("send %v: %d %s %s", args, code, out, errs)
		}
	}
	student := joinStudent(t, s, dir, "늦게", "2026050")
	var errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: io.Discard, Err: &errb}, Paths: student, Getenv: unwrapped}
	applyClassCommands(context.Background(), env, io.Discard)
	for i := 0; i < 2; i++ {
		code, out, errs := runClassCLI(t, student, "class", "status")
		if code != 0 || strings.Count(out, "참가하기 전에 온 강사 동작 2개는") != 1 ||
			!strings.Contains(out, "공지 1개 (가장 최근") || !strings.Contains(out, "힌트 열기 1개 (ds-basics: 힌트는 열어 두었습니다)") ||
			strings.Contains(out, "공지: 어제의 공지") {
			t.Fatalf("status %d: %d\n%s%s", i+1, code, out, errs)
		}
	}
}

// pastedJoinCommand is the join command text gives on lines of its own
// ("  dslab class join …", continued by lines after a " \\"), as pasted
// into a shell: the lines joined without their continuations; "" when
// there is none. last reports that nothing follows it.
func pastedJoinCommand(text string) (cmd string, last bool) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "  dslab class join ") {
			continue
		}
		for j := i; j < len(lines); j++ {
			part, more := strings.CutSuffix(strings.TrimSpace(lines[j]), " \\")
			cmd += " " + part
			if !more {
				return strings.TrimSpace(cmd), j == len(lines)-1
			}
		}
	}
	return "", false
}

// TestPrintedJoinCommandStandsAlone (item 11): a join command printed
// for a LAN address inside a sentence, its particle after it, was about
// 90 cells and wrapped at 80. Every student-side text that gives one (a
// refused token's advice, a removal, a never-joined computer) ends with it
// alone on its own lines: at 80 columns no line is wider, and the lines
// pasted together (the shell's " \" continuation when it needs two) are
// the command, one word per argument.
func TestPrintedJoinCommandStandsAlone(t *testing.T) {
	for _, name := range []string{"김철수", "남궁알렉산드라크리스티나 바실리예브나"} {
		creds := &client.Credentials{Server: "http://192.168.100.123:7071", Name: name, RosterID: "2026001"}
		want := []string{"dslab", "class", "join", "192.168.100.123:7071", "--code", "참가코드", "--name", name, "--id", "2026001"}
		texts := map[string]string{
			"removed": "오류: " + removalError(&client.Removal{Server: creds.Server, Name: creds.Name, RosterID: creds.RosterID, At: time.Now()}).Error(),
		}
		for _, rejoin := range []string{api.RejoinOpen, api.RejoinApproval, ""} {
			err := &client.APIError{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "학생 토큰이 올바르지 않습니다", Rejoin: rejoin}
			texts["replaced "+rejoin] = "연결: 실패 — " + replacedMessage(creds, err, "제출 1개는 편지함에 남아 있습니다")
		}
		for what, text := range texts {
			var b bytes.Buffer
			textOut{w: &b, width: 80}.Println(text)
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > 80 {
					t.Errorf("%s: a line of %d cells: %q", what, w, l)
				}
			}
			cmd, last := pastedJoinCommand(b.String())
			if cmd == "" || !last {
				t.Fatalf("%s: the join command does not end the text on lines of its own:\n%s", what, b.String())
			}
			if got := shellWords(t, cmd); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("%s: pasted, the command is %q, want %q:\n%s", what, got, want, b.String())
			}
		}
	}
	_, _, errs := runClassCLI(t, paths.Under(t.TempDir()), "class", "status")
	if !strings.HasSuffix(errs, "\n  "+notJoinedCommand+"\n") {
		t.Errorf("never joined: %q", errs)
	}
}

// TestGradeOnReplacedComputerGivesRejoinAdvice (item 9): `dslab grade`'s
// class line on a computer whose place was taken said the submission would
// be sent "later" — it never is until the computer joins again. It gives
// the refused token's advice, as the server's rejoin setting says.
func TestGradeOnReplacedComputerGivesRejoinAdvice(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClassWith(t, filepath.Join(dir, "serverdata"), "채점 수업", nil, server.Config{AllowRejoin: true})
	old := joinStudent(t, s, dir, "김철수", "2026001")
	joinStudent(t, s, filepath.Join(dir, "new"), "김철수", "2026001")
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := readSnapshot(testSnapshot("ds-basics", "solution"))
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: io.Discard, Err: &errb}, Paths: old, Getenv: unwrapped}
	submitGrades(context.Background(), env, "text", []exercises.Exercise{ex}, []grader.Snapshot{snap}, &errb)
	text := errb.String()
	if strings.Contains(text, "나중에 다시 보냅니다") || !strings.Contains(text, "승인 없이 다시 참가할 수 있게 열려 있으니") || strings.Contains(text, "승인을 받아") {
		t.Fatalf("grade's class line on a replaced computer:\n%s", text)
	}
	if cmd, last := pastedJoinCommand(text); cmd == "" || !last {
		t.Fatalf("no join command on its own lines:\n%s", text)
	}
}
