package app

// Instructor actions reaching the learner's lab: the TUI polls them
// (tuiClassPoll → tui.ClassPoll), and `dslab class status`, `dslab grade`
// and `dslab class submit` apply what is pending (applyClassCommands).
// Both go through client.Applier (once each, in seq order, cursor in the
// data dir) and lab.ClassActions.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/tui"
)

// classCommandTimeout bounds one fetch of the instructor's commands.
const classCommandTimeout = 5 * time.Second

// classStartFetch is how long `dslab exercise start` waits for the class
// server's pending commands before it prints the task.
const classStartFetch = 3 * time.Second

// classUpFetch is how long `dslab cluster up` gives the class's pending
// commands (a reset that waited for the cluster runs in it).
const classUpFetch = 2 * time.Minute

// classExercisesEvery is how often the lab asks the class server for the
// class's exercise list (the footer's count; tui.ClassPoll.Exercises);
// between, it reads the list the credentials keep.
const classExercisesEvery = time.Minute

// classCommandClient is the joined learner's client for commands (nil
// when not joined).
func classCommandClient(env Env) *client.Client {
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil {
		env.Logger().Warn("class credentials", "err", err)
		return nil
	}
	if creds == nil {
		return nil
	}
	c := client.New(*creds, env.Paths.DataDir)
	c.HTTP = &http.Client{Timeout: classCommandTimeout}
	return c
}

// pollClassCommands applies the pending commands with acts; skipped ones
// are noted through acts.Notify. A server that cannot be reached is only
// logged (nil: the next poll catches up); a command that cannot be
// applied now is returned (it stays pending).
//
// inLab is set for the lab's (the TUI's) poll: it also tells what a CLI
// applied since the lab last showed its notices (client.Applier.InLab).
func pollClassCommands(ctx context.Context, log *slog.Logger, env Env, c *client.Client, acts *lab.ClassActions, inLab bool) (client.ApplyResult, error) {
	ap := client.NewApplier(c, env.Paths.DataDir, acts)
	ap.InLab = inLab
	res, err := ap.Poll(ctx)
	if classRemoved(env, err) != nil {
		// Credentials forgotten: nothing more to apply, ever. The
		// student reads why (the TUI's status area, the CLI's lines).
		if acts.Notify != nil {
			acts.Notify(removedNote(err))
		}
		return res, errClassRemoved
	}
	for _, a := range res.Applied {
		log.Info("class command applied", "seq", a.Seq, "kind", a.Kind, "exercise", a.Exercise)
	}
	for _, x := range res.Told {
		log.Info("class command applied elsewhere, told in the lab", "seq", x.Seq, "kind", x.Kind)
	}
	for _, e := range res.Earlier {
		log.Info("class command from before this machine joined: not applied", "seq", e.Seq, "kind", e.Kind, "exercise", e.Exercise)
	}
	for _, s := range res.Skipped {
		log.Warn("class command skipped", "seq", s.Command.Seq, "kind", s.Command.Kind, "reason", s.Reason)
		if acts.Notify != nil {
			acts.Notify(s.Reason)
		}
	}
	if err != nil && res.Pending == 0 {
		log.Info("class commands not fetched", "err", err)
		return res, nil
	}
	if err != nil {
		log.Warn("class command pending", "pending", res.Pending, "err", err)
	}
	return res, err
}

// regradedFor is lab.ClassActions.Regraded for c: the server's verdicts
// now (/me) against the ones this machine was shown (client.SeenVerdicts),
// in one Korean line; "" when the server does not answer or nothing can be
// compared.
func regradedFor(c *client.Client) func(ctx context.Context) string {
	return func(ctx context.Context) string {
		cctx, cancel := context.WithTimeout(ctx, classCommandTimeout)
		defer cancel()
		me, err := c.Me(cctx)
		if err != nil {
			return ""
		}
		changes, known, _ := c.Seen.Regraded(me)
		return client.RegradeLine(changes, known)
	}
}

// errClassRemoved is pollClassCommands' error once the server said the
// instructor removed this student (the explanation went to Notify).
var errClassRemoved = errors.New("removed from the class")

// removedNote is the server's Korean explanation of a removal
// (client.IsRemoved), without the applier's fetch preamble and without
// the HTTP answer (the note is kept and shown again; it is the whole
// story in Korean).
func removedNote(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Message != "" {
		return ae.Message
	}
	if errors.As(err, &ae) {
		return ae.Error()
	}
	return err.Error()
}

