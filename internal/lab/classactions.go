package lab

// Instructor actions applied to the learner's lab (client.Actions): the
// TUI's class poll and `dslab class status`, `dslab grade`, `dslab class
// submit` run them through a client.Applier.

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// waitError is a command waiting for the cluster: its Korean message alone
// (what the learner reads), the cause kept for errors.Is and the log.
type waitError struct {
	msg string
	err error
}

func (e waitError) Error() string { return e.msg }
func (e waitError) Unwrap() error { return e.err }

// ErrNoCluster is returned (wrapped) by ClassActions.Apply for a reset
// while no lab cluster is reachable: the command stays pending and waits
// (client.ErrWaiting) without holding back the later commands.
var ErrNoCluster = fmt.Errorf("no lab cluster: %w", client.ErrWaiting)

// ClassActions applies instructor commands to the learner's lab:
//   - broadcast: Notify shows the instructor's message;
//   - unlock-hint: the exercise's next hint is opened in Progress
//     (HintsUnlocked; UnlockHint) and saved;
//   - reset-exercise: Notify shows the instructor's reason first, then the
//     exercise is reset as the learner's r r does (Starter.ResetWith: the
//     copies of the target in other namespaces deleted too),
//     the start is recorded in Progress and AfterReset runs;
//   - freeze, unfreeze, regrade: server-side; Notify shows a short note.
//
// An exercise the catalog does not know is skipped (client.ErrSkip).
type ClassActions struct {
	Catalog  *exercises.Catalog
	Progress *progress.Store
	Starter  Starter
	// Conn returns the lab cluster; an error (no cluster) keeps a reset
	// pending. Nil: resets always wait.
	Conn func(ctx context.Context) (*kube.Conn, error)
	// Notify shows one Korean line to the learner (the TUI's status area,
	// stderr on the CLI). Nil discards.
	Notify func(string)
	// ResetProgress receives the reset's progress lines. Nil discards.
	ResetProgress func(string)
	// AfterReset runs after a reset (the TUI refreshes its watcher).
	AfterReset func(exercise string)
	// Frozen, when set, receives the class's freeze state from every
	// freeze (true) and unfreeze (false) applied or told, in order.
	Frozen func(frozen bool)
	// Now is the clock of progress timestamps (time.Now when nil).
	Now func() time.Time
	// Regraded, when set, is the student's own change of a regrade
	// ("연습 gpu-only: 진행 중 → 통과", "… 바뀐 결과 없음"; "" when it
	// cannot tell): the regrade's line says it instead of the class-wide
	// counts (issue 12).
	Regraded func(ctx context.Context) string
}

var (
	_ client.Actions = (*ClassActions)(nil)
	_ client.Teller  = (*ClassActions)(nil)
)

// Tell shows the news of c, which another dslab process (`dslab class
// status` in a terminal) already applied, without applying it again:
// the broadcast, the hint opened (as many as are open now), the reset done
// (its reason, the work file kept) and the newest freeze, unfreeze or
// regrade (client.Teller).
func (a *ClassActions) Tell(ctx context.Context, c api.Command) {
	a.frozen(c)
	switch c.Kind {
	case api.CommandBroadcast:
		a.notify("강사 공지: " + c.Message)
		return
	case api.CommandFreeze, api.CommandUnfreeze, api.CommandRegrade:
		if !client.Superseded(ctx) {
			a.notify(a.stateNote(ctx, c))
		}
		return
	}
	ex, err := a.exercise(c)
	if err != nil {
		return
	}
	switch c.Kind {
	case api.CommandUnlockHint:
		n := len(ex.Hints)
		if a.Progress != nil {
			n = min(a.Progress.Exercise(ex.ID).HintsUnlocked, len(ex.Hints))
		}
		a.notify(HintOpenedNote(ex.ID, n, len(ex.Hints)))
	case api.CommandResetExercise:
		a.notify("강사의 요청으로 " + resetDone(a.Starter.Paths, ex, resetWhy(c)))
	}
}

// HintOpenedNote is the one wording of an instructor's opened hint, as
// the lab applies it and as another process's news of it (Tell): "강사가
// 연습 taints 의 힌트를 열었습니다: 힌트 1/3" (the instructor trial on
// f9ad301 read it two ways, "…: 강사가 연 힌트 1/3" and "…힌트 1/3 을
// 열었습니다.").
func HintOpenedNote(id string, n, total int) string {
	return fmt.Sprintf("강사가 연습 %s 의 힌트를 열었습니다: 힌트 %d/%d", id, n, total)
}

