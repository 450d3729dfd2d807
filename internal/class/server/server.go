// Package server is dslab's class server: students join with a code, their
// labs send snapshots, and the server re-grades every snapshot with its own
// exercise catalog and grader.Grade (a client's verdict is never trusted),
// storing snapshot, result and an event in one transaction before it
// acknowledges. The HTTP API is documented in docs/class.md; bodies are in
// package api.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// Limits of request bodies.
const (
	DefaultMaxSubmissionBytes = 8 << 20 // one snapshot of a large cluster
	maxSmallBodyBytes         = 16 << 10
	// MaxClockSkew is how far a client's clock may be from the server's
	// before a submission is flagged clock-skew.
	MaxClockSkew = 60 * time.Second
)

// Submission flags set by the server (the store sets the copy flags).
const (
	FlagClockSkew       = "clock-skew"        // the client's clock is more than 60 s off
	FlagForeignPod      = "pod-unknown-node"  // a pod of the DaemonSet is on a node the snapshot does not list
	FlagOrphanPods      = "pods-without-ds"   // pods owned by a DaemonSet UID the snapshot does not have
	FlagBeforeBaseline  = "before-baseline"   // captured before the exercise's baseline was recorded
	FlagFutureSnapshot  = "captured-future"   // captured after the server received it
	FlagBaselineMissing = "baseline-mismatch" // the baseline is another exercise's
	// FlagNodeOutsideCluster: a node whose name is not the snapshot's
	// cluster's ("{cluster}-…", as every lab runtime names them).
	FlagNodeOutsideCluster = "node-not-in-cluster"
	// FlagTimes: an object created after the snapshot was captured, or a
	// pod created before the DaemonSet that owns it.
	FlagTimes = "times-inconsistent"
	// FlagStatusWithoutPods: the DaemonSet's status counts ready pods but
	// the snapshot has no pod it owns.
	FlagStatusWithoutPods = "ds-status-without-pods"
	// FlagSolutionViewed: the student's lab says the exercise's reference
	// answer was printed on that computer before the snapshot
	// (grader.Snapshot.SolutionViewedAt; `dslab exercise solution`).
	FlagSolutionViewed = "solution-viewed"
)

// timeSlack is how far object times may stray from the capture time and
// from each other before FlagTimes (the API server and the client stamp
// them; on a lab both run on the same machine).
const timeSlack = 5 * time.Second

// Config is what a Server depends on.
type Config struct {
	Store   store.Store
	Catalog *exercises.Catalog
	// GraderVersion is stored with every result (e.g. dslab's version).
	GraderVersion string
	Log           *slog.Logger
	// AllowRejoin lets a student id join again from another machine without
	// the instructor's approval.
	AllowRejoin bool
	// MaxSubmissionBytes limits a submission body (default 8 MiB).
	MaxSubmissionBytes int64
	// Now is the server's clock (time.Now when nil).
	Now func() time.Time

	// Board (board.go, events.go, download.go).
	BoardConfig
}

// Server serves the class API.
type Server struct {
	cfg   Config
	class store.Class
	mux   *http.ServeMux
	board *boardServer
	cache *readCache // cache.go
	// gradeSlots bounds the submissions being decoded and re-graded at
	// once (cache.go).
	gradeSlots chan struct{}
	// joinFails limits wrong join codes per client IP (joinlimit.go).
	joinFails *joinLimiter
	// submitLocks serializes each student's submissions (handleSubmit).
	submitLocks keyedLock
	// stateMu serializes the class-state commands (freeze, unfreeze,
	// close-join, open-join) from their check to their store, so two at
	// once cannot both pass "not frozen yet" (board_actions.go).
	stateMu sync.Mutex
}

// New returns a Server for the class in cfg.Store (EnsureClass must have
// run).
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSubmissionBytes <= 0 {
		cfg.MaxSubmissionBytes = DefaultMaxSubmissionBytes
	}
	c, err := cfg.Store.GetClass(ctx)
	if err != nil {
		return nil, fmt.Errorf("class: %w", err)
	}
	s := &Server{cfg: cfg, class: c, mux: http.NewServeMux(), cache: newReadCache(),
		gradeSlots: make(chan struct{}, gradeSlots()), joinFails: newJoinLimiter(cfg.Now)}
	s.registerBoard()
	s.mux.HandleFunc("POST "+api.PathJoin, s.handleJoin)
	s.mux.HandleFunc("GET "+api.PathJoinCheck, s.handleJoinCheck)
	s.mux.HandleFunc("POST "+api.PathSubmissions, s.student(s.handleSubmit))
	s.mux.HandleFunc("GET "+api.PathMe, s.student(s.handleMe))
	s.mux.HandleFunc("GET "+api.PathExport, s.instructor(s.handleExport))
	s.mux.HandleFunc("POST "+api.PathRegrade, s.instructor(s.handleRegrade))
	s.mux.HandleFunc("POST "+api.PathApprove, s.instructor(s.handleApprove))
	s.mux.HandleFunc("GET /join", s.handleJoinPage)
	s.mux.HandleFunc("GET "+api.PathHealthz, func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	s.mux.HandleFunc("GET "+api.PathReadyz, s.handleReady)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not-found", "없는 경로입니다: "+r.URL.Path)
	})
	return s, nil
}

