package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// notStarted is a ds-basics snapshot without any DaemonSet (what a lab
// submits after `reset-exercise`: a new baseline, recorded by the reset).
func notStarted(t *testing.T) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(snapshot(t, "ds-basics", "solution"), &m); err != nil {
		t.Fatal(err)
	}
	m["daemonSets"], m["pods"] = []any{}, []any{}
	m["baseline"].(map[string]any)["recorded"] = m["capturedAt"]
	return mustJSON(m)
}

// exportScore is the student's ds-basics score in the class table and the
// class CSV's cell for it.
func exportScore(t *testing.T, f *boardFix, roster string) (int, string) {
	t.Helper()
	exp := f.export()
	var buf bytes.Buffer
	if err := server.WriteExportCSV(&buf, exp); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), server.UTF8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "ds-basics")
	for i, sr := range exp.Report.Students {
		if sr.Source == roster {
			return sr.Score, rows[i+1][col]
		}
	}
	t.Fatalf("no row for %s", roster)
	return 0, ""
}

func TestPassStaysAfterFreezeAndReset(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{})
	a, b := f.join("a", "machine-aa"), f.join("b", "machine-bb")
	cmd := func(req api.CommandRequest) {
		t.Helper()
		if code, body := f.command(f.instructor, req); code != http.StatusCreated && code != http.StatusOK {
			t.Fatalf("command %s: %d %s", req.Kind, code, body)
		}
	}
	_, pass, _ := f.submit(a.Token, "key-a-pass-00000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if pass.Status != api.StatusPassed || pass.Score != pass.MaxScore || pass.Score == 0 {
		t.Fatalf("solution: %+v", pass)
	}
	_, bpass, _ := f.submit(b.Token, "key-b-pass-00000001", "ds-basics", snapshot(t, "ds-basics", "solution"))

	// a: pass → freeze → a failing late submission.
	cmd(api.CommandRequest{Kind: api.CommandFreeze})
	_, late, _ := f.submit(a.Token, "key-a-late-00000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if late.Status == api.StatusPassed || !slices.Contains(late.Flags, server.FlagLate) {
		t.Fatalf("late failing submission: %+v", late)
	}
	cmd(api.CommandRequest{Kind: api.CommandUnfreeze})
	// b: pass → reset → a not-started submission.
	cmd(api.CommandRequest{Kind: api.CommandResetExercise, RosterID: "b", Exercise: "ds-basics"})
	_, ns, _ := f.submit(b.Token, "key-b-reset-0000001", "ds-basics", notStarted(t))
	if ns.Status != api.StatusNotStarted {
		t.Fatalf("after reset: %+v", ns)
	}

	for _, c := range []struct {
		roster string
		max    int
	}{{"a", pass.MaxScore}, {"b", bpass.MaxScore}} {
		if score, cell := exportScore(t, f, c.roster); score != c.max || cell != itoa(int64(c.max)) {
			t.Errorf("%s: class table %d, csv cell %q; want %d (a pass stays)", c.roster, score, cell, c.max)
		}
	}
	// Every submission stays visible, the late one with its flag.
	exp := f.export()
	if len(exp.Submissions) != 4 || !slices.Contains(exp.Submissions[2].Flags, server.FlagLate) {
		t.Fatalf("submissions: %+v", exp.Submissions)
	}
	// The board counts the pass too and shows the current state beside it.
	bd := f.board()
	for _, s := range bd.Students {
		c := s.Cells["ds-basics"]
		if c.Status != api.StatusPassed || c.Now == nil || c.Now.Status == api.StatusPassed {
			t.Errorf("board cell of %s: %+v (now %+v)", s.RosterID, c, c.Now)
		}
	}
	if bd.Exercises[0].ID == "ds-basics" && bd.Exercises[0].Passed != 2 {
		t.Errorf("per-exercise view: %d passed, want 2", bd.Exercises[0].Passed)
	}
	// The student's own view (`dslab class status`) agrees with the board:
	// the pass counts, the newest submission is shown beside it.
	for _, c := range []struct {
		token         string
		counted       api.SubmitResponse
		newest        api.SubmitResponse
		newestIsLate  bool
		boardRosterID string
	}{{a.Token, pass, late, true, "a"}, {b.Token, bpass, ns, false, "b"}} {
		code, body := f.do("GET", api.PathMe, c.token, nil)
		var me api.MeResponse
		if err := json.Unmarshal(body, &me); code != http.StatusOK || err != nil {
			t.Fatalf("me: %d %s", code, body)
		}
		if len(me.Latest) != 1 || me.Latest[0].SubmissionID != c.newest.ID {
			t.Errorf("%s: latest %+v, want the newest submission %d", c.boardRosterID, me.Latest, c.newest.ID)
		}
		if len(me.Scores) != 1 || me.Scores[0].Exercise != "ds-basics" || me.Scores[0].Counted == nil || me.Scores[0].Newest == nil {
			t.Fatalf("%s: scores %+v, want ds-basics with counted and newest", c.boardRosterID, me.Scores)
		}
		got := me.Scores[0]
		var cell api.BoardCell
		for _, s := range bd.Students {
			if s.RosterID == c.boardRosterID {
				cell = s.Cells["ds-basics"]
			}
		}
		if got.Counted.SubmissionID != c.counted.ID || got.Counted.Status != cell.Status || got.Counted.Score != cell.Score {
			t.Errorf("%s: counted %+v, want submission %d as on the board (%s %d)", c.boardRosterID, got.Counted, c.counted.ID, cell.Status, cell.Score)
		}
		if got.Newest.SubmissionID != c.newest.ID || got.Newest.Status != cell.Now.Status || slices.Contains(got.Newest.Flags, server.FlagLate) != c.newestIsLate {
			t.Errorf("%s: newest %+v, want submission %d as the board's now (%+v)", c.boardRosterID, got.Newest, c.newest.ID, cell.Now)
		}
	}
}

