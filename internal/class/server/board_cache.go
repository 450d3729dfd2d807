package server

// The board's state, kept up to date from the event log: a refresh reads
// only the events after the last one applied (and the submissions they
// name) instead of every submission of the class. Events the cache cannot
// apply in place (a regrade or a copy flag changes a stored submission;
// an unknown kind) make it rebuild from the tables, exactly as the first
// build does, so the incremental board always equals a full rebuild
// (TestBoardIncrementalEqualsFullRebuild).

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// boardEventPage is how many events one read of the log applies.
const boardEventPage = 2000

// boardSnapshotChunk is how many snapshots a full board load reads at a
// time (for the hints the students opened).
const boardSnapshotChunk = 200

// boardCommands is how many of the newest commands the board lists.
const boardCommands = 50

type cellKey struct {
	student int64
	ex      string
}

// cellState is one grid cell and what later submissions need to update it.
type cellState struct {
	cell api.BoardCell // Hints and Now are filled in at render time
	// counted is the submission the score uses (Counts), newest the
	// newest one; Result and Snapshot are not kept.
	counted, newest *store.Submission
	best            int
	progress        time.Time // when best last rose
	// failing is the parsed result of the newest submission when it
	// failed (the per-exercise view's common failure), else nil.
	failing *grader.Result
	// attempts is the most apply count any snapshot of the cell says
	// (grader.Snapshot.Attempts; nil: none said).
	attempts *int
	// active is the id of the newest submission that is not not-started
	// (0: none): the student's current exercise is the class exercise
	// with the newest active submission.
	active int64
}

// boardState is the board's data at seq (every event up to seq applied).
type boardState struct {
	loaded    bool
	seq       int64
	maxSubID  int64 // newest submission applied (a full load may read past seq)
	maxCmdSeq int64
	students  []store.Student
	roster    map[int64]store.Student
	cells     map[cellKey]*cellState
	unlocks   map[cellKey]int // {student or 0, exercise} → unlock-hint commands
	commands  []store.Command // the newest boardCommands
	frozen    bool
	frozenAt  time.Time
	// joinClosed: the newest of close-join and open-join is close-join.
	joinClosed   bool
	joinClosedAt time.Time
}

// boardCache guards the board's state; BuildBoard brings it up to date.
type boardCache struct {
	mu sync.Mutex
	st boardState
	// fullLoads counts full rebuilds (tests look at it).
	fullLoads int
}

// BuildBoard returns the board at the event log's newest seq: the grid of
// every student's counted submission per exercise (CountedSubmission; the
// newest beside it, the most hints any of its snapshots says the student
// opened and those the instructor unlocked, even before a submission), stuck flags, the
// per-exercise view and the newest commands. It applies the events after
// the cached state; the first call (and any event that changes a stored
// submission: regraded, flagged) reads the tables in full.
func (s *Server) BuildBoard(ctx context.Context) (api.Board, error) {
	c := &s.board.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.updateBoard(ctx, c); err != nil {
		c.st = boardState{}
		return api.Board{}, err
	}
	return s.renderBoard(&c.st), nil
}

// buildBoardFull reads the board from the tables without the cache (the
// reference the incremental board is tested against).
func (s *Server) buildBoardFull(ctx context.Context) (api.Board, error) {
	var st boardState
	if err := s.loadBoard(ctx, &st); err != nil {
		return api.Board{}, err
	}
	return s.renderBoard(&st), nil
}