// Handler returns the HTTP handler (with request logging).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		s.mux.ServeHTTP(rw, r)
		if r.Method != http.MethodGet && rw.status < 300 {
			s.board.hub.wake() // a write: tell the event streams now
		}
		if r.URL.Path == api.PathHealthz || r.URL.Path == api.PathReadyz {
			return
		}
		s.cfg.Log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rw.status), slog.Duration("took", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush and SetWriteDeadline
// (the event stream needs both).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Serve serves on ln until ctx is done, then shuts down gracefully
// (in-flight requests get up to 10 s to finish, then their connections
// are closed). The log says when the shutdown starts (and why), when the
// connections are drained (or closed after the wait) and "stopped" last
// (issue 12: server.log had no line for a Ctrl-C).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.board.dl.close() // the compressed downloads (download.go)
	var conns connCount
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // a regrade of a whole class
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn),
		ConnState:         conns.track,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.cfg.Log.Error("class server stopped: listener failed", "addr", ln.Addr().String(), "err", err)
		return err
	case <-ctx.Done():
	}
	start := time.Now()
	active, idle := conns.counts()
	s.cfg.Log.Info("class server shutting down", "cause", context.Cause(ctx).Error(), "addr", ln.Addr().String(),
		"activeConnections", active, "idleConnections", idle, "grace", shutdownGrace.String())
	s.Close() // ends the event streams, which never go idle
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// The grace period is over: the rest are cut.
		active, idle := conns.counts()
		s.cfg.Log.Warn("class server connections closed after the grace period", "activeConnections", active, "idleConnections", idle,
			"took", time.Since(start).Round(time.Millisecond).String())
		srv.Close()
	} else {
		s.cfg.Log.Info("class server connections drained", "took", time.Since(start).Round(time.Millisecond).String())
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	if err != nil {
		s.cfg.Log.Info("class server stopped", "err", err)
	} else {
		s.cfg.Log.Info("class server stopped")
	}
	return err
}

// shutdownGrace is how long Serve waits for in-flight requests after its
// context is done.
const shutdownGrace = 10 * time.Second

// connCount counts the server's connections by state (http.Server's
// ConnState hook) for the shutdown log lines.
type connCount struct {
	mu     sync.Mutex
	states map[net.Conn]http.ConnState
}

func (c *connCount) track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.states == nil {
		c.states = map[net.Conn]http.ConnState{}
	}
	switch state {
	case http.StateClosed, http.StateHijacked:
		delete(c.states, conn)
	default:
		c.states[conn] = state
	}
}

// counts returns the connections serving a request (or not yet read) and
// the idle ones.
func (c *connCount) counts() (active, idle int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.states {
		if st == http.StateIdle {
			idle++
		} else {
			active++
		}
	}
	return active, idle
}

// --- tokens ---

// NewToken returns a random token (32 bytes, base64url) with prefix.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how tokens are stored: hex SHA-256 (tokens are 256-bit
// random, so no slow hash is needed).
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewJoinCode returns a random 6-digit code.
func NewJoinCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

func (s *Server) student(next func(http.ResponseWriter, *http.Request, store.Student)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		if tok == "" {
			writeError(w, http.StatusUnauthorized, "unauthenticated", "학생 토큰이 없습니다: 먼저 dslab class join 으로 참가하세요")
			return
		}
		st, err := s.cache.student(r.Context(), s.cfg.Store, HashToken(tok))
		if errors.Is(err, store.ErrNotFound) {
			// The client's advice follows the rejoin setting (api.Error.Rejoin).
			rejoin := api.RejoinApproval
			if s.cfg.AllowRejoin {
				rejoin = api.RejoinOpen
			}
			writeJSON(w, http.StatusUnauthorized, api.Error{Code: "unauthenticated", Rejoin: rejoin, Class: s.class.Title,
				Error: "학생 토큰이 올바르지 않습니다: dslab class join 으로 다시 참가하세요"})
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if !st.Removed.IsZero() {
			// The class's title as it is now: the client's removal note
			// keeps it (issue 12: removed.json kept the title of the join).
			writeJSON(w, http.StatusGone, api.Error{Error: RemovedMessage(st), Code: api.CodeRemoved, Class: s.class.Title})
			return
		}
		next(w, r, st)
	}
}

// RemovedMessage is the Korean answer to a removed student's token
// (api.CodeRemoved): who was removed, that this computer stops submitting,
// and how to come back.
func RemovedMessage(st store.Student) string {
	roster, _, _ := strings.Cut(st.RosterID, ",removed-")
	return fmt.Sprintf("강사가 학번 %s (%s) 학생을 수업 명단에서 뺐습니다: 이 컴퓨터는 더 이상 제출하지 않습니다 (참가 정보를 지웠습니다). 잘못된 것이면 강사에게 말하고, 참가가 열려 있으면 dslab class join 으로 다시 참가하세요",
		roster, st.Name)
}

func (s *Server) instructor(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		if tok == "" || subtle.ConstantTimeCompare([]byte(HashToken(tok)), []byte(s.class.InstructorTokenHash)) != 1 {
			if s.studentToken(r, tok) {
				writeError(w, http.StatusForbidden, "forbidden", "학생 토큰으로는 쓸 수 없는 강사 전용 요청입니다: 강사 토큰(dslab class serve 가 만든 instructor-token 파일)이 필요합니다")
				return
			}
			writeError(w, http.StatusUnauthorized, "unauthenticated", "강사 토큰이 필요합니다: 강사 컴퓨터에서 dslab class board 가 보여 주는 보드 주소(…/board#token=…)로 여세요 (토큰은 dslab class serve 가 만든 instructor-token 파일)")
			return
		}
		next(w, r)
	}
}

// studentToken reports whether tok is a joined student's token: such a
// request is authenticated but not allowed on an instructor route (403,
// not 401; RFC 9110 §15.5.4).
func (s *Server) studentToken(r *http.Request, tok string) bool {
	if tok == "" {
		return false
	}
	_, err := s.cache.student(r.Context(), s.cfg.Store, HashToken(tok))
	return err == nil
}

