package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
)

// gradeSubmitTimeout bounds how long `dslab grade` waits for the class
// server; what is not acknowledged by then stays in the outbox.
const gradeSubmitTimeout = 5 * time.Second

// inClass reports whether exercise is one of the class's exercises as the
// credentials know them (Credentials.Exercises; true for every exercise
// when they do not say: a server older than the list).
func inClass(creds *client.Credentials, exercise string) bool {
	return len(creds.Exercises) == 0 || slices.Contains(creds.Exercises, exercise)
}

// attachClassSubmitter wires the class auto-submitter into the watcher
// configuration when the learner joined a class (`dslab class join`) and
// runs it until ctx ends; it reports whether it did. cfg's Client and Log
// are filled in (the submitter logs to dslab's log file only: the
// terminal belongs to the TUI); its other fields tune the throttling.
func attachClassSubmitter(ctx context.Context, env Env, wcfg *lab.WatcherConfig, cfg client.AutoConfig) bool {
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil {
		env.Logger().Warn("class credentials", "err", err)
		return false
	}
	if creds == nil {
		return false
	}
	cfg.Client, cfg.Log = client.New(*creds, env.Paths.DataDir), env.Logger()
	// The fresh exercise list goes to the credentials on disk only: creds
	// is read by OnGrade on the watcher's goroutine.
	onDisk := *creds
	cfg.Client.OnExercises = func(ids []string) { keepClassExercises(env, &onDisk, ids) }
	cfg.OnRemoved = func(err error) { classRemoved(env, err) } // forget the credentials; logged
	auto := client.NewAutoSubmitter(cfg)
	prog := wcfg.Progress
	cat, err := loadCatalog()
	if err != nil {
		env.Logger().Warn("catalog for class submissions: every grade counts as settled", "err", err)
	}
	wcfg.OnGrade = func(u lab.Update) {
		if o, ok := labOffer(u); ok && inClass(creds, o.Exercise) {
			if cat != nil {
				if ex, err := cat.Get(o.Exercise); err == nil {
					o.Unsettled = !api.Settled(o.Snapshot, ex.Spec.Target)
				}
			}
			if prog != nil {
				ep := prog.Exercise(o.Exercise)
				o.Snapshot = withAttempts(withHintsUsed(o.Snapshot, ep.HintsUsed), ep.Attempts)
			}
			if viewed, err := solutionsViewed(env); err == nil {
				o.Snapshot = withSolutionViewed(o.Snapshot, viewed, o.Exercise)
			}
			auto.Offer(o)
		}
	}
	go auto.Run(ctx)
	return true
}

// withHintsUsed returns snap saying that the learner opened n hints of
// its exercise (the class board shows them next to the instructor's
// unlocks).
func withHintsUsed(snap grader.Snapshot, n int) grader.Snapshot {
	snap.HintsUsed = &n
	return snap
}

// withAttempts returns snap saying that the learner had applied n
// changes to its exercise (the class board's 회 and the export's 시도).
// None counted (n 0) says nothing: the work was done where the lab does
// not count it (kubectl from another terminal, `class submit --snapshot`),
// and the server counts the submissions instead.
func withAttempts(snap grader.Snapshot, n int) grader.Snapshot {
	if n > 0 {
		snap.Attempts = &n
	}
	return snap
}

// progressHints returns a function that sets a snapshot's HintsUsed and
// Attempts from the learner's progress file (left unset when the file cannot be read:
// the server then shows the hints as unknown) and its SolutionViewedAt
// from the record of printed answers (solutionsViewed; the server flags
// solution-viewed).
func progressHints(env Env) func(exercise string, snap grader.Snapshot) grader.Snapshot {
	viewed, err := solutionsViewed(env)
	if err != nil {
		env.Logger().Warn("solutions viewed for class submissions", "err", err)
	}
	st, _, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		env.Logger().Warn("progress for class hints", "err", err)
		return func(exercise string, snap grader.Snapshot) grader.Snapshot {
			return withSolutionViewed(snap, viewed, exercise)
		}
	}
	return func(exercise string, snap grader.Snapshot) grader.Snapshot {
		ep := st.Exercise(exercise)
		return withSolutionViewed(withAttempts(withHintsUsed(snap, ep.HintsUsed), ep.Attempts), viewed, exercise)
	}
}

// labOffer turns a watcher update into a class submission: every graded
// exercise the learner started or attempted (a result that is only "not
// started" for an exercise never started is not worth sending).
func labOffer(u lab.Update) (client.Offer, bool) {
	if !u.Graded() || u.Snapshot == nil || u.Exercise == "" {
		return client.Offer{}, false
	}
	if !u.Started && u.Result.Status == grader.StatusNotStarted {
		return client.Offer{}, false
	}
	o := client.Offer{Exercise: u.Exercise, Status: u.Result.Status, Score: u.Result.Score, Snapshot: *u.Snapshot}
	if u.Conn != nil {
		conn := u.Conn
		o.Identify = func(ctx context.Context) (string, error) { return kube.ClusterUID(ctx, conn.Client) }
	}
	return o, true
}

// submitGrades sends `dslab grade`'s snapshots to the class server when
// the learner joined one. It never changes the command's outcome: a server
// that cannot be reached leaves them in the outbox for later. One line on
// stderr (text output only; written to stderr, which may hold it back
// until the report is written, wrapped to the terminal's width) says what
// happened.
func submitGrades(ctx context.Context, env Env, output string, exs []exercises.Exercise, snaps []grader.Snapshot, stderr io.Writer) {
	if len(exs) != len(snaps) {
		env.Logger().Error("class submit: exercises and snapshots differ", "exercises", len(exs), "snapshots", len(snaps))
		return
	}
	if len(exs) == 0 {
		return
	}
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil || creds == nil {
		return
	}
	c := classClient(env, creds)
	var ids []string
	var send []grader.Snapshot
	hints := progressHints(env)
	for i, ex := range exs {
		if !inClass(creds, ex.ID) {
			continue // the server would refuse it (issue 12: grade --all)
		}
		ids = append(ids, ex.ID)
		send = append(send, hints(ex.ID, snaps[i]))
	}
	if len(ids) == 0 {
		return
	}
	snaps = send
	res, err := c.SubmitNow(ctx, ids, snaps, gradeSubmitTimeout)
	env.Logger().Info("class submit", "acked", len(res.Acked), "pending", res.Pending, "err", err)
	removed := classRemoved(env, err)
	if output != "text" {
		return
	}
	w := textOut{w: stderr, width: textWidth(env, env.Streams.Err, 0)}.Lines()
	if removed != nil {
		fmt.Fprintln(w, removed.Error())
		return
	}
	for _, l := range ackLines(res.Acked, " ") { // one line per exercise (class.go)
		fmt.Fprintln(w, "수업 서버에 제출했습니다: "+l)
	}
	if note := droppedNote(c.Outbox.Dir, res); note != "" {
		fmt.Fprintln(w, note)
	}
	switch {
	case studentTokenRefused(err):
		// Not "later": nothing is sent until this computer joins again.
		fmt.Fprintln(w, replacedMessage(creds, err, "보내지 못한 제출은 편지함(outbox)에 남아 있습니다"))
	case err != nil:
		fmt.Fprintf(w, "수업 서버에 보내지 못한 제출은 편지함(outbox)에 남겨 두었습니다: 나중에 다시 보냅니다 (dslab class status 로 확인)\n")
	}
}