// stateNote is the line of a freeze, unfreeze or regrade; a regrade's
// says the student's own change (Regraded) when known, else that the
// class was regraded, without the class-wide counts.
func (a *ClassActions) stateNote(ctx context.Context, c api.Command) string {
	switch c.Kind {
	case api.CommandFreeze:
		return "강사가 제출을 마감했습니다: 이제부터의 제출도 저장되지만 '마감 후'로 표시됩니다."
	case api.CommandUnfreeze:
		return "강사가 제출 마감을 풀었습니다."
	}
	if a.Regraded != nil {
		if mine := a.Regraded(ctx); mine != "" {
			return "강사가 모든 제출을 다시 채점했습니다: " + mine
		}
	}
	return "강사가 모든 제출을 다시 채점했습니다."
}

func resetWhy(c api.Command) string {
	if c.Message == "" {
		return ""
	}
	return " — 강사: " + c.Message
}

// frozen passes a freeze or unfreeze on to Frozen.
func (a *ClassActions) frozen(c api.Command) {
	if a.Frozen == nil {
		return
	}
	switch c.Kind {
	case api.CommandFreeze:
		a.Frozen(true)
	case api.CommandUnfreeze:
		a.Frozen(false)
	}
}

func (a *ClassActions) notify(s string) {
	if a.Notify != nil {
		a.Notify(s)
	}
}

func (a *ClassActions) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Apply applies c (see ClassActions).
func (a *ClassActions) Apply(ctx context.Context, c api.Command) error {
	a.frozen(c)
	switch c.Kind {
	case api.CommandBroadcast:
		a.notify("강사 공지: " + c.Message)
		return nil
	case api.CommandFreeze, api.CommandUnfreeze, api.CommandRegrade:
		if client.Superseded(ctx) {
			return nil // a later one of the same catch-up says the state now
		}
	}
	switch c.Kind {
	case api.CommandFreeze, api.CommandUnfreeze, api.CommandRegrade:
		a.notify(a.stateNote(ctx, c))
		return nil
	}
	ex, err := a.exercise(c)
	if err != nil {
		return err
	}
	switch c.Kind {
	case api.CommandUnlockHint:
		n, opened := UnlockHint(a.Progress, ex.ID, c.Seq, len(ex.Hints))
		if client.BeforeJoin(ctx) { // history, listed as (참가 전) by the caller
			if opened {
				if err := a.Progress.Save(); err != nil {
					return fmt.Errorf("강사가 연 힌트를 진행 상황(progress.json)에 저장하지 못했습니다: %w", err)
				}
			}
			return nil
		}
		if opened {
			if err := a.Progress.Save(); err != nil {
				return fmt.Errorf("강사가 연 힌트를 진행 상황(progress.json)에 저장하지 못했습니다: %w", err)
			}
			a.notify(HintOpenedNote(ex.ID, n, len(ex.Hints)))
		} else if n >= len(ex.Hints) {
			a.notify(fmt.Sprintf("강사가 연습 %s 의 힌트를 열었습니다: 힌트 %d개가 이미 모두 열려 있습니다.", ex.ID, len(ex.Hints)))
		}
		return nil
	case api.CommandResetExercise:
		return a.reset(ctx, c, ex)
	}
	return fmt.Errorf("%w: %q", client.ErrSkip, c.Kind)
}

func (a *ClassActions) exercise(c api.Command) (exercises.Exercise, error) {
	if a.Catalog == nil {
		return exercises.Exercise{}, fmt.Errorf("연습 목록이 없어 강사 동작(%s)을 건너뜁니다: %w", c.Kind, client.ErrSkip)
	}
	ex, err := a.Catalog.Get(c.Exercise)
	if err != nil {
		return ex, fmt.Errorf("이 dslab 에 없는 연습이라 강사 동작(%s)을 건너뜁니다: %q: %w", c.Kind, c.Exercise, client.ErrSkip)
	}
	return ex, nil
}

