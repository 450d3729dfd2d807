package app

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassExportMaxScoreIsTheWholeClass: a class of three exercises; one
// student passes one, another never submits. The export (CSV, JSON report
// and JUnit) gives both the class's maximum (30), never the sum over the
// exercises they happened to submit (10 and 0); the CSV has the Korean
// headers of `dslab grade --all` with the 학번 column, and two students of
// one name are two JUnit suites.
func TestClassExportMaxScoreIsTheWholeClass(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "serverdata")
	exs := []string{"ds-basics", "taints", "gpu-only"}
	s := serveTestClass(t, data, "만점 수업", exs)
	st, hs := s.st, s.hs
	c, err := st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range [][2]string{{"2026001", "김민수"}, {"2026002", "이서연"}, {"2026003", "김민수"}} {
		sp := paths.Under(filepath.Join(dir, "s"+s[0]))
		if code, out, errs := runClassCLI(t, sp, "class", "join", hs.URL, "--code", c.JoinCode, "--name", s[1], "--student-id", s[0]); code != 0 {
			t.Fatalf("join %v: %d %s %s", s, code, out, errs)
		}
		if i == 0 {
			snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
			if code, out, errs := runClassCLI(t, sp, "class", "submit", "ds-basics", "--snapshot", snap); code != 0 {
				t.Fatalf("submit: %d %s %s", code, out, errs)
			}
		}
	}
	hs.Close()
	st.Close()

	p := paths.Under(filepath.Join(dir, "instructor"))
	code, out, errs := runClassCLI(t, p, "class", "export", "--data", data, "-o", "csv")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0][:8], ",") != "학생,학번,오류,점수,만점,통과,힌트,시도" || !slices.Contains(rows[0], "gpu-only.상태") {
		t.Fatalf("header %q", rows[0])
	}
	want := map[string][2]string{"2026001": {"10", "30"}, "2026002": {"0", "30"}, "2026003": {"0", "30"}}
	for _, r := range rows[1:] {
		if w := want[r[1]]; r[3] != w[0] || r[4] != w[1] {
			t.Errorf("row %s: score %s of %s, want %s of %s", r[1], r[3], r[4], w[0], w[1])
		}
	}
	code, out, _ = runClassCLI(t, p, "class", "export", "--data", data, "-o", "json")
	var exp api.Export
	if code != 0 || json.Unmarshal([]byte(out), &exp) != nil {
		t.Fatalf("json: %d %s", code, out)
	}
	for _, s := range exp.Report.Students {
		if s.Max != 30 {
			t.Errorf("json report %s: maxScore %d, want 30", s.Source, s.Max)
		}
	}
	code, out, _ = runClassCLI(t, p, "class", "export", "--data", data, "-o", "junit")
	if code != 0 || !strings.Contains(out, `name="김민수 (2026001).ds-basics"`) {
		t.Fatalf("junit: %d\n%s", code, out)
	}
}

