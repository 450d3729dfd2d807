package server

// Instructor actions, stored as durable commands (store.Command) applied in
// seq order. The student side fetches GET /api/v1/commands?after=SEQ with
// its token: everyone's commands and its own, so a student offline during an
// action gets it on reconnect.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// FlagLate marks a submission received while submissions were frozen; it is
// stored and graded like any other. The store reads it too (which stored
// copy of a capture answers a new one).
const FlagLate = store.FlagLate

// maxBroadcastRunes limits a broadcast message.
const maxBroadcastRunes = 500

// lateFlags returns [FlagLate] when submissions are frozen at received.
// A store error does not refuse the submission (nothing may be lost); it
// is logged and the submission is not flagged.
func (s *Server) lateFlags(ctx context.Context, received time.Time) []string {
	since, frozen, err := s.cache.frozenState(ctx, s.cfg.Store)
	if err != nil {
		s.cfg.Log.Warn("freeze state", "err", err)
		return nil
	}
	if frozen && !received.Before(since) {
		return []string{FlagLate}
	}
	return nil
}

func (s *Server) handleCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, maxSmallBodyBytes)
	if !ok {
		return
	}
	var req api.CommandRequest
	if err := decodeStrict(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad-json", "명령이 올바른 JSON 이 아닙니다: "+err.Error())
		return
	}
	if stateCommand(req.Kind) {
		s.stateMu.Lock()
		defer s.stateMu.Unlock()
	}
	on := surfaceOf(r)
	c, status, code, msg := s.validateCommand(r.Context(), req, on)
	if status == 0 && stateCommand(req.Kind) {
		status, code, msg = s.checkStateChange(r.Context(), req.Kind, on)
	}
	if status != 0 {
		writeError(w, status, code, msg)
		return
	}
	ctx := r.Context()
	if c.Kind == store.CommandRemoveStudent {
		s.removeStudent(w, r, req.RosterID)
		return
	}
	if c.Kind == store.CommandRegrade {
		res, stored, err := RegradeAll(ctx, s.cfg.Store, s.cfg.Catalog, s.cfg.GraderVersion, s.cfg.Now())
		if err != nil {
			s.internal(w, r, err)
			return
		}
		s.cfg.Log.Info("regraded", "regraded", res.Regraded, "changed", res.Changed, "graderVersion", res.GraderVersion)
		out := apiCommand(stored, nil)
		out.GraderVersion = res.GraderVersion
		writeJSON(w, http.StatusCreated, out)
		return
	}
	c.Time = s.cfg.Now()
	stored, err := s.cfg.Store.AddCommand(ctx, c)
	if c.Kind == store.CommandFreeze || c.Kind == store.CommandUnfreeze {
		s.cache.forgetFrozen() // stored, or maybe stored
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := apiCommand(stored, nil)
	out.RosterID = req.RosterID
	writeJSON(w, http.StatusCreated, out)
}

// stateCommand reports whether kind switches a class state (submissions
// frozen, joining closed) on or off.
func stateCommand(kind string) bool {
	switch kind {
	case store.CommandFreeze, store.CommandUnfreeze, store.CommandCloseJoin, store.CommandOpenJoin:
		return true
	}
	return false
}

// surface is where an instructor command came from: the web board (its
// requests carry boardHeader) or the CLI / API. A refusal's advice names
// what to press or type there.
type surface struct{ board bool }

func surfaceOf(r *http.Request) surface { return surface{board: r.Header.Get(boardHeader) != ""} }

// Board button labels a refusal may point to (assets/board/index.html;
// TestIntegrationBoardRefusalsPointToButtons looks them up on the page).
const (
	ButtonFreeze    = "제출 마감"
	ButtonUnfreeze  = "마감 풀기"
	ButtonCloseJoin = "참가 닫기"
	ButtonOpenJoin  = "참가 열기"
)

// next is the advice "to do that, …": on the board the button that does
// it, with the CLI command at most in parentheses (issue 12: the board's
// note named "dslab class send unfreeze" beside the 마감 풀기 button); in
// the CLI the command.
func (on surface) next(button, cli string) string {
	if on.board {
		return "‘" + button + "’ 단추를 누르세요 (CLI: " + cli + ")"
	}
	return cli
}

// pick is board's words on the board, cli's elsewhere.
func (on surface) pick(board, cli string) string {
	if on.board {
		return board
	}
	return cli
}

