package api

// StatusInProgress is the board's status of a cell whose submissions are
// of a started exercise still being worked on (grader.StatusInProgress;
// only the board and `class watch` show it).
const StatusInProgress = "in-progress"

// NoSubmissionMark and NoSubmissionWord are what every class surface
// shows for an exercise a student has not submitted (the web board's "—").
const (
	NoSubmissionMark = "—"
	NoSubmissionWord = "제출 없음"
)

// StatusMark is the icon and the Korean word of a submission status as
// every class surface shows it, icon and word together (never colour
// alone): ✔ 통과, ✘ 진행 중, ○ 시작 전, … 진행 중. A failed submission
// (graded, the DaemonSet there, not passing) is 진행 중 as `class status`,
// `class submit` and `dslab grade` call it (issue 12: the board and watch
// said "✘ 실패 8/10점" where they said "진행 중 · 8/10점"); the ✘ tells it
// apart on the instructor's surfaces. It is the one table:
// `dslab class submit`, `class status`, the class line of `dslab grade`
// and `class watch` use it, and the web board's STATUS in
// NotStartedNote is the one line a not-started submission shows on the
// board's timeline and in watch's feed: opening or resetting an exercise
// sends one, and its per-check ✘ (every check of an exercise not begun)
// only looked like failures (issue 12). The submission is still stored.
const NotStartedNote = "○ 시작 전 (연습을 열었음 / 초기화함)"

// assets/board/board.js must equal it (TestBoardStatusMarksMatchAPI).
// An unknown status is "?" and the status itself.
func StatusMark(status string) (icon, word string) {
	switch status {
	case StatusPassed:
		return "✔", "통과"
	case StatusFailed:
		return "✘", "진행 중"
	case StatusNotStarted:
		return "○", "시작 전"
	case StatusInProgress:
		return "…", "진행 중"
	}
	return "?", status
}

// StatusText is StatusMark's icon and word joined by a space ("✔ 통과").
func StatusText(status string) string {
	icon, word := StatusMark(status)
	return icon + " " + word
}

// KnownStatuses are the statuses StatusMark names, in the board's order.
func KnownStatuses() []string {
	return []string{StatusPassed, StatusFailed, StatusNotStarted, StatusInProgress}
}