// --- responses ---

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, api.Error{Error: msg, Code: code})
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.Log.Error("internal error", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "서버 내부 오류입니다: 잠시 뒤 다시 시도하세요 ("+err.Error()+")")
}

// readBody reads a size-limited body; it writes the error response and
// returns false when the body is too large or unreadable.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	// One allocation of the announced size (a snapshot is kilobytes:
	// io.ReadAll would grow its buffer several times); the limit still
	// applies to what is actually read.
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	body := buf.Bytes()
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, "too-large", fmt.Sprintf("요청 본문이 너무 큽니다 (최대 %d 바이트)", limit))
		return nil, false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		// The server was too busy to read it in time: the client retries.
		writeError(w, http.StatusRequestTimeout, "timeout", "서버가 바빠 요청을 제때 읽지 못했습니다: 잠시 뒤 다시 보냅니다 ("+err.Error()+")")
		return nil, false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad-body", "요청 본문을 읽을 수 없습니다: "+err.Error())
		return nil, false
	}
	return body, true
}

// decodeStrict decodes exactly one JSON value into v.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("JSON 값 뒤에 다른 내용이 있습니다")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return errors.New("JSON 값 뒤에 다른 내용이 있습니다")
	}
	return nil
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, "not-ready", "데이터베이스가 응답하지 않습니다: "+err.Error())
		return
	}
	io.WriteString(w, "ok\n")
}

// --- join ---

