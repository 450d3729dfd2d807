package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// TestClassRemoveCLI: `dslab class remove 학번` asks first (no answer:
// nothing removed, exit 2; "n": exit 1), removes with "y" or --yes, names
// an unknown 학번 (exit 1); the removed student's `class status` gets the
// Korean explanation, exits 1 and forgets the credentials, so the next
// command says it is not in a class.
func TestClassRemoveCLI(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "빼기 수업", nil)
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "시험용", "--student-id", "test-01"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	inst := []string{"--server", s.hs.URL, "--token-file", s.tokenFile}
	remove := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		env := Env{Streams: Streams{In: strings.NewReader(stdin), Out: &out, Err: &errb}, Paths: paths.Under(filepath.Join(dir, "teacher")), Getenv: unwrapped}
		code := Run(context.Background(), env, append(append([]string{"class", "remove"}, args...), inst...))
		return code, out.String(), errb.String()
	}
	listed := func() int {
		t.Helper()
		all, err := s.st.Students(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	if code, _, errs := remove("", "test-01"); code != ExitUsage || !strings.Contains(errs, "--yes") || listed() != 1 {
		t.Fatalf("no answer: %d %s (students %d)", code, errs, listed())
	}
	if code, _, errs := remove("n\n", "test-01"); code != ExitFailure || !strings.Contains(errs, "빼지 않았습니다") || listed() != 1 {
		t.Fatalf("answer n: %d %s", code, errs)
	}
	if code, _, errs := remove("", "nobody", "--yes"); code != ExitFailure || !strings.Contains(errs, "nobody") {
		t.Fatalf("unknown student: %d %s", code, errs)
	}
	code, out, errs := remove("y\n", "test-01")
	if code != 0 || !strings.Contains(out, "학번 test-01 학생을 수업 명단에서 뺐습니다") || !strings.Contains(errs, "뺄까요?") || listed() != 0 {
		t.Fatalf("remove: %d %s %s", code, out, errs)
	}

	code, out, errs = runClassCLI(t, student, "class", "status")
	if code != ExitFailure || !strings.Contains(out+errs, "수업 명단에서 뺐습니다") {
		t.Fatalf("status of the removed student: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(client.CredentialsFile(student.ConfigDir)); !os.IsNotExist(err) {
		t.Fatalf("credentials kept after the removal: %v", err)
	}
	if code, _, errs := runClassCLI(t, student, "class", "submit"); code != ExitUsage || !strings.Contains(errs, "참가하지 않았습니다") {
		t.Fatalf("submit after the removal: %d %s", code, errs)
	}
}

// TestTUIPollStopsWhenRemoved: the TUI's command poll of a removed
// student shows the server's Korean explanation once in the status area,
// forgets the credentials and asks the server no more.
func TestTUIPollStopsWhenRemoved(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "빼기 수업", nil)
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "시험용", "--student-id", "test-02"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	store, _, err := progress.Open(student.ProgressFile())
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, Paths: student, Getenv: unwrapped}
	poll := tuiClassPoll(env, cat, store, nil, time.Second)
	if poll == nil {
		t.Fatal("no class poll for a joined student")
	}
	if code, out, errs := runClassCLI(t, paths.Under(filepath.Join(dir, "teacher")), "class", "remove", "test-02", "--yes", "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
		t.Fatalf("remove: %d %s %s", code, out, errs)
	}
	var notes []string
	notify := func(n string) { notes = append(notes, n) }
	if err := poll.Poll(context.Background(), nil, notify); err != nil {
		t.Fatalf("poll after the removal: %v", err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "수업 명단에서 뺐습니다") || strings.Contains(notes[0], "강사 동작을 받지 못했습니다") {
		t.Fatalf("status area notes: %q", notes)
	}
	if _, err := os.Stat(client.CredentialsFile(student.ConfigDir)); !os.IsNotExist(err) {
		t.Fatalf("credentials kept: %v", err)
	}
	// A poll that asked the server again would get 410 and say it again.
	if err := poll.Poll(context.Background(), nil, notify); err != nil || len(notes) != 1 {
		t.Fatalf("second poll: %v, notes %q", err, notes)
	}
}
