package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// fakeCommands holds a class's commands; offline makes Fetch fail like an
// unreachable server.
type fakeCommands struct {
	cmds    []api.Command
	offline bool
	asked   []int64
}

func (f *fakeCommands) fetch(_ context.Context, after int64) ([]api.Command, error) {
	f.asked = append(f.asked, after)
	if f.offline {
		return nil, errors.New("dial tcp 127.0.0.1:1: connection refused")
	}
	var out []api.Command
	for _, c := range f.cmds {
		if c.Seq > after {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeCommands) add(kind, exercise, msg string) {
	f.cmds = append(f.cmds, api.Command{Seq: int64(len(f.cmds) + 1), Kind: kind, Exercise: exercise, Message: msg})
}

// recorder applies commands by recording their seqs; fail makes the
// listed seqs fail (not skip) until removed.
type recorder struct {
	applied []int64
	fail    map[int64]error
}

func (r *recorder) Apply(_ context.Context, c api.Command) error {
	if err := r.fail[c.Seq]; err != nil {
		return err
	}
	r.applied = append(r.applied, c.Seq)
	return nil
}

func newTestApplier(t *testing.T, srv *fakeCommands, r *recorder) *Applier {
	dir := t.TempDir()
	return &Applier{Fetch: srv.fetch, Cursor: CommandCursor{Path: CommandCursorFile(dir)}, Lock: CommandLockFile(dir), Actions: r}
}

func seqs(cs []api.Command) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.Seq)
	}
	return out
}

func TestApplierOrderAndOnce(t *testing.T) {
	ctx := context.Background()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "10분 뒤 쉽니다")
	srv.add(api.CommandUnlockHint, "taints", "")
	srv.add(api.CommandResetExercise, "taints", "처음부터 다시")
	// The server answers out of order: the applier still goes by seq.
	srv.cmds[0], srv.cmds[2] = srv.cmds[2], srv.cmds[0]
	r := &recorder{}
	a := newTestApplier(t, srv, r)
	res, err := a.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{1, 2, 3}; !slices.Equal(r.applied, want) || !slices.Equal(seqs(res.Applied), want) {
		t.Fatalf("applied %v (result %v), want %v", r.applied, seqs(res.Applied), want)
	}
	if n, _ := a.Cursor.Load(); n != 3 {
		t.Fatalf("cursor %d, want 3", n)
	}
	// Nothing new: nothing is applied again, and the server is asked after 3.
	res, err = a.Poll(ctx)
	if err != nil || len(res.Applied) != 0 || len(r.applied) != 3 {
		t.Fatalf("second poll applied %v (all: %v), err %v", seqs(res.Applied), r.applied, err)
	}
	if last := srv.asked[len(srv.asked)-1]; last != 3 {
		t.Fatalf("asked after %d, want 3", last)
	}
	// A server that ignores ?after still gets nothing applied twice.
	a.Fetch = func(context.Context, int64) ([]api.Command, error) { return srv.cmds, nil }
	if res, err := a.Poll(ctx); err != nil || len(res.Applied) != 0 || len(r.applied) != 3 {
		t.Fatalf("ignoring ?after: applied %v, err %v", r.applied, err)
	}
	// A new one is applied once; a fresh Applier on the same cursor (the
	// next dslab process) agrees.
	srv.add(api.CommandFreeze, "", "")
	b := &Applier{Fetch: srv.fetch, Cursor: a.Cursor, Lock: a.Lock, Actions: r}
	if res, err := b.Poll(ctx); err != nil || !slices.Equal(seqs(res.Applied), []int64{4}) {
		t.Fatalf("new command: applied %v, err %v", seqs(res.Applied), err)
	}
	if res, _ := a.Poll(ctx); len(res.Applied) != 0 || !slices.Equal(r.applied, []int64{1, 2, 3, 4}) {
		t.Fatalf("applied twice: %v", r.applied)
	}
}