func (s *Server) updateBoard(ctx context.Context, c *boardCache) error {
	st := s.cfg.Store
	if !c.st.loaded {
		c.fullLoads++
		return s.loadBoard(ctx, &c.st)
	}
	reader, incremental := st.(store.BoardReader)
	if !incremental {
		c.fullLoads++
		return s.loadBoard(ctx, &c.st)
	}
	last, err := st.LastEventSeq(ctx)
	if err != nil {
		return err
	}
	for c.st.seq < last {
		evs, err := st.Events(ctx, c.st.seq, boardEventPage)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			break
		}
		var subIDs []int64
		var cmds []store.Command
		students, full := false, false
		for _, e := range evs {
			switch e.Kind {
			case store.EventSubmitted:
				if e.SubmissionID > c.st.maxSubID {
					subIDs = append(subIDs, e.SubmissionID)
				}
			case store.EventCommand:
				cmd, ok := commandOfEvent(e)
				if !ok {
					full = true
				} else if cmd.Seq > c.st.maxCmdSeq {
					cmds = append(cmds, cmd)
				}
			case store.EventJoined, store.EventRemoved:
				students = true
			case store.EventApproved, "class-created":
				// nothing on the board
			default: // regraded, flagged, or a kind this code does not know
				full = true
			}
		}
		if full {
			c.fullLoads++
			return s.loadBoard(ctx, &c.st)
		}
		if students {
			if err := c.st.loadStudents(ctx, st); err != nil {
				return err
			}
		}
		if len(subIDs) > 0 {
			subs, err := reader.SubmissionsByID(ctx, subIDs, true)
			if err != nil {
				return err
			}
			for _, sub := range subs {
				if c.st.applySubmission(sub) {
					c.st.cells[cellKey{sub.StudentID, sub.Exercise}].addFacts(sub.Snapshot)
				}
			}
		}
		for _, cmd := range cmds {
			c.st.applyCommand(cmd)
		}
		c.st.seq = evs[len(evs)-1].Seq
	}
	return nil
}

// commandOfEvent rebuilds the command an EventCommand event logged
// (store.AddCommand writes its seq, kind, exercise and message).
func commandOfEvent(e store.Event) (store.Command, bool) {
	var d struct {
		Command  int64  `json:"command"`
		Kind     string `json:"kind"`
		Exercise string `json:"exercise"`
		Message  string `json:"message"`
	}
	if json.Unmarshal(e.Data, &d) != nil || d.Command == 0 {
		return store.Command{}, false
	}
	return store.Command{Seq: d.Command, Time: e.Time, Kind: d.Kind, StudentID: e.StudentID, Exercise: d.Exercise, Message: d.Message}, true
}

// loadBoard reads the whole board from the tables into st. The log's seq
// is read first, so the events after it are applied later (a submission
// or command already read is skipped by id).
func (s *Server) loadBoard(ctx context.Context, st *boardState) error {
	db := s.cfg.Store
	*st = boardState{}
	seq, err := db.LastEventSeq(ctx)
	if err != nil {
		return err
	}
	if err := st.loadStudents(ctx, db); err != nil {
		return err
	}
	st.cells, st.unlocks = map[cellKey]*cellState{}, map[cellKey]int{}
	subs, err := db.Submissions(ctx, 0, false)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(subs))
	for _, sub := range subs { // id order = server receive order
		st.applySubmission(sub)
		ids = append(ids, sub.ID)
	}
	// The hints the student opened: the most any snapshot of the cell
	// says (issue 12: the newest one's alone let a later snapshot with
	// fewer lower it). Snapshots are read a chunk at a time.
	if reader, ok := db.(store.BoardReader); ok {
		for len(ids) > 0 {
			n := min(len(ids), boardSnapshotChunk)
			withSnap, err := reader.SubmissionsByID(ctx, ids[:n], true)
			if err != nil {
				return err
			}
			for _, sub := range withSnap {
				st.cells[cellKey{sub.StudentID, sub.Exercise}].addFacts(sub.Snapshot)
			}
			ids = ids[n:]
		}
	}
	cmds, err := db.Commands(ctx, 0, 0, 0)
	if err != nil {
		return err
	}
	for _, c := range cmds {
		st.applyCommand(c)
	}
	st.seq, st.loaded = seq, true
	return nil
}

func (st *boardState) loadStudents(ctx context.Context, db store.Store) error {
	students, err := db.Students(ctx)
	if err != nil {
		return err
	}
	st.students = students
	st.roster = make(map[int64]store.Student, len(students))
	for _, x := range students {
		st.roster[x.ID] = x
	}
	return nil
}

