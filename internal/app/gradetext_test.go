package app

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
)

// TestGradeAllSaysASharedNoteOnce: grade --all printed "참고: 시작 전: …"
// under each of 10 exercises not started (issue 14); a note several
// exercises give in the same words (but for their id) is said once, with
// how many it is about; a note of one exercise stays under it.
func TestGradeAllSaysASharedNoteOnce(t *testing.T) {
	var results []grader.Result
	for _, id := range []string{"gpu-only", "new-node", "taints"} {
		results = append(results, grader.Result{Exercise: id, Status: grader.StatusNotStarted, MaxScore: 10,
			Notes: []string{"시작 전: 통과 기록이 없고 지금 시작한 연습도 아닙니다 (dslab exercise start " + id + ")"}})
	}
	results = append(results, grader.Result{Exercise: "ds-basics", Status: grader.StatusInProgress, Score: 4, MaxScore: 10,
		Notes: []string{"지금 시작한 연습입니다"}})
	out, shared := sharedNotes(results)
	if len(shared) != 1 || shared[0] != "연습 3개 공통 — 시작 전: 통과 기록이 없고 지금 시작한 연습도 아닙니다 (dslab exercise start <연습>)" {
		t.Errorf("shared = %q", shared)
	}
	for _, r := range out[:3] {
		if len(r.Notes) != 0 {
			t.Errorf("%s keeps %q", r.Exercise, r.Notes)
		}
	}
	if len(out[3].Notes) != 1 || len(results[0].Notes) != 1 {
		t.Errorf("a note of one exercise was dropped, or results changed: %q, %q", out[3].Notes, results[0].Notes)
	}
	var b strings.Builder
	env := Env{}
	env.Streams.Out = &b
	if err := writeGradeText(newTextOut(env, &b, 200), results, env.Paths); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "시작 전: 통과 기록이 없고"); n != 1 {
		t.Errorf("the shared note is said %d times:\n%s", n, b.String())
	}
}
