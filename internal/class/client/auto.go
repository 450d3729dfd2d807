package client

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/grader"
)

// Offer is one grade the lab produced for an exercise (the TUI's live
// grade): the snapshot the server re-grades, and the local status and
// score that decide whether it is worth sending now.
type Offer struct {
	Exercise string
	// Status and Score are the lab's own verdict (grader.Result); only
	// used to notice a change, never sent as a verdict.
	Status string
	Score  int
	// Unsettled says the cluster is still changing for the exercise (its
	// DaemonSet's rollout or the lab's reset is under way, api.Settled):
	// a failing offer then waits until a settled one replaces it, or until
	// no newer offer came for AutoConfig.Quiet (issue 12: one edit sent
	// 4/10 then 8/10 mid-rollout, a reset sent ✘ 9/10 before ○ 0/10). A
	// pass is never held back.
	Unsettled bool
	Snapshot  grader.Snapshot
	// Identify returns the cluster identity (the kube-system namespace
	// UID, see kube.ClusterUID) when Snapshot.ClusterUID is empty; it is
	// called on the submitter's goroutine, never the caller's. Optional.
	Identify func(ctx context.Context) (string, error)
}

// AutoConfig configures an AutoSubmitter.
type AutoConfig struct {
	Client *Client
	// MinGap is the least time between two submissions of one exercise
	// when its status or score changed (default 3 s): a burst of changes
	// during a rollout sends its last state.
	MinGap time.Duration
	// Quiet is how long an unsettled failing offer waits for a newer one
	// before it is sent as it is (default 5 s): a DaemonSet that never
	// settles (an image that cannot be pulled) is still reported.
	Quiet time.Duration
	// Heartbeat is the least time between two submissions of one exercise
	// whose status and score did not change (default 60 s).
	Heartbeat time.Duration
	// Retry is how often a non-empty outbox is sent again while the server
	// is unreachable (default 30 s).
	Retry time.Duration
	// SendTimeout bounds one drain of the outbox (default 10 s).
	SendTimeout time.Duration
	// Log receives what happened (never the terminal). Nil discards.
	Log *slog.Logger
	// OnRemoved is called once when the server says the instructor removed
	// this student (IsRemoved): Run stops submitting and returns after it.
	// The app forgets the credentials there. Nil: Run only stops.
	OnRemoved func(err error)
	Now       func() time.Time
}

// AutoSubmitter sends the lab's grades to the class server in the
// background: Offer never blocks and never fails; Run writes each chosen
// offer to the outbox, then drains it. Failures are logged and retried;
// nothing is written to the terminal.
type AutoSubmitter struct {
	cfg    AutoConfig
	log    *slog.Logger
	wake   chan struct{}
	mu     sync.Mutex         // guards offers
	offers map[string]offered // the newest offer per exercise, not yet taken
}

// offered is an offer and when it came.
type offered struct {
	Offer
	at time.Time
}

