package client

// The student side of instructor actions: an Applier fetches the commands
// after the cursor (GET /api/v1/commands?after=SEQ), applies each once in
// seq order through Actions and saves the cursor after each. A command the
// lab cannot apply now (no cluster) stays pending with every later one and
// is retried on the next poll; a student offline during an action gets it
// on reconnect because the cursor only moves past applied commands.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// ErrSkip marks (wrapped) an error of Actions.Apply for a command that can
// never be applied on this machine (an exercise this dslab does not know):
// the applier notes it and moves past it instead of retrying.
var ErrSkip = errors.New("command skipped")

// ErrWaiting marks (wrapped) an error of Actions.Apply for a command that
// cannot apply yet and waits for something of the lab (a reset for a
// cluster): it stays pending and is retried, while the later commands that
// do not depend on it apply now, each once (issue 12: a reset waiting for
// a student with no cluster held back an unfreeze and a broadcast until
// `cluster up`). A later reset, or a later command about the same
// exercise, keeps its order and waits too.
var ErrWaiting = errors.New("command waits")

// Actions applies one instructor command to the student's lab. Apply
// returns nil when the command took effect (or had nothing to do), an
// error wrapping ErrSkip when it never can, and any other error when it
// cannot now (the command stays pending and is retried).
type Actions interface {
	Apply(ctx context.Context, c api.Command) error
}

// Teller is implemented by Actions that can tell the learner the news of
// a command another dslab process already applied (`dslab class status`
// in a terminal while the lab was closed), without applying it again: the
// lab shows every broadcast, hint and reset once even then (issue 12: a
// notice `class status` applied never reached the lab). ctx carries
// Superseded as Apply's does.
type Teller interface {
	Tell(ctx context.Context, c api.Command)
}

// ActionsFunc adapts a function to Actions.
type ActionsFunc func(ctx context.Context, c api.Command) error

// Apply calls f.
func (f ActionsFunc) Apply(ctx context.Context, c api.Command) error { return f(ctx, c) }

// KnownCommand reports whether kind is an instructor command this client
// applies (api.Command…); others are skipped with a note.
func KnownCommand(kind string) bool {
	switch kind {
	case api.CommandBroadcast, api.CommandUnlockHint, api.CommandResetExercise,
		api.CommandFreeze, api.CommandUnfreeze, api.CommandRegrade:
		return true
	}
	return false
}

// Skipped is a command the applier moved past without applying it, with
// the Korean reason.
type Skipped struct {
	Command api.Command
	Reason  string
}

// ApplyResult says what one Poll did.
type ApplyResult struct {
	// Applied are the commands applied now, in seq order.
	Applied []api.Command
	// Skipped are commands moved past (unknown kind, ErrSkip).
	Skipped []Skipped
	// Earlier are commands from before this machine joined (seq <=
	// Applier.JoinCursor) that are history rather than news (all but
	// unlock-hint: api.AppliesBeforeJoin), moved past without applying
	// them; each keeps its server Time so a caller can show it as earlier.
	Earlier []api.Command
	// Pending is how many fetched commands wait for a later poll (the
	// first of them failed with the error Poll returned).
	Pending int
	// Busy is set when another dslab process was applying commands: this
	// poll did nothing and the next one catches up.
	Busy bool
	// Told are the commands another process applied whose news this
	// poll told through Teller (InLab only), in seq order.
	Told []api.Command
}

