package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// lockedBuf is a log sink the server may write from several goroutines.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestJoinCodeGuessingIsLimited sends wrong join codes from one client IP
// until the server answers 429 (Korean error, Retry-After, a WARN log
// line); the right code from the same IP is refused too while limited, and
// accepted once the bucket has refilled on the server's clock.
func TestJoinCodeGuessingIsLimited(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var logs lockedBuf
	f := newFixture(t, func(c *server.Config) {
		c.Now = clock
		c.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	hs := f.srv

	wrong := fmt.Sprintf("%06d", (mustAtoi(t, f.code)+1)%1000000)
	join := func(code, machine string) (*http.Response, api.Error) {
		t.Helper()
		body, _ := json.Marshal(api.JoinRequest{Code: code, Name: "학생", StudentID: "s-" + machine, MachineID: machine})
		resp, err := hs.Client().Post(hs.URL+api.PathJoin, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e api.Error
		json.NewDecoder(resp.Body).Decode(&e)
		return resp, e
	}
	for i := 0; i < server.JoinFailBurst; i++ {
		if resp, e := join(wrong, "machine-guess"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d %+v, want 403", i+1, resp.StatusCode, e)
		}
	}
	resp, e := join(wrong, "machine-guess")
	if resp.StatusCode != http.StatusTooManyRequests || e.Code != "too-many-attempts" || !strings.Contains(e.Error, "참가 코드") {
		t.Fatalf("after %d wrong codes: %d %+v, want 429 too-many-attempts", server.JoinFailBurst, resp.StatusCode, e)
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > server.JoinFailEvery {
		t.Fatalf("Retry-After %q, want 1..%v seconds", resp.Header.Get("Retry-After"), server.JoinFailEvery)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "rate-limited") || !strings.Contains(l, "127.0.0.1") {
		t.Fatalf("no WARN log of the limit:\n%s", l)
	}
	// While limited even the right code waits: otherwise guessing goes on.
	if resp, _ := join(f.code, "machine-right"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right code while limited: %d, want 429", resp.StatusCode)
	}
	mu.Lock()
	now = now.Add(time.Duration(secs) * time.Second)
	mu.Unlock()
	if resp, e := join(f.code, "machine-right"); resp.StatusCode != http.StatusCreated {
		t.Fatalf("right code after Retry-After: %d %+v, want 201", resp.StatusCode, e)
	}
	// Right codes cost nothing: a class behind one address joins freely.
	mu.Lock()
	now = now.Add(server.JoinFailEvery * server.JoinFailBurst)
	mu.Unlock()
	for i := 0; i < 3*server.JoinFailBurst; i++ {
		if resp, e := join(f.code, fmt.Sprintf("machine-%03d", i)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("student %d with the right code: %d %+v", i, resp.StatusCode, e)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestJoinPageShowsInstallFirst: the QR code's page gives the install line
// (with the code) before the join command, so a student without dslab
// does not get "command not found".
func TestJoinPageShowsInstallFirst(t *testing.T) {
	f := newFixture(t)
	code, body := f.do("GET", "/join?code="+f.code, "", nil)
	page := string(body)
	install := strings.Index(page, server.InstallLine(f.srv.URL, f.code)+"\n")
	join := strings.Index(page, "  "+api.JoinCommand(f.srv.URL, f.code)+"\n")
	if code != http.StatusOK || install < 0 || join < 0 || install > join {
		t.Fatalf("join page (%d): install line at %d, join command at %d:\n%s", code, install, join, page)
	}
}
