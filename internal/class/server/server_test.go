package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

type fixture struct {
	t          testing.TB
	st         store.Store
	srv        *httptest.Server
	code       string
	instructor string
}

// newFixture serves a new class (SQLite in a temporary directory, title
// "테스트 수업", submissions up to 1 MiB) in-process; opts adjust the
// server's Config before New (allowRejoin, a clock, a logger…).
func newFixture(t testing.TB, opts ...func(*server.Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	opts = append([]func(*server.Config){func(c *server.Config) { c.MaxSubmissionBytes = 1 << 20 }}, opts...)
	return serveFixture(t, st, dir, "테스트 수업", opts...).fixture
}

// allowRejoin is `serve --allow-rejoin` for newFixture and boardFixture.
func allowRejoin(c *server.Config) { c.AllowRejoin = true }

func (f *fixture) do(method, path, token string, body []byte) (int, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (f *fixture) join(id, machine string) api.JoinResponse {
	f.t.Helper()
	code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "학생 " + id, StudentID: id, MachineID: machine}))
	if code != http.StatusCreated && code != http.StatusOK {
		f.t.Fatalf("join %s: %d %s", id, code, body)
	}
	var r api.JoinResponse
	json.Unmarshal(body, &r)
	return r
}

func snapshot(t testing.TB, ex, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "grader", "testdata", "exercises", ex, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func submitBody(key, ex string, snap json.RawMessage, sentAt time.Time) []byte {
	return mustJSON(api.SubmitRequest{IdempotencyKey: key, Exercise: ex, CreatedAt: sentAt.Add(-time.Second), SentAt: sentAt, Snapshot: snap})
}

func (f *fixture) submit(token, key, ex string, snap json.RawMessage) (int, api.SubmitResponse, []byte) {
	f.t.Helper()
	code, body := f.do("POST", api.PathSubmissions, token, submitBody(key, ex, snap, time.Now()))
	var r api.SubmitResponse
	json.Unmarshal(body, &r)
	return code, r, body
}

func (f *fixture) count() int {
	subs, err := f.st.Submissions(context.Background(), 0, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(subs)
}

func TestJoinSubmitAndRetry(t *testing.T) {
	f := newFixture(t)
	code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: "000000", Name: "김", MachineID: "machine-a1"}))
	if code == http.StatusCreated || !strings.Contains(string(body), "참가 코드") {
		if f.code != "000000" {
			t.Fatalf("wrong code: %d %s", code, body)
		}
	}
	a := f.join("2026001", "machine-a1")
	if !strings.HasPrefix(a.Token, "dss_") || a.RosterID != "2026001" || a.Class != "테스트 수업" {
		t.Fatalf("join response %+v", a)
	}
	code, r, body := f.submit(a.Token, "key-0000000000000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if code != http.StatusCreated || r.Status != api.StatusPassed || r.Score != r.MaxScore || r.Duplicate || r.ID == 0 {
		t.Fatalf("solution: %d %s", code, body)
	}
	code, again, _ := f.submit(a.Token, "key-0000000000000001", "ds-basics", snapshot(t, "ds-basics", "solution"))
	if code != http.StatusOK || !again.Duplicate || again.ID != r.ID || again.Result.Score != r.Score {
		t.Fatalf("retry: %d %+v", code, again)
	}
	code, _, body = f.submit(a.Token, "key-0000000000000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if code != http.StatusConflict || !strings.Contains(string(body), "idempotencyKey") {
		t.Fatalf("key reused with another snapshot: %d %s", code, body)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d submissions stored, want 1", n)
	}
	// Joining again from the same machine is fine and rotates the token.
	a2 := f.join("2026001", "machine-a1")
	if code, _ := f.do("GET", api.PathMe, a.Token, nil); code != http.StatusUnauthorized {
		t.Fatalf("old token after rejoin: %d", code)
	}
	code, body = f.do("GET", api.PathMe, a2.Token, nil)
	var me api.MeResponse
	json.Unmarshal(body, &me)
	if code != http.StatusOK || len(me.Latest) != 1 || me.Latest[0].Status != api.StatusPassed || me.RosterID != "2026001" {
		t.Fatalf("me: %d %s", code, body)
	}
}