// checkStateChange refuses a state command that would not change the
// state (issue 12: a second freeze was stored as a second command; the
// students were told twice and a late joiner saw "제출 마감 2개"): 409 with
// code already-frozen, not-frozen, join-already-closed or
// join-already-open and a Korean message naming what to do instead where
// the command came from (on). Status 0 when kind changes the state. The
// freeze state is read from the store (not the cache), so it is the one
// the board shows next.
func (s *Server) checkStateChange(ctx context.Context, kind string, on surface) (status int, code, msg string) {
	switch kind {
	case store.CommandFreeze, store.CommandUnfreeze:
		since, frozen, err := s.cfg.Store.Frozen(ctx)
		if err != nil {
			return http.StatusInternalServerError, "internal", "서버 내부 오류입니다: " + err.Error()
		}
		if kind == store.CommandFreeze && frozen {
			return http.StatusConflict, "already-frozen", fmt.Sprintf("이미 제출 마감 중입니다 (%s 부터): 다시 보내지 않았습니다. 풀려면 %s", since.Local().Format("15:04"), on.next(ButtonUnfreeze, "dslab class send unfreeze"))
		}
		if kind == store.CommandUnfreeze && !frozen {
			return http.StatusConflict, "not-frozen", "제출 마감 중이 아닙니다: 풀 것이 없어 보내지 않았습니다. 마감하려면 " + on.next(ButtonFreeze, "dslab class send freeze")
		}
	case store.CommandCloseJoin, store.CommandOpenJoin:
		_, closed, err := joinState(ctx, s.cfg.Store)
		if err != nil {
			return http.StatusInternalServerError, "internal", "서버 내부 오류입니다: " + err.Error()
		}
		if kind == store.CommandCloseJoin && closed {
			return http.StatusConflict, "join-already-closed", "이미 참가를 닫았습니다: 다시 보내지 않았습니다. 다시 열려면 " + on.next(ButtonOpenJoin, "dslab class send open-join")
		}
		if kind == store.CommandOpenJoin && !closed {
			return http.StatusConflict, "join-already-open", "참가가 이미 열려 있습니다: 보내지 않았습니다. 닫으려면 " + on.next(ButtonCloseJoin, "dslab class send close-join")
		}
	}
	return 0, "", ""
}

// validateCommand checks req and turns it into a command; status is 0 when
// it is valid, else the HTTP status, code and Korean message to answer.
func (s *Server) validateCommand(ctx context.Context, req api.CommandRequest, on surface) (c store.Command, status int, code, msg string) {
	c = store.Command{Kind: req.Kind, Exercise: req.Exercise, Message: strings.TrimSpace(req.Message)}
	if req.RosterID != "" {
		x, err := s.cfg.Store.StudentByRosterID(ctx, req.RosterID)
		if errors.Is(err, store.ErrNotFound) {
			return c, http.StatusNotFound, "no-student", "그런 학번의 학생이 없습니다: " + req.RosterID
		}
		if err != nil {
			return c, http.StatusInternalServerError, "internal", "서버 내부 오류입니다: " + err.Error()
		}
		c.StudentID = x.ID
	}
	needExercise := func() (int, string, string) {
		if _, ok := s.exerciseAllowed(req.Exercise); !ok {
			return http.StatusBadRequest, "bad-exercise", fmt.Sprintf("이 수업에 없는 연습입니다: %q", req.Exercise)
		}
		return 0, "", ""
	}
	switch req.Kind {
	case store.CommandBroadcast:
		// Each fault named as it is (issue 12: an empty broadcast was told
		// about the 500-character limit).
		switch n := utf8.RuneCountInString(c.Message); {
		case c.Message == "":
			return c, http.StatusBadRequest, "bad-message", "공지(broadcast) 내용이 비어 있습니다: " + on.pick("‘공지’ 칸에 보낼 메시지를 쓰세요", "보낼 메시지를 쓰세요 (--message)")
		case !utf8.ValidString(c.Message):
			return c, http.StatusBadRequest, "bad-message", "공지(broadcast) 내용이 올바른 UTF-8 글자가 아닙니다"
		case n > maxBroadcastRunes:
			return c, http.StatusBadRequest, "bad-message", fmt.Sprintf("공지(broadcast)가 너무 깁니다: %d자, %d자까지 보낼 수 있습니다", n, maxBroadcastRunes)
		}
	case store.CommandUnlockHint:
		if st, code, msg := needExercise(); st != 0 {
			return c, st, code, msg
		}
		c.Message = ""
	case store.CommandResetExercise:
		if c.StudentID == 0 {
			return c, http.StatusBadRequest, "need-student", "연습 초기화(reset-exercise)는 한 학생에게만 보낼 수 있습니다: " + on.pick("‘학생’ 목록에서 학생을 고르세요", "--student 로 학번을 주세요")
		}
		if st, code, msg := needExercise(); st != 0 {
			return c, st, code, msg
		}
		if utf8.RuneCountInString(c.Message) > maxBroadcastRunes {
			return c, http.StatusBadRequest, "bad-message", fmt.Sprintf("메시지는 %d자까지입니다", maxBroadcastRunes)
		}
	case store.CommandRemoveStudent:
		if c.StudentID == 0 || req.Exercise != "" {
			return c, http.StatusBadRequest, "need-student", "학생 빼기(remove-student)는 연습 없이 한 학생에게만 보낼 수 있습니다: " + on.pick("‘학생’ 목록에서 학생을 고르고 ‘연습’은 비우세요", "dslab class remove 학번")
		}
		c.Message = ""
	case store.CommandFreeze, store.CommandUnfreeze, store.CommandRegrade, store.CommandCloseJoin, store.CommandOpenJoin:
		if c.StudentID != 0 || req.Exercise != "" {
			return c, http.StatusBadRequest, "bad-command", "이 명령(" + req.Kind + ")은 수업 전체에 적용됩니다: " + on.pick("학생과 연습을 고르지 말고 보내세요", "--student 와 --exercise 없이 보내세요")
		}
		c.Message = ""
	default:
		return c, http.StatusBadRequest, "bad-kind", fmt.Sprintf("모르는 명령입니다: %q (broadcast, unlock-hint, reset-exercise, freeze, unfreeze, regrade, close-join, open-join, remove-student)", req.Kind)
	}
	return c, 0, "", ""
}

