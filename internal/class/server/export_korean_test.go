package server_test

import (
	"encoding/csv"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestSubmissionsCSVKorean (issue 12): `class export --submissions` wrote
// English column names (id,rosterId,…) and values (passed, failed,
// not-started, solution-viewed) beside the Korean score CSV. The header is
// Korean and the status and flags are the board's Korean words; the JSON
// keys stay English (api.ExportSubmission's tags).
func TestSubmissionsCSVKorean(t *testing.T) {
	at := time.Date(2026, 12, 1, 2, 5, 9, 0, time.UTC)
	exp := api.Export{Submissions: []api.ExportSubmission{
		{ID: 1, RosterID: "2026001", Name: "김민수", Exercise: "ds-basics", Status: api.StatusPassed, Score: 10, MaxScore: 10, ReceivedAt: at, ClientTime: at, GraderVersion: "v1"},
		{ID: 2, RosterID: "2026001", Name: "김민수", Exercise: "gpu-only", Status: api.StatusFailed, Score: 8, MaxScore: 10, ReceivedAt: at, ClientTime: at, Flags: []string{server.FlagSolutionViewed, "late"}, GraderVersion: "v1"},
		{ID: 3, RosterID: "2026002", Name: "이서연", Exercise: "ds-basics", Status: api.StatusNotStarted, Score: 0, MaxScore: 10, ReceivedAt: at, ClientTime: at, GraderVersion: "v1"},
	}}
	var buf strings.Builder
	if err := server.WriteSubmissionsCSV(&buf, exp, time.UTC); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), server.UTF8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"제출 번호", "학번", "이름", "연습", "상태", "점수", "만점", "서버가 받은 시각", "캡처한 시각", "표시", "채점기 버전"}; !slices.Equal(rows[0], want) {
		t.Errorf("header %q, want %q", rows[0], want)
	}
	for i, want := range []string{"통과", "진행 중", "시작 전"} {
		if got := rows[i+1][4]; got != want {
			t.Errorf("row %d status %q, want the board's %q", i+1, got, want)
		}
	}
	if got := rows[2][9]; got != "참고 답안 봄, 마감 후 제출" {
		t.Errorf("flags %q, want the board's Korean words", got)
	}
	english := regexp.MustCompile(`\b(id|rosterId|name|exercise|status|score|maxScore|receivedAt|clientTime|flags|graderVersion|passed|failed|not-started|in-progress|solution-viewed|late)\b`)
	for _, row := range rows {
		for i, cell := range row {
			if i == 3 || i == 10 { // exercise IDs and the grader version are identifiers
				continue
			}
			if m := english.FindString(cell); m != "" {
				t.Errorf("English word %q in cell %q", m, cell)
			}
		}
	}
}