func TestStudentScores(t *testing.T) {
	sub := func(id int64, ex, status string, score int, late bool) store.Submission {
		s := store.Submission{ID: id, Exercise: ex, Status: status, Score: score, MaxScore: 10}
		if late {
			s.Flags = []string{server.FlagLate}
		}
		return s
	}
	subs := []store.Submission{
		sub(1, "taints", api.StatusFailed, 3, false),
		sub(2, "ds-basics", api.StatusPassed, 10, false),
		sub(3, "zz-retired", api.StatusFailed, 1, false),
		sub(4, "ds-basics", api.StatusFailed, 2, false),
		sub(5, "taints", api.StatusFailed, 5, false),
		sub(6, "gpu-only", api.StatusPassed, 10, true),
	}
	got := server.StudentScores(subs, []string{"ds-basics", "gpu-only", "taints", "unused"})
	type row struct {
		ex              string
		counted, newest int64 // 0: nil
	}
	want := []row{{"ds-basics", 2, 4}, {"gpu-only", 0, 6}, {"taints", 5, 0}, {"zz-retired", 3, 0}}
	id := func(v *api.Verdict) int64 {
		if v == nil {
			return 0
		}
		return v.SubmissionID
	}
	var have []row
	for _, s := range got {
		have = append(have, row{s.Exercise, id(s.Counted), id(s.Newest)})
	}
	if !slices.Equal(have, want) {
		t.Fatalf("scores %+v, want %+v", have, want)
	}
}

func TestLateSubmissionsNeverScore(t *testing.T) {
	sub := func(id int64, status string, score int, late bool) store.Submission {
		s := store.Submission{ID: id, Status: status, Score: score, MaxScore: 10}
		if late {
			s.Flags = []string{server.FlagLate}
		}
		return s
	}
	for _, c := range []struct {
		name string
		subs []store.Submission
		want int64 // 0: none counts
	}{
		{"newest failing counts before a pass", []store.Submission{sub(1, api.StatusFailed, 3, false), sub(2, api.StatusFailed, 7, false)}, 2},
		{"first pass kept", []store.Submission{sub(1, api.StatusPassed, 10, false), sub(2, api.StatusPassed, 10, false), sub(3, api.StatusFailed, 3, false)}, 1},
		{"late pass does not count", []store.Submission{sub(1, api.StatusFailed, 3, false), sub(2, api.StatusPassed, 10, true)}, 1},
		{"only late", []store.Submission{sub(1, api.StatusPassed, 10, true)}, 0},
		{"not started after a pass", []store.Submission{sub(1, api.StatusPassed, 10, false), sub(2, api.StatusNotStarted, 0, false)}, 1},
	} {
		got, ok := server.CountedSubmission(c.subs)
		if (c.want == 0) == ok || (ok && got.ID != c.want) {
			t.Errorf("%s: got %d (%v), want %d", c.name, got.ID, ok, c.want)
		}
	}
}

func TestCSVFormulaInjection(t *testing.T) {
	f := newFixture(t)
	names := map[string]string{ // student id → name
		"=HYPERLINK(\"http://evil.example/\")": "=HYPERLINK(\"http://evil.example/\";\"클릭\")",
		"@SUM(A1:A9)":                          "@SUM(1+1)",
		"+1":                                   "+1",
		"-1":                                   "-1",
		"2026001":                              "김민준",
	}
	for id, name := range names {
		code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: name, StudentID: id, MachineID: "machine-" + itoa(int64(len(id)))}))
		if code != http.StatusCreated {
			t.Fatalf("join %q: %d %s", name, code, body)
		}
		var r api.JoinResponse
		json.Unmarshal(body, &r)
		f.submit(r.Token, "key-"+itoa(int64(len(id)))+"-0000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	}
	exp := f.export()
	for _, write := range []func(*bytes.Buffer, api.Export) error{
		func(b *bytes.Buffer, e api.Export) error { return server.WriteExportCSV(b, e) },
		func(b *bytes.Buffer, e api.Export) error { return server.WriteSubmissionsCSV(b, e, nil) },
	} {
		var buf bytes.Buffer
		if err := write(&buf, exp); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(buf.String(), server.UTF8BOM) {
			t.Fatal("no UTF-8 BOM")
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), server.UTF8BOM))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("cell %q starts with a formula character", cell)
				}
			}
			for id, name := range names {
				if slices.Contains(row, name) && id == "2026001" {
					seen++ // the Korean name is unchanged
				}
				if id != "2026001" && slices.Contains(row, "'"+name) && slices.Contains(row, "'"+id) {
					seen++
				}
			}
		}
		if seen != len(names) {
			t.Errorf("%d of %d students found neutralised/unchanged:\n%s", seen, len(names), buf.String())
		}
	}
}