// Applier applies a student's instructor commands once each, in order.
type Applier struct {
	// Fetch returns the commands with seq > after, oldest first
	// (Client.Commands).
	Fetch func(ctx context.Context, after int64) ([]api.Command, error)
	// Cursor holds the seq of the last command applied or skipped.
	Cursor CommandCursor
	// Lock is a lock file that keeps two dslab processes (the TUI and
	// `dslab class status` in another terminal) from applying the same
	// command twice; "" applies without a lock.
	Lock string
	// StaleLock is the age after which a lock file left by a process that
	// died is taken over (default 10 minutes; a reset takes well under).
	StaleLock time.Duration
	Actions   Actions
	// JoinCursor is Credentials.CommandCursor: commands with seq <=
	// JoinCursor were sent before this machine joined — a reset already
	// applied on the student's earlier machine, yesterday's broadcast —
	// and are moved past unapplied (Earlier), except unlock-hint
	// (api.AppliesBeforeJoin).
	JoinCursor int64
	// Now is the clock of the lock's age (time.Now when nil).
	Now func() time.Time
	// Shown holds the seq up to which the lab has shown the commands'
	// news, apart from Cursor (what is applied): a CLI applies without
	// moving it, so the lab still tells what the CLI applied (InLab,
	// Teller). A zero Path keeps no such cursor.
	Shown CommandCursor
	// InLab is set for the lab's (the TUI's) applier: its notices are
	// what the learner sees in the lab, so it moves Shown with Cursor and
	// first tells (Actions as a Teller) the commands between Shown and
	// Cursor that another process applied.
	InLab bool
}

// CommandShownFile is the "shown in the lab" cursor's place in the data
// dir (Applier.Shown).
func CommandShownFile(dataDir string) string {
	return filepath.Join(dataDir, "class", "commands-shown")
}

// loadShown is the Shown cursor (ok false: none kept). A machine without
// the file yet starts it at applied (an upgrade or a first poll shows
// nothing old again), saved so that a CLI's later applies are still told.
func (a *Applier) loadShown(applied int64) (shown int64, ok bool) {
	if a.Shown.Path == "" {
		return 0, false
	}
	if _, err := os.Stat(a.Shown.Path); errors.Is(err, fs.ErrNotExist) {
		if err := a.Shown.Save(applied); err != nil {
			return 0, false
		}
		return applied, true
	}
	n, err := a.Shown.Load()
	if err != nil {
		return 0, false
	}
	return n, true
}

// CommandLockFile is the applier's lock file in the data dir.
func CommandLockFile(dataDir string) string {
	return filepath.Join(dataDir, "class", "commands.lock")
}

// NewApplier returns an applier for c's commands with its cursor and lock
// in dataDir.
func NewApplier(c *Client, dataDir string, a Actions) *Applier {
	return &Applier{Fetch: c.Commands, Cursor: CommandCursor{Path: CommandCursorFile(dataDir)},
		Shown: CommandCursor{Path: CommandShownFile(dataDir)},
		Lock:  CommandLockFile(dataDir), Actions: a, JoinCursor: c.JoinCursor}
}