func TestApplierFailingCommandStaysPending(t *testing.T) {
	ctx := context.Background()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "안녕하세요")
	srv.add(api.CommandResetExercise, "taints", "")
	srv.add(api.CommandBroadcast, "", "다음")
	noCluster := errors.New("클러스터에 연결되어 있지 않습니다")
	r := &recorder{fail: map[int64]error{2: noCluster}}
	a := newTestApplier(t, srv, r)
	res, err := a.Poll(ctx)
	if !errors.Is(err, noCluster) {
		t.Fatalf("err %v, want the reset's", err)
	}
	if !slices.Equal(r.applied, []int64{1}) || res.Pending != 2 {
		t.Fatalf("applied %v pending %d, want [1] and 2 (the later broadcast waits behind the reset)", r.applied, res.Pending)
	}
	if n, _ := a.Cursor.Load(); n != 1 {
		t.Fatalf("cursor %d, want 1", n)
	}
	// Still failing: retried, not skipped.
	if _, err := a.Poll(ctx); !errors.Is(err, noCluster) || len(r.applied) != 1 {
		t.Fatalf("retry: err %v applied %v", err, r.applied)
	}
	// The cluster is back: the reset and what follows are applied in order.
	delete(r.fail, 2)
	res, err = a.Poll(ctx)
	if err != nil || !slices.Equal(r.applied, []int64{1, 2, 3}) || res.Pending != 0 {
		t.Fatalf("after recovery: applied %v pending %d err %v", r.applied, res.Pending, err)
	}
}

func TestApplierSkips(t *testing.T) {
	ctx := context.Background()
	srv := &fakeCommands{}
	srv.add("teleport", "", "")
	srv.add(api.CommandUnlockHint, "no-such-exercise", "")
	srv.add(api.CommandBroadcast, "", "끝")
	r := &recorder{fail: map[int64]error{2: fmt.Errorf("모르는 연습입니다: %w", ErrSkip)}}
	a := newTestApplier(t, srv, r)
	res, err := a.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 2 || res.Skipped[0].Command.Seq != 1 || res.Skipped[1].Command.Seq != 2 || !slices.Equal(r.applied, []int64{3}) {
		t.Fatalf("skipped %+v applied %v", res.Skipped, r.applied)
	}
	if n, _ := a.Cursor.Load(); n != 3 {
		t.Fatalf("cursor %d, want 3", n)
	}
}

// TestApplierOfflineCatchUp: a student whose server is unreachable during
// the actions gets every one of them, in order, when it comes back.
func TestApplierOfflineCatchUp(t *testing.T) {
	ctx := context.Background()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "시작합니다")
	r := &recorder{}
	a := newTestApplier(t, srv, r)
	if _, err := a.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	srv.offline = true
	srv.add(api.CommandUnlockHint, "taints", "")
	srv.add(api.CommandResetExercise, "taints", "다시")
	res, err := a.Poll(ctx)
	if err == nil || len(res.Applied) != 0 || len(r.applied) != 1 {
		t.Fatalf("offline poll: applied %v err %v", r.applied, err)
	}
	if n, _ := a.Cursor.Load(); n != 1 {
		t.Fatalf("offline poll moved the cursor to %d", n)
	}
	srv.offline = false
	res, err = a.Poll(ctx)
	if err != nil || !slices.Equal(seqs(res.Applied), []int64{2, 3}) || !slices.Equal(r.applied, []int64{1, 2, 3}) {
		t.Fatalf("reconnect: applied %v (all %v) err %v", seqs(res.Applied), r.applied, err)
	}
}

func TestApplierLock(t *testing.T) {
	ctx := context.Background()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "하나")
	r := &recorder{}
	a := newTestApplier(t, srv, r)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	a.Now = func() time.Time { return now }
	if err := os.MkdirAll(filepath.Dir(a.Lock), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a.Lock, []byte("1 held\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(a.Lock, now, now); err != nil {
		t.Fatal(err)
	}
	res, err := a.Poll(ctx)
	if err != nil || !res.Busy || len(r.applied) != 0 || len(srv.asked) != 0 {
		t.Fatalf("held lock: busy %v applied %v asked %v err %v", res.Busy, r.applied, srv.asked, err)
	}
	// A lock left by a process that died long ago is taken over.
	now = now.Add(11 * time.Minute)
	res, err = a.Poll(ctx)
	if err != nil || res.Busy || !slices.Equal(r.applied, []int64{1}) {
		t.Fatalf("stale lock: busy %v applied %v err %v", res.Busy, r.applied, err)
	}
	if _, err := os.Stat(a.Lock); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock left behind: %v", err)
	}
}