var (
	joinCodeRE = regexp.MustCompile(`^[0-9]{6}$`)
	keyRE      = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
	machineRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}$`)
)

func validText(s string, maxRunes int) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxRunes {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ',' {
			return false
		}
	}
	return strings.TrimSpace(s) == s
}

// joinLimited answers 429 when ip is out of wrong join codes (true).
// An IP out of wrong codes waits, even with the right code: if a right
// code got through while wrong ones got 429, the limit would answer every
// guess (201 vs 429) and guessing would go on at full speed. The burst is
// sized for a room behind one NAT (JoinFailBurst).
func (s *Server) joinLimited(w http.ResponseWriter, ip string) bool {
	wait, blocked := s.joinFails.blocked(ip)
	if !blocked {
		return false
	}
	secs := retryAfterSeconds(wait)
	s.cfg.Log.Warn("join rate-limited: too many wrong join codes", "ip", ip, "retryAfterSeconds", secs)
	w.Header().Set("Retry-After", fmt.Sprint(secs))
	writeError(w, http.StatusTooManyRequests, "too-many-attempts", fmt.Sprintf(
		"이 네트워크 주소(IP)에서 틀린 참가 코드가 너무 많이 왔습니다 (같은 공유기 뒤의 다른 학생일 수도 있습니다): %d초 뒤에 강사 화면의 6자리 코드로 다시 참가하세요", secs))
	return true
}

// handleJoinCheck is GET api.PathJoinCheck: the join code checked as a
// join checks it (same rate limit, a wrong code counts), and whether a
// student with ?studentId= could join now (join-closed when joining is
// closed and the 학번 is not on the roster). Nothing is stored.
func (s *Server) handleJoinCheck(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if s.joinLimited(w, ip) {
		return
	}
	code := r.URL.Query().Get("code")
	if !joinCodeRE.MatchString(code) {
		s.joinFails.fail(ip)
		writeError(w, http.StatusBadRequest, "bad-code", "참가 코드는 숫자 6자리입니다")
		return
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(s.class.JoinCode)) != 1 {
		s.joinFails.fail(ip)
		writeError(w, http.StatusForbidden, "wrong-code", "참가 코드가 맞지 않습니다: 강사 화면의 6자리 코드를 확인하세요")
		return
	}
	_, closed, err := joinState(r.Context(), s.cfg.Store)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	id := strings.TrimSpace(r.URL.Query().Get("studentId"))
	var existing store.Student
	err = store.ErrNotFound
	if id != "" {
		existing, err = s.cfg.Store.StudentByRosterID(r.Context(), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.internal(w, r, err)
			return
		}
	}
	if closed && errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusForbidden, "join-closed", joinClosedMessage)
		return
	}
	// The join would refuse a 학번 joined from another machine (issue 12:
	// the install line downloaded 295 MB first). The machine is the one
	// install.sh read from an earlier dslab on this computer, if any.
	if err == nil && existing.MachineID != r.URL.Query().Get("machineId") && !existing.RejoinApproved && !s.cfg.AllowRejoin {
		writeError(w, http.StatusConflict, "needs-approval", fmt.Sprintf(
			"학번 %s 학생은 다른 컴퓨터에서 이미 참가했습니다. 다른 학생이면 자기 학번으로 설치 줄을 다시 실행하세요. 같은 학생이 새 컴퓨터로 옮긴 것이면 강사에게 %s 부탁한 뒤 같은 줄을 다시 실행하세요 (이전 컴퓨터의 참가는 끊깁니다)", id, api.AfterCommand("dslab class approve "+api.ShellArg(id), hangul.EulReul)))
		return
	}
	writeJSON(w, http.StatusOK, api.JoinCheckResponse{Class: s.class.Title})
}

// joinClosedMessage answers a new student while joining is closed.
// The student is told what to ask; the instructor's way to do it is the
// board's button (issue 12: it named the CLI command `dslab class send
// open-join`, instructor jargon on a student's screen).
const joinClosedMessage = "강사가 참가를 닫았습니다: 새 학생은 참가할 수 없습니다. 수업에 들어가야 하면 강사에게 참가를 열어 달라고 하세요 (강사 화면의 ‘" + ButtonOpenJoin + "’ 단추)"

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if s.joinLimited(w, ip) {
		return
	}
	body, ok := readBody(w, r, maxSmallBodyBytes)
	if !ok {
		return
	}
	var req api.JoinRequest
	if err := decodeStrict(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad-json", "참가 요청이 올바른 JSON 이 아닙니다: "+err.Error())
		return
	}
	req.Name = strings.TrimSpace(req.Name)
	req.StudentID = strings.TrimSpace(req.StudentID)
	switch {
	case !joinCodeRE.MatchString(req.Code):
		s.joinFails.fail(ip)
		writeError(w, http.StatusBadRequest, "bad-code", "참가 코드는 숫자 6자리입니다")
		return
	case !validText(req.Name, 64):
		writeError(w, http.StatusBadRequest, "bad-name", "이름이 비었거나 너무 깁니다 (64자까지, 쉼표와 제어 문자 없이)")
		return
	case req.StudentID != "" && !validText(req.StudentID, 64):
		writeError(w, http.StatusBadRequest, "bad-student-id", "학번(student id)이 너무 깁니다 (64자까지, 쉼표와 제어 문자 없이)")
		return
	case !machineRE.MatchString(req.MachineID):
		writeError(w, http.StatusBadRequest, "bad-machine-id", "machineId 는 영문자·숫자·-·_ 8~128자입니다")
		return
	}
	if subtle.ConstantTimeCompare([]byte(req.Code), []byte(s.class.JoinCode)) != 1 {
		s.joinFails.fail(ip)
		writeError(w, http.StatusForbidden, "wrong-code", "참가 코드가 맞지 않습니다: 강사 화면의 6자리 코드를 확인하세요")
		return
	}
	roster := req.StudentID
	if roster == "" {
		roster = api.AutoRosterID(req.MachineID) // never the name: names repeat
	}
	token := NewToken("dss_")
	resp := api.JoinResponse{Token: token, RosterID: roster, Name: req.Name, Class: s.class.Title, Exercises: s.exerciseIDs()}
	ctx := r.Context()
	// One-shot commands sent before this join are not for this machine
	// (issue 12: a reset applied on the old machine ran again on the new).
	cursor, closed, err := joinState(ctx, s.cfg.Store)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp.CommandCursor = cursor
	for attempt := 0; attempt < 2; attempt++ {
		existing, err := s.cfg.Store.StudentByRosterID(ctx, roster)
		if errors.Is(err, store.ErrNotFound) && closed {
			writeError(w, http.StatusForbidden, "join-closed", joinClosedMessage)
			return
		}
		if errors.Is(err, store.ErrNotFound) {
			_, err := s.cfg.Store.CreateStudent(ctx, store.Student{RosterID: roster, Name: req.Name, TokenHash: HashToken(token), MachineID: req.MachineID, Joined: s.cfg.Now()})
			if errors.Is(err, store.ErrConflict) {
				continue // joined concurrently: look again
			}
			if err != nil {
				s.internal(w, r, err)
				return
			}
			if req.StudentID != "" {
				s.dropAutoEntry(ctx, req.MachineID)
			}
			writeJSON(w, http.StatusCreated, resp)
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if existing.MachineID != req.MachineID && !existing.RejoinApproved && !s.cfg.AllowRejoin {
			writeError(w, http.StatusConflict, "needs-approval", fmt.Sprintf(
				"학번 %s 학생은 다른 컴퓨터에서 이미 참가했습니다. 같은 학생이 새 컴퓨터로 옮긴 것이면 강사가 %s 승인한 뒤 다시 참가하세요 (이전 컴퓨터의 참가는 끊깁니다). 다른 학생이면 자기 학번으로 참가하세요: --id 학번", roster, api.AfterCommand("dslab class approve "+api.ShellArg(roster), hangul.EuroRo)))
			return
		}
		err = s.cfg.Store.ReplaceStudentToken(ctx, existing.ID, HashToken(token), req.MachineID)
		s.cache.forgetToken(existing.TokenHash) // replaced, or maybe replaced
		if err != nil {
			s.internal(w, r, err)
			return
		}
		resp.Name, resp.Rejoined = existing.Name, true
		writeJSON(w, http.StatusOK, resp)
		return
	}
	writeError(w, http.StatusConflict, "busy", "같은 학번으로 동시에 참가하고 있습니다: 다시 시도하세요")
}

// dropAutoEntry takes off the roster the automatic entry (api.AutoRosterID)
// of machine when it never submitted: the same computer joined again with
// its 학번, so that entry is nobody (the instructor trial on f9ad301: the
// install line without a 학번 joined as auto-…, and after `leave` and a
// join with --id the board kept "홍길동·287", counted in 전체). An entry
// with submissions stays: its work is shown and exported. Failures are
// logged only; the join stands.
func (s *Server) dropAutoEntry(ctx context.Context, machine string) {
	auto := api.AutoRosterID(machine)
	x, err := s.cfg.Store.StudentByRosterID(ctx, auto)
	if err != nil || x.MachineID != machine {
		return
	}
	subs, err := s.cfg.Store.Submissions(ctx, x.ID, false)
	if err != nil || len(subs) > 0 {
		return
	}
	if _, _, err := s.cfg.Store.RemoveStudent(ctx, auto, store.Command{Kind: store.CommandRemoveStudent, Time: s.cfg.Now(), Message: api.RemoveMessage(auto)}); err != nil {
		s.cfg.Log.Warn("drop the automatic roster entry of a machine that joined with its student id", "roster", auto, "err", err)
		return
	}
	s.cache.forgetToken(x.TokenHash)
	s.cfg.Log.Info("dropped the automatic roster entry: the machine joined with its student id", "roster", auto)
}

