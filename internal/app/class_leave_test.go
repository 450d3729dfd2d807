package app

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassLeaveSaysTheCurrentTitle (issue 12): after the instructor
// renamed the class (serve restarted with another --title), `class leave`
// names the class as the server does now, not the title stored at the
// join; with the server unreachable it names the stored title and says so.
func TestClassLeaveSaysTheCurrentTitle(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "옛 이름 수업", nil)
	online, offline := paths.Under(filepath.Join(dir, "online")), paths.Under(filepath.Join(dir, "offline"))
	for i, p := range []paths.Paths{online, offline} {
		if code, out, errs := runClassCLI(t, p, "class", "join", s.hs.URL, "--code", s.code, "--name", "학생", "--student-id", []string{"2026001", "2026002"}[i]); code != 0 {
			t.Fatalf("join: %d %s %s", code, out, errs)
		}
	}
	// The instructor restarts serve with --title "새 이름 수업".
	ctx := context.Background()
	if err := s.st.UpdateClass(ctx, "새 이름 수업", nil); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.newServer(t).Handler())
	t.Cleanup(hs.Close)
	creds, err := client.LoadCredentials(online.ConfigDir)
	if err != nil || creds == nil {
		t.Fatalf("credentials: %v %v", creds, err)
	}
	creds.Server = hs.URL // the restarted server's address
	if err := client.SaveCredentials(online.ConfigDir, *creds); err != nil {
		t.Fatal(err)
	}
	s.hs.Close() // the old address answers no more: offline's server is gone

	code, out, errs := runClassCLI(t, online, "class", "leave")
	if code != 0 || !strings.Contains(out, `수업 "새 이름 수업" 에서 나왔습니다`) || strings.Contains(out, "옛 이름") || strings.Contains(out, "받지 못해") {
		t.Fatalf("leave with the server up: %d %q %q", code, out, errs)
	}
	code, out, errs = runClassCLI(t, offline, "class", "leave")
	if code != 0 || !strings.Contains(out, `수업 "옛 이름 수업" 에서 나왔습니다`) || !strings.Contains(out, "지금 이름을 받지 못해 참가할 때 저장한 이름") {
		t.Fatalf("leave with the server down: %d %q %q", code, out, errs)
	}
	for _, p := range []paths.Paths{online, offline} {
		if c, _ := client.LoadCredentials(p.ConfigDir); c != nil {
			t.Fatalf("credentials kept after leave: %+v", c)
		}
	}
}

// TestRejoinWithIDDropsTheAutoEntry is the instructor trial on f9ad301:
// the install line without a 학번 joined as auto-…; following the advice
// (leave, then join with --id) left "홍길동·287" on the board, counted in
// 전체. A join with a 학번 from the same computer now takes the automatic
// entry off the roster when it never submitted; one that submitted stays.
func TestRejoinWithIDDropsTheAutoEntry(t *testing.T) {
	ctx := context.Background()
	for _, submitted := range []bool{false, true} {
		dir := t.TempDir()
		s := serveTestClass(t, filepath.Join(dir, "serverdata"), "다시 참가 수업", nil)
		student := paths.Under(filepath.Join(dir, "student"))
		if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "홍길동"); code != 0 {
			t.Fatalf("join without 학번: %d %s %s", code, out, errs)
		}
		if submitted {
			sol := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
			if code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", sol); code != 0 {
				t.Fatalf("submit: %d %s %s", code, out, errs)
			}
		}
		if code, out, errs := runClassCLI(t, student, "class", "leave"); code != 0 {
			t.Fatalf("leave: %d %s %s", code, out, errs)
		}
		if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "홍길동", "--id", "2026007"); code != 0 {
			t.Fatalf("join with --id: %d %s %s", code, out, errs)
		}
		students, err := s.st.Students(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range students {
			ids = append(ids, x.RosterID)
		}
		want := 1
		if submitted {
			want = 2 // the entry with work stays
		}
		if len(ids) != want || !slices.Contains(ids, "2026007") {
			t.Errorf("submitted %v: roster %v, want %d entries with 2026007", submitted, ids, want)
		}
	}
}