// TestApplierHintBeforeJoinIsHistory is issue 12's instructor trial: an
// unlock-hint sent before this machine joined was applied and announced
// as news. It is still applied (api.AppliesBeforeJoin), with BeforeJoin
// set on the context so the action stays silent, and listed in Earlier
// (참가 전) with the broadcasts, not in Applied.
func TestApplierHintBeforeJoinIsHistory(t *testing.T) {
	cmds := []api.Command{
		{Seq: 1, Kind: api.CommandUnlockHint, Exercise: "taints"},
		{Seq: 2, Kind: api.CommandBroadcast, Message: "어제 공지"},
		{Seq: 3, Kind: api.CommandUnlockHint, Exercise: "taints"},
	}
	var before []bool
	a := &Applier{
		Fetch:  func(context.Context, int64) ([]api.Command, error) { return cmds, nil },
		Cursor: CommandCursor{Path: CommandCursorFile(t.TempDir())}, JoinCursor: 2,
		Actions: ActionsFunc(func(ctx context.Context, c api.Command) error {
			before = append(before, BeforeJoin(ctx))
			return nil
		}),
	}
	res, err := a.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 2 || !before[0] || before[1] {
		t.Fatalf("BeforeJoin of the applied hints: %v, want [true false]", before)
	}
	if len(res.Earlier) != 2 || res.Earlier[0].Seq != 1 || res.Earlier[1].Seq != 2 || len(res.Applied) != 1 || res.Applied[0].Seq != 3 {
		t.Fatalf("earlier %v, applied %v", res.Earlier, res.Applied)
	}
}

// tellingRecorder is a recorder that is also a Teller: it records the
// seqs told (and whether superseded).
type tellingRecorder struct {
	recorder
	told       []int64
	superseded []int64
}

func (r *tellingRecorder) Tell(ctx context.Context, c api.Command) {
	if Superseded(ctx) {
		r.superseded = append(r.superseded, c.Seq)
		return
	}
	r.told = append(r.told, c.Seq)
}

