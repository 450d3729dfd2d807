package app

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassSolutionViewedIsShown (issue 12, instructor trial on 63d375f):
// a joined student could print the reference answer (`dslab exercise
// solution gpu-only`, help says 강사용) and nothing showed it. On a joined
// computer the command warns in Korean that the instructor will see it
// (input not a terminal: the warning, then the answer), records the view,
// and the next submission of that exercise — through the real client and
// server — carries the solution-viewed flag, shown in Korean by `class
// submit` and stored for the board and the export; another exercise's
// submission does not. A view before joining is recorded too (sent after
// the join), silently.
func TestClassSolutionViewedIsShown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "데몬셋 워크숍", nil)
	student := paths.Under(filepath.Join(dir, "student"))

	// Before joining: no warning, but recorded.
	code, out, errs := runClassCLI(t, student, "exercise", "solution", "taints")
	if code != 0 || !strings.Contains(out, "kind: DaemonSet") || strings.Contains(errs, "강사") {
		t.Fatalf("solution before join: %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	code, out, errs = runClassCLI(t, student, "exercise", "solution", "gpu-only")
	if code != 0 || !strings.Contains(out, "kind: DaemonSet") || !strings.Contains(errs, "수업 \"데몬셋 워크숍\" 에 참가해 있습니다") ||
		!strings.Contains(errs, "'참고 답안 봄' 표시가 붙어 강사의 보드와 점수표에 보입니다") {
		t.Fatalf("solution on a joined computer: %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, "강사") {
		t.Errorf("the warning went into the manifest on stdout:\n%s", out)
	}
	if code, _, errs := runClassCLI(t, student, "exercise", "solution", "gpu-only", "--yes"); code != 0 || !strings.Contains(errs, "참고 답안 봄") {
		t.Errorf("solution --yes: %d %s", code, errs)
	}
	viewed, err := solutionsViewed(Env{Paths: student})
	if err != nil || viewed["gpu-only"].IsZero() || viewed["taints"].IsZero() || len(viewed) != 2 {
		t.Fatalf("record of viewed answers: %v %v", viewed, err)
	}

	snap := func(ex, name string) string {
		return filepath.Join("..", "..", "grader", "testdata", "exercises", ex, name+".json")
	}
	code, out, errs = runClassCLI(t, student, "class", "submit", "gpu-only", "--snapshot", snap("gpu-only", "solution"))
	if code != 0 || !strings.Contains(out, "표시: 참고 답안 봄") {
		t.Fatalf("submit gpu-only: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", snap("ds-basics", "solution"))
	if code != 0 || strings.Contains(out, "답안") {
		t.Fatalf("submit ds-basics: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runClassCLI(t, student, "class", "submit", "taints", "--snapshot", snap("taints", "solution"))
	if code != 0 || !strings.Contains(out, "표시: 참고 답안 봄") {
		t.Fatalf("submit taints (answer seen before the join): %d\n%s\n%s", code, out, errs)
	}
	subs, err := s.st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, sub := range subs {
		got[sub.Exercise] = slices.Contains(sub.Flags, server.FlagSolutionViewed)
	}
	if !got["gpu-only"] || !got["taints"] || got["ds-basics"] || len(got) != 3 {
		t.Errorf("stored solution-viewed flags by exercise: %v", got)
	}
	if code, out, _ := runClassCLI(t, student, "class", "status"); code != 0 || !strings.Contains(out, "참고 답안 봄") {
		t.Errorf("status does not show the flag: %d\n%s", code, out)
	}
	// The score sheet the student was told about (점수표 CSV, trial: no
	// column showed it) has it per exercise in <id>.표시.
	instructor := paths.Under(filepath.Join(dir, "instructor"))
	code, out, errs = runClassCLI(t, instructor, "class", "export", "--data", filepath.Join(dir, "serverdata"), "-o", "csv")
	if code != 0 {
		t.Fatalf("export: %d\n%s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("score CSV: %v\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if c, ok := col["gpu-only.표시"]; !ok || !strings.Contains(rows[1][c], "참고 답안 봄") || strings.Contains(rows[1][col["ds-basics.표시"]], "참고 답안 봄") {
		t.Errorf("score CSV flags: header %v\nrow %v", rows[0], rows[1])
	}
}
