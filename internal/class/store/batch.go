package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Group commit of submissions.
//
// A durable commit costs one fsync of the SQLite WAL (synchronous=FULL) or
// one WAL flush on PostgreSQL, and with one commit per submission the class
// server's throughput is the disk's fsync rate. Instead, AddSubmission
// queues its submission to one writer goroutine, which writes every queued
// submission (up to maxBatch) in ONE transaction, each row under its own
// savepoint so that a failing row is undone alone, commits once, and only
// then answers every caller of the batch: an acknowledgement still means
// the commit holding it is on disk. While a commit runs, the next requests
// queue up and form the next batch, so batches grow with the load by
// themselves and an idle server answers a lone submission at once.
// (PostgreSQL does the same inside the engine: see "commit_delay" in
// https://www.postgresql.org/docs/current/wal-configuration.html; SQLite
// has no such thing, https://sqlite.org/faq.html#q19.)
// On PostgreSQL the batch is written without savepoints and in two round
// trips a row, with one NOTIFY per batch (batch_postgres.go).

// maxBatch is the most submissions one transaction holds.
const maxBatch = 128

// ErrClosed is returned by AddSubmission after Close.
var ErrClosed = errors.New("store closed")

type addRequest struct {
	ctx  context.Context
	sub  Submission
	done chan addResult // buffered (1): the writer never blocks on it
}

type addResult struct {
	sub     Submission
	created bool
	err     error
}

// submitWriter is the store's one submission writer.
type submitWriter struct {
	queue chan *addRequest
	// mu guards closed: senders hold it shared so Close (exclusive)
	// closes queue only when no send is in progress.
	mu     sync.RWMutex
	closed bool
	done   chan struct{} // closed when the writer goroutine has ended
	// beforeCommit, when set (tests only, before the first submission),
	// is called by the writer with the number of rows of a batch just
	// before it commits.
	beforeCommit func(rows int)
}

// startWriter starts the submission writer; Close stops it after it has
// written what was queued.
func (s *sqlStore) startWriter() {
	s.sw = &submitWriter{queue: make(chan *addRequest, 4*maxBatch), done: make(chan struct{})}
	go s.writeLoop()
}

// stopWriter closes the queue and waits until the writer has answered
// every queued request.
func (s *sqlStore) stopWriter() {
	w := s.sw
	if w == nil {
		return
	}
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}

func (s *sqlStore) AddSubmission(ctx context.Context, sub Submission) (Submission, bool, error) {
	w := s.sw
	req := &addRequest{ctx: ctx, sub: sub, done: make(chan addResult, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return Submission{}, false, ErrClosed
	}
	select {
	case w.queue <- req:
	case <-ctx.Done():
		w.mu.RUnlock()
		return Submission{}, false, ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case r := <-req.done:
		return r.sub, r.created, r.err
	case <-ctx.Done():
		// The row may still commit; the client's retry with the same
		// idempotency key then gets it back as a duplicate.
		return Submission{}, false, ctx.Err()
	}
}

func (s *sqlStore) writeLoop() {
	w := s.sw
	defer close(w.done)
	batch := make([]*addRequest, 0, maxBatch)
	for req := range w.queue {
		batch = append(batch[:0], req)
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-w.queue:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.writeBatch(batch)
		clear(batch)
	}
}

// writeBatch writes batch in one transaction and answers every request.
// A request whose context ended while it waited is answered with that
// error and not written.
func (s *sqlStore) writeBatch(batch []*addRequest) {
	results := make([]addResult, len(batch))
	live := 0
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		live++
	}
	if live > 0 && s.dialect == "postgres" {
		s.writeBatchPostgres(batch, results, live)
	} else if live > 0 {
		// Not one request's context: the batch serves them all.
		ctx := context.Background()
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for i, req := range batch {
				if results[i].err != nil {
					continue
				}
				if _, err := s.txExec(ctx, tx, `SAVEPOINT submission`); err != nil {
					return err
				}
				sub, created, err := s.addSubmissionTx(ctx, tx, req.sub)
				if err != nil {
					results[i].err = err
					if _, rerr := s.txExec(ctx, tx, `ROLLBACK TO SAVEPOINT submission`); rerr != nil {
						return fmt.Errorf("undo a failed submission: %w (after %v)", rerr, err)
					}
				} else {
					results[i] = addResult{sub: sub, created: created}
				}
				if _, err := s.txExec(ctx, tx, `RELEASE SAVEPOINT submission`); err != nil {
					return err
				}
			}
			if s.sw.beforeCommit != nil {
				s.sw.beforeCommit(live)
			}
			return nil
		})
		if err != nil {
			// Nothing of the batch is stored: every request that had
			// no error of its own fails with this one (the clients
			// retry from their outboxes).
			for i := range results {
				if results[i].err == nil {
					results[i] = addResult{err: err}
				}
			}
		}
	}
	for i, req := range batch {
		req.done <- results[i]
	}
}