// TestLabTellsWhatTheCLIApplied (issue 12): `dslab class status` applied a
// broadcast while the lab was closed; the lab never showed it, since the
// one cursor had moved past it. The lab's applier (InLab) keeps its own
// "shown" cursor: it tells (never applies again) what the CLI applied,
// once, by the one superseded rule, and then applies what is new.
func TestLabTellsWhatTheCLIApplied(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "처음 공지")
	cliRec, labRec := &tellingRecorder{}, &tellingRecorder{}
	newA := func(r Actions, inLab bool) *Applier {
		return &Applier{Fetch: srv.fetch, Cursor: CommandCursor{Path: CommandCursorFile(dir)}, Shown: CommandCursor{Path: CommandShownFile(dir)},
			Lock: CommandLockFile(dir), Actions: r, InLab: inLab}
	}
	// The lab shows the first one itself.
	if res, err := newA(labRec, true).Poll(ctx); err != nil || !slices.Equal(seqs(res.Applied), []int64{1}) {
		t.Fatalf("lab's first poll: %v %v", seqs(res.Applied), err)
	}
	// Lab closed: the CLI applies a broadcast, a freeze, a reset and an
	// unfreeze.
	srv.add(api.CommandBroadcast, "", "class status 로 받은 공지")
	srv.add(api.CommandFreeze, "", "")
	srv.add(api.CommandResetExercise, "taints", "")
	srv.add(api.CommandUnfreeze, "", "")
	if res, err := newA(cliRec, false).Poll(ctx); err != nil || !slices.Equal(seqs(res.Applied), []int64{2, 3, 4, 5}) || len(res.Told) != 0 {
		t.Fatalf("CLI: applied %v told %v %v", seqs(res.Applied), seqs(res.Told), err)
	}
	// The lab opens again, one more broadcast waiting: the CLI's are told
	// (the freeze superseded by the later unfreeze), the new one applied.
	srv.add(api.CommandBroadcast, "", "새 공지")
	res, err := newA(labRec, true).Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labRec.told, []int64{2, 4, 5}) || !slices.Equal(labRec.superseded, []int64{3}) || !slices.Equal(seqs(res.Told), []int64{2, 3, 4, 5}) {
		t.Fatalf("lab told %v (superseded %v, result %v), want 2 4 5 (3)", labRec.told, labRec.superseded, seqs(res.Told))
	}
	if !slices.Equal(labRec.applied, []int64{1, 6}) || !slices.Equal(seqs(res.Applied), []int64{6}) {
		t.Fatalf("lab applied %v (now %v), want 1 6: nothing the CLI applied is applied again", labRec.applied, seqs(res.Applied))
	}
	// Once: the next poll tells nothing.
	if res, err := newA(labRec, true).Poll(ctx); err != nil || len(res.Told) != 0 || len(res.Applied) != 0 {
		t.Fatalf("second lab poll: told %v applied %v %v", seqs(res.Told), seqs(res.Applied), err)
	}
	if n, _ := (CommandCursor{Path: CommandShownFile(dir)}).Load(); n != 6 {
		t.Fatalf("shown cursor %d, want 6", n)
	}
}

// TestLabShownCursorStartsAtApplied: a machine whose cursor predates the
// shown cursor (an upgrade) shows nothing old again.
func TestLabShownCursorStartsAtApplied(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv := &fakeCommands{}
	srv.add(api.CommandBroadcast, "", "어제 공지")
	srv.add(api.CommandBroadcast, "", "그제 공지")
	if err := (CommandCursor{Path: CommandCursorFile(dir)}).Save(2); err != nil {
		t.Fatal(err)
	}
	r := &tellingRecorder{}
	a := &Applier{Fetch: srv.fetch, Cursor: CommandCursor{Path: CommandCursorFile(dir)}, Shown: CommandCursor{Path: CommandShownFile(dir)}, Actions: r, InLab: true}
	if res, err := a.Poll(ctx); err != nil || len(res.Told) != 0 || len(r.told) != 0 || len(r.applied) != 0 {
		t.Fatalf("upgrade: told %v applied %v %v", r.told, r.applied, err)
	}
}

// TestSeenVerdictsRegraded: a regrade's line compares the server's
// verdicts now with the ones first seen (a later sighting never replaces
// them before a regrade is told), says a score-only change with the
// scores, and nothing when no submission was seen.
func TestSeenVerdictsRegraded(t *testing.T) {
	s := SeenVerdicts{Path: filepath.Join(t.TempDir(), "seen.json")}
	if err := s.NoteFirst([]api.SubmitResponse{{ID: 1, Exercise: "taints", Status: api.StatusFailed, Score: 5, MaxScore: 10},
		{ID: 2, Exercise: "gpu-only", Status: api.StatusFailed, Score: 6, MaxScore: 10}}); err != nil {
		t.Fatal(err)
	}
	// The same submission answered again after the regrade: not noted.
	s.NoteFirst([]api.SubmitResponse{{ID: 2, Exercise: "gpu-only", Status: api.StatusPassed, Score: 10, MaxScore: 10}})
	me := api.MeResponse{Scores: []api.ExerciseScore{
		{Exercise: "gpu-only", Counted: &api.Verdict{SubmissionID: 2, Exercise: "gpu-only", Status: api.StatusPassed, Score: 10, MaxScore: 10}},
		{Exercise: "taints", Counted: &api.Verdict{SubmissionID: 1, Exercise: "taints", Status: api.StatusFailed, Score: 7, MaxScore: 10}},
	}}
	changes, known, err := s.Regraded(me)
	if got, want := RegradeLine(changes, known), "연습 gpu-only: 진행 중 → 통과, 연습 taints: 진행 중 5/10점 → 7/10점"; err != nil || got != want {
		t.Fatalf("line %q (%v), want %q", got, err, want)
	}
	// Told: the next regrade compares with these.
	changes, known, _ = s.Regraded(me)
	// Said once (the instructor trial on f9ad301 read "내 결과는 바뀌지
	// 않았습니다 (바뀐 결과 없음)").
	if got := RegradeLine(changes, known); got != "내 결과는 바뀌지 않았습니다" {
		t.Fatalf("second regrade %q", got)
	}
	empty := SeenVerdicts{Path: filepath.Join(t.TempDir(), "none.json")}
	if changes, known, _ := empty.Regraded(me); RegradeLine(changes, known) != "" {
		t.Fatal("a line without any verdict seen")
	}
}

