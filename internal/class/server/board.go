package server

// The live board: its state API, the per-student timeline, the embedded web
// page (assets/board) and the cookie that lets a browser's EventSource
// (which cannot send an Authorization header) carry the instructor token.

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dslab-kr/dslab/assets"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// BoardConfig configures the live board, event stream and downloads.
type BoardConfig struct {
	// StuckAfter is how long a student's current exercise may go without
	// progress (a higher best score) before the board flags the student
	// stuck (default DefaultStuckAfter).
	StuckAfter time.Duration
	// Heartbeat is how often an idle event stream sends a comment
	// (default DefaultHeartbeat).
	Heartbeat time.Duration
	// EventPoll is how often the event hub looks at the log without a
	// wake-up (default 1 s; local writes and PostgreSQL NOTIFY wake it at
	// once).
	EventPoll time.Duration
	// Executable is the binary served at /download/ as
	// dslab-<GOOS>-<GOARCH> (os.Executable when "").
	Executable string
	// DistDir holds other platforms' builds (dslab-<os>-<arch>[.exe], what
	// `make dist` produces); "" or a missing directory offers none.
	DistDir string
	// StudentURLs are the addresses students reach this server at (the
	// ones `dslab class serve` prints, LAN first); loopback ones are left
	// out of everything shown to students (studentBases).
	StudentURLs []string
}

// DefaultStuckAfter is the default of BoardConfig.StuckAfter.
const DefaultStuckAfter = 10 * time.Minute

// BoardCookie is the start of the name of the HttpOnly cookie holding the
// instructor token for the web board; BoardCookieName adds the server's
// port. It is not Secure: the board runs on plain-HTTP LANs.
const BoardCookie = "dslab_board"

// BoardCookieName is the board cookie's name for a server reached at
// hostport (a request's Host): BoardCookie and the port, because browsers
// keep cookies per host, not per port (issue 12: opening a second class's
// board on the same machine, another port, replaced the first one's
// login). Port 80 when hostport has none.
func BoardCookieName(hostport string) string {
	port := "80"
	if _, p, err := net.SplitHostPort(hostport); err == nil && p != "" {
		port = p
	}
	return BoardCookie + "_" + port
}

// boardHeader must accompany a cookie-authenticated request that changes
// something: a cross-site form cannot set it (and SameSite=Strict keeps
// the cookie off cross-site requests anyway).
const boardHeader = "X-Dslab-Board"

type boardServer struct {
	hub     *hub
	cache   boardCache
	ctx     context.Context
	cancel  context.CancelFunc
	hubOnce sync.Once
	dl      *downloads
}

func (s *Server) registerBoard() {
	ctx, cancel := context.WithCancel(context.Background())
	s.board = &boardServer{hub: newHub(s.cfg.Store), ctx: ctx, cancel: cancel}
	s.board.dl = newDownloads(s.cfg.BoardConfig)
	m := s.mux
	m.HandleFunc("GET "+api.PathEvents, s.boardAuth(s.handleEvents))
	m.HandleFunc("GET "+api.PathBoard, s.boardAuth(s.handleBoard))
	m.HandleFunc("GET "+api.PathTimeline+"{roster}", s.boardAuth(s.handleTimeline))
	m.HandleFunc("GET "+api.PathSubmission+"{id}", s.boardAuth(s.handleSubmission))
	m.HandleFunc("GET "+api.PathInstructorCommands, s.boardAuth(s.handleListCommands))
	m.HandleFunc("POST "+api.PathInstructorCommands, s.boardAuth(s.handleCommand))
	m.HandleFunc("GET "+api.PathCommands, s.student(s.handleStudentCommands))
	m.HandleFunc("POST "+api.PathBoardSession, s.instructor(s.handleBoardSession))
	static := http.FileServerFS(assets.Board())
	m.HandleFunc("GET "+api.PathBoardPage, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFileFS(w, r, assets.Board(), "index.html")
	})
	m.Handle("GET /board/static/", http.StripPrefix("/board/static/", static))
	m.HandleFunc("GET "+api.PathDownload, s.handleDownloadIndex)
	m.HandleFunc("GET "+api.PathDownload+"{name}", s.handleDownload)
	m.HandleFunc("GET "+api.PathInstall, s.handleInstallScript)
}