func (a *Applier) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Poll fetches the commands after the cursor and applies them in seq
// order, saving the cursor after each. It stops at the first command that
// cannot be applied now and returns its error (Korean first); that command
// and the later ones stay pending. A fetch error (server unreachable)
// returns the error and changes nothing.
func (a *Applier) Poll(ctx context.Context) (ApplyResult, error) {
	var res ApplyResult
	unlock, ok, err := a.lock()
	if err != nil {
		return res, fmt.Errorf("강사 동작의 잠금 파일을 만들 수 없습니다: %w", err)
	}
	if !ok {
		res.Busy = true
		return res, nil
	}
	defer unlock()
	after, err := a.Cursor.Load()
	if err != nil {
		return res, fmt.Errorf("강사 동작을 어디까지 적용했는지 읽을 수 없습니다: %w", err)
	}
	// from: the lab also fetches what another process applied but the
	// lab has not shown yet (Shown < after) and tells it (Teller).
	from := after
	shown, keepShown := a.loadShown(after)
	teller, _ := a.Actions.(Teller)
	if a.InLab && keepShown && shown < after && teller != nil {
		from = shown
	}
	cmds, err := a.Fetch(ctx, from)
	if err != nil {
		return res, fmt.Errorf("수업 서버에서 강사 동작을 받지 못했습니다 (다시 연결되면 받습니다): %w", err)
	}
	cmds = slices.Clone(cmds)
	slices.SortStableFunc(cmds, func(x, y api.Command) int { return cmpInt64(x.Seq, y.Seq) })
	later := supersededIn(cmds, from)
	markShown := func(seq int64) {
		if a.InLab && keepShown && seq > shown {
			if err := a.Shown.Save(seq); err == nil {
				shown = seq
			}
		}
	}
	// ahead are the commands applied while an earlier one waits
	// (ErrWaiting): past the cursor, never applied again.
	ahead := a.loadAhead()
	var waiting []api.Command
	var waitErr error
	for i, c := range cmds {
		if c.Seq <= from {
			continue // already applied (a server that ignored ?after)
		}
		if c.Seq <= after {
			// Applied by another process (the CLI) and not yet shown
			// in the lab: told once, never applied again. History from
			// before the join and kinds this dslab does not know were
			// not news there either.
			if c.Seq > a.JoinCursor && KnownCommand(c.Kind) {
				teller.Tell(supersededContext(ctx, later[i]), c)
				res.Told = append(res.Told, c)
			}
			markShown(c.Seq)
			continue
		}
		if ahead[c.Seq] {
			if len(waiting) == 0 {
				delete(ahead, c.Seq)
				if err := a.Cursor.Save(c.Seq); err != nil {
					return res, fmt.Errorf("강사 동작 #%d %s 기록하지 못했습니다: %w", c.Seq, hangul.EulReul(strconv.FormatInt(c.Seq, 10)), err)
				}
				after = c.Seq
				a.saveAhead(ahead)
				markShown(c.Seq)
			}
			continue
		}
		if waitsFor(waiting, c) {
			waiting = append(waiting, c)
			continue
		}
		if c.Seq <= a.JoinCursor && !api.AppliesBeforeJoin(c.Kind) {
			res.Earlier = append(res.Earlier, c)
		} else if !KnownCommand(c.Kind) {
			res.Skipped = append(res.Skipped, Skipped{Command: c, Reason: fmt.Sprintf("이 dslab 이 모르는 강사 동작이라 건너뜁니다: %q (dslab 을 새 버전으로 바꾸세요)", c.Kind)})
		} else if err := a.Actions.Apply(supersededContext(beforeJoinContext(ctx, c.Seq <= a.JoinCursor), later[i]), c); errors.Is(err, ErrSkip) {
			res.Skipped = append(res.Skipped, Skipped{Command: c, Reason: err.Error()})
		} else if errors.Is(err, ErrWaiting) {
			waiting = append(waiting, c)
			if waitErr == nil {
				waitErr = err
			}
			continue
		} else if err != nil {
			res.Pending = len(waiting) + len(cmds) - i
			return res, err
		} else if c.Seq <= a.JoinCursor {
			res.Earlier = append(res.Earlier, c) // applied silently: history, not news
		} else {
			res.Applied = append(res.Applied, c)
		}
		if len(waiting) > 0 {
			ahead[c.Seq] = true // applied before the command that waits
			if err := a.saveAhead(ahead); err != nil {
				res.Pending = len(waiting) + len(cmds) - i - 1
				return res, fmt.Errorf("강사 동작 #%d %s 적용했지만 기록하지 못했습니다: %w", c.Seq, hangul.EulReul(strconv.FormatInt(c.Seq, 10)), err)
			}
			continue
		}
		if err := a.Cursor.Save(c.Seq); err != nil {
			res.Pending = len(cmds) - i - 1
			return res, fmt.Errorf("강사 동작 #%d %s 적용했지만 기록하지 못했습니다: %w", c.Seq, hangul.EulReul(strconv.FormatInt(c.Seq, 10)), err)
		}
		after = c.Seq
		markShown(c.Seq)
	}
	if len(waiting) > 0 {
		res.Pending = len(waiting)
		return res, waitErr
	}
	return res, nil
}