// TestServerRegradesClientVerdictIgnored sends a failing snapshot with a
// client-made "passed" verdict beside it: the server's own grade counts.
func TestServerRegradesClientVerdictIgnored(t *testing.T) {
	f := newFixture(t)
	a := f.join("s1", "machine-s1")
	var req map[string]any
	json.Unmarshal(submitBody("key-client-verdict-1", "ds-basics", snapshot(t, "ds-basics", "image-typo"), time.Now()), &req)
	req["result"] = map[string]any{"passed": true, "score": 100}
	req["status"] = "passed"
	code, body := f.do("POST", api.PathSubmissions, a.Token, mustJSON(req))
	var r api.SubmitResponse
	json.Unmarshal(body, &r)
	if code != http.StatusCreated || r.Status != api.StatusFailed || r.Score == r.MaxScore {
		t.Fatalf("server took the client's verdict: %d %s", code, body)
	}
	code, r, _ = f.submit(a.Token, "key-not-started-0001", "taints", snapshot(t, "ds-basics", "solution"))
	if code != http.StatusCreated || r.Status != api.StatusNotStarted {
		t.Fatalf("taints without its DaemonSet: %d %+v", code, r.Status)
	}
}

func TestJoinFromAnotherMachineNeedsApproval(t *testing.T) {
	f := newFixture(t)
	a := f.join("2026007", "machine-one")
	code, body := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "다른 사람", StudentID: "2026007", MachineID: "machine-two"}))
	if code != http.StatusConflict || !strings.Contains(string(body), "다른 컴퓨터") || !strings.Contains(string(body), "needs-approval") {
		t.Fatalf("join from another machine: %d %s", code, body)
	}
	if code, _ := f.do("GET", api.PathMe, a.Token, nil); code != http.StatusOK {
		t.Fatal("refused rejoin broke the first registration")
	}
	if code, _ := f.do("POST", api.PathApprove, a.Token, mustJSON(api.ApproveRequest{RosterID: "2026007"})); code != http.StatusForbidden {
		t.Fatalf("a student approved: %d", code)
	}
	if code, body := f.do("POST", api.PathApprove, f.instructor, mustJSON(api.ApproveRequest{RosterID: "2026007"})); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	b := f.join("2026007", "machine-two")
	if !b.Rejoined || b.Name != "학생 2026007" {
		t.Fatalf("approved rejoin: %+v", b)
	}
	if code, _ := f.do("GET", api.PathMe, a.Token, nil); code != http.StatusUnauthorized {
		t.Fatal("the first machine's token still works after the takeover")
	}
	// The approval is used up.
	if code, _ := f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "x", StudentID: "2026007", MachineID: "machine-three"})); code != http.StatusConflict {
		t.Fatalf("second takeover without approval: %d", code)
	}
	g := newFixture(t, allowRejoin) // serve --allow-rejoin
	g.join("s", "machine-one")
	if r := g.join("s", "machine-two"); !r.Rejoined {
		t.Fatal("--allow-rejoin did not let the student move")
	}
}

// TestCrossStudentAuth tries every student route without a token, with a
// bad one and with another student's token, and every instructor route
// with a student's token.
func TestCrossStudentAuth(t *testing.T) {
	f := newFixture(t)
	a := f.join("alice", "machine-alice")
	b := f.join("bob", "machine-bob")
	if code, _, body := f.submit(a.Token, "alice-key-00000001", "ds-basics", snapshot(t, "ds-basics", "solution")); code != http.StatusCreated {
		t.Fatalf("alice submit: %d %s", code, body)
	}
	studentRoutes := []struct{ method, path string }{{"POST", api.PathSubmissions}, {"GET", api.PathMe}}
	for _, rt := range studentRoutes {
		for _, tok := range []string{"", "dss_forged", f.instructor} {
			body := submitBody("anon-key-000000001", "ds-basics", snapshot(t, "ds-basics", "solution"), time.Now())
			if code, resp := f.do(rt.method, rt.path, tok, body); code != http.StatusUnauthorized || !strings.Contains(string(resp), "토큰") {
				t.Errorf("%s %s with token %q: %d %s", rt.method, rt.path, tok, code, resp)
			}
		}
	}
	// Bob sees only his own verdicts, and his submission is his.
	code, body := f.do("GET", api.PathMe, b.Token, nil)
	var me api.MeResponse
	json.Unmarshal(body, &me)
	if code != http.StatusOK || me.RosterID != "bob" || len(me.Latest) != 0 {
		t.Fatalf("bob's me shows %s", body)
	}
	// Bob reusing Alice's idempotency key creates his own submission, it
	// does not return (or touch) Alice's.
	code, r, _ := f.submit(b.Token, "alice-key-00000001", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	if code != http.StatusCreated || r.Duplicate || r.Status != api.StatusFailed {
		t.Fatalf("bob with alice's key: %d %+v", code, r)
	}
	code, body = f.do("GET", api.PathMe, a.Token, nil)
	json.Unmarshal(body, &me)
	if len(me.Latest) != 1 || me.Latest[0].Status != api.StatusPassed {
		t.Fatalf("alice's verdicts changed: %s", body)
	}
	for _, rt := range []struct{ method, path string }{{"GET", api.PathExport}, {"POST", api.PathRegrade}, {"POST", api.PathApprove}} {
		for _, tok := range []string{"", "dsi_forged"} {
			if code, _ := f.do(rt.method, rt.path, tok, []byte(`{"rosterId":"alice"}`)); code != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: %d, want 401", rt.method, rt.path, tok, code)
			}
		}
		// A student is authenticated but not allowed: 403.
		if code, body := f.do(rt.method, rt.path, a.Token, []byte(`{"rosterId":"alice"}`)); code != http.StatusForbidden || !strings.Contains(string(body), "강사") {
			t.Errorf("%s %s with a student token: %d %s, want 403", rt.method, rt.path, code, body)
		}
	}
}