// joinState is the newest instructor command's seq (0 when none) and
// whether joining is closed (the newest close-join/open-join is a
// close-join).
func joinState(ctx context.Context, st store.Store) (last int64, closed bool, err error) {
	for {
		cmds, err := st.Commands(ctx, 0, last, 1000)
		if err != nil || len(cmds) == 0 {
			return last, closed, err
		}
		for _, c := range cmds {
			switch c.Kind {
			case store.CommandCloseJoin:
				closed = true
			case store.CommandOpenJoin:
				closed = false
			}
		}
		last = cmds[len(cmds)-1].Seq
		if len(cmds) < 1000 {
			return last, closed, nil
		}
	}
}

// handleJoinPage is where the QR code points: it tells a person (in
// Korean, plain text) the install line for a machine without dslab (it
// installs and joins in one go), then the join command for one that has
// it. It echoes the code only when the link carried a well-formed one.
func (s *Server) handleJoinPage(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if !joinCodeRE.MatchString(code) {
		code = "참가코드" // a placeholder that does not look like a real code
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "dslab 수업: %s\n\n"+
		"dslab 이 없으면, 터미널에서 다음 한 줄로 설치하고 참가합니다 (이름·학번을 바꿔서):\n\n  %s\n\n"+
		"dslab 이 이미 있으면, 다음 명령으로 참가하세요:\n\n  %s\n",
		s.class.Title, InstallLine("http://"+r.Host, code), api.JoinCommand("http://"+r.Host, code))
}

// InstallLine is the one line that installs dslab from the class server
// at baseURL (http://host:port) and, given a join code, joins with it
// (install.sh's arguments: CODE NAME [ID]; 이름 and 학번 are placeholders
// the student replaces). Without a code it only installs.
func InstallLine(baseURL, code string) string {
	line := "curl -fsSL " + strings.TrimRight(baseURL, "/") + "/install.sh | sh"
	if code != "" {
		line += " -s -- " + code + " 이름 학번"
	}
	return line
}

// --- submissions ---

func (s *Server) exerciseAllowed(id string) (exercises.Exercise, bool) {
	ex, err := s.cfg.Catalog.Get(id)
	if err != nil {
		return ex, false
	}
	if len(s.class.Exercises) > 0 && !slices.Contains(s.class.Exercises, id) {
		return ex, false
	}
	return ex, true
}

func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request, st store.Student) {
	received := s.cfg.Now()
	body, ok := readBody(w, r, s.cfg.MaxSubmissionBytes)
	if !ok {
		return
	}
	// One submission of a student at a time, from the checks against what
	// the student has stored (the same capture, the same as the previous
	// one) to its store: two at once (an outbox flush and a new submit)
	// both passed the checks and were both stored (issue 12). Taken before
	// a grade slot, so a slot never waits for it.
	unlock, ok := s.submitLocks.lock(r.Context(), st.ID)
	if !ok {
		return // the client has gone: it retries from its outbox
	}
	defer unlock()
	// Decoding and re-grading hold a slot (cache.go's gradeSlots); the
	// wait for the commit does not.
	select {
	case s.gradeSlots <- struct{}{}:
	case <-r.Context().Done():
		return // the client has gone: it retries from its outbox
	}
	release := sync.OnceFunc(func() { <-s.gradeSlots })
	defer release()
	var req api.SubmitRequest
	if err := decodeStrict(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad-json", "제출이 올바른 JSON 이 아닙니다: "+err.Error())
		return
	}
	if !keyRE.MatchString(req.IdempotencyKey) {
		writeError(w, http.StatusBadRequest, "bad-key", "idempotencyKey 는 영문자·숫자·-·_ 16~128자입니다")
		return
	}
	ex, ok := s.exerciseAllowed(req.Exercise)
	if !ok {
		writeError(w, http.StatusBadRequest, api.CodeBadExercise, fmt.Sprintf("이 수업에 없는 연습입니다: %q", req.Exercise))
		return
	}
	snap, err := parseSnapshot(req.Snapshot)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "bad-snapshot", "스냅숏(snapshot)이 올바르지 않습니다: "+err.Error())
		return
	}
	sum := sha256.Sum256(append([]byte(req.Exercise+"\x00"), req.Snapshot...))
	sha := hex.EncodeToString(sum[:])
	late := s.lateFlags(r.Context(), received)
	// The same capture sent again under another key (an outbox item sent
	// once more, a client retry that lost its key) is the stored one, not
	// a new attempt: answered as a retry (Duplicate). Its own key is
	// AddSubmission's (the retry of a key). As for an unchanged snapshot,
	// an on-time one after a late copy is stored: it counts.
	if dup, err := s.cfg.Store.SubmissionBySnapshot(r.Context(), st.ID, req.Exercise, sha); err == nil && dup.IdempotencyKey != req.IdempotencyKey &&
		(len(late) > 0 || !slices.Contains(dup.Flags, FlagLate)) {
		resp := api.SubmitResponse{ID: dup.ID, Duplicate: true, Exercise: dup.Exercise, Status: dup.Status,
			Score: dup.Score, MaxScore: dup.MaxScore, Flags: dup.Flags, ReceivedAt: dup.ReceivedAt}
		json.Unmarshal(dup.Result, &resp.Result)
		writeJSON(w, http.StatusOK, resp)
		return
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.internal(w, r, err)
		return
	}
	prev, ok, err := s.sameAsPrevious(r.Context(), st, req, len(late) > 0)
	if err != nil {
		s.internal(w, r, err)
		return
	} else if ok {
		resp := api.SubmitResponse{ID: prev.ID, Unchanged: true, Exercise: prev.Exercise, Status: prev.Status,
			Score: prev.Score, MaxScore: prev.MaxScore, Flags: prev.Flags, ReceivedAt: prev.ReceivedAt}
		json.Unmarshal(prev.Result, &resp.Result)
		writeJSON(w, http.StatusOK, resp)
		return
	}
	var before *store.Submission
	if prev.ID != 0 {
		before = &prev
	}
	res, stat := gradeSubmission(ex.Spec, snap, before)
	resultJSON, err := json.Marshal(res)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	sub := store.Submission{
		StudentID: st.ID, IdempotencyKey: req.IdempotencyKey, Exercise: req.Exercise,
		Snapshot: req.Snapshot, SnapshotSHA256: sha,
		Result: resultJSON, Score: res.Score, MaxScore: res.MaxScore, Status: stat,
		GraderVersion: s.cfg.GraderVersion, ReceivedAt: received, ClientTime: ClientTime(req), CreatedAt: req.CreatedAt,
		ClusterUID: snap.ClusterUID, Flags: Consistency(ex.Spec, snap, req, received),
	}
	if ds := targetDS(ex.Spec, snap); ds != nil {
		sub.DaemonSetUID = ds.UID
	}
	sub.Flags = append(sub.Flags, late...)
	release()
	stored, created, err := s.cfg.Store.AddSubmission(r.Context(), sub)
	if errors.Is(err, store.ErrConflict) {
		writeError(w, http.StatusConflict, "key-reused", "같은 idempotencyKey 로 다른 스냅숏이 이미 제출되었습니다: 새 제출에는 새 키를 쓰세요")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp := api.SubmitResponse{ID: stored.ID, Duplicate: !created, Exercise: stored.Exercise, Status: stored.Status,
		Score: stored.Score, MaxScore: stored.MaxScore, Flags: stored.Flags, ReceivedAt: stored.ReceivedAt, Result: res}
	code := http.StatusCreated
	if !created {
		code = http.StatusOK
		json.Unmarshal(stored.Result, &resp.Result)
	}
	writeJSON(w, code, resp)
}