// waitsFor reports whether c keeps its order behind a waiting command: a
// reset after one (resets apply in order), or a command about the same
// exercise (an unlock-hint after a reset of it is applied after it).
func waitsFor(waiting []api.Command, c api.Command) bool {
	for _, w := range waiting {
		if c.Kind == api.CommandResetExercise || (c.Exercise != "" && c.Exercise == w.Exercise) {
			return true
		}
	}
	return false
}

// aheadFile keeps the seqs of commands applied while an earlier one waits
// (next to the cursor file).
func (a *Applier) aheadFile() string { return a.Cursor.Path + "-ahead" }

func (a *Applier) loadAhead() map[int64]bool {
	out := map[int64]bool{}
	b, err := os.ReadFile(a.aheadFile())
	if err != nil {
		return out
	}
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out[n] = true
		}
	}
	return out
}

func (a *Applier) saveAhead(ahead map[int64]bool) error {
	if len(ahead) == 0 {
		if err := os.Remove(a.aheadFile()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	seqs := make([]string, 0, len(ahead))
	for n := range ahead {
		seqs = append(seqs, strconv.FormatInt(n, 10))
	}
	slices.Sort(seqs)
	if err := os.MkdirAll(filepath.Dir(a.aheadFile()), 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(a.aheadFile(), []byte(strings.Join(seqs, " ")+"\n"))
}

func cmpInt64(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// lock takes the lock file (ok false: another process holds it). A lock
// older than StaleLock is taken over.
func (a *Applier) lock() (unlock func(), ok bool, err error) {
	if a.Lock == "" {
		return func() {}, true, nil
	}
	if err := os.MkdirAll(filepath.Dir(a.Lock), 0o700); err != nil {
		return nil, false, err
	}
	stale := a.StaleLock
	if stale <= 0 {
		stale = 10 * time.Minute
	}
	for try := 0; try < 2; try++ {
		f, err := os.OpenFile(a.Lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, "%d %s\n", os.Getpid(), a.now().UTC().Format(time.RFC3339))
			f.Close()
			return func() { os.Remove(a.Lock) }, true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, false, err
		}
		st, serr := os.Stat(a.Lock)
		if serr != nil {
			continue // released meanwhile
		}
		if a.now().Sub(st.ModTime()) < stale {
			return nil, false, nil
		}
		os.Remove(a.Lock) // left by a process that died
	}
	return nil, false, nil
}

// supersededIn marks the commands of cmds (seq order; those up to after
// are done already) whose news a later command of the same fetch replaces:
// api.SupersededCommands, the one rule `dslab class status` lists by too.
func supersededIn(cmds []api.Command, after int64) []bool {
	return api.SupersededCommands(cmds, after)
}

// supersededKey marks the context of an Apply of a command whose news a
// later command of the same fetch replaces (supersededIn).
type supersededKey struct{}

func supersededContext(ctx context.Context, superseded bool) context.Context {
	if !superseded {
		return ctx
	}
	return context.WithValue(ctx, supersededKey{}, true)
}

// Superseded reports whether ctx is an Apply of a freeze, unfreeze or
// regrade that a later one of the same catch-up replaces: the action
// applies it without telling the student (the later one says the state
// now).
func Superseded(ctx context.Context) bool {
	b, _ := ctx.Value(supersededKey{}).(bool)
	return b
}

// beforeJoinKey marks the context of an Apply of a command sent before this
// machine joined (api.AppliesBeforeJoin): applied, but not news.
type beforeJoinKey struct{}

func beforeJoinContext(ctx context.Context, before bool) context.Context {
	if !before {
		return ctx
	}
	return context.WithValue(ctx, beforeJoinKey{}, true)
}

// BeforeJoin reports whether ctx is an Apply of a command sent before this
// machine joined (issue 12: an unlock-hint from before the join was
// announced as news): the action applies it without telling the student;
// ApplyResult.Earlier lists it.
func BeforeJoin(ctx context.Context) bool {
	b, _ := ctx.Value(beforeJoinKey{}).(bool)
	return b
}