// tuiClassPoll is the TUI's class hook for a joined learner (nil when not
// joined): every poll applies the pending commands to store (the TUI's
// progress) and, for a reset, to the cluster the TUI is connected to, then
// refreshes watcher.
func tuiClassPoll(env Env, cat *exercises.Catalog, store *progress.Store, watcher *lab.Watcher, every time.Duration) *tui.ClassPoll {
	c := classCommandClient(env)
	if c == nil {
		return nil
	}
	log := env.Logger().With("component", "class-commands")
	var removed atomic.Bool // the instructor removed this student: stop asking
	var asked atomic.Int64  // unix seconds of the last /me for the exercise list
	exercisesNow := func(ctx context.Context) []string {
		if removed.Load() {
			return nil
		}
		if now := time.Now().Unix(); now-asked.Load() >= int64(classExercisesEvery/time.Second) {
			// The server's list now, kept in the credentials
			// (keepClassExercises): the instructor may have changed the
			// class's --exercises since the lab opened.
			asked.Store(now)
			if creds, err := client.LoadCredentials(env.Paths.ConfigDir); err == nil && creds != nil {
				cctx, cancel := context.WithTimeout(ctx, classCommandTimeout)
				if me, err := c.Me(cctx); err == nil {
					keepClassExercises(env, creds, me.Exercises)
				}
				cancel()
			}
		}
		if creds, err := client.LoadCredentials(env.Paths.ConfigDir); err == nil && creds != nil {
			return creds.Exercises
		}
		return nil
	}
	box := client.Outbox{Dir: client.OutboxDir(env.Paths.DataDir)}
	waiting := func() int {
		items, _ := box.Pending()
		return len(items)
	}
	return &tui.ClassPoll{Every: every, Exercises: exercisesNow, Waiting: waiting, WaitingText: client.WaitingText, Poll: func(ctx context.Context, conn *kube.Conn, notify func(string)) error {
		if removed.Load() {
			return nil
		}
		acts := &lab.ClassActions{
			Catalog:  cat,
			Progress: store,
			Starter:  lab.Starter{Paths: env.Paths, Catalog: cat, Executable: env.Executable, Logger: log},
			Conn: func(context.Context) (*kube.Conn, error) {
				if conn == nil {
					return nil, lab.ErrNoCluster
				}
				return conn, nil
			},
			Notify:   notify,
			Regraded: regradedFor(c),
			Frozen:   func(f bool) { setClassFrozen(env, f) },
			AfterReset: func(string) {
				if watcher != nil {
					watcher.Refresh()
				}
			},
		}
		_, err := pollClassCommands(ctx, log, env, c, acts, true)
		if errors.Is(err, errClassRemoved) {
			removed.Store(true)
			return nil // told through notify
		}
		return err
	}}
}

// applyClassCommands applies the pending instructor commands from a CLI
// command (`dslab class status`, `dslab grade`, `dslab class submit`):
// progress.json is opened and saved, a reset runs on the lab cluster (it
// waits when there is none). What happened is printed to out as indented
// Korean lines under a heading; nothing is printed when nothing happened.
// It never changes the command's outcome.
func applyClassCommands(ctx context.Context, env Env, out io.Writer) {
	applyClassCommandsTelling(ctx, env, out, true)
}

// applyClassCommandsTelling is applyClassCommands; tellEarlier false
// leaves out the line on the commands from before the join (`class
// status` counts them all in its own list, printClassCommands).
func applyClassCommandsTelling(ctx context.Context, env Env, out io.Writer, tellEarlier bool) {
	c := classCommandClient(env)
	if c == nil {
		return
	}
	log := env.Logger().With("component", "class-commands")
	cat, err := loadCatalog()
	if err != nil {
		log.Warn("catalog", "err", err)
		return
	}
	store, notice, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		fmt.Fprintf(out, "참고: 진행 상황을 열 수 없어 강사 동작을 적용하지 않았습니다: %v\n", err)
		return
	}
	if notice != "" {
		fmt.Fprintln(out, "참고: "+notice)
	}
	headed := false
	say := func(s string) {
		if !headed {
			fmt.Fprintln(out, "강사 동작:")
			headed = true
		}
		fmt.Fprintln(out, "  "+s)
	}
	acts := &lab.ClassActions{
		Catalog:  cat,
		Progress: store,
		Starter:  lab.Starter{Paths: env.Paths, Catalog: cat, Executable: env.Executable, Logger: log},
		Conn: func(ctx context.Context) (*kube.Conn, error) {
			cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			return labConnect(env)(cctx)
		},
		Notify:        say,
		ResetProgress: func(s string) { fmt.Fprintln(out, "    "+s) },
		Regraded:      regradedFor(c),
		Frozen:        func(f bool) { setClassFrozen(env, f) },
	}
	res, err := pollClassCommands(ctx, log, env, c, acts, false)
	if line := earlierCommandsLine(res.Earlier); line != "" && tellEarlier {
		say(line)
	}
	if err != nil && !errors.Is(err, errClassRemoved) {
		say(err.Error())
	}
}