// sameAsPrevious returns the student's previous submission of the
// exercise when req's snapshot is the same apart from its capture time
// (api.SameSnapshot): the cluster did not change, so it is not a new
// attempt and is not stored — the board's 회, the export's and CSV's 시도
// and `class status` count only changes (issue 12: six `class submit
// --all` runs against an unchanged cluster became 9회 and 23 attempts).
// The earlier submission keeps its capture time, which is when the student
// reached that state. A retry of the previous submission itself (its
// idempotency key) is not this: AddSubmission answers it as a duplicate.
// Nor is an on-time one (late false) after a late previous one (after an
// unfreeze the same state counts, where the late one never did).
func (s *Server) sameAsPrevious(ctx context.Context, st store.Student, req api.SubmitRequest, late bool) (store.Submission, bool, error) {
	prev, err := s.cfg.Store.PreviousSubmission(ctx, st.ID, req.Exercise)
	if errors.Is(err, store.ErrNotFound) {
		return prev, false, nil
	}
	if err != nil {
		return prev, false, err
	}
	if prev.IdempotencyKey == req.IdempotencyKey || (!late && slices.Contains(prev.Flags, FlagLate)) {
		return prev, false, nil
	}
	same := api.SameSnapshot(prev.Snapshot, req.Snapshot)
	return prev, same, nil
}

// ClientTime is the time a submission is stored under as the student's:
// when the lab captured it (req.CreatedAt, kept in the client's outbox),
// not when it was sent — a submission queued while the server was down
// and sent minutes later keeps its own time (issue 12). A client that
// sent no CreatedAt gets SentAt. The client's clock offset is measured
// on SentAt alone (clock-skew: SentAt against the server's receive time,
// the same instant), so a queued submission is not flagged skewed.
func ClientTime(req api.SubmitRequest) time.Time {
	if !req.CreatedAt.IsZero() {
		return req.CreatedAt
	}
	return req.SentAt
}

// parseSnapshot decodes and validates a snapshot.
func parseSnapshot(raw json.RawMessage) (grader.Snapshot, error) {
	var snap grader.Snapshot
	if t := strings.TrimSpace(string(raw)); t == "" || t == "null" || t == "{}" {
		return snap, errors.New("스냅숏이 비어 있습니다")
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		return snap, err
	}
	switch {
	case snap.Version == 0 && snap.CapturedAt.IsZero() && len(snap.Nodes) == 0:
		// Nothing of a snapshot (issue 12: {} was told "버전 1~1").
		return snap, errors.New("스냅숏이 비어 있습니다 (version, capturedAt, nodes 가 없습니다)")
	case snap.Version < 1 || snap.Version > grader.SnapshotVersion:
		return snap, fmt.Errorf("이 서버가 읽을 수 없는 스냅숏 버전입니다 (%d, 읽을 수 있는 것은 %s): dslab 버전을 맞추세요", snap.Version, snapshotVersions(grader.SnapshotVersion))
	case snap.CapturedAt.IsZero():
		return snap, errors.New("capturedAt 이 없습니다")
	case len(snap.Nodes) == 0:
		return snap, errors.New("노드가 하나도 없습니다")
	case len(snap.ClusterUID) > 128:
		return snap, errors.New("clusterUID 가 너무 깁니다 (128자까지)")
	case len(snap.Nodes) > 10000 || len(snap.Pods) > 100000 || len(snap.DaemonSets) > 1000:
		return snap, errors.New("노드·파드·데몬셋이 너무 많습니다")
	}
	for _, n := range snap.Nodes {
		if n.Name == "" {
			return snap, errors.New("이름 없는 노드가 있습니다")
		}
	}
	return snap, nil
}

