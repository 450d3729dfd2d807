package server_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/assets"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestJoinWithoutStudentIDIsPerMachine: two students named 김민수 join
// without a 학번 from two machines; they are two students with two machine
// ids as roster ids (never the name), and joining again from the first
// machine is the same student. The approve hint of a 학번 conflict says
// approving is for the same student on a new machine.
func TestJoinWithoutStudentIDIsPerMachine(t *testing.T) {
	f := newFixture(t)
	join := func(name, id, machine string) (int, api.JoinResponse, string) {
		t.Helper()
		code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: name, StudentID: id, MachineID: machine}))
		var r api.JoinResponse
		json.Unmarshal(body, &r)
		return code, r, string(body)
	}
	c1, a, b1 := join("김민수", "", "aaaaaaaa11112222")
	c2, b, b2 := join("김민수", "", "bbbbbbbb33334444")
	if c1 != http.StatusCreated || c2 != http.StatusCreated {
		t.Fatalf("joins: %d %s / %d %s", c1, b1, c2, b2)
	}
	if a.RosterID == b.RosterID || a.RosterID == "김민수" || a.RosterID != api.AutoRosterID("aaaaaaaa11112222") {
		t.Fatalf("roster ids %q and %q", a.RosterID, b.RosterID)
	}
	if c, again, body := join("김민수", "", "aaaaaaaa11112222"); c != http.StatusOK || again.RosterID != a.RosterID {
		t.Fatalf("rejoin from the same machine: %d %s", c, body)
	}
	if n := len(f.export().Students); n != 2 {
		t.Fatalf("%d students, want 2", n)
	}
	join("이서연", "2026002", "cccccccc55556666")
	c, _, body := join("이서연", "2026002", "dddddddd77778888")
	if c != http.StatusConflict || !strings.Contains(body, "같은 학생이 새 컴퓨터") || !strings.Contains(body, "다른 학생이면 자기 학번") {
		t.Fatalf("conflict: %d %s", c, body)
	}
}