// reset shows why, then resets ex as `dslab exercise reset` does.
func (a *ClassActions) reset(ctx context.Context, c api.Command, ex exercises.Exercise) error {
	why := resetWhy(c)
	waitMsg := fmt.Sprintf("강사가 요청한 연습 %s 초기화: 클러스터가 켜지면 초기화합니다 (dslab cluster up)%s", ex.ID, why)
	if a.Conn == nil {
		return waitError{msg: waitMsg, err: ErrNoCluster}
	}
	conn, err := a.Conn(ctx)
	if err != nil || conn == nil {
		if err != nil {
			err = fmt.Errorf("%w (%w)", ErrNoCluster, err)
		} else {
			err = ErrNoCluster
		}
		return waitError{msg: waitMsg, err: err}
	}
	a.notify(fmt.Sprintf("강사의 요청으로 연습 %s 의 클러스터를 처음 상태로 되돌립니다%s", ex.ID, why))
	// The learner's reset (r r) deletes the copies of the target left in
	// other namespaces: so does the instructor's (Starter.ResetWith).
	leftovers, err := FindLeftovers(ctx, conn.Client, ex)
	if err != nil {
		return fmt.Errorf("강사가 요청한 연습 %s 초기화에 실패했습니다 (다시 시도합니다): %w", ex.ID, err)
	}
	if _, err := a.Starter.ResetWith(ctx, conn, ex, leftovers, a.ResetProgress); err != nil {
		return fmt.Errorf("강사가 요청한 연습 %s 초기화에 실패했습니다 (다시 시도합니다): %w", ex.ID, err)
	}
	if a.Progress != nil {
		RecordStartBy(a.Progress, ex.ID, a.now(), progress.StartedByInstructor)
		if err := a.Progress.Save(); err != nil {
			a.notify(fmt.Sprintf("진행 상황(progress.json)을 저장하지 못했습니다: %v", err))
		}
	}
	if a.AfterReset != nil {
		a.AfterReset(ex.ID)
	}
	a.notify(ResetDoneNote(a.Starter.Paths, ex))
	return nil
}

// ResetDoneNote is the learner's line after an instructor's reset of ex:
// the reset is the lab's own (Starter.Start with reset: the target
// DaemonSet removed, the setup applied again) and never touches the work
// file, so the line says the cluster was reset and the work file kept,
// with where it is and how to start over from the starter manifest (issue
// 12: "처음 상태로 되돌렸습니다" while the learner's edited file stayed).
// p with no data dir, or no work file there, says the cluster only.
func ResetDoneNote(p paths.Paths, ex exercises.Exercise) string {
	return resetDone(p, ex, "")
}

// resetDone is ResetDoneNote with the instructor's reason (why, " — 강사:
// …" or "") after the reset.
func resetDone(p paths.Paths, ex exercises.Exercise, why string) string {
	line := fmt.Sprintf("연습 %s 의 클러스터를 처음 상태로 되돌렸습니다%s", ex.ID, why)
	if p.DataDir == "" {
		return line
	}
	work := WorkFile(p, ex.ID)
	if _, err := os.Stat(work); err != nil {
		return line
	}
	return line + fmt.Sprintf(" · 작업 파일은 그대로입니다 (%s; 지우면 연습을 열 때 시작 매니페스트를 다시 만듭니다)", work)
}

// UnlockHint opens the next hint of exercise id for the learner (one past
// what is open: max(HintsUsed, HintsUnlocked)+1, at most total) for the
// unlock-hint command seq. It reports how many hints are open for the
// instructor and whether it opened one; a command already applied (seq
// not after HintUnlockSeq) opens nothing. A nil store opens nothing.
func UnlockHint(store *progress.Store, id string, seq int64, total int) (n int, opened bool) {
	if store == nil {
		return 0, false
	}
	store.UpdateExercise(id, func(e *progress.ExerciseProgress) {
		n = e.HintsUnlocked
		if seq != 0 && seq <= e.HintUnlockSeq {
			return
		}
		e.HintUnlockSeq = max(e.HintUnlockSeq, seq)
		next := min(max(e.HintsUsed, e.HintsUnlocked)+1, total)
		if next > e.HintsUnlocked {
			e.HintsUnlocked, n, opened = next, next, true
		}
	})
	return n, opened
}

// HintsOpen is how many hints of exercise id are shown to the learner:
// those it revealed (counted or, after a pass, only viewed) and those the
// instructor opened, at most total.
func HintsOpen(store *progress.Store, id string, total int) int {
	e := store.Exercise(id)
	return min(max(e.HintsUsed, e.HintsUnlocked, e.HintsViewed), total)
}

// HintsAfterPass is how many of the n hints open on exercise id were
// opened after its pass and so are not counted in HintsUsed (0 before a
// pass; hints the instructor opened are not the learner's either way).
func HintsAfterPass(e progress.ExerciseProgress, n int) int {
	if !e.Passed {
		return 0
	}
	return max(n-max(e.HintsUsed, e.HintsUnlocked), 0)
}
