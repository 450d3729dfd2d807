package api

import "strconv"

// Name modes of BoardLabels: the web board's "이름" button (N) and
// projector mode (initials).
const (
	NamesFull     = "full"
	NamesInitials = "initials"
	NamesHidden   = "hidden"
)

// StudentNo is the number of s, the i-th student of a board: its stable
// No (assigned at join, never reused), or its 1-based place from an older
// server that sends none.
func StudentNo(s BoardStudent, i int) int {
	if s.No > 0 {
		return s.No
	}
	return i + 1
}

// BoardLabels is how the web board (assets/board/board.js studentLabels)
// labels the students of a board, one label per student in order: each
// student's number (StudentNo: assigned at join, never reused, so a
// removal renumbers no one, issue 12) is its identifier
// in every name mode, so the student named on the projector is found on
// the instructor's board by the same number (issue 12: the projector's
// "김○○·1" did not map to the board's "김민수·002").
//
//   - NamesFull: the number and the DisplayNames label ("12 김민수·002";
//     the 학번 tail tells same names apart as in `class watch` and export);
//   - NamesInitials: the number and BoardStudent.Initials ("12 김○○"; the
//     number tells equal initials apart, no part of the name or 학번);
//   - NamesHidden: "학생 12".
func BoardLabels(students []BoardStudent, mode string) []string {
	var names []string
	if mode == NamesFull {
		names = DisplayNames(students, false)
	}
	out := make([]string, len(students))
	for i, s := range students {
		no := strconv.Itoa(StudentNo(s, i))
		switch mode {
		case NamesFull:
			out[i] = no + " " + names[i]
		case NamesInitials:
			out[i] = no + " " + s.Initials
		default:
			out[i] = "학생 " + no
		}
	}
	return out
}