// snapshotVersions names the snapshot versions 1..newest this server
// reads: "버전 1" while there is one, "버전 1~3" after.
func snapshotVersions(newest int) string {
	if newest <= 1 {
		return "버전 1"
	}
	return fmt.Sprintf("버전 1~%d", newest)
}

func targetDS(spec grader.Spec, snap grader.Snapshot) *grader.DaemonSet {
	for i := range snap.DaemonSets {
		d := &snap.DaemonSets[i]
		if d.Namespace == spec.Target.Namespace && d.Name == spec.Target.Name {
			return d
		}
	}
	return nil
}

// status is the stored status of a grade: passed, not-started only when
// the grader found nothing attempted (grader.StatusNotStarted: the cause
// was opening or resetting the exercise), else failed. A target DaemonSet
// that is absent while a copy of it stands in another namespace is the
// grader's failure with its reason, not "시작 전" (issue 12: the board
// showed "○ 시작 전 (연습을 열었음 / 초기화함)" for a DaemonSet applied in
// default while the student's `dslab grade` explained it).
func status(res grader.Result) string {
	switch {
	case res.Passed:
		return api.StatusPassed
	case res.Status == grader.StatusNotStarted:
		return api.StatusNotStarted
	}
	return api.StatusFailed
}

// gradeSubmission grades snap, a student's submission of spec's exercise,
// and returns its result and stored status. prev is the student's
// previous submission of the exercise (nil: none). When the grader finds
// nothing of the exercise but prev, captured under the same baseline (the
// same start or reset), was an attempt (not not-started) or the learner
// has applied more changes since (the capture's attempt count grew), the
// DaemonSet was deleted after an attempt: a failure with the grader's
// reason ("데몬셋 … 없습니다"), not the quiet "시작 전" line that only an
// open or a reset sends (issue 12: a `kubectl delete` showed "연습을
// 열었음 / 초기화함").
func gradeSubmission(spec grader.Spec, snap grader.Snapshot, prev *store.Submission) (grader.Result, string) {
	res := grader.Grade(spec, snap)
	if res.Status == grader.StatusNotStarted && prev != nil && attemptedBefore(snap, *prev) {
		res = grader.GradeAttempted(spec, snap)
	}
	return res, status(res)
}

// attemptedBefore reports whether prev, an earlier submission of the same
// student and exercise, shows an attempt made since snap's baseline: prev
// has the same baseline (recorded at the same start or reset) and was not
// not-started, or snap counts more applies than prev did.
func attemptedBefore(snap grader.Snapshot, prev store.Submission) bool {
	if snap.Baseline == nil || snap.Baseline.Recorded.IsZero() || len(prev.Snapshot) == 0 {
		return false
	}
	var p struct {
		Baseline *struct {
			Exercise string    `json:"exercise"`
			Recorded time.Time `json:"recorded"`
		} `json:"baseline"`
		Attempts *int `json:"attempts"`
	}
	if err := json.Unmarshal(prev.Snapshot, &p); err != nil || p.Baseline == nil {
		return false
	}
	if !p.Baseline.Recorded.Equal(snap.Baseline.Recorded) || p.Baseline.Exercise != snap.Baseline.Exercise {
		return false
	}
	if prev.Status != api.StatusNotStarted {
		return true
	}
	return snap.Attempts != nil && (p.Attempts == nil || *snap.Attempts > *p.Attempts)
}

// Consistency returns the flags of checks the server can make on a
// snapshot: the client's clock against the server's, pods of the
// DaemonSet on nodes the snapshot lists, pods whose owner is missing,
// node names of the snapshot's cluster, capture times against the
// exercise baseline and the receive time, object creation times against
// the capture and their owners, and a DaemonSet status that counts ready
// pods the snapshot does not have. A snapshot captured by dslab from a
// real cluster raises none of them (TestConsistencyRealSnapshots,
// TestIntegrationClassEndToEnd).
func Consistency(spec grader.Spec, snap grader.Snapshot, req api.SubmitRequest, received time.Time) []string {
	var flags []string
	if !req.SentAt.IsZero() {
		if d := received.Sub(req.SentAt); d > MaxClockSkew || d < -MaxClockSkew {
			flags = append(flags, FlagClockSkew)
		}
	}
	nodes := map[string]bool{}
	for _, n := range snap.Nodes {
		nodes[n.Name] = true
	}
	dsUIDs := map[string]bool{}
	for _, d := range snap.DaemonSets {
		dsUIDs[d.UID] = true
	}
	unknownNode, orphan := false, false
	for _, p := range snap.Pods {
		if p.Node != "" && !nodes[p.Node] {
			unknownNode = true
		}
		if p.OwnerKind == "DaemonSet" && p.OwnerUID != "" && !dsUIDs[p.OwnerUID] {
			orphan = true
		}
	}
	if unknownNode {
		flags = append(flags, FlagForeignPod)
	}
	if orphan {
		flags = append(flags, FlagOrphanPods)
	}
	if b := snap.Baseline; b != nil && !b.Recorded.IsZero() && b.Source != "topology" {
		if snap.CapturedAt.Before(b.Recorded) {
			flags = append(flags, FlagBeforeBaseline)
		}
		if b.Exercise != "" && b.Exercise != spec.ID {
			flags = append(flags, FlagBaselineMissing)
		}
	}
	if snap.CapturedAt.After(received.Add(MaxClockSkew)) {
		flags = append(flags, FlagFutureSnapshot)
	}
	if snap.Cluster != "" {
		for _, n := range snap.Nodes {
			if n.Name != snap.Cluster && !strings.HasPrefix(n.Name, snap.Cluster+"-") {
				flags = append(flags, FlagNodeOutsideCluster)
				break
			}
		}
	}
	if inconsistentTimes(snap) {
		flags = append(flags, FlagTimes)
	}
	if snap.SolutionViewedAt != nil {
		flags = append(flags, FlagSolutionViewed)
	}
	if ds := targetDS(spec, snap); ds != nil && ds.Status.NumberReady > 0 {
		owned := false
		for _, p := range snap.Pods {
			if p.OwnerUID == ds.UID {
				owned = true
				break
			}
		}
		if !owned {
			flags = append(flags, FlagStatusWithoutPods)
		}
	}
	return flags
}