// TestClassSubmitRejectedExitsTwoAndFlagsInKorean: a submission the server
// refuses (an exercise outside the class) makes `class submit` exit 2; a
// copied snapshot's flags print in Korean (api.FlagLabels), not as codes.
func TestClassSubmitRejectedExitsTwoAndFlagsInKorean(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "serverdata")
	s := serveTestClass(t, data, "거절 수업", []string{"ds-basics"})
	st, hs := s.st, s.hs
	c, err := st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	var last string
	for _, id := range []string{"2026001", "2026002"} {
		sp := paths.Under(filepath.Join(dir, "s"+id))
		if code, out, errs := runClassCLI(t, sp, "class", "join", hs.URL, "--code", c.JoinCode, "--name", "학생", "--student-id", id); code != 0 {
			t.Fatalf("join: %d %s %s", code, out, errs)
		}
		code, out, errs := runClassCLI(t, sp, "class", "submit", "ds-basics", "--snapshot", snap)
		if code != 0 {
			t.Fatalf("submit: %d %s %s", code, out, errs)
		}
		last = out
	}
	if !strings.Contains(last, "표시: ") || !strings.Contains(last, "같은 데몬셋 UID") || strings.Contains(last, "copied-") {
		t.Errorf("flags not in Korean:\n%s", last)
	}
	sp := paths.Under(filepath.Join(dir, "s2026001"))
	// A submission the server refuses (a snapshot it cannot read) exits
	// 2. (One of an exercise the instructor took out of the class is not
	// a refusal: TestClassDropsQueuedWorkOfRemovedExercise.)
	creds, err := client.LoadCredentials(sp.ConfigDir)
	if err != nil || creds == nil {
		t.Fatalf("credentials: %v", err)
	}
	raw := []byte(`{"version": "bogus"}`)
	if _, err := client.New(*creds, sp.DataDir).Outbox.Enqueue("ds-basics", raw, time.Now()); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runClassCLI(t, sp, "class", "submit")
	if code != ExitUsage || !strings.Contains(out, "거절했습니다") || !strings.Contains(errs, "거절했습니다") {
		t.Fatalf("rejected submit: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestClassWatchWithoutTTYSaysSoInKorean: with no terminal (stdin a pipe
// and no /dev/tty, as under cron or CI) `class watch` fails with a Korean
// reason and the alternatives, not bubbletea's English error.
func TestClassWatchWithoutTTYSaysSoInKorean(t *testing.T) {
	if f, err := os.Open("/dev/tty"); err == nil {
		f.Close()
		t.Skip("this process has a controlling terminal (/dev/tty opens)")
	}
	dir := t.TempDir()
	// A server that answers and takes the token: watch checks both
	// before it needs the terminal (TestInstructorExitCodes).
	srv := serveTestClass(t, filepath.Join(dir, "serverdata"), "터미널 수업", nil)
	code, _, errs := runClassCLI(t, paths.Under(dir), "class", "watch", srv.hs.URL, "--token-file", srv.tokenFile)
	if code != ExitUsage || !strings.Contains(errs, "터미널(TTY)에서만") || strings.Contains(errs, "could not open a new TTY") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestClassExportAttemptsFromSubmissions: a student who failed ds-basics
// twice and then passed has 3 attempts, the newest receive time and the
// first failure's reason in the CSV (and the JSON export's attempts); a
// student who never submitted has 0 attempts and empty cells. Issue 12:
// these columns were always 0/empty.
func TestClassExportAttemptsFromSubmissions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "serverdata")
	cs := serveTestClass(t, data, "시도 수업", []string{"ds-basics", "taints"})
	st, hs := cs.st, cs.hs
	c, err := st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snaps := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics")
	for _, id := range []string{"2026001", "2026002"} {
		sp := paths.Under(filepath.Join(dir, "s"+id))
		if code, out, errs := runClassCLI(t, sp, "class", "join", hs.URL, "--code", c.JoinCode, "--name", "학생"+id, "--student-id", id); code != 0 {
			t.Fatalf("join: %d %s %s", code, out, errs)
		}
	}
	sp := paths.Under(filepath.Join(dir, "s2026001"))
	for _, snap := range []string{"image-typo", "label-typo", "solution"} {
		if code, out, errs := runClassCLI(t, sp, "class", "submit", "ds-basics", "--snapshot", filepath.Join(snaps, snap+".json")); code != 0 && snap == "solution" {
			t.Fatalf("submit %s: %d %s %s", snap, code, out, errs)
		}
	}
	hs.Close()
	st.Close()

	p := paths.Under(filepath.Join(dir, "instructor"))
	code, out, errs := runClassCLI(t, p, "class", "export", "--data", data, "-o", "csv")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		switch r[1] {
		case "2026001":
			if r[col["시도"]] != "3" || r[col["ds-basics.시도"]] != "3" || r[col["ds-basics.상태"]] != "통과" ||
				r[col["ds-basics.첫 실패"]] == "" || r[col["ds-basics.시도 시각"]] == "" || r[col["taints.시도"]] != "0" {
				t.Errorf("failed twice then passed: %q", r)
			}
		case "2026002":
			if r[col["시도"]] != "0" || r[col["ds-basics.시도 시각"]] != "" || r[col["ds-basics.첫 실패"]] != "" {
				t.Errorf("never submitted: %q", r)
			}
		default:
			t.Errorf("unexpected row %q", r)
		}
	}
	code, out, _ = runClassCLI(t, p, "class", "export", "--data", data, "-o", "json")
	var exp api.Export
	if code != 0 || json.Unmarshal([]byte(out), &exp) != nil {
		t.Fatalf("json: %d %s", code, out)
	}
	for _, s := range exp.Students {
		switch s.RosterID {
		case "2026001":
			if len(s.Attempts) != 1 || s.Attempts[0].Exercise != "ds-basics" || s.Attempts[0].Count != 3 || s.Attempts[0].Failed != 2 || s.Attempts[0].FirstFailure == "" || s.Attempts[0].Last.IsZero() {
				t.Errorf("json attempts of 2026001: %+v", s.Attempts)
			}
		case "2026002":
			if len(s.Attempts) != 0 {
				t.Errorf("json attempts of an idle student: %+v", s.Attempts)
			}
		}
	}

	// JUnit: every student × class exercise is a testcase; the idle
	// student's and the unsubmitted taints fail with "제출 없음".
	code, out, _ = runClassCLI(t, p, "class", "export", "--data", data, "-o", "junit")
	if code != 0 {
		t.Fatalf("junit: %d %s", code, out)
	}
	for _, suite := range []string{"학생2026001.ds-basics", "학생2026001.taints", "학생2026002.ds-basics", "학생2026002.taints"} {
		if !strings.Contains(out, `name="`+suite+`"`) {
			t.Errorf("junit has no suite %s:\n%s", suite, out)
		}
	}
	if n := strings.Count(out, `<failure message="제출 없음`); n != 3 {
		t.Errorf("junit: %d unsubmitted failures, want 3 (2026001 taints, 2026002 both):\n%s", n, out)
	}
}
