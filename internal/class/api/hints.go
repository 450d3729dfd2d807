package api

// HintsHad is how many hints of one exercise a student had — the one
// number the board cell (BoardCell.HintsHad), `dslab class watch`'s H and
// the export's <id>.힌트 column show: the most hints any of the student's
// submissions says it opened in the lab (opened: grader.Snapshot.HintsUsed,
// nil when no snapshot said), or the instructor's unlock-hint commands
// for everyone or for the student (unlocked) when more — hints open from
// the first, so the two overlap and the larger one is what the student
// had. total caps it at the exercise's number of hints (0: unknown, no
// cap).
func HintsHad(opened *int, unlocked, total int) int {
	n := max(0, unlocked)
	if opened != nil {
		n = max(n, *opened)
	}
	if total > 0 {
		n = min(n, total)
	}
	return n
}
