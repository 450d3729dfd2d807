package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestClassExportCSVTimesLocalWithCaptureTime (issue 12): the class
// export's CSVs write times in the instructor's time zone with the offset
// (not UTC), the score table's <id>.통과 시각 is when the student's lab
// captured the pass, with the server's receive time in <id>.서버가 받은
// 시각, and the --submissions CSV's receivedAt/clientTime are local too;
// the JSON keeps RFC 3339 and both CSVs keep the UTF-8 BOM.
func TestClassExportCSVTimesLocalWithCaptureTime(t *testing.T) {
	kst := time.FixedZone("KST", 9*3600)
	captured := time.Date(2026, 12, 1, 2, 5, 9, 0, time.UTC)   // 11:05:09 KST
	received := time.Date(2026, 12, 1, 2, 31, 40, 0, time.UTC) // sent after an outage
	failedAt := time.Date(2026, 12, 1, 1, 58, 0, 0, time.UTC)
	exp := api.Export{
		Class:    api.ExportClass{Title: "시각 수업", Exercises: []string{"ds-basics"}},
		Exported: received.Add(time.Hour),
		Report: grader.ClassReport{Exercises: []string{"ds-basics"}, Students: []grader.StudentResult{{
			Student: "김철수", Source: "2026001",
			Results: []grader.Result{{Exercise: "ds-basics", Status: grader.StatusPassed, Passed: true, Score: 10, MaxScore: 10}},
		}}},
		Students: []api.ExportStudent{{RosterID: "2026001", Name: "김철수",
			Attempts: []api.ExportAttempts{{Exercise: "ds-basics", Count: 2, Submissions: 2, Last: received}}}},
		Submissions: []api.ExportSubmission{
			{ID: 1, RosterID: "2026001", Name: "김철수", Exercise: "ds-basics", Status: api.StatusFailed, MaxScore: 10, ReceivedAt: failedAt, ClientTime: failedAt},
			{ID: 2, RosterID: "2026001", Name: "김철수", Exercise: "ds-basics", Status: api.StatusPassed, Score: 10, MaxScore: 10, ReceivedAt: received, ClientTime: captured},
		},
	}
	rep := exportClassReport(exp, nil)
	rep.Loc = kst
	var buf bytes.Buffer
	if err := writeClassCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	rows := readBOMCSV(t, buf.String())
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := map[string]string{
		"ds-basics.통과 시각":     "2026-12-01 11:05:09 +09:00",
		"ds-basics.서버가 받은 시각": "2026-12-01 11:31:40 +09:00",
		"ds-basics.시도 시각":     "2026-12-01 11:31:40 +09:00",
	}
	for h, w := range want {
		i, ok := col[h]
		if !ok {
			t.Errorf("no column %s in %q", h, rows[0])
			continue
		}
		if got := rows[1][i]; got != w {
			t.Errorf("%s = %q, want %q", h, got, w)
		}
	}
	if col["ds-basics.서버가 받은 시각"] != col["ds-basics.통과 시각"]+1 {
		t.Errorf("서버가 받은 시각 is not beside 통과 시각: %q", rows[0])
	}

	buf.Reset()
	if err := server.WriteSubmissionsCSV(&buf, exp, kst); err != nil {
		t.Fatal(err)
	}
	subs := readBOMCSV(t, buf.String())
	if subs[0][7] != "서버가 받은 시각" || subs[0][8] != "캡처한 시각" {
		t.Fatalf("submissions header %q", subs[0])
	}
	if subs[2][7] != "2026-12-01 11:31:40 +09:00" || subs[2][8] != "2026-12-01 11:05:09 +09:00" {
		t.Errorf("submissions row times %q, %q: want KST with +09:00", subs[2][7], subs[2][8])
	}

	js, err := json.Marshal(exp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"receivedAt":"2026-12-01T02:31:40Z"`) || !strings.Contains(string(js), `"clientTime":"2026-12-01T02:05:09Z"`) {
		t.Errorf("JSON export lost RFC 3339: %s", js)
	}

	// `dslab grade --all` shares the writer but has no receive times: no
	// 서버가 받은 시각 column there.
	buf.Reset()
	plain := rep
	plain.Received = false
	if err := writeClassCSV(&buf, plain); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "서버가 받은 시각") {
		t.Error("grade --all CSV has the class export's receive-time column")
	}
}

func readBOMCSV(t *testing.T, out string) [][]string {
	t.Helper()
	if !strings.HasPrefix(out, "\ufeff") {
		t.Fatalf("no UTF-8 BOM: %q", out[:min(20, len(out))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%v\n%s", err, out)
	}
	return rows
}