// boardAuth admits the instructor by bearer token or by the board cookie
// (a cookie-authenticated write must also carry X-Dslab-Board).
func (s *Server) boardAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		if tok == "" {
			if c, err := r.Cookie(BoardCookieName(r.Host)); err == nil {
				tok = c.Value
				if r.Method != http.MethodGet && r.Header.Get(boardHeader) == "" {
					writeError(w, http.StatusForbidden, "csrf", "보드 쿠키로 보낸 변경 요청에는 "+boardHeader+" 헤더가 필요합니다")
					return
				}
			}
		}
		if tok == "" || subtle.ConstantTimeCompare([]byte(HashToken(tok)), []byte(s.class.InstructorTokenHash)) != 1 {
			if s.studentToken(r, tok) {
				writeError(w, http.StatusForbidden, "forbidden", "학생 토큰으로는 쓸 수 없는 강사 전용 요청입니다: 강사 토큰이 필요합니다")
				return
			}
			writeError(w, http.StatusUnauthorized, "unauthenticated", "강사 토큰이 필요합니다: 강사 컴퓨터에서 dslab class board 를 실행하면 보여 주는 보드 주소(…/board#token=…)로 여세요")
			return
		}
		next(w, r)
	}
}

// handleBoardSession sets the board cookie from the bearer token the page
// read from its URL fragment (fragments never reach servers or logs).
func (s *Server) handleBoardSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: BoardCookieName(r.Host), Value: bearer(r), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		MaxAge: int((24 * time.Hour).Seconds())})
	writeJSON(w, http.StatusOK, map[string]string{"class": s.class.Title})
}

func (s *Server) stuckAfter() time.Duration {
	if s.cfg.StuckAfter > 0 {
		return s.cfg.StuckAfter
	}
	return DefaultStuckAfter
}

func (s *Server) exerciseIDs() []string {
	if len(s.class.Exercises) > 0 {
		return s.class.Exercises
	}
	return s.cfg.Catalog.IDs()
}

