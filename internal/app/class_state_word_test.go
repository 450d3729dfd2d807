package app

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestClassInstructorStateWordMatchesLearner (issue 12): the board and
// `class watch` showed "✘ 실패 8/10점" for the submission `class status`
// and `dslab grade` call "진행 중 · 8/10점". Every instructor surface uses
// api.StatusMark (board.js STATUS equals it, TestBoardStatusMarksMatchAPI;
// export's 상태 through api.CellStateText): its word for each server status
// is the word the learner's line (serverVerdictBadge) says; only the icon
// may differ.
func TestClassInstructorStateWordMatchesLearner(t *testing.T) {
	for _, st := range []string{api.StatusPassed, api.StatusFailed, api.StatusNotStarted} {
		_, word := api.StatusMark(st)
		learner := serverVerdictBadge(st, 8, 10)
		if !strings.Contains(learner, word) {
			t.Errorf("%s: the board says %q, the learner reads %q", st, word, learner)
		}
		if got := api.CellStateText(api.CellState(api.BoardCell{Submissions: 1, Status: st})); got != word {
			t.Errorf("%s: export 상태 %q, board %q", st, got, word)
		}
	}
	if _, word := api.StatusMark(api.StatusFailed); word != grader.StatusWord(grader.StatusInProgress) {
		t.Errorf("failed reads %q on the board, dslab grade says %q", word, grader.StatusWord(grader.StatusInProgress))
	}
}
