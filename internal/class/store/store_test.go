package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/classtest"
	"github.com/dslab-kr/dslab/internal/class/store"
)

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteStore(t *testing.T) { runSuite(t, false, openSQLite) }

func TestPostgresStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	pg := classtest.StartPostgres(t)
	runSuite(t, true, func(t *testing.T) store.Store {
		s, err := store.OpenPostgres(context.Background(), pg.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestSQLiteReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.SQLiteFile)
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	st := mustStudent(t, s, "s1")
	mustSubmit(t, s, st.ID, "k1", "ds-basics", "")
	s.Close()
	s, err = store.OpenSQLite(ctx, path) // migrations run again: no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, created, err := s.EnsureClass(ctx, store.Class{Title: "B", JoinCode: "999999"})
	if err != nil || created || c.Title != "A" || c.JoinCode != "123456" {
		t.Fatalf("reopened class = %+v created=%v err=%v, want the first one", c, created, err)
	}
	subs, err := s.Submissions(ctx, 0, true)
	if err != nil || len(subs) != 1 || string(subs[0].Snapshot) != `{"n":"k1"}` {
		t.Fatalf("submissions after reopen = %+v, %v", subs, err)
	}
}

type opener func(t *testing.T) store.Store

func runSuite(t *testing.T, postgres bool, open opener) {
	t.Run("Class", func(t *testing.T) { testClass(t, open(t)) })
	t.Run("Students", func(t *testing.T) { testStudents(t, open(t)) })
	t.Run("Submissions", func(t *testing.T) { testSubmissions(t, open(t)) })
	t.Run("CopyFlags", func(t *testing.T) { testCopyFlags(t, open(t)) })
	t.Run("Regrade", func(t *testing.T) { testRegrade(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("GroupCommit", func(t *testing.T) { testGroupCommit(t, open(t), postgres, true) })
	t.Run("GroupCommitAllGood", func(t *testing.T) { testGroupCommit(t, open(t), postgres, false) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, open(t)) })
	t.Run("RemoveStudent", func(t *testing.T) { testRemoveStudent(t, open(t)) })
	t.Run("PreviousSubmission", func(t *testing.T) { testPreviousSubmission(t, open(t)) })
	t.Run("SubmissionsByID", func(t *testing.T) { testSubmissionsByID(t, open(t)) })
	t.Run("SubmissionBySnapshot", func(t *testing.T) { testSubmissionBySnapshot(t, open(t)) })
	t.Run("SameCapture", func(t *testing.T) { testSameCapture(t, open(t)) })
}

// testSubmissionsByID (the board cache's incremental read): the asked
// submissions in id order, each once, unknown ids skipped, the snapshot
// only when asked; more ids than one SQLite chunk (500) too.
func testSubmissionsByID(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	r, ok := s.(store.BoardReader)
	if !ok {
		t.Fatalf("%T is not a store.BoardReader", s)
	}
	a := mustStudent(t, s, "s1")
	var ids []int64
	for i := range 3 {
		got, _ := mustSubmit(t, s, a.ID, fmt.Sprintf("k-byid-%012d", i), "ds-basics", "")
		ids = append(ids, got.ID)
	}
	ask := []int64{ids[2], 999999, ids[0], ids[2]}
	for _, withSnap := range []bool{false, true} {
		got, err := r.SubmissionsByID(ctx, ask, withSnap)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[2] {
			t.Fatalf("SubmissionsByID(%v, %v) = %d submissions %+v, want ids %d, %d", ask, withSnap, len(got), got, ids[0], ids[2])
		}
		if got[1].IdempotencyKey != "k-byid-000000000002" || got[1].Score != 3 || got[1].StudentID != a.ID {
			t.Errorf("submission %d read back as %+v", ids[2], got[1])
		}
		if withSnap != (string(got[1].Snapshot) == `{"n":"k-byid-000000000002"}`) {
			t.Errorf("withSnapshot %v: snapshot %q", withSnap, got[1].Snapshot)
		}
	}
	many := make([]int64, 0, 1200)
	for i := range int64(1200) {
		many = append(many, ids[1]+i*7)
	}
	got, err := r.SubmissionsByID(ctx, many, false)
	if err != nil || len(got) != 1 || got[0].ID != ids[1] {
		t.Fatalf("1,200 ids of which one exists: %d submissions, %v", len(got), err)
	}
	if got, err := r.SubmissionsByID(ctx, nil, false); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v, %v", got, err)
	}
}

// testPreviousSubmission: the student's newest submission of one exercise,
// with its snapshot (what the server compares a new snapshot with), and
// ErrNotFound before any.
func testPreviousSubmission(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	a, b := mustStudent(t, s, "s1"), mustStudent(t, s, "s2")
	if _, err := s.PreviousSubmission(ctx, a.ID, "ds-basics"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before any submission: %v, want ErrNotFound", err)
	}
	mustSubmit(t, s, a.ID, "k-prev-000000000001", "ds-basics", "")
	want, _ := mustSubmit(t, s, a.ID, "k-prev-000000000002", "ds-basics", "")
	mustSubmit(t, s, a.ID, "k-prev-000000000003", "node-selector", "")
	mustSubmit(t, s, b.ID, "k-prev-000000000004", "ds-basics", "")
	got, err := s.PreviousSubmission(ctx, a.ID, "ds-basics")
	if err != nil || got.ID != want.ID || got.IdempotencyKey != "k-prev-000000000002" {
		t.Fatalf("previous ds-basics of s1: %+v %v, want id %d", got, err, want.ID)
	}
	var snap struct{ N string }
	if err := json.Unmarshal(got.Snapshot, &snap); err != nil || snap.N != "k-prev-000000000002" {
		t.Fatalf("snapshot %q %v", got.Snapshot, err)
	}
	if _, err := s.PreviousSubmission(ctx, b.ID, "node-selector"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("s2 node-selector: %v, want ErrNotFound", err)
	}
}

// testSubmissionBySnapshot: the student's earliest submission of the
// exercise with a snapshot hash, whatever its key; not another student's
// nor another exercise's; ErrNotFound for an unknown hash.
func testSubmissionBySnapshot(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	a, b := mustStudent(t, s, "s1"), mustStudent(t, s, "s2")
	add := func(student int64, key, ex, sha string) store.Submission {
		t.Helper()
		x := sub(student, key, ex, "")
		x.SnapshotSHA256 = sha
		got, _, err := s.AddSubmission(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := add(a.ID, "k-hash-000000000001", "ds-basics", "same")
	add(a.ID, "k-hash-000000000002", "ds-basics", "other")
	add(a.ID, "k-hash-000000000003", "ds-basics", "same")
	add(a.ID, "k-hash-000000000004", "node-selector", "only-there")
	add(b.ID, "k-hash-000000000005", "ds-basics", "theirs")
	got, err := s.SubmissionBySnapshot(ctx, a.ID, "ds-basics", "same")
	if err != nil || got.ID != first.ID || got.IdempotencyKey != "k-hash-000000000001" {
		t.Fatalf("s1 ds-basics 'same': %+v %v, want id %d", got, err, first.ID)
	}
	for _, c := range []struct {
		student int64
		ex, sha string
	}{{a.ID, "ds-basics", "theirs"}, {a.ID, "ds-basics", "only-there"}, {b.ID, "ds-basics", "same"}, {a.ID, "ds-basics", "none"}} {
		if _, err := s.SubmissionBySnapshot(ctx, c.student, c.ex, c.sha); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%d %s %s: %v, want ErrNotFound", c.student, c.ex, c.sha, err)
		}
	}
}

// testRemoveStudent (issue 12: no way to remove a wrong join): a removed
// student leaves Students and StudentByRosterID, its token still finds it
// marked Removed, the remove-student command is addressed to it with an
// event, its roster id can join again as a new student, and a second
// remove (or an unknown id) is ErrNotFound.
func testRemoveStudent(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.EnsureClass(ctx, store.Class{Title: "A", JoinCode: "123456", InstructorTokenHash: "h"}); err != nil {
		t.Fatal(err)
	}
	keep := mustStudent(t, s, "s1")
	gone := mustStudent(t, s, "s2")
	mustSubmit(t, s, gone.ID, "k-gone-1234567890", "ds-basics", "")
	at := time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC)
	st, cmd, err := s.RemoveStudent(ctx, "s2", store.Command{Kind: store.CommandRemoveStudent, Time: at, Message: "s2"})
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != gone.ID || !st.Removed.Equal(at) || cmd.Seq == 0 || cmd.StudentID != gone.ID {
		t.Fatalf("removed %+v with command %+v", st, cmd)
	}
	all, err := s.Students(ctx)
	if err != nil || len(all) != 1 || all[0].ID != keep.ID {
		t.Fatalf("students after the remove: %+v %v", all, err)
	}
	if _, err := s.StudentByRosterID(ctx, "s2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removed student by roster id: %v", err)
	}
	byTok, err := s.StudentByTokenHash(ctx, gone.TokenHash)
	if err != nil || byTok.Removed.IsZero() || byTok.ID != gone.ID {
		t.Fatalf("removed student by token: %+v %v", byTok, err)
	}
	if x, err := s.StudentByTokenHash(ctx, keep.TokenHash); err != nil || !x.Removed.IsZero() {
		t.Fatalf("kept student: %+v %v", x, err)
	}
	cmds, err := s.Commands(ctx, gone.ID, 0, 0)
	if err != nil || len(cmds) != 1 || cmds[0].Kind != store.CommandRemoveStudent {
		t.Fatalf("commands of the removed student: %+v %v", cmds, err)
	}
	if mine, _ := s.Commands(ctx, keep.ID, 0, 0); len(mine) != 0 {
		t.Fatalf("the remove reached another student: %+v", mine)
	}
	evs, err := s.Events(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		if e.StudentID == gone.ID {
			kinds = append(kinds, e.Kind)
		}
	}
	if !slices.Contains(kinds, store.EventRemoved) || !slices.Contains(kinds, store.EventCommand) {
		t.Fatalf("events of the removed student: %v", kinds)
	}
	if _, _, err := s.RemoveStudent(ctx, "s2", store.Command{Kind: store.CommandRemoveStudent}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second remove: %v", err)
	}
	again, err := s.CreateStudent(ctx, store.Student{RosterID: "s2", Name: "다시", TokenHash: "tok-s2-again", MachineID: "m2"})
	if err != nil || again.ID == gone.ID {
		t.Fatalf("join again with the removed roster id: %+v %v", again, err)
	}
	if x, err := s.StudentByRosterID(ctx, "s2"); err != nil || x.ID != again.ID {
		t.Fatalf("rejoined roster id: %+v %v", x, err)
	}
	// Numbers are assigned at join and never reused (issue 12: after a
	// removal the next student went from 4 to 3): s1 stays 1, the removed
	// s2 keeps 2 to itself, the new join is 3.
	all, err = s.Students(ctx)
	if err != nil || len(all) != 2 || all[0].No != 1 || all[1].No != 3 {
		t.Fatalf("student numbers after a removal and a new join, want 1 and 3: %+v %v", all, err)
	}
}

// testSettings: a setting is absent (ErrNotFound) until set, a second set
// replaces it, and names are separate.
func testSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if v, err := s.Setting(ctx, store.SettingStuckAfter); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unset setting: %q %v, want ErrNotFound", v, err)
	}
	for _, v := range []string{"5m0s", "12m0s"} {
		if err := s.SetSetting(ctx, store.SettingStuckAfter, v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Setting(ctx, store.SettingStuckAfter); err != nil || got != v {
			t.Fatalf("after setting %q: %q %v", v, got, err)
		}
	}
	if err := s.SetSetting(ctx, "other", "x"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Setting(ctx, store.SettingStuckAfter); got != "12m0s" {
		t.Fatalf("another name changed it: %q", got)
	}
}

func mustStudent(t *testing.T, s store.Store, roster string) store.Student {
	t.Helper()
	st, err := s.CreateStudent(context.Background(), store.Student{RosterID: roster, Name: "이름 " + roster, TokenHash: "tok-" + roster, MachineID: "m-" + roster})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustSubmit(t *testing.T, s store.Store, student int64, key, ex, dsUID string) (store.Submission, bool) {
	t.Helper()
	sub, created, err := s.AddSubmission(context.Background(), sub(student, key, ex, dsUID))
	if err != nil {
		t.Fatal(err)
	}
	return sub, created
}

func sub(student int64, key, ex, dsUID string) store.Submission {
	now := time.Now()
	return store.Submission{
		StudentID: student, IdempotencyKey: key, Exercise: ex,
		Snapshot: fmt.Appendf(nil, `{"n":%q}`, key), SnapshotSHA256: "sha-" + key,
		Result: []byte(`{"exercise":"` + ex + `"}`), Score: 3, MaxScore: 10, Status: "failed", GraderVersion: "test",
		ReceivedAt: now, ClientTime: now.Add(-time.Second), CreatedAt: now.Add(-time.Minute), DaemonSetUID: dsUID,
	}
}

func testClass(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.GetClass(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetClass on an empty store = %v, want ErrNotFound", err)
	}
	c, created, err := s.EnsureClass(ctx, store.Class{Title: "데몬셋 워크숍", JoinCode: "042042", InstructorTokenHash: "h1", Exercises: []string{"ds-basics", "taints"}})
	if err != nil || !created {
		t.Fatalf("EnsureClass = %v, %v", created, err)
	}
	if c.Title != "데몬셋 워크숍" || !slices.Equal(c.Exercises, []string{"ds-basics", "taints"}) || c.Created.IsZero() {
		t.Fatalf("class = %+v", c)
	}
	c2, created, err := s.EnsureClass(ctx, store.Class{Title: "other", JoinCode: "111111"})
	if err != nil || created || c2.JoinCode != "042042" {
		t.Fatalf("second EnsureClass = %+v, %v, %v", c2, created, err)
	}
	if err := s.SetInstructorTokenHash(ctx, "h2"); err != nil {
		t.Fatal(err)
	}
	if c3, _ := s.GetClass(ctx); c3.InstructorTokenHash != "h2" {
		t.Fatalf("token hash = %q", c3.InstructorTokenHash)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func testStudents(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustStudent(t, s, "2026001")
	if _, err := s.CreateStudent(ctx, store.Student{RosterID: "2026001", Name: "x", TokenHash: "other", MachineID: "m"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate roster id: %v, want ErrConflict", err)
	}
	got, err := s.StudentByTokenHash(ctx, "tok-2026001")
	if err != nil || got.ID != a.ID || got.Name != "이름 2026001" {
		t.Fatalf("by token = %+v, %v", got, err)
	}
	if _, err := s.StudentByTokenHash(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	if st, err := s.ApproveRejoin(ctx, "2026001"); err != nil || !st.RejoinApproved {
		t.Fatalf("approve = %+v, %v", st, err)
	}
	if _, err := s.ApproveRejoin(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("approve missing: %v", err)
	}
	if err := s.ReplaceStudentToken(ctx, a.ID, "tok-new", "m2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StudentByTokenHash(ctx, "tok-2026001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("old token still works after a rejoin")
	}
	got, err = s.StudentByRosterID(ctx, "2026001")
	if err != nil || got.TokenHash != "tok-new" || got.MachineID != "m2" || got.RejoinApproved {
		t.Fatalf("after rejoin = %+v, %v", got, err)
	}
	mustStudent(t, s, "2026002")
	all, err := s.Students(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("students = %d, %v", len(all), err)
	}
}

func testSubmissions(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustStudent(t, s, "a")
	b := mustStudent(t, s, "b")
	first, created := mustSubmit(t, s, a.ID, "key-1", "ds-basics", "")
	if !created || first.ID == 0 {
		t.Fatalf("first submission created=%v id=%d", created, first.ID)
	}
	again, created := mustSubmit(t, s, a.ID, "key-1", "ds-basics", "")
	if created || again.ID != first.ID {
		t.Fatalf("retry with the same key: created=%v id=%d, want the first (%d)", created, again.ID, first.ID)
	}
	other := sub(a.ID, "key-1", "ds-basics", "")
	other.SnapshotSHA256 = "different"
	if _, _, err := s.AddSubmission(ctx, other); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same key, other snapshot: %v, want ErrConflict", err)
	}
	// Keys are per student.
	if _, created := mustSubmit(t, s, b.ID, "key-1", "ds-basics", ""); !created {
		t.Fatal("another student's equal key was treated as a duplicate")
	}
	mustSubmit(t, s, a.ID, "key-2", "taints", "")
	last, _ := mustSubmit(t, s, a.ID, "key-3", "ds-basics", "")
	subs, err := s.Submissions(ctx, a.ID, false)
	if err != nil || len(subs) != 3 || subs[0].Snapshot != nil {
		t.Fatalf("a's submissions = %d, %v", len(subs), err)
	}
	if subs[0].ReceivedAt.IsZero() || subs[0].CreatedAt.After(subs[0].ClientTime) || subs[0].GraderVersion != "test" {
		t.Fatalf("times/version not kept: %+v", subs[0])
	}
	latest, err := s.LatestSubmissions(ctx, a.ID)
	if err != nil || len(latest) != 2 || latest[0].Exercise != "ds-basics" || latest[0].ID != last.ID || latest[1].Exercise != "taints" {
		t.Fatalf("latest = %+v, %v", latest, err)
	}
	all, err := s.Submissions(ctx, 0, true)
	if err != nil || len(all) != 4 || len(all[0].Snapshot) == 0 {
		t.Fatalf("all = %d, %v", len(all), err)
	}
	evs, err := s.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, e := range evs {
		if i > 0 && e.Seq <= evs[i-1].Seq {
			t.Fatalf("event seq not increasing: %d after %d", e.Seq, evs[i-1].Seq)
		}
		kinds = append(kinds, e.Kind)
	}
	want := []string{store.EventJoined, store.EventJoined, store.EventSubmitted, store.EventSubmitted, store.EventSubmitted, store.EventSubmitted}
	if !slices.Equal(kinds, want) {
		t.Fatalf("events = %v, want %v (a duplicate must add none)", kinds, want)
	}
	tail, err := s.Events(ctx, evs[3].Seq, 1)
	if err != nil || len(tail) != 1 || tail[0].Seq != evs[4].Seq {
		t.Fatalf("Events(after, 1) = %+v, %v", tail, err)
	}
}

func testCopyFlags(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustStudent(t, s, "a")
	b := mustStudent(t, s, "b")
	sa, _ := mustSubmit(t, s, a.ID, "a1", "ds-basics", "uid-1")
	if len(sa.Flags) != 0 {
		t.Fatalf("first owner flagged: %v", sa.Flags)
	}
	mustSubmit(t, s, a.ID, "a2", "ds-basics", "uid-1") // same student again: not copying
	if subs, _ := s.Submissions(ctx, a.ID, false); len(subs[1].Flags) != 0 {
		t.Fatalf("own resubmission flagged: %v", subs[1].Flags)
	}
	sb, _ := mustSubmit(t, s, b.ID, "b1", "ds-basics", "uid-1")
	if !slices.Contains(sb.Flags, store.FlagCopiedDaemonSet) {
		t.Fatalf("copy not flagged on the second student: %v", sb.Flags)
	}
	subs, _ := s.Submissions(ctx, a.ID, false)
	for _, x := range subs {
		if !slices.Equal(x.Flags, []string{store.FlagCopiedDaemonSet}) {
			t.Fatalf("first student's submission %d flags = %v", x.ID, x.Flags)
		}
	}
	cu := sub(b.ID, "b2", "taints", "")
	cu.ClusterUID = "cluster-x"
	cu.Flags = []string{"clock-skew"}
	got, _, err := s.AddSubmission(ctx, cu)
	if err != nil || !slices.Equal(got.Flags, []string{"clock-skew"}) {
		t.Fatalf("flags passed in = %v, %v", got.Flags, err)
	}
}

func testRegrade(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustStudent(t, s, "a")
	x, _ := mustSubmit(t, s, a.ID, "k", "ds-basics", "")
	if err := s.UpdateResult(ctx, x.ID, []byte(`{"passed":true}`), 10, 10, "passed", "v2"); err != nil {
		t.Fatal(err)
	}
	subs, _ := s.Submissions(ctx, a.ID, false)
	if subs[0].Score != 10 || subs[0].Status != "passed" || subs[0].GraderVersion != "v2" || string(subs[0].Result) != `{"passed":true}` {
		t.Fatalf("after regrade: %+v", subs[0])
	}
	if err := s.UpdateResult(ctx, 9999, nil, 0, 0, "", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("regrade missing: %v", err)
	}
	evs, _ := s.Events(ctx, 0, 0)
	if evs[len(evs)-1].Kind != store.EventRegraded {
		t.Fatalf("last event %s", evs[len(evs)-1].Kind)
	}
}

// testConcurrent submits from many goroutines at once: every submission is
// stored exactly once and none fails with "database is locked".
func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const students, each = 20, 10
	ids := make([]int64, students)
	for i := range ids {
		ids[i] = mustStudent(t, s, fmt.Sprintf("c%02d", i)).ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, students*each*2)
	for i := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				// every submission twice: the retry must not store a second row
				for range 2 {
					if _, _, err := s.AddSubmission(ctx, sub(ids[i], fmt.Sprintf("k%d", j), "ds-basics", "")); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := s.Submissions(ctx, 0, false)
	if err != nil || len(all) != students*each {
		t.Fatalf("stored %d submissions, want %d (%v)", len(all), students*each, err)
	}
}

// TestPostgresPoolsKeepConnections: after a burst of concurrent queries
// both PostgreSQL pools keep their connections open for the next burst
// (database/sql's default keeps 2 idle: every burst past two opened new
// PostgreSQL backends and lost pgx's per-connection prepared statements,
// most of the board's latency at 1,000 students).
func TestPostgresPoolsKeepConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	pg := classtest.StartPostgres(t)
	s, err := store.OpenPostgres(context.Background(), pg.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w, r := store.Pools(s)
	for name, db := range map[string]*sql.DB{"write": w, "read": r} {
		n := db.Stats().MaxOpenConnections
		if n < 4 {
			t.Fatalf("%s pool: at most %d connections", name, n)
		}
		for burst := range 2 {
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					// Held together: the pool must open n connections.
					if _, err := db.ExecContext(context.Background(), `SELECT pg_sleep(0.2)`); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			st := db.Stats()
			if st.MaxIdleClosed != 0 || st.Idle != n {
				t.Fatalf("%s pool after burst %d of %d queries: %d idle, %d closed for the idle limit; want all %d kept", name, burst+1, n, st.Idle, st.MaxIdleClosed, n)
			}
		}
	}
}