func (s *Server) handleBoard(w http.ResponseWriter, r *http.Request) {
	b, err := s.BuildBoard(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	for _, base := range s.studentBases(r) {
		b.Join = append(b.Join, api.BoardJoin{URL: base, Install: InstallLine(base, b.JoinCode), Command: api.JoinCommand(base, b.JoinCode)})
	}
	if len(b.Join) == 0 {
		b.JoinNote = "학생 컴퓨터가 닿을 이 서버의 주소(LAN)를 모릅니다: 보드를 이 컴퓨터 안의 주소(" + r.Host + ")로 열었고 서버가 알린 LAN 주소가 없습니다. " +
			"dslab class serve 를 --listen :7070 처럼 모든 주소에서 듣게 열거나, 학생이 닿는 주소로 보드를 여세요."
	}
	writeJSON(w, http.StatusOK, b)
}

// studentBases are the server's addresses to show students (http://host:port):
// StudentURLs without loopback ones; when it has none, the address the
// request came to unless that is loopback (a board opened on 127.0.0.1
// must never tell students to use 127.0.0.1: issue 12). Empty when no
// address students can reach is known.
func (s *Server) studentBases(r *http.Request) []string {
	var out []string
	for _, u := range s.cfg.StudentURLs {
		u = strings.TrimRight(u, "/")
		if pu, err := url.Parse(u); err == nil && pu.Host != "" && !loopbackHost(pu.Host) && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	if len(out) == 0 && r.Host != "" && !loopbackHost(r.Host) {
		out = append(out, "http://"+r.Host)
	}
	return out
}

// loopbackHost reports whether hostport (host or host:port) names this
// machine only: localhost or a loopback IP.
func loopbackHost(hostport string) bool {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// CommonFailure returns the check failed by the most of results (ties: the
// check listed first) and its most common reason: the Korean reason of a
// failing node, else the check's message. nil when no check fails.
func CommonFailure(results []grader.Result) *api.CommonFailure {
	type agg struct {
		title   string
		order   int
		n       int
		reasons map[string]int
	}
	byCheck := map[string]*agg{}
	for _, res := range results {
		for i, c := range res.Checks {
			if c.Passed {
				continue
			}
			a := byCheck[c.ID]
			if a == nil {
				a = &agg{title: c.Title, order: i, reasons: map[string]int{}}
				byCheck[c.ID] = a
			}
			a.n++
			reason := c.Message
			for _, n := range c.FailedNodes() {
				if n.Reason != "" {
					reason = n.Reason
					break
				}
			}
			a.reasons[reason]++
		}
	}
	if len(byCheck) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byCheck))
	for id := range byCheck {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byCheck[ids[i]], byCheck[ids[j]]
		if a.n != b.n {
			return a.n > b.n
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return ids[i] < ids[j]
	})
	a := byCheck[ids[0]]
	reasons := make([]string, 0, len(a.reasons))
	for r := range a.reasons {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if a.reasons[reasons[i]] != a.reasons[reasons[j]] {
			return a.reasons[reasons[i]] > a.reasons[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	return &api.CommonFailure{Check: ids[0], Title: a.title, Reason: reasons[0], Students: a.n}
}

// Initials shortens a name for projector mode: a Hangul name keeps its
// first syllable and masks the rest with at most two ○ ("김민수" → "김○○",
// a very long name too: issue 12 showed "남○○○○○○○○…"); other names keep
// the first letter of each of their first three words ("Jane Doe" →
// "J.D.").
func Initials(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(name)
	if first >= 0xAC00 && first <= 0xD7A3 {
		n := utf8.RuneCountInString(strings.ReplaceAll(name, " ", ""))
		return string(first) + strings.Repeat("○", min(max(n-1, 1), 2))
	}
	var b strings.Builder
	words := strings.Fields(name)
	for _, w := range words[:min(len(words), 3)] {
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteString(strings.ToUpper(string(r)) + ".")
	}
	return b.String()
}

func apiCommand(c store.Command, roster map[int64]store.Student) api.Command {
	return api.Command{Seq: c.Seq, Time: c.Time, Kind: c.Kind, RosterID: roster[c.StudentID].RosterID, Exercise: c.Exercise, Message: c.Message}
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	x, err := s.cfg.Store.StudentByRosterID(ctx, r.PathValue("roster"))
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no-student", "그런 학번의 학생이 없습니다: "+r.PathValue("roster"))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	subs, err := s.cfg.Store.Submissions(ctx, x.ID, false)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	cmds, err := s.cfg.Store.Commands(ctx, x.ID, 0, 0)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	tl := api.Timeline{RosterID: x.RosterID, Name: x.Name, Entries: []api.TimelineEntry{}}
	for _, sub := range timelineSubmissions(subs) {
		// The one builder of a verdict, as /me's (issue 12: the timeline
		// left ClientTime zero while the export had it).
		v := verdict(sub)
		e := api.TimelineEntry{Time: sub.ReceivedAt, Submission: &v}
		var res grader.Result
		// A not-started submission (an exercise opened or reset) is one
		// line without its checks (api.NotStartedNote): every check of an
		// exercise not begun fails, which read as a failed attempt.
		if sub.Status != api.StatusNotStarted && json.Unmarshal(sub.Result, &res) == nil {
			e.NodesOmitted = trimNodes(&res, TimelineNodes)
			e.Result = &res
			e.States = stateWords(res)
			if e.NodesOmitted != nil {
				e.Details = api.PathSubmission + strconv.FormatInt(sub.ID, 10)
			}
		}
		tl.Entries = append(tl.Entries, e)
	}
	roster := map[int64]store.Student{x.ID: x}
	for _, c := range cmds {
		if c.Kind == store.CommandCloseJoin || c.Kind == store.CommandOpenJoin {
			// About who may join, not about this student (issue 12: a
			// record listed the class's 참가 닫기/열기).
			continue
		}
		ac := apiCommand(c, roster)
		tl.Entries = append(tl.Entries, api.TimelineEntry{Time: c.Time, Command: &ac})
	}
	// In the order things happened: a submission at its capture time (an
	// outbox item sent a minute late is not after what came since).
	at := func(e api.TimelineEntry) time.Time {
		if e.Submission != nil && !e.Submission.ClientTime.IsZero() {
			return e.Submission.ClientTime
		}
		return e.Time
	}
	slices.SortStableFunc(tl.Entries, func(a, b api.TimelineEntry) int { return at(a).Compare(at(b)) })
	writeJSON(w, http.StatusOK, tl)
}

// timelineSubmissions are the submissions a student's record lists, subs
// (in id order) in capture order (ClientTime, else the receive time),
// without a re-send of the same result: a submission whose exercise,
// status, score, flags and check verdicts equal the one listed before it
// of that exercise is not a new event (issue 12: "02:20 ds-basics ✔ 통과"
// again after the 02:21 gpu-only lines, "○ 시작 전" twice). Each is still
// stored and counted.
func timelineSubmissions(subs []store.Submission) []store.Submission {
	sorted := slices.Clone(subs)
	at := func(s store.Submission) time.Time {
		if !s.ClientTime.IsZero() {
			return s.ClientTime
		}
		return s.ReceivedAt
	}
	slices.SortStableFunc(sorted, func(a, b store.Submission) int { return at(a).Compare(at(b)) })
	last := map[string]store.Submission{}
	out := sorted[:0]
	for _, sub := range sorted {
		if p, ok := last[sub.Exercise]; ok && SameResult(p, sub) {
			continue
		}
		last[sub.Exercise] = sub
		out = append(out, sub)
	}
	return out
}

// SameResult reports whether b, a later submission of a's exercise,
// has the same result as a: status, score, flags and every check's
// verdict and reason. A re-send of it is not a new event on the record
// or in watch's feed.
func SameResult(a, b store.Submission) bool {
	if a.Exercise != b.Exercise || a.Status != b.Status || a.Score != b.Score || a.MaxScore != b.MaxScore || !slices.Equal(a.Flags, b.Flags) {
		return false
	}
	if a.Status == api.StatusNotStarted {
		return true
	}
	type check struct {
		ID      string `json:"id"`
		Passed  bool   `json:"passed"`
		Message string `json:"message"`
	}
	var ra, rb struct {
		Checks []check `json:"checks"`
	}
	if json.Unmarshal(a.Result, &ra) != nil || json.Unmarshal(b.Result, &rb) != nil {
		return false
	}
	return slices.Equal(ra.Checks, rb.Checks)
}

// handleSubmission is GET api.PathSubmission{id}: one submission's whole
// stored result, every node (what a timeline entry that left nodes out
// links to; the timeline itself stays small).
func (s *Server) handleSubmission(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, "no-submission", "그런 제출이 없습니다: "+r.PathValue("id"))
		return
	}
	sub, found, err := s.submissionByID(r.Context(), id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if !found {
		writeError(w, http.StatusNotFound, "no-submission", "그런 제출이 없습니다: "+r.PathValue("id"))
		return
	}
	d := api.SubmissionDetail{Submission: verdict(sub)}
	if err := json.Unmarshal(sub.Result, &d.Result); err != nil {
		s.internal(w, r, err)
		return
	}
	students, err := s.cfg.Store.Students(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	for _, x := range students {
		if x.ID == sub.StudentID {
			d.RosterID, d.Name = x.RosterID, x.Name
		}
	}
	writeJSON(w, http.StatusOK, d)
}

// submissionByID reads one submission (no snapshot): by id where the store
// can (store.BoardReader), else from the list.
func (s *Server) submissionByID(ctx context.Context, id int64) (store.Submission, bool, error) {
	if rd, ok := s.cfg.Store.(store.BoardReader); ok {
		subs, err := rd.SubmissionsByID(ctx, []int64{id}, false)
		if err != nil || len(subs) == 0 {
			return store.Submission{}, false, err
		}
		return subs[0], true, nil
	}
	subs, err := s.cfg.Store.Submissions(ctx, 0, false)
	if err != nil {
		return store.Submission{}, false, err
	}
	for _, sub := range subs {
		if sub.ID == id {
			return sub, true, nil
		}
	}
	return store.Submission{}, false, nil
}

// TimelineNodes is how many nodes a check of a timeline entry lists at
// most: a check of more nodes lists only its first TimelineNodes failing
// ones, and api.TimelineEntry.NodesOmitted counts the rest (issue 12: the
// per-node feedback of a 9000-node snapshot made a timeline 5.6 MB).
const TimelineNodes = 20

// trimNodes cuts each check of res that has more than limit nodes to its
// first limit failing nodes and returns the counts by check ID (nil when
// nothing was cut).
func trimNodes(res *grader.Result, limit int) map[string]api.NodeCounts {
	var out map[string]api.NodeCounts
	for i := range res.Checks {
		c := &res.Checks[i]
		if len(c.Nodes) <= limit {
			continue
		}
		failed := c.FailedNodes()
		n := api.NodeCounts{Total: len(c.Nodes), Failed: len(failed), Shown: min(len(failed), limit)}
		c.Nodes = slices.Clip(failed[:n.Shown])
		if out == nil {
			out = map[string]api.NodeCounts{}
		}
		out[c.ID] = n
	}
	return out
}

// stateWords maps every per-node state of res (expected and actual) to
// the grader's Korean words, for api.TimelineEntry.States; nil when res
// lists no nodes.
func stateWords(res grader.Result) map[string]string {
	var m map[string]string
	for _, c := range res.Checks {
		for _, n := range c.Nodes {
			for _, v := range []string{n.Expected, n.Actual} {
				if m == nil {
					m = map[string]string{}
				}
				m[v] = grader.StateText(v)
			}
		}
	}
	return m
}