// NewAutoSubmitter returns a submitter for cfg.Client (required).
func NewAutoSubmitter(cfg AutoConfig) *AutoSubmitter {
	if cfg.MinGap <= 0 {
		cfg.MinGap = 3 * time.Second
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = 5 * time.Second
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 60 * time.Second
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 30 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &AutoSubmitter{cfg: cfg, log: log.With("component", "class-submit"), wake: make(chan struct{}, 1), offers: map[string]offered{}}
}

// Offer hands over a grade; a newer offer for the same exercise replaces
// one not yet taken. It never blocks.
func (a *AutoSubmitter) Offer(o Offer) {
	if o.Exercise == "" {
		return
	}
	at := a.cfg.Now()
	a.mu.Lock()
	a.offers[o.Exercise] = offered{Offer: o, at: at}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *AutoSubmitter) take() map[string]offered {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.offers
	a.offers = map[string]offered{}
	return out
}

// sent is what was last submitted for an exercise.
type sent struct {
	status string
	score  int
	at     time.Time
}

// due is when o should be sent given the last submission of its exercise
// (ok false: none yet, due at once): a changed status or score not sooner
// than minGap after the last one — a pass at once (the board shows it
// without the gap) — an unchanged one not sooner than heartbeat after it.
func due(l sent, ok bool, o Offer, minGap, heartbeat time.Duration) time.Time {
	switch {
	case !ok:
		return time.Time{}
	case o.Status != l.status || o.Score != l.score:
		if o.Status == grader.StatusPassed {
			return time.Time{}
		}
		return l.at.Add(minGap)
	}
	return l.at.Add(heartbeat)
}

// settleDue is when o, offered at at, may be sent as far as the cluster
// settling goes: at once when settled or passed, else quiet after it came
// (a newer offer replaces it and starts its own wait).
func settleDue(o Offer, at time.Time, quiet time.Duration) time.Time {
	if !o.Unsettled || o.Status == grader.StatusPassed {
		return time.Time{}
	}
	return at.Add(quiet)
}

// Run takes offers until ctx ends. Before returning it makes one last
// short attempt to send what is due (whatever stays in the outbox is sent
// by the next `dslab` command that drains it).
func (a *AutoSubmitter) Run(ctx context.Context) {
	last := map[string]sent{}
	waiting := map[string]offered{}
	clusterUIDs := map[string]string{} // snapshot context -> cluster UID
	outboxBusy := true                 // an earlier run may have left items
	retryAt := a.cfg.Now()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		for id, o := range a.take() {
			waiting[id] = o
		}
		now := a.cfg.Now()
		next := time.Time{}
		enqueued := false
		for id, w := range waiting {
			o := w.Offer
			l, ok := last[id]
			at := due(l, ok, o, a.cfg.MinGap, a.cfg.Heartbeat)
			if s := settleDue(o, w.at, a.cfg.Quiet); s.After(at) {
				at = s
			}
			if at.After(now) {
				if next.IsZero() || at.Before(next) {
					next = at
				}
				continue
			}
			delete(waiting, id)
			if a.enqueue(ctx, o, clusterUIDs) {
				last[id] = sent{status: o.Status, score: o.Score, at: now}
				enqueued = true
			}
		}
		if enqueued || (outboxBusy && !now.Before(retryAt)) {
			var removed error
			outboxBusy, removed = a.drain(ctx)
			if removed != nil {
				a.log.Warn("removed from the class by the instructor: auto-submit stops", "err", removed)
				if a.cfg.OnRemoved != nil {
					a.cfg.OnRemoved(removed)
				}
				return
			}
			retryAt = a.cfg.Now().Add(a.cfg.Retry)
		}
		if outboxBusy && (next.IsZero() || retryAt.Before(next)) {
			next = retryAt
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(a.cfg.Now()), 10*time.Millisecond)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-a.wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// enqueue writes o to the outbox (true when it is there).
func (a *AutoSubmitter) enqueue(ctx context.Context, o Offer, uids map[string]string) bool {
	snap := o.Snapshot
	if snap.ClusterUID == "" && o.Identify != nil {
		if uid, ok := uids[snap.Context]; ok {
			snap.ClusterUID = uid
		} else {
			ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
			uid, err := o.Identify(ictx)
			cancel()
			if err != nil {
				a.log.Warn("cluster identity", "err", err)
			} else {
				uids[snap.Context] = uid
				snap.ClusterUID = uid
			}
		}
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		a.log.Error("marshal snapshot", "exercise", o.Exercise, "err", err)
		return false
	}
	if _, err := a.cfg.Client.Outbox.Enqueue(o.Exercise, raw, snap.CapturedAt); err != nil {
		a.log.Error("outbox", "exercise", o.Exercise, "err", err)
		return false
	}
	a.log.Info("queued", "exercise", o.Exercise, "status", o.Status, "score", o.Score)
	return true
}

// drain sends the outbox; it reports whether items are left, and the
// server's error when it said this student was removed (IsRemoved).
func (a *AutoSubmitter) drain(ctx context.Context) (left bool, removed error) {
	dctx, cancel := context.WithTimeout(ctx, a.cfg.SendTimeout)
	defer cancel()
	res, err := a.cfg.Client.Drain(dctx)
	for _, r := range res.Acked {
		a.log.Info("acknowledged", "exercise", r.Exercise, "id", r.ID, "status", r.Status, "score", r.Score, "flags", r.Flags)
	}
	for _, e := range res.Rejected {
		a.log.Warn("refused by the server", "err", e)
	}
	for _, it := range res.Dropped {
		a.log.Info("dropped: the instructor took the exercise out of the class", "exercise", it.Exercise, "classExercises", res.Exercises)
	}
	if IsRemoved(err) {
		return true, err
	}
	if err != nil {
		a.log.Warn("outbox not drained", "pending", res.Pending, "err", err)
		return true, nil
	}
	return false, nil
}

// SubmitNow writes snapshots to the outbox and drains it once within
// timeout (`dslab grade`'s submission). Enqueue errors are returned; a
// drain that fails leaves the items for later and is reported in the
// DrainResult's Pending and the error.
func (c *Client) SubmitNow(ctx context.Context, exercises []string, snaps []grader.Snapshot, timeout time.Duration) (DrainResult, error) {
	for i, id := range exercises {
		raw, err := json.Marshal(snaps[i])
		if err != nil {
			return DrainResult{}, err
		}
		if _, err := c.Outbox.Enqueue(id, raw, snaps[i].CapturedAt); err != nil {
			return DrainResult{}, err
		}
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.Drain(dctx)
}
