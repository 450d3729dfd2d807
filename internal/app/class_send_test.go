package app

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassSendUsageAndState is the final instructor trial (issue 12):
// `send broadcast` without --message went to the server and exited 1
// (HTTP 400), and `send freeze` was accepted twice. A KIND without a flag
// it needs, or an unknown KIND, is a usage error (exit 2) checked before
// any server is asked (here: a server address nothing listens on, which
// would be exit 3); a freeze while frozen and an unfreeze while not
// frozen are refused (exit 1) with the server's Korean note first.
func TestClassSendUsageAndState(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "보내기 수업", nil)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	run := func(server string, args ...string) (int, string) {
		t.Helper()
		code, out, errs := runClassCLI(t, teacher, append(append([]string{"class", "send"}, args...), "--server", server, "--token-file", s.tokenFile)...)
		return code, out + errs
	}
	for _, args := range [][]string{
		{"broadcast"},
		{"broadcast", "--message", "  "},
		{"unlock-hint"},
		{"reset-exercise", "--exercise", "ds-basics"},
		{"freeze", "--student", "2026001"},
		{"frezee"},
	} {
		if code, out := run("http://127.0.0.1:1", args...); code != ExitUsage || strings.Contains(out, "연결할 수 없습니다") {
			t.Errorf("send %v: exit %d, want %d (usage, no server asked)\n%s", args, code, ExitUsage, out)
		}
	}
	if code, out := run(s.hs.URL, "broadcast"); code != ExitUsage || !strings.Contains(out, "--message") {
		t.Errorf("broadcast without --message: exit %d\n%s", code, out)
	}
	for i, c := range []struct {
		kind string
		code int
		want string
	}{
		{"unfreeze", ExitFailure, "제출 마감 중이 아닙니다"},
		{"freeze", ExitOK, "보냈습니다"},
		{"freeze", ExitFailure, "이미 제출 마감 중입니다"},
		{"unfreeze", ExitOK, "보냈습니다"},
	} {
		code, out := run(s.hs.URL, c.kind)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("step %d send %s: exit %d, want %d and %q\n%s", i, c.kind, code, c.code, c.want, out)
		}
		if c.code != ExitOK && strings.HasPrefix(strings.TrimPrefix(out, "오류: "), "수업 서버가 거절했습니다 (HTTP") {
			t.Errorf("step %d: the HTTP answer comes before the Korean note:\n%s", i, out)
		}
	}
}

// TestClassSendRefusesFlagsAndListsKinds (issue 12, instructor trial on
// 63d375f): `send broadcast --message … --exercise taints` was accepted
// (the exercise silently dropped) and `send` without a kind answered with
// cobra's English "accepts 1 arg(s), received 0". A flag the kind does not
// take is a Korean usage error (exit 2) before any server is asked, and no
// kind lists the kinds as an unknown kind does.
func TestClassSendRefusesFlagsAndListsKinds(t *testing.T) {
	teacher := paths.Under(t.TempDir())
	tokenFile := filepath.Join(t.TempDir(), "instructor-token")
	if err := os.WriteFile(tokenFile, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string) {
		t.Helper()
		code, out, errs := runClassCLI(t, teacher, append(append([]string{"class", "send"}, args...), "--server", "http://127.0.0.1:1", "--token-file", tokenFile)...)
		return code, out + errs
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"broadcast", "--message", "10분 뒤 쉽니다", "--exercise", "taints"}, "broadcast 동작은 --exercise 옵션을 받지 않습니다"},
		{[]string{"unlock-hint", "--exercise", "taints", "--message", "힌트"}, "unlock-hint 동작은 --message 옵션을 받지 않습니다"},
		{[]string{"freeze", "--message", "끝"}, "freeze 동작은 수업 전체에 적용되고 옵션을 받지 않습니다: --message 없이"},
		{[]string{"regrade", "--exercise", "taints", "--student", "2026001"}, "--exercise, --student 없이"},
	} {
		if code, out := run(c.args...); code != ExitUsage || !strings.Contains(out, c.want) || strings.Contains(out, "연결할 수 없습니다") {
			t.Errorf("send %v: exit %d, want %d and %q\n%s", c.args, code, ExitUsage, c.want, out)
		}
	}
	_, unknown := run("bogus")
	code, none := run()
	if code != ExitUsage || strings.Contains(none, "arg(s)") || !strings.Contains(none, "보낼 동작을 하나 주세요") {
		t.Errorf("send without a kind: exit %d\n%s", code, none)
	}
	for _, kind := range []string{"broadcast", "unlock-hint", "reset-exercise", "freeze", "unfreeze", "regrade", "close-join", "open-join", "dslab class remove"} {
		if !strings.Contains(none, kind) || !strings.Contains(unknown, kind) {
			t.Errorf("the kind %s is not listed:\nno kind: %s\nbogus: %s", kind, none, unknown)
		}
	}
	// The flags a kind takes still pass the local check (the unreachable
	// server answers: exit 3).
	if code, out := run("broadcast", "--message", "공지", "--student", "2026001"); code != ExitUnreachable {
		t.Errorf("broadcast to one student: exit %d\n%s", code, out)
	}
}