// TestApplierWaitingResetDoesNotHoldOthers is issue 12's instructor trial:
// a reset waiting for a student with no cluster kept the unfreeze and the
// broadcast after it from applying until `cluster up`. Commands that need
// no cluster apply at once and only once; the reset, and a command about
// its exercise after it, wait and apply in order when the cluster is there.
func TestApplierWaitingResetDoesNotHoldOthers(t *testing.T) {
	srv := &fakeCommands{}
	srv.add(api.CommandFreeze, "", "")                 // 1
	srv.add(api.CommandResetExercise, "ds-basics", "") // 2: waits
	srv.add(api.CommandUnfreeze, "", "")               // 3
	srv.add(api.CommandBroadcast, "", "쉬는 시간")         // 4
	srv.add(api.CommandUnlockHint, "ds-basics", "")    // 5: after the reset of ds-basics
	srv.add(api.CommandFreeze, "", "")                 // 6: a freeze after a reset applies
	wait := fmt.Errorf("클러스터가 켜지면 초기화합니다: %w", ErrWaiting)
	r := &recorder{fail: map[int64]error{2: wait}}
	a := newTestApplier(t, srv, r)
	ctx := context.Background()

	res, err := a.Poll(ctx)
	if !errors.Is(err, ErrWaiting) || res.Pending != 2 || !slices.Equal(r.applied, []int64{1, 3, 4, 6}) {
		t.Fatalf("poll without a cluster: applied %v, pending %d, err %v; want 1 3 4 6 applied, 2 pending", r.applied, res.Pending, err)
	}
	if cur, _ := a.Cursor.Load(); cur != 1 {
		t.Fatalf("cursor %d, want 1 (the reset waits)", cur)
	}
	// Again without a cluster: nothing applied twice.
	if res, err = a.Poll(ctx); !errors.Is(err, ErrWaiting) || res.Pending != 2 || len(res.Applied) != 0 || !slices.Equal(r.applied, []int64{1, 3, 4, 6}) {
		t.Fatalf("second poll: applied %v (this poll %v), pending %d, err %v", r.applied, res.Applied, res.Pending, err)
	}
	// The cluster is up: the reset, then the hint of its exercise.
	delete(r.fail, 2)
	if res, err = a.Poll(ctx); err != nil || res.Pending != 0 || !slices.Equal(r.applied, []int64{1, 3, 4, 6, 2, 5}) {
		t.Fatalf("poll with the cluster: applied %v, pending %d, err %v", r.applied, res.Pending, err)
	}
	if cur, _ := a.Cursor.Load(); cur != 6 {
		t.Fatalf("cursor %d, want 6", cur)
	}
	if _, err := os.Stat(a.aheadFile()); !os.IsNotExist(err) {
		t.Fatalf("ahead file left: %v", err)
	}
	if res, err = a.Poll(ctx); err != nil || len(res.Applied) != 0 || len(r.applied) != 6 {
		t.Fatalf("poll after: %v %v %v", res.Applied, r.applied, err)
	}
}