// applySubmission folds the next submission (in id order) into its cell;
// false when it was applied already.
func (st *boardState) applySubmission(sub store.Submission) bool {
	if sub.ID <= st.maxSubID {
		return false
	}
	st.maxSubID = sub.ID
	k := cellKey{sub.StudentID, sub.Exercise}
	cs := st.cells[k]
	if cs == nil {
		cs = &cellState{best: -1}
		st.cells[k] = cs
	}
	c := &cs.cell
	if cs.newest == nil || cs.newest.Status != sub.Status || cs.newest.Score != sub.Score {
		c.LastChange, c.LastChangeCaptured = sub.ReceivedAt, sub.ClientTime
	}
	c.Submissions++
	light := sub
	light.Result, light.Snapshot = nil, nil
	cs.newest = &light
	c.Flags = sub.Flags
	if Counts(cs.counted, sub) {
		cs.counted = &light
		c.Status, c.Score, c.MaxScore = sub.Status, sub.Score, sub.MaxScore
	}
	// A higher score is progress even when late (after a freeze): it
	// never counts for the score, but the student is not stuck.
	if sub.Score > cs.best {
		cs.best, cs.progress = sub.Score, sub.ReceivedAt
	}
	cs.failing = nil
	if sub.Status == api.StatusFailed {
		var res grader.Result
		if json.Unmarshal(sub.Result, &res) == nil {
			cs.failing = &res
		}
	}
	if sub.Status != api.StatusNotStarted {
		cs.active = sub.ID
	}
	return true
}

// applyCommand folds the next command (in seq order) into the board.
func (st *boardState) applyCommand(c store.Command) {
	if c.Seq <= st.maxCmdSeq {
		return
	}
	st.maxCmdSeq = c.Seq
	switch c.Kind {
	case store.CommandUnlockHint:
		st.unlocks[cellKey{c.StudentID, c.Exercise}]++
	case store.CommandFreeze:
		st.frozen, st.frozenAt = true, c.Time
	case store.CommandUnfreeze:
		st.frozen, st.frozenAt = false, time.Time{}
	case store.CommandCloseJoin:
		st.joinClosed, st.joinClosedAt = true, c.Time
	case store.CommandOpenJoin:
		st.joinClosed, st.joinClosedAt = false, time.Time{}
	}
	st.commands = append(st.commands, c)
	if n := len(st.commands); n > boardCommands {
		st.commands = slices.Delete(st.commands, 0, n-boardCommands)
	}
}

// addHints folds the hints one more submission's snapshot says the
// student opened into the cell: the most seen (nil says nothing).
func (cs *cellState) addHints(n *int) {
	if n == nil {
		return
	}
	if cs.cell.HintsUsed == nil || *n > *cs.cell.HintsUsed {
		v := *n
		cs.cell.HintsUsed = &v
	}
}

// addFacts folds what one more submission's raw snapshot says of the
// learner's lab into the cell: the hints opened and the apply count, the
// most seen of each.
func (cs *cellState) addFacts(raw []byte) {
	f := snapshotFactsOf(raw)
	cs.addHints(f.HintsUsed)
	if n := f.Attempts; n != nil && (cs.attempts == nil || *n > *cs.attempts) {
		v := *n
		cs.attempts = &v
	}
}

// snapshotFacts are the fields of a raw grader.Snapshot the lab adds for
// the class server (never graded).
type snapshotFacts struct {
	HintsUsed *int `json:"hintsUsed"`
	Attempts  *int `json:"attempts"`
}

func snapshotFactsOf(raw []byte) snapshotFacts {
	var f snapshotFacts
	if json.Unmarshal(raw, &f) != nil {
		return snapshotFacts{}
	}
	return f
}