// earlierCommandsLine is one Korean line about the instructor's commands
// sent before this machine joined (client.ApplyResult.Earlier): none is
// shown as news; each kind is counted and named as the board names it
// (api.CommandText), in the order it first came — the broadcasts with the
// newest one's server time (local clock, "01-02 15:04") and text, the
// hints with the note that they were opened (they still apply,
// api.AppliesBeforeJoin), a reset that it was not run on this machine
// (issue 12: only the broadcasts were counted, hints and resets were
// applied or passed silently); "" when there were none.
func earlierCommandsLine(earlier []api.Command) string {
	if len(earlier) == 0 {
		return ""
	}
	var kinds []string
	count := map[string]int{}
	last := map[string]api.Command{}
	exs := map[string][]string{} // the exercises of each kind, first seen first
	for _, c := range earlier {
		if count[c.Kind] == 0 {
			kinds = append(kinds, c.Kind)
		}
		count[c.Kind]++
		last[c.Kind] = c
		if c.Exercise != "" && !slices.Contains(exs[c.Kind], c.Exercise) {
			exs[c.Kind] = append(exs[c.Kind], c.Exercise)
		}
	}
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		p := fmt.Sprintf("%s %d개", api.CommandText(k), count[k])
		switch k {
		case api.CommandBroadcast:
			p += fmt.Sprintf(" (가장 최근 %s: %s)", last[k].Time.Local().Format("01-02 15:04"), last[k].Message)
		case api.CommandUnlockHint:
			p += " (" + strings.Join(exs[k], ", ") + ": 힌트는 열어 두었습니다)"
		case api.CommandResetExercise:
			p += " (" + strings.Join(exs[k], ", ") + ": 이 컴퓨터에서는 하지 않았습니다)"
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("참가하기 전에 온 강사 동작 %d개는 새 알림으로 보여 주지 않습니다: %s", len(earlier), strings.Join(parts, ", "))
}

// writeUnlockedHints prints the hints of ex the class instructor opened
// (progress HintsUnlocked) under `dslab exercise show`; nothing when none.
func writeUnlockedHints(env Env, ex exercises.Exercise) {
	store, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		return
	}
	n := min(store.Exercise(ex.ID).HintsUnlocked, len(ex.Hints))
	if n == 0 {
		return
	}
	out := env.textOut()
	out.Printf("\n강사가 연 힌트 (%d/%d):\n", n, len(ex.Hints))
	for i := 0; i < n; i++ {
		writeHint(out, i+1, ex.Hints[i]) // rendered as exercise show --hint does
	}
}

// classFrozenFile marks, while it exists, that the instructor froze the
// class's submissions (the last freeze or unfreeze this computer applied
// or was told of was a freeze): the lab's pass line says 마감 후.
func classFrozenFile(env Env) string {
	return filepath.Join(client.Dir(env.Paths.ConfigDir), "frozen")
}

// setClassFrozen records the class's freeze state (classFrozenFile).
func setClassFrozen(env Env, frozen bool) {
	path := classFrozenFile(env)
	var err error
	if frozen {
		err = client.WriteFileAtomic(path, []byte("frozen\n"))
	} else if err = os.Remove(path); errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		env.Logger().Warn("record the class freeze state", "frozen", frozen, "err", err)
	}
}

// classFrozen reports the freeze state setClassFrozen recorded.
func classFrozen(env Env) bool {
	_, err := os.Stat(classFrozenFile(env))
	return err == nil
}