// TestBoardFlagLabelsMatchAPI: the web board's FLAGS table is
// api.FlagLabels (the one table `class submit`/`status`/`watch` use), and
// every flag the server can set has a Korean word.
func TestBoardFlagLabelsMatchAPI(t *testing.T) {
	b, err := fs.ReadFile(assets.Board(), "board.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	start := strings.Index(js, "const FLAGS = {")
	end := strings.Index(js[start:], "};")
	if start < 0 || end < 0 {
		t.Fatal("board.js has no FLAGS table")
	}
	body := js[start+len("const FLAGS = {") : start+end]
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`"([^"]+)":\s*"([^"]+)"`).FindAllStringSubmatch(body, -1) {
		got[m[1]] = m[2]
	}
	if !maps.Equal(got, api.FlagLabels) {
		t.Errorf("board.js FLAGS %v\n!= api.FlagLabels %v", got, api.FlagLabels)
	}
	for _, f := range []string{server.FlagClockSkew, server.FlagForeignPod, server.FlagOrphanPods, server.FlagBeforeBaseline, server.FlagFutureSnapshot,
		server.FlagBaselineMissing, server.FlagNodeOutsideCluster, server.FlagTimes, server.FlagStatusWithoutPods, server.FlagLate,
		store.FlagCopiedDaemonSet, store.FlagCopiedCluster} {
		if api.FlagText(f) == f {
			t.Errorf("flag %s has no Korean word", f)
		}
	}
}

// TestBoardStatusMarksMatchAPI: the web board's STATUS table (icon and
// word of each status), its "no submission" cell and its legend are
// api.StatusMark's, the one set every class surface prints.
func TestBoardStatusMarksMatchAPI(t *testing.T) {
	b, err := fs.ReadFile(assets.Board(), "board.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	start := strings.Index(js, "const STATUS = {")
	if start < 0 {
		t.Fatal("board.js has no STATUS table")
	}
	end := strings.Index(js[start:], "};")
	body := js[start+len("const STATUS = {") : start+end]
	got := map[string][2]string{}
	for _, m := range regexp.MustCompile(`"([^"]+)":\s*\["([^"]+)",\s*"([^"]+)"\]`).FindAllStringSubmatch(body, -1) {
		got[m[1]] = [2]string{m[2], m[3]}
	}
	want := map[string][2]string{}
	for _, s := range api.KnownStatuses() {
		icon, word := api.StatusMark(s)
		want[s] = [2]string{icon, word}
	}
	if !maps.Equal(got, want) {
		t.Errorf("board.js STATUS %v\n!= api.StatusMark %v", got, want)
	}
	if !strings.Contains(js, `const NOT_STARTED_NOTE = "`+api.NotStartedNote+`";`) {
		t.Errorf("board.js's not-started line is not %q", api.NotStartedNote)
	}
	if !strings.Contains(js, `"none"), "`+api.NoSubmissionMark+`"`) {
		t.Errorf("board.js's empty cell is not %q", api.NoSubmissionMark)
	}
	html, err := fs.ReadFile(assets.Board(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{api.StatusPassed, api.StatusFailed, api.StatusNotStarted} {
		if !strings.Contains(string(html), api.StatusText(s)) {
			t.Errorf("index.html legend lacks %q", api.StatusText(s))
		}
	}
	if !strings.Contains(string(html), api.NoSubmissionMark+" "+api.NoSubmissionWord) {
		t.Errorf("index.html legend lacks %q", api.NoSubmissionMark+" "+api.NoSubmissionWord)
	}
}

// TestBoardNowOnlyWhenDifferent: a second passing submission with the same
// score gives no "now" (it says nothing new); a failing one after the pass
// does (the pass stays counted).
func TestBoardNowOnlyWhenDifferent(t *testing.T) {
	f := newFixture(t)
	a := f.join("2026001", "machine-aa")
	board := func() api.BoardCell {
		t.Helper()
		code, body := f.do("GET", api.PathBoard, f.instructor, nil)
		var b api.Board
		if code != http.StatusOK || json.Unmarshal(body, &b) != nil || len(b.Students) != 1 {
			t.Fatalf("board: %d %s", code, body)
		}
		return b.Students[0].Cells["ds-basics"]
	}
	f.submit(a.Token, "key-now-000000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	f.submit(a.Token, "key-now-000000002", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if c := board(); c.Status != api.StatusPassed || c.Now != nil {
		t.Fatalf("same result twice: %+v now %+v", c, c.Now)
	}
	f.submit(a.Token, "key-now-000000003", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if c := board(); c.Status != api.StatusPassed || c.Now == nil || c.Now.Status != api.StatusFailed {
		t.Fatalf("failing after pass: %+v now %+v", c, c.Now)
	}
}

// TestBoardNamesEveryCommand: board.js's COMMANDS has a Korean name for
// every instructor command kind (the trial saw raw close-join/open-join in
// "최근 동작"), and its KINDS list refreshes on class-changed.
func TestBoardNamesEveryCommand(t *testing.T) {
	b, err := fs.ReadFile(assets.Board(), "board.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	start := strings.Index(js, "const COMMANDS = {")
	if start < 0 {
		t.Fatal("board.js has no COMMANDS table")
	}
	body := js[start : start+strings.Index(js[start:], "};")]
	for _, k := range []string{api.CommandBroadcast, api.CommandUnlockHint, api.CommandResetExercise, api.CommandFreeze,
		api.CommandUnfreeze, api.CommandRegrade, api.CommandCloseJoin, api.CommandOpenJoin} {
		if !strings.Contains(body, `"`+k+`":`) {
			t.Errorf("board.js COMMANDS has no name for %q", k)
		}
	}
	if !strings.Contains(js, `"class-changed"`) {
		t.Error("board.js does not refresh on class-changed")
	}
}
