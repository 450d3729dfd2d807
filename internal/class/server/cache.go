package server

// Per-request reads the submit path no longer makes.
//
// Every student request used to look its token up in the store and every
// submission read the freeze state: two queries per request on the reading
// pool, 130 µs and 50 µs of CPU each under load (BenchmarkSubmitInProcess's
// profile), for values that change a few times per class. Both are kept in
// memory here, with these rules:
//
//   - token → student: only found tokens are cached (an unknown token always
//     asks the store, so random tokens cannot fill the cache). This server's
//     own rejoin (handleJoin replacing a token) drops the old token at once;
//     another replica's rejoin (PostgreSQL) is seen when the entry expires,
//     after tokenTTL. The cache holds at most maxTokens entries and starts
//     over when full.
//   - freeze state: this server's freeze and unfreeze commands drop it at
//     once; another replica's, or `dslab class` writing the store directly,
//     are seen after freezeTTL — the same delay with which the board's event
//     hub notices other writers without a wake-up (eventPoll).

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/internal/class/store"
)

const (
	// tokenTTL is how long a cached token → student entry is used before
	// the store is asked again.
	tokenTTL = 5 * time.Second
	// maxTokens bounds the token cache (a class has at most a few
	// thousand students, each with one live token).
	maxTokens = 20000
	// freezeTTL is how long the cached freeze state is used.
	freezeTTL = eventPoll
)

type cachedStudent struct {
	st      store.Student
	expires time.Time
}

// readCache holds what the submit path reads on every request.
type readCache struct {
	mu     sync.Mutex
	tokens map[string]cachedStudent // by token hash

	// Freeze state; gen counts invalidations, so that a read that raced
	// with one does not store a state read before it.
	frozenSince   time.Time
	frozen        bool
	frozenExpires time.Time
	gen           uint64
}

func newReadCache() *readCache {
	return &readCache{tokens: map[string]cachedStudent{}}
}

// student returns the student whose token hashes to hash, from the cache or
// from st (store.ErrNotFound when there is none).
func (c *readCache) student(ctx context.Context, st store.Store, hash string) (store.Student, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.tokens[hash]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.st, nil
	}
	s, err := st.StudentByTokenHash(ctx, hash)
	if err != nil {
		return s, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if len(c.tokens) >= maxTokens {
			clear(c.tokens)
		}
		c.tokens[hash] = cachedStudent{st: s, expires: now.Add(tokenTTL)}
	}
	c.mu.Unlock()
	return s, nil
}

// forgetToken drops a token replaced by this server (a rejoin).
func (c *readCache) forgetToken(hash string) {
	c.mu.Lock()
	delete(c.tokens, hash)
	c.gen++
	c.mu.Unlock()
}

// frozenState returns store.Store.Frozen, cached for freezeTTL.
func (c *readCache) frozenState(ctx context.Context, st store.Store) (time.Time, bool, error) {
	now := time.Now()
	c.mu.Lock()
	if now.Before(c.frozenExpires) {
		since, frozen := c.frozenSince, c.frozen
		c.mu.Unlock()
		return since, frozen, nil
	}
	gen := c.gen
	c.mu.Unlock()
	since, frozen, err := st.Frozen(ctx)
	if err != nil {
		return since, frozen, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.frozenSince, c.frozen, c.frozenExpires = since, frozen, now.Add(freezeTTL)
	}
	c.mu.Unlock()
	return since, frozen, nil
}

// forgetFrozen drops the cached freeze state (this server stored a freeze
// or unfreeze command).
func (c *readCache) forgetFrozen() {
	c.mu.Lock()
	c.frozenExpires = time.Time{}
	c.gen++
	c.mu.Unlock()
}

// gradeSlots is how many submissions are decoded and re-graded at once:
// twice the CPUs Go runs on, at least 4. Without a bound, a whole class's
// requests shared the CPUs (200 goroutines each parsing and grading) and
// the store's one writer goroutine, the stage every submission must pass,
// waited its turn among them; each request also held its decoded snapshot
// the whole time. With it, requests beyond the bound wait (holding only
// their body) and are graded in turn, and the writer runs promptly.
func gradeSlots() int {
	return max(4, 2*runtime.GOMAXPROCS(0))
}
