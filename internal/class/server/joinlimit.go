package server

// Failed-join rate limiting: a join code is 6 digits, so guessing it must
// be slow. Every wrong code costs the client IP one token of a
// golang.org/x/time/rate bucket; an IP with no token left gets 429 with
// Retry-After until the bucket refills. Right codes cost nothing, so a
// class of students behind one NAT that types the code right is never
// limited.

import (
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// JoinFailBurst is how many wrong join codes one client IP may send
	// in a row: a room of students behind one NAT shares it, so it allows
	// a few typos each from a whole room.
	JoinFailBurst = 30
	// JoinFailEvery is how often one more wrong code is allowed after the
	// burst (12 per minute: guessing one of 1,000,000 codes takes about a
	// month on average).
	JoinFailEvery = 5 * time.Second
	// joinLimitMaxIPs bounds the table: beyond it, full buckets (IPs that
	// have not failed for a while) are dropped.
	joinLimitMaxIPs = 4096
)

// joinLimiter holds one failed-join bucket per client IP.
type joinLimiter struct {
	now   func() time.Time
	every rate.Limit
	burst int
	mu    sync.Mutex
	ips   map[string]*rate.Limiter
}

func newJoinLimiter(now func() time.Time) *joinLimiter {
	return &joinLimiter{now: now, every: rate.Every(JoinFailEvery), burst: JoinFailBurst, ips: map[string]*rate.Limiter{}}
}

// clientIP is r's remote address without the port (the server does not
// trust X-Forwarded-For: it is reached directly on the LAN).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked reports whether ip has no failed join left, and then how long
// until it has one.
func (l *joinLimiter) blocked(ip string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.ips[ip]
	if !ok {
		return 0, false
	}
	now := l.now()
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0, false
	}
	wait := time.Duration((1 - tokens) / float64(l.every) * float64(time.Second))
	return wait, true
}

// fail spends one of ip's failed joins.
func (l *joinLimiter) fail(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	lim, ok := l.ips[ip]
	if !ok {
		if len(l.ips) >= joinLimitMaxIPs {
			for k, v := range l.ips {
				if v.TokensAt(now) >= float64(l.burst) {
					delete(l.ips, k)
				}
			}
		}
		lim = rate.NewLimiter(l.every, l.burst)
		l.ips[ip] = lim
	}
	lim.AllowN(now, 1)
}

// retryAfterSeconds is d rounded up to whole seconds (at least 1), for the
// Retry-After header (RFC 9110 §10.2.3).
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
