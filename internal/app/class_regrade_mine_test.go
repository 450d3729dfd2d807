package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestRegradeNoticeSaysTheStudentsOwnChange (issue 12): a regrade's notice
// to a student showed the class-wide counts ("바뀐 결과 1개 · 제출 4개
// 중"). It says the student's own change, in dslab grade's words, against
// the verdict this machine was shown when it submitted — or that nothing
// of its own changed.
func TestRegradeNoticeSaysTheStudentsOwnChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "다시 채점 수업", []string{"ds-basics", "taints"})
	student := paths.Under(filepath.Join(dir, "student"))
	teacher := paths.Under(filepath.Join(dir, "teacher"))
	if code, out, errs := runClassCLI(t, student, "class", "join", s.hs.URL, "--code", s.code, "--name", "김철수", "--id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	sol := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	if code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", sol); code != 0 || !strings.Contains(out, "✔ 통과") {
		t.Fatalf("submit: %d %s %s", code, out, errs)
	}
	regrade := func() {
		t.Helper()
		if code, out, errs := runClassCLI(t, teacher, "class", "send", "regrade", "--server", s.hs.URL, "--token-file", s.tokenFile); code != 0 {
			t.Fatalf("regrade: %d %s %s", code, out, errs)
		}
	}
	status := func() string {
		t.Helper()
		code, out, errs := runClassCLI(t, student, "class", "status")
		if code != 0 {
			t.Fatalf("status: %d %s %s", code, out, errs)
		}
		return out
	}
	// The same grader: nothing of the student's changed.
	regrade()
	if out := status(); !strings.Contains(out, "강사가 모든 제출을 다시 채점했습니다: 내 결과는 바뀌지 않았습니다") || strings.Contains(out, "제출 1개") {
		t.Fatalf("regrade without a change:\n%s", out)
	}
	// A regrade that turned the pass into 3/10 (the server's stored
	// result changed, as another grader's would).
	regrade()
	subs, err := s.st.Submissions(ctx, 0, false)
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions: %v %v", subs, err)
	}
	res, _ := json.Marshal(grader.Result{Score: 3, MaxScore: 10})
	if err := s.st.UpdateResult(ctx, subs[0].ID, res, 3, 10, api.StatusFailed, "dslab test"); err != nil {
		t.Fatal(err)
	}
	if out := status(); !strings.Contains(out, "강사가 모든 제출을 다시 채점했습니다: 연습 ds-basics: 통과 → 진행 중") {
		t.Fatalf("regrade with a change:\n%s", out)
	}
}