func TestBadBodiesStoreNothing(t *testing.T) {
	f := newFixture(t)
	a := f.join("s", "machine-s1")
	good := snapshot(t, "ds-basics", "solution")
	big := submitBody("key-big-0000000001", "ds-basics", json.RawMessage(`{"version":1,"pad":"`+strings.Repeat("가", 1<<19)+`"}`), time.Now())
	cases := []struct {
		name string
		body []byte
		code int
	}{
		{"oversized", big, http.StatusRequestEntityTooLarge},
		{"not json", []byte("{"), http.StatusBadRequest},
		{"two values", append(submitBody("key-two-0000000001", "ds-basics", good, time.Now()), []byte(" {}")...), http.StatusBadRequest},
		{"short key", submitBody("short", "ds-basics", good, time.Now()), http.StatusBadRequest},
		{"unknown exercise", submitBody("key-unknown-000001", "nope", good, time.Now()), http.StatusBadRequest},
		{"no snapshot", submitBody("key-nosnap-0000001", "ds-basics", nil, time.Now()), http.StatusUnprocessableEntity},
		{"future version", submitBody("key-future-0000001", "ds-basics", json.RawMessage(`{"version":99,"capturedAt":"2026-01-01T00:00:00Z","nodes":[{"name":"a"}]}`), time.Now()), http.StatusUnprocessableEntity},
		{"no nodes", submitBody("key-nonodes-000001", "ds-basics", json.RawMessage(`{"version":1,"capturedAt":"2026-01-01T00:00:00Z","nodes":[]}`), time.Now()), http.StatusUnprocessableEntity},
		{"snapshot wrong type", submitBody("key-wrongtype-0001", "ds-basics", json.RawMessage(`{"version":"1"}`), time.Now()), http.StatusUnprocessableEntity},
	}
	evBefore, _ := f.st.Events(context.Background(), 0, 0)
	for _, c := range cases {
		code, body := f.do("POST", api.PathSubmissions, a.Token, c.body)
		var e api.Error
		if code != c.code || json.Unmarshal(body, &e) != nil || e.Error == "" || e.Code == "" {
			t.Errorf("%s: %d %s, want %d with a Korean error", c.name, code, body, c.code)
		}
	}
	evAfter, _ := f.st.Events(context.Background(), 0, 0)
	if n := f.count(); n != 0 || len(evAfter) != len(evBefore) {
		t.Fatalf("refused bodies left %d submissions and %d events", n, len(evAfter)-len(evBefore))
	}
	code, body := f.do("POST", api.PathJoin, "", []byte(`{"code":"`+f.code+`","name":"","machineId":"machine-x1"}`))
	if code != http.StatusBadRequest || !strings.Contains(string(body), "이름") {
		t.Fatalf("join without a name: %d %s", code, body)
	}
}

