package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	if code != ExitUsage || !strings.Contains(errs, "taints는 이 수업") || !strings.Contains(errs, "이 수업의 연습은 ds-basics 입니다") {
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
