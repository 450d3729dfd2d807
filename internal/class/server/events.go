package server

// The event stream: GET /api/v1/events serves the class's event log as
// server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html).
//
// Written on net/http with http.ResponseController rather than an SSE
// library: the replay source is the store's event table (every replica
// reads the same log by seq, so Last-Event-ID replay is a plain
// `WHERE seq > ?` and survives restarts), which is exactly the part a
// library such as tmaxmax/go-sse would replace with its own in-memory
// replayer; what remains — framing, flushing, per-write deadlines past the
// server's WriteTimeout — is a few lines with ResponseController.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// Stream timing.
const (
	// DefaultHeartbeat is how often an idle stream sends an SSE comment.
	DefaultHeartbeat = 15 * time.Second
	// eventPoll is how often the hub looks at the log without a wake-up
	// (writes by another process on SQLite; a lost PostgreSQL connection).
	eventPoll      = time.Second
	streamBatch    = 500
	streamWriteFor = 30 * time.Second
)

// hub tells streams that the event log grew. Local writes poke it, a
// PostgreSQL store's LISTEN connection wakes it, and it polls the newest
// seq as a fallback; streams then read the log themselves.
type hub struct {
	st store.Store
	mu sync.Mutex
	ch chan struct{} // closed when the log grows
	// last is the newest seq seen.
	last int64
	poke chan struct{}
}

func newHub(st store.Store) *hub {
	return &hub{st: st, ch: make(chan struct{}), poke: make(chan struct{}, 1)}
}

// changed returns a channel closed at the next growth of the log.
func (h *hub) changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ch
}

// wake asks the hub to look at the log now (never blocks).
func (h *hub) wake() {
	select {
	case h.poke <- struct{}{}:
	default:
	}
}

func (h *hub) run(ctx context.Context, poll time.Duration) {
	if l, ok := h.st.(store.EventListener); ok {
		go func() {
			if err := l.ListenEvents(ctx, h.wake); errors.Is(err, errors.ErrUnsupported) {
				return
			}
		}()
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		seq, err := h.st.LastEventSeq(ctx)
		if err == nil {
			h.mu.Lock()
			if seq != h.last {
				h.last = seq
				close(h.ch)
				h.ch = make(chan struct{})
			}
			h.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-h.poke:
		case <-t.C:
		}
	}
}

// startHub starts the hub once, for the server's lifetime (until Close).
func (s *Server) startHub() *hub {
	s.board.hubOnce.Do(func() { go s.board.hub.run(s.board.ctx, cmp.Or(s.cfg.EventPoll, eventPoll)) })
	return s.board.hub
}

// Close stops the server's background work and ends open event streams
// (Serve calls it before shutting down).
func (s *Server) Close() {
	s.board.cancel()
	s.board.dl.close() // the compressed downloads (download.go)
}

// lastEventID is where a stream resumes: the Last-Event-ID header (an
// EventSource reconnecting), else the ?after= query, else 0 (everything).
func lastEventID(r *http.Request) int64 {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	h := s.startHub()
	after := lastEventID(r)
	rc := http.NewResponseController(w)
	// The server's ReadTimeout would otherwise end the connection (and
	// cancel this request's context) mid-stream: a stream reads nothing
	// after its headers.
	rc.SetReadDeadline(time.Time{}) //nolint:errcheck // unsupported only on odd writers
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ctx := r.Context()
	names := s.rosterNames()
	hb := time.NewTicker(s.heartbeat())
	defer hb.Stop()
	write := func(f func() error) bool {
		rc.SetWriteDeadline(time.Now().Add(streamWriteFor)) //nolint:errcheck // unsupported only on odd writers
		if err := f(); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(func() error { _, err := fmt.Fprint(w, "retry: 1000\n\n"); return err }) {
		return
	}
	for {
		changed := h.changed()
		evs, err := s.cfg.Store.Events(ctx, after, streamBatch)
		if err != nil {
			if ctx.Err() == nil {
				s.cfg.Log.Warn("event stream read", "err", err)
			}
			// Let the client reconnect with Last-Event-ID.
			return
		}
		if len(evs) > 0 {
			ok := write(func() error {
				for _, e := range evs {
					if err := writeEvent(w, s.streamEvent(ctx, names, e)); err != nil {
						return err
					}
					after = e.Seq
				}
				return nil
			})
			if !ok {
				return
			}
			if len(evs) == streamBatch {
				continue
			}
		}
		select {
		case <-changed:
		case <-hb.C:
			if !write(func() error { _, err := fmt.Fprint(w, ": ping\n\n"); return err }) {
				return
			}
		case <-ctx.Done():
			return
		case <-s.board.ctx.Done():
			return
		}
	}
}

func (s *Server) heartbeat() time.Duration {
	if s.cfg.Heartbeat > 0 {
		return s.cfg.Heartbeat
	}
	return DefaultHeartbeat
}

func writeEvent(w http.ResponseWriter, e api.StreamEvent) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// Kinds are fixed ASCII words; JSON has no raw newlines.
	_, err = fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Kind, b)
	return err
}

// rosterNames caches student id → roster id and name for one stream,
// reloading when an unknown id appears (a student who joined later).
func (s *Server) rosterNames() map[int64]store.Student { return map[int64]store.Student{} }

func (s *Server) streamEvent(ctx context.Context, names map[int64]store.Student, e store.Event) api.StreamEvent {
	se := api.StreamEvent{Seq: e.Seq, Time: e.Time, Kind: e.Kind, SubmissionID: e.SubmissionID, Data: json.RawMessage(e.Data)}
	if !json.Valid(se.Data) {
		se.Data = json.RawMessage("{}")
	}
	if e.StudentID != 0 {
		st, ok := names[e.StudentID]
		if !ok {
			if all, err := s.cfg.Store.Students(ctx); err == nil {
				for _, x := range all {
					names[x.ID] = x
				}
			}
			st = names[e.StudentID]
		}
		se.RosterID, se.Name = st.RosterID, st.Name
	}
	return se
}
