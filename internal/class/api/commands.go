package api

import "fmt"

// PauseMark marks a freeze (제출 마감) on every class surface. It is
// U+2016 (‖), which Noto Sans CJK KR — the board's font — has, where the
// emoji ⏸ (U+23F8) showed as an empty box in Chromium without an emoji
// font (issue 12).
const PauseMark = "‖"

// CommandLabels are the Korean names of the instructor actions (Command…
// kinds) with their symbols. It is the one table: `dslab class watch`
// uses it (CommandText), and the web board's COMMANDS in
// assets/board/board.js must equal it (TestBoardCommandLabelsMatchAPI,
// which also checks that every symbol is in a font the board names).
var CommandLabels = map[string]string{
	CommandBroadcast:     "공지",
	CommandUnlockHint:    "힌트 열기",
	CommandResetExercise: "↺ 연습 초기화",
	CommandFreeze:        PauseMark + " 제출 마감",
	CommandUnfreeze:      "▶ 마감 풀기",
	CommandRegrade:       "⟳ 다시 채점",
	CommandCloseJoin:     "참가 닫기",
	CommandOpenJoin:      "참가 열기",
	CommandRemoveStudent: "학생 빼기",
}

// CommandText is the Korean name of an instructor action (the kind itself
// when unknown).
func CommandText(kind string) string {
	if l, ok := CommandLabels[kind]; ok {
		return l
	}
	return kind
}

// CommandStateGroup is the class state a command kind sets ("" for none):
// a freeze and an unfreeze set the same state (제출 마감), closing and
// opening the join the same one (참가), a regrade's news is its newest
// one. Broadcasts, hints and resets set no state: each is news of its own.
func CommandStateGroup(kind string) string {
	switch kind {
	case CommandFreeze, CommandUnfreeze:
		return "freeze"
	case CommandCloseJoin, CommandOpenJoin:
		return "join"
	case CommandRegrade:
		return CommandRegrade
	}
	return ""
}

// SupersededCommands is the one rule of which instructor commands a
// student is not told about because a later one says the state now: of
// cmds (seq order; those with seq <= after are done already and ignored)
// every command of a state group (CommandStateGroup) but the last of its
// group. A student away through freeze → unfreeze → freeze → regrade →
// unfreeze is told "마감 해제" and the regrade, once. The lab's catch-up
// (client.Applier) and the list of `dslab class status` both use it, so
// the two never disagree (issue 12: status listed a freeze and a later
// unfreeze where the lab showed only the unfreeze).
func SupersededCommands(cmds []Command, after int64) []bool {
	out := make([]bool, len(cmds))
	seen := map[string]bool{}
	for i := len(cmds) - 1; i >= 0; i-- {
		g := CommandStateGroup(cmds[i].Kind)
		if g == "" || cmds[i].Seq <= after {
			continue
		}
		out[i] = seen[g]
		seen[g] = true
	}
	return out
}

// RemoveMessage is the message of a remove-student command: the roster id
// ("학번 2026003"). Every line that shows the command names the student
// already (its seat and name), so the name is not repeated (issue 12:
// "학생 빼기 · 6 박지훈 — 2026003 (박지훈)").
func RemoveMessage(rosterID string) string { return "학번 " + rosterID }

// RegradeText is the outcome of a class re-grade as every surface says it:
// the regrade command's detail after "강사가 다시 채점했습니다:" in a
// student's lab, on the board and in watch, and `dslab class regrade
// --all` ("바뀐 결과 1개 · 제출 4개 중", "바뀐 결과 없음 · 제출 2개"; the
// CLI said "결과가 바뀐 제출 0개" where the board said "바뀐 결과 없음").
func RegradeText(regraded, changed int) string {
	if changed == 0 {
		return fmt.Sprintf("바뀐 결과 없음 · 제출 %d개", regraded)
	}
	return fmt.Sprintf("바뀐 결과 %d개 · 제출 %d개 중", changed, regraded)
}