func TestFlags(t *testing.T) {
	f := newFixture(t)
	a := f.join("a", "machine-aa")
	b := f.join("b", "machine-bb")
	snap := snapshot(t, "ds-basics", "solution")
	code, body := f.do("POST", api.PathSubmissions, a.Token, submitBody("key-skew-000000001", "ds-basics", snap, time.Now().Add(-10*time.Minute)))
	var r api.SubmitResponse
	json.Unmarshal(body, &r)
	if code != http.StatusCreated || !slices.Contains(r.Flags, server.FlagClockSkew) {
		t.Fatalf("clock 10 min behind not flagged: %d %s", code, body)
	}
	// Bob sends Alice's snapshot: the same DaemonSet UID under two students.
	_, rb, _ := f.submit(b.Token, "key-copy-000000001", "ds-basics", snap)
	if !slices.Contains(rb.Flags, store.FlagCopiedDaemonSet) {
		t.Fatalf("copy not flagged: %v", rb.Flags)
	}
	exp := f.export()
	for _, s := range exp.Submissions {
		if !slices.Contains(s.Flags, store.FlagCopiedDaemonSet) {
			t.Fatalf("submission of %s not flagged: %v", s.RosterID, s.Flags)
		}
	}
	// A hand-edited snapshot: a pod on a node the cluster does not have.
	var m map[string]any
	json.Unmarshal(snapshot(t, "ds-basics", "solution"), &m)
	pods := m["pods"].([]any)
	pods[0].(map[string]any)["node"] = "someone-elses-node"
	_, rc, _ := f.submit(b.Token, "key-forged-0000001", "ds-basics", mustJSON(m))
	if !slices.Contains(rc.Flags, server.FlagForeignPod) {
		t.Fatalf("pod on unknown node not flagged: %v", rc.Flags)
	}
}

func (f *fixture) export() api.Export {
	f.t.Helper()
	code, body := f.do("GET", api.PathExport, f.instructor, nil)
	if code != http.StatusOK {
		f.t.Fatalf("export: %d %s", code, body)
	}
	var exp api.Export
	if err := json.Unmarshal(body, &exp); err != nil {
		f.t.Fatal(err)
	}
	return exp
}

func TestExportAndRegrade(t *testing.T) {
	f := newFixture(t)
	a := f.join("2026001", "machine-aa")
	f.join("2026002", "machine-bb")
	f.submit(a.Token, "key-a-ds-basics-01", "ds-basics", snapshot(t, "ds-basics", "image-typo"))
	_, last, _ := f.submit(a.Token, "key-a-ds-basics-02", "ds-basics", snapshot(t, "ds-basics", "solution"))
	exp := f.export()
	if len(exp.Students) != 2 || len(exp.Submissions) != 2 || len(exp.Report.Students) != 2 {
		t.Fatalf("export: %+v", exp)
	}
	sr := exp.Report.Students[0]
	if sr.Source != "2026001" || sr.Score != last.MaxScore || len(sr.Results) != len(exp.Class.Exercises) {
		t.Fatalf("class table row uses the newest submission: %+v", sr)
	}
	// Every student's maximum is the whole class's, submitted or not.
	for _, s := range exp.Report.Students {
		if s.Max != 10*len(exp.Class.Exercises) {
			t.Fatalf("%s: maxScore %d of %d exercises", s.Source, s.Max, len(exp.Class.Exercises))
		}
	}
	var buf bytes.Buffer
	if err := server.WriteExportCSV(&buf, exp); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFFstudent,source,") || !strings.Contains(buf.String(), "학생 2026001,2026001,") {
		t.Fatalf("csv:\n%s", buf.String())
	}
	buf.Reset()
	server.WriteSubmissionsCSV(&buf, exp, nil)
	if !strings.HasPrefix(buf.String(), "\uFEFF제출 번호,학번,이름,") || strings.Count(buf.String(), "\n") != 3 {
		t.Fatalf("submissions csv:\n%s", buf.String())
	}
	// A "grader fix": the stored result is wrong; regrade restores it.
	if err := f.st.UpdateResult(context.Background(), last.ID, []byte(`{"exercise":"ds-basics"}`), 0, last.MaxScore, api.StatusFailed, "old"); err != nil {
		t.Fatal(err)
	}
	code, body := f.do("POST", api.PathRegrade, f.instructor, nil)
	var rr api.RegradeResponse
	json.Unmarshal(body, &rr)
	if code != http.StatusOK || rr.Regraded != 2 || rr.Changed != 1 {
		t.Fatalf("regrade: %d %s (only the tampered one differs)", code, body)
	}
	if exp := f.export(); exp.Report.Students[0].Score != last.MaxScore || exp.Submissions[1].GraderVersion != "test" {
		t.Fatalf("after regrade: %+v", exp.Report.Students[0])
	}
	code, body = f.do("POST", api.PathRegrade, f.instructor, nil)
	json.Unmarshal(body, &rr)
	if rr.Changed != 0 {
		t.Fatalf("second regrade changed %d", rr.Changed)
	}
}