// TestClassSendServerStopped is the instructor trial on f9ad301 (issue
// 12): `class send broadcast …` with the server stopped failed (exit 3,
// "연결할 수 없습니다 … server-addr 파일에서 읽은 주소") though its help
// says it writes --data/--db directly then. Without --data (the default
// data folder) and with it, the command is stored in the class database,
// said so, and a student gets it from the server started again on it; a
// command the server would refuse (a freeze while frozen) is refused the
// same way offline.
func TestClassSendServerStopped(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	data := classDataDir(Env{Paths: teacher})
	s := serveTestClass(t, data, "꺼진 수업", nil)
	student := s.join(t, "홍길동", "2026001")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	if err := writeServerAddr(data, dead); err != nil { // serve recorded it, then stopped
		t.Fatal(err)
	}
	for i, args := range [][]string{
		{"class", "send", "broadcast", "--message", "10분 뒤 쉽니다"},
		{"class", "send", "freeze", "--data", data},
	} {
		code, out, errs := runClassCLI(t, teacher, args...)
		if code != ExitOK || !strings.Contains(out, "보냈습니다") || !strings.Contains(out, "서버가 꺼져 있어 데이터 폴더 "+data) || strings.Contains(out+errs, "연결할 수 없습니다") {
			t.Fatalf("step %d %v: exit %d\n%s%s", i, args, code, out, errs)
		}
	}
	if code, out, errs := runClassCLI(t, teacher, "class", "send", "freeze"); code != ExitFailure || !strings.Contains(errs, "이미 제출 마감 중입니다") {
		t.Errorf("a second freeze offline: exit %d\n%s%s", code, out, errs)
	}
	// The server back on the same database: the student gets both.
	cmds, err := student.Commands(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range cmds {
		kinds = append(kinds, c.Kind+":"+c.Message)
	}
	if got := strings.Join(kinds, " "); got != "broadcast:10분 뒤 쉽니다 freeze:" {
		t.Errorf("the student's commands after the restart: %q", got)
	}
}

// TestClassFreezeStateKeptForTheLab: the freeze a CLI class command
// applied is kept on the student's computer (classFrozen), so the lab's
// pass line can say 마감 후 (the instructor trial on f9ad301); the
// unfreeze clears it.
func TestClassFreezeStateKeptForTheLab(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "마감 수업", nil)
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "홍길동", "--id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	env := Env{Paths: student}
	for _, c := range []struct {
		kind   string
		frozen bool
	}{{"freeze", true}, {"unfreeze", false}} {
		if code, out, errs := runClassCLI(t, teacher, "class", "send", c.kind, "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
			t.Fatalf("send %s: %d %s %s", c.kind, code, out, errs)
		}
		if code, out, errs := runClassCLI(t, student, "class", "status"); code != 0 {
			t.Fatalf("status: %d %s %s", code, out, errs)
		}
		if got := classFrozen(env); got != c.frozen {
			t.Errorf("after %s: frozen %v", c.kind, got)
		}
	}
	// Left while frozen: the next class is not frozen by it.
	setClassFrozen(env, true)
	if code, out, errs := runClassCLI(t, student, "class", "leave"); code != 0 || classFrozen(env) {
		t.Errorf("leave: %d frozen %v %s %s", code, classFrozen(env), out, errs)
	}
}
