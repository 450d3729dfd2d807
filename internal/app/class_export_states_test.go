package app

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassExportStatesAndHints (issue 12, instructor trials): <id>.상태
// is the board's Korean state (api.CellState): 제출 없음 only without any
// submission, a pass received only while frozen 마감 후 통과, late
// failures alone 마감 후 제출만, "not started" snapshots alone 시작 전
// (they were "in-progress" while the board said ○ 시작 전), a pass
// followed by a reset stays 통과 — and <id>.힌트 counts the hints the instructor unlocked (for
// everyone or for one student) as well as those the student opened.
func TestClassExportStatesAndHints(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "serverdata")
	s := serveTestClass(t, data, "상태 수업", []string{"ds-basics", "taints"})
	testdata := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics")
	read := func(name string, edit func(*grader.Snapshot)) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(testdata, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var snap grader.Snapshot
		if err := json.Unmarshal(b, &snap); err != nil {
			t.Fatal(err)
		}
		edit(&snap)
		out, err := json.Marshal(snap)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	keep := func(*grader.Snapshot) {}
	solution, typo := read("solution", keep), read("image-typo", func(s *grader.Snapshot) { two := 2; s.HintsUsed = &two })
	notStarted := read("solution", func(s *grader.Snapshot) { s.DaemonSets, s.Pods = nil, nil })
	command := func(req api.CommandRequest) {
		t.Helper()
		b, _ := json.Marshal(req)
		r, _ := http.NewRequest("POST", s.hs.URL+api.PathInstructorCommands, strings.NewReader(string(b)))
		r.Header.Set("Authorization", "Bearer "+s.token)
		r.Header.Set("Content-Type", "application/json")
		resp, err := s.hs.Client().Do(r)
		if err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("command %+v: %v %v", req, err, resp)
		}
		resp.Body.Close()
	}
	late, lateFail, reset, snapOnly, failed := s.join(t, "지각", "2026001"), s.join(t, "지각실패", "2026002"), s.join(t, "초기화", "2026003"), s.join(t, "빈스냅숏", "2026004"), s.join(t, "실패", "2026005")
	s.join(t, "쉼", "2026006")
	command(api.CommandRequest{Kind: api.CommandUnlockHint, Exercise: "taints"})
	command(api.CommandRequest{Kind: api.CommandUnlockHint, Exercise: "ds-basics", RosterID: "2026004"})
	s.send(t, reset, "ds-basics", solution)
	s.send(t, reset, "ds-basics", notStarted)
	s.send(t, snapOnly, "ds-basics", notStarted)
	s.send(t, failed, "ds-basics", typo)
	command(api.CommandRequest{Kind: api.CommandFreeze})
	s.send(t, late, "ds-basics", solution)
	s.send(t, lateFail, "ds-basics", typo)
	command(api.CommandRequest{Kind: api.CommandUnfreeze})

	code, out, errs := runClassCLI(t, paths.Under(filepath.Join(dir, "instructor")), "class", "export", "--data", data, "-o", "csv")
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
	want := map[string][4]string{ // ds-basics.상태, ds-basics.힌트, taints.힌트, 힌트
		"2026001": {"마감 후 통과", "0", "1", "1"},
		"2026002": {"마감 후 제출만", "2", "1", "3"},
		"2026003": {"통과", "0", "1", "1"},
		"2026004": {"시작 전", "1", "1", "2"},
		"2026005": {"진행 중", "2", "1", "3"},
		"2026006": {"제출 없음", "0", "1", "1"},
	}
	for _, r := range rows[1:] {
		got := [4]string{r[col["ds-basics.상태"]], r[col["ds-basics.힌트"]], r[col["taints.힌트"]], r[col["힌트"]]}
		if got != want[r[1]] {
			t.Errorf("%s (%s): 상태, 힌트 %q, want %q", r[1], r[0], got, want[r[1]])
		}
		if r[1] == "2026001" && (r[col["ds-basics.점수"]] != "0" || r[col["ds-basics.통과 시각"]] == "") {
			t.Errorf("a late pass scores %s (want 0: late never counts) and passedAt %q", r[col["ds-basics.점수"]], r[col["ds-basics.통과 시각"]])
		}
	}
	// JSON: the same states, machine and Korean.
	code, out, errs = runClassCLI(t, paths.Under(filepath.Join(dir, "instructor")), "class", "export", "--data", data, "-o", "json")
	if code != 0 {
		t.Fatalf("export json: %d %s", code, errs)
	}
	var exp api.Export
	if err := json.Unmarshal([]byte(out), &exp); err != nil {
		t.Fatal(err)
	}
	wantJSON := map[string]api.ExportState{
		"2026001": {Exercise: "ds-basics", State: api.StatePassedLate, StateText: "마감 후 통과"},
		"2026004": {Exercise: "ds-basics", State: api.StatusNotStarted, StateText: "시작 전"},
		"2026006": {Exercise: "ds-basics", State: api.StateNone, StateText: "제출 없음"},
	}
	for _, st := range exp.Students {
		if w, ok := wantJSON[st.RosterID]; ok && (len(st.States) == 0 || st.States[0] != w) {
			t.Errorf("%s JSON states %+v, want first %+v", st.RosterID, st.States, w)
		}
	}
	// JUnit says why an exercise with submissions scores nothing.
	code, out, _ = runClassCLI(t, paths.Under(filepath.Join(dir, "instructor")), "class", "export", "--data", data, "-o", "junit")
	if code != 0 || !strings.Contains(out, "늦은 통과: 제출 마감 뒤에 받은 제출만 통과했습니다") || !strings.Contains(out, "점수가 되는 제출 없음") {
		t.Errorf("junit does not say why late or not-started-only work scores 0: %d\n%s", code, out)
	}
}