func TestHealthAndReady(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{api.PathHealthz, api.PathReadyz} {
		if code, body := f.do("GET", p, "", nil); code != http.StatusOK {
			t.Fatalf("%s: %d %s", p, code, body)
		}
	}
	f.st.Close()
	if code, body := f.do("GET", api.PathReadyz, "", nil); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store: %d %s", code, body)
	}
}

func TestSetupKeepsClassAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() store.Store {
		st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	tokenFile := filepath.Join(dir, server.InstructorTokenFile)
	st := open()
	c1, tok1, err := server.Setup(ctx, st, "수업", []string{"ds-basics"}, tokenFile)
	st.Close()
	if err != nil || tok1 == "" || len(c1.JoinCode) != 6 {
		t.Fatalf("setup: %+v %q %v", c1, tok1, err)
	}
	if fi, err := os.Stat(tokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", fi, err)
	}
	st = open()
	defer st.Close()
	c2, tok2, err := server.Setup(ctx, st, "다른 제목", nil, tokenFile)
	if err != nil || tok2 != tok1 || c2.JoinCode != c1.JoinCode || c2.Title != "수업" {
		t.Fatalf("restart changed the class: %+v %q %v", c2, tok2, err)
	}
	os.WriteFile(tokenFile, []byte("dsi_other\n"), 0o600)
	if _, _, err := server.Setup(ctx, st, "", nil, tokenFile); err == nil {
		t.Fatal("a token file of another class was accepted")
	}
}

// FuzzRoutes throws random bodies at every route with valid credentials:
// the server never answers 5xx, always answers JSON, and only a 2xx
// submission stores anything.
func FuzzRoutes(f *testing.F) {
	fx := newFixture(f)
	a := fx.join("fuzz", "machine-fuzz")
	f.Add(0, []byte(`{}`))
	f.Add(1, submitBody("key-fuzz-seed-00001", "ds-basics", snapshot(f, "ds-basics", "solution"), time.Now()))
	f.Add(1, []byte(`{"idempotencyKey":"key-fuzz-seed-00002","exercise":"taints","snapshot":{"version":1,"capturedAt":"2026-01-01T00:00:00Z","nodes":[{"name":"n","taints":[{"key":"k","effect":"NoSchedule"}]}],"pods":[{"name":"p","node":"x"}]}}`))
	f.Add(2, []byte(`{"code":"123456","name":"가","machineId":"abcdefgh"}`))
	f.Add(3, []byte(`{"rosterId":"fuzz"}`))
	routes := []struct{ method, path, token string }{
		{"POST", api.PathJoin, ""},
		{"POST", api.PathSubmissions, a.Token},
		{"GET", api.PathMe, a.Token},
		{"POST", api.PathApprove, fx.instructor},
		{"POST", api.PathRegrade, fx.instructor},
		{"GET", api.PathExport, fx.instructor},
	}
	f.Fuzz(func(t *testing.T, route int, body []byte) {
		if route < 0 {
			route = -route
		}
		rt := routes[route%len(routes)]
		fx := *fx
		fx.t = t
		before := fx.count()
		code, resp := fx.do(rt.method, rt.path, rt.token, body)
		if code >= 500 {
			t.Fatalf("%s %s: %d %s", rt.method, rt.path, code, resp)
		}
		if !json.Valid(resp) {
			t.Fatalf("%s %s: not JSON: %q", rt.method, rt.path, resp)
		}
		after := fx.count()
		if rt.path == api.PathSubmissions && code != http.StatusCreated && after != before {
			t.Fatalf("refused submission (%d) stored something", code)
		}
		if rt.path != api.PathSubmissions && after != before {
			t.Fatalf("%s changed the submissions", rt.path)
		}
		_ = fmt.Sprint(code)
	})
}
