package api

// Cell states: what one student's exercise is, as the board shows it
// (assets/board/board.js draws the same from a BoardCell). CellState is
// the one derivation; `dslab class export` (CSV <id>.상태, JSON) and
// `class watch` use it.
const (
	StateNone       = "none"        // 제출 없음: no submission
	StateLateOnly   = "late-only"   // 마감 후 제출만: only late ones, none passed
	StatePassedLate = "passed-late" // 마감 후 통과: only a late submission passed
)

// CellState is the state of c: StateNone without submissions; the
// counted submission's status (StatusPassed, StatusFailed,
// StatusNotStarted, StatusInProgress) — except StatePassedLate when the
// newest one passed late and the counted one did not pass; with only late
// submissions StatePassedLate or StateLateOnly.
func CellState(c BoardCell) string {
	if c.Submissions == 0 {
		return StateNone
	}
	latePass := c.Now != nil && c.Now.Late && c.Now.Status == StatusPassed
	switch {
	case c.Status == "" && latePass:
		return StatePassedLate
	case c.Status == "":
		return StateLateOnly
	case c.Status != StatusPassed && latePass:
		return StatePassedLate
	}
	return c.Status
}

// CellStateText is the board's Korean words of a CellState: 제출 없음,
// 시작 전, 진행 중 (failed and in-progress alike), 통과, 마감 후 통과,
// 마감 후 제출만.
func CellStateText(state string) string {
	switch state {
	case StateNone:
		return NoSubmissionWord
	case StateLateOnly:
		return "마감 후 제출만"
	case StatePassedLate:
		return "마감 후 통과"
	}
	_, word := StatusMark(state)
	return word
}