// renderBoard turns the state into the API's board (a copy: the state may
// change after the lock is released).
func (s *Server) renderBoard(st *boardState) api.Board {
	now := s.cfg.Now()
	b := api.Board{Class: s.class.Title, JoinCode: s.class.JoinCode, Now: now.UTC(), LastSeq: st.seq, Frozen: st.frozen, FrozenAt: st.frozenAt,
		JoinClosed: st.joinClosed, JoinClosedAt: st.joinClosedAt,
		StuckMins: int(s.stuckAfter() / time.Minute), Exercises: []api.BoardExercise{}, Students: []api.BoardStudent{}, Commands: []api.Command{}}
	for _, c := range st.commands {
		b.Commands = append(b.Commands, apiCommand(c, st.roster))
	}
	exIDs := s.exerciseIDs()
	hintsTotal := make(map[string]int, len(exIDs)) // the exercise's hints
	for _, id := range exIDs {
		if ex, err := s.cfg.Catalog.Get(id); err == nil {
			hintsTotal[id] = len(ex.Hints)
		}
	}
	for _, x := range st.students {
		bs := api.BoardStudent{No: x.No, RosterID: x.RosterID, Name: x.Name, Initials: Initials(x.Name), Cells: map[string]api.BoardCell{}}
		// Current (and so stuck) looks only at the class's exercises
		// (issue 12: one removed by a restart with another --exercises
		// stayed current) and never at a not-started submission.
		var newestActive int64
		for _, id := range exIDs {
			cs, ok := st.cells[cellKey{x.ID, id}]
			if ok && cs.active > newestActive {
				newestActive, bs.Current = cs.active, id
			}
			if !ok {
				// No submission yet: the cell still shows the hints the
				// instructor unlocked.
				if h := st.unlocks[cellKey{0, id}] + st.unlocks[cellKey{x.ID, id}]; h > 0 {
					bs.Cells[id] = api.BoardCell{Hints: h, HintsHad: api.HintsHad(nil, h, hintsTotal[id])}
				}
				continue
			}
			c := cs.cell
			c.Flags = slices.Clone(c.Flags)
			if c.HintsUsed != nil {
				n := *c.HintsUsed
				c.HintsUsed = &n
			}
			c.Attempts = c.Submissions
			if cs.attempts != nil {
				c.Attempts = *cs.attempts
			}
			c.Hints = st.unlocks[cellKey{0, id}] + st.unlocks[cellKey{x.ID, id}]
			c.HintsHad = api.HintsHad(c.HintsUsed, c.Hints, hintsTotal[id])
			// now: only when the newest submission says something else
			// than the counted one (another result, or late).
			if n := cs.newest; n != cs.counted && n != nil && (cs.counted == nil || n.Status != cs.counted.Status ||
				n.Score != cs.counted.Score || n.MaxScore != cs.counted.MaxScore || IsLate(*n)) {
				c.Now = &api.BoardCellNow{Status: n.Status, Score: n.Score, MaxScore: n.MaxScore, Late: IsLate(*n)}
			}
			bs.Cells[id] = c
		}
		if cur := bs.Current; cur != "" {
			// A late pass (newest passed after a freeze) is done too.
			if cs := st.cells[cellKey{x.ID, cur}]; cs != nil && cs.cell.Status != api.StatusPassed &&
				(cs.newest == nil || cs.newest.Status != api.StatusPassed) {
				bs.ProgressAt = cs.progress
				if now.Sub(cs.progress) >= s.stuckAfter() {
					bs.Stuck, bs.StuckSince = true, cs.progress
				}
			}
		}
		b.Students = append(b.Students, bs)
	}
	for _, id := range exIDs {
		be := api.BoardExercise{ID: id}
		if ex, err := s.cfg.Catalog.Get(id); err == nil {
			be.Title = ex.Title
		}
		var failing []grader.Result
		for _, x := range st.students {
			cs, ok := st.cells[cellKey{x.ID, id}]
			if !ok {
				continue
			}
			be.Attempted++
			switch {
			case cs.cell.Status == api.StatusPassed:
				be.Passed++
			case cs.failing != nil:
				failing = append(failing, *cs.failing)
			}
		}
		be.CommonFailure = CommonFailure(failing)
		b.Exercises = append(b.Exercises, be)
	}
	return b
}