// removeStudent takes rosterID off the roster (store.RemoveStudent) and
// answers 201 with the stored remove-student command; its message names
// the student by roster id (api.RemoveMessage).
func (s *Server) removeStudent(w http.ResponseWriter, r *http.Request, rosterID string) {
	x, err := s.cfg.Store.StudentByRosterID(r.Context(), rosterID)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no-student", "그런 학번의 학생이 없습니다: "+rosterID)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	c := store.Command{Kind: store.CommandRemoveStudent, Time: s.cfg.Now(), Message: api.RemoveMessage(x.RosterID)}
	removed, stored, err := s.cfg.Store.RemoveStudent(r.Context(), rosterID, c)
	s.cache.forgetToken(x.TokenHash) // removed, or maybe removed
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no-student", "그런 학번의 학생이 없습니다: "+rosterID)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.cfg.Log.Info("student removed", "rosterId", rosterID, "student", removed.ID, "command", stored.Seq)
	out := apiCommand(stored, nil)
	out.RosterID = rosterID
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) handleListCommands(w http.ResponseWriter, r *http.Request) {
	cmds, err := s.cfg.Store.Commands(r.Context(), 0, afterParam(r), 0)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	students, err := s.cfg.Store.Students(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	roster := map[int64]store.Student{}
	for _, x := range students {
		roster[x.ID] = x
	}
	out := api.CommandsResponse{Commands: []api.Command{}}
	for _, c := range cmds {
		out.Commands = append(out.Commands, apiCommand(c, roster))
	}
	writeJSON(w, http.StatusOK, out)
}

// handleStudentCommands returns the commands for the student (everyone's
// and its own) after ?after=SEQ.
func (s *Server) handleStudentCommands(w http.ResponseWriter, r *http.Request, x store.Student) {
	cmds, err := s.cfg.Store.Commands(r.Context(), x.ID, afterParam(r), 0)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := api.CommandsResponse{Commands: []api.Command{}}
	for _, c := range cmds {
		if c.Kind == store.CommandCloseJoin || c.Kind == store.CommandOpenJoin {
			continue // the instructor's own: nothing for a student's lab
		}
		out.Commands = append(out.Commands, apiCommand(c, map[int64]store.Student{x.ID: x}))
	}
	writeJSON(w, http.StatusOK, out)
}

func afterParam(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
