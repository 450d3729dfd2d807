package app

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassSubmitOnlyClassExercises: a class of one exercise (serve
// --exercises ds-basics): join stores the class's exercises, an explicit id
// outside the class is refused before anything is captured or queued, and
// --all submits only the class's exercise (issue 12: --all sent the whole
// catalog and the server refused 13 of 16).
func TestClassSubmitOnlyClassExercises(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "한 연습 수업", []string{"ds-basics"})
	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--student-id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	creds, err := client.LoadCredentials(student.ConfigDir)
	if err != nil || creds == nil || !slices.Equal(creds.Exercises, []string{"ds-basics"}) {
		t.Fatalf("credentials after join: %+v %v", creds, err)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	code, out, errs := runClassCLI(t, student, "class", "submit", "taints", "--snapshot", snap)
	if code != ExitUsage || !strings.Contains(errs, "taints 는 이 수업") || !strings.Contains(errs, "이 수업의 연습은 ds-basics 입니다") {
		t.Fatalf("submit of an exercise outside the class: %d %s %s", code, out, errs)
	}
	c := client.New(*creds, student.DataDir)
	if p, _ := c.Outbox.Pending(); len(p) != 0 {
		t.Fatalf("a refused id was queued: %v", p)
	}
	// --all with one snapshot works because the class has one exercise.
	code, out, errs = runClassCLI(t, student, "class", "submit", "--all", "--snapshot", snap)
	if code != 0 || !strings.Contains(out, "ds-basics: ✔ 통과") || strings.Contains(out, "거절") {
		t.Fatalf("submit --all: %d %s %s", code, out, errs)
	}
	// With the server gone the stored list still refuses.
	s.hs.Close()
	if code, _, errs := runClassCLI(t, student, "class", "submit", "on-delete", "--snapshot", snap); code != ExitUsage || !strings.Contains(errs, "ds-basics") {
		t.Fatalf("offline submit outside the class: %d %s", code, errs)
	}
}

// TestClassOldMachineAfterRejoin (issue 12): after the student rejoined
// from another computer, the old machine's status and submit say in Korean
// that its place was taken, and `class join` there asks the server and
// joins again instead of saying it is already joined.
func TestClassOldMachineAfterRejoin(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "다시 참가 수업", nil)
	old := paths.Under(filepath.Join(dir, "old"))
	join := []string{"class", "join", s.hs.URL, "--code", s.code, "--name", "이영희", "--student-id", "2026003"}
	if code, out, errs := runClassCLI(t, old, join...); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	if code, out, _ := runClassCLI(t, old, join...); code != 0 || !strings.Contains(out, "이영희 (학번 2026003) 로 참가해 있습니다") {
		t.Fatalf("second join while the token is good: %d %s", code, out)
	}
	approve := func() {
		t.Helper()
		var r map[string]any
		inst := instructorFlags{server: s.hs.URL, tokenFile: s.tokenFile}
		if err := inst.call(context.Background(), "POST", api.PathApprove, api.ApproveRequest{RosterID: "2026003"}, &r); err != nil {
			t.Fatal(err)
		}
	}
	approve()
	if _, err := client.Join(context.Background(), s.hs.Client(), s.hs.URL, api.JoinRequest{Code: s.code, Name: "이영희", StudentID: "2026003", MachineID: "machine-new-computer"}); err != nil {
		t.Fatal(err)
	}
	const why = "학번 2026003 으로 강사의 승인을 받아 다른 컴퓨터에서 다시 참가했습니다"
	if _, out, _ := runClassCLI(t, old, "class", "status"); !strings.Contains(out, why) {
		t.Fatalf("status on the old machine: %s", out)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	if code, out, errs := runClassCLI(t, old, "class", "submit", "ds-basics", "--snapshot", snap); code != ExitFailure || !strings.Contains(errs, why) || !strings.Contains(errs, "편지함에 남아") {
		t.Fatalf("submit on the old machine: %d %s %s", code, out, errs)
	}
	// join asks the server: the place was taken, so it joins again (and
	// the server wants the instructor's approval for this machine now).
	code, out, errs := runClassCLI(t, old, join...)
	if strings.Contains(out, "이미") || !strings.Contains(out, "다시 참가합니다") || code != ExitFailure || !strings.Contains(errs, "approve") {
		t.Fatalf("join on the old machine before approval: %d %s %s", code, out, errs)
	}
	approve()
	if code, out, errs := runClassCLI(t, old, join...); code != 0 || !strings.Contains(out, "참가했습니다") {
		t.Fatalf("join on the old machine after approval: %d %s %s", code, out, errs)
	}
	if code, out, _ := runClassCLI(t, old, "class", "status"); code != 0 || !strings.Contains(out, "연결: 정상") {
		t.Fatalf("status after joining again: %d %s", code, out)
	}
}

// TestClassJoinAgainParticle (issue 12): the particle after "이름 (학번 …)"
// follows the name, the word before the parenthesis (a reader skips the
// parenthesis): 김민수 takes 로, 김민준 takes 으로, whatever the 학번.
func TestClassJoinAgainParticle(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "조사 수업", nil)
	names := map[string]string{"2026003": "김민수", "2026001": "김민준"}
	for id, want := range map[string]string{"2026003": "김민수 (학번 2026003) 로 참가해", "2026001": "김민준 (학번 2026001) 으로 참가해"} {
		p := paths.Under(filepath.Join(dir, id))
		join := []string{"class", "join", s.hs.URL, "--code", s.code, "--name", names[id], "--student-id", id}
		if code, out, errs := runClassCLI(t, p, join...); code != 0 {
			t.Fatalf("join %s: %d %s %s", id, code, out, errs)
		}
		if code, out, _ := runClassCLI(t, p, join...); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("second join of %s: %d %s (want %q)", id, code, out, want)
		}
	}
}

// TestGradeSubmitsOnlyClassExercises: `dslab grade` of a joined student
// sends only the class's exercises (issue 12: grade --all sent the whole
// catalog, and the server refused the rest into rejected/).
func TestGradeSubmitsOnlyClassExercises(t *testing.T) {
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "한 연습 수업", []string{"ds-basics"})
	p := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, p, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--student-id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var exs []exercises.Exercise
	var snaps []grader.Snapshot
	for _, id := range []string{"ds-basics", "taints"} {
		ex, err := findExercise(cat, id)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := readSnapshot(filepath.Join("..", "..", "grader", "testdata", "exercises", id, "solution.json"))
		if err != nil {
			t.Fatal(err)
		}
		exs, snaps = append(exs, ex), append(snaps, snap)
	}
	var errb strings.Builder
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &errb, Err: &errb}, Paths: p, Getenv: unwrapped}
	submitGrades(context.Background(), env, "text", exs, snaps, &errb)
	subs, err := s.st.Submissions(context.Background(), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Exercise != "ds-basics" {
		t.Fatalf("stored submissions %+v; output %s", subs, errb.String())
	}
	creds, _ := client.LoadCredentials(p.ConfigDir)
	if rej, _ := client.New(*creds, p.DataDir).Outbox.Rejected(); len(rej) != 0 {
		t.Fatalf("rejected submissions: %v", rej)
	}
}