// inconsistentTimes reports an object created after the capture, or a pod
// created before the DaemonSet that owns it (a controller creates pods
// only after its object exists).
func inconsistentTimes(snap grader.Snapshot) bool {
	late := snap.CapturedAt.Add(timeSlack)
	dsCreated := map[string]time.Time{}
	for _, d := range snap.DaemonSets {
		if d.Created.After(late) {
			return true
		}
		dsCreated[d.UID] = d.Created
	}
	for _, n := range snap.Nodes {
		if n.Created.After(late) {
			return true
		}
	}
	for _, p := range snap.Pods {
		if p.Created.After(late) {
			return true
		}
		if c, ok := dsCreated[p.OwnerUID]; ok && p.OwnerUID != "" && !c.IsZero() && !p.Created.IsZero() && p.Created.Before(c.Add(-timeSlack)) {
			return true
		}
	}
	return false
}

// --- me ---

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, st store.Student) {
	latest, err := s.cfg.Store.LatestSubmissions(r.Context(), st.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp := api.MeResponse{RosterID: st.RosterID, Name: st.Name, Class: s.class.Title, Joined: st.Joined, Exercises: s.exerciseIDs(), Latest: []api.Verdict{}}
	for _, sub := range latest {
		resp.Latest = append(resp.Latest, verdict(sub))
	}
	all, err := s.cfg.Store.Submissions(r.Context(), st.ID, false)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp.Scores = StudentScores(all, s.exerciseIDs())
	writeJSON(w, http.StatusOK, resp)
}

func verdict(sub store.Submission) api.Verdict {
	return api.Verdict{SubmissionID: sub.ID, Exercise: sub.Exercise, Status: sub.Status,
		Score: sub.Score, MaxScore: sub.MaxScore, ReceivedAt: sub.ReceivedAt, ClientTime: sub.ClientTime, Flags: sub.Flags}
}

// StudentScores returns, per exercise of subs (one student's submissions
// in id order), the submission that counts (CountedSubmission, as the
// board's cells and the export use) and the newest one when it is another.
// Exercises come in the order of order, then the others by id.
func StudentScores(subs []store.Submission, order []string) []api.ExerciseScore {
	byEx := map[string][]store.Submission{}
	for _, sub := range subs {
		byEx[sub.Exercise] = append(byEx[sub.Exercise], sub)
	}
	ids := slices.Clone(order)
	var rest []string
	for ex := range byEx {
		if !slices.Contains(order, ex) {
			rest = append(rest, ex)
		}
	}
	slices.Sort(rest)
	out := []api.ExerciseScore{}
	for _, ex := range append(ids, rest...) {
		list := byEx[ex]
		if len(list) == 0 {
			continue
		}
		sc := api.ExerciseScore{Exercise: ex}
		newest := list[len(list)-1]
		counted, ok := CountedSubmission(list)
		if ok {
			v := verdict(counted)
			sc.Counted = &v
		}
		if !ok || counted.ID != newest.ID {
			v := verdict(newest)
			sc.Newest = &v
		}
		out = append(out, sc)
	}
	return out
}

// --- instructor ---

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	exp, err := BuildExport(r.Context(), s.cfg.Store, s.cfg.Catalog, r.URL.Query().Get("snapshots") == "1", s.cfg.Now())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, exp)
}

func (s *Server) handleRegrade(w http.ResponseWriter, r *http.Request) {
	// The same path as the board's button: the regrade is a command the
	// board and the students see (RegradeAll).
	res, _, err := RegradeAll(r.Context(), s.cfg.Store, s.cfg.Catalog, s.cfg.GraderVersion, s.cfg.Now())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.cfg.Log.Info("regraded", "regraded", res.Regraded, "changed", res.Changed, "graderVersion", res.GraderVersion)
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, maxSmallBodyBytes)
	if !ok {
		return
	}
	var req api.ApproveRequest
	if err := decodeStrict(body, &req); err != nil || req.RosterID == "" {
		writeError(w, http.StatusBadRequest, "bad-json", "승인 요청에는 rosterId 가 필요합니다")
		return
	}
	if _, err := s.cfg.Store.ApproveRejoin(r.Context(), req.RosterID); errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no-student", "그런 학번의 학생이 없습니다: "+req.RosterID)
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"rosterId": req.RosterID})
}

// keyedLock is a mutex per key (a student id) whose waiters give up when
// their request's context ends; a key's entry goes with its last holder.
type keyedLock struct {
	mu sync.Mutex
	m  map[int64]*keyedEntry
}

type keyedEntry struct {
	ch chan struct{} // holds one token while locked
	n  int           // holders and waiters
}

// lock locks key; false (nothing locked) when ctx ends first.
func (k *keyedLock) lock(ctx context.Context, key int64) (unlock func(), ok bool) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[int64]*keyedEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{ch: make(chan struct{}, 1)}
		k.m[key] = e
	}
	e.n++
	k.mu.Unlock()
	done := func() {
		k.mu.Lock()
		if e.n--; e.n == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return sync.OnceFunc(func() { <-e.ch; done() }), true
	case <-ctx.Done():
		done()
		return nil, false
	}
}
