package api

import (
	"slices"
	"testing"
)

// TestBoardLabelsNumberEveryMode: a student's number is the same in every
// name mode (issue 12), and equal initials are told apart by it alone.
func TestBoardLabelsNumberEveryMode(t *testing.T) {
	students := []BoardStudent{
		{RosterID: "2026002", Name: "김민수", Initials: "김○○"},
		{RosterID: "2026102", Name: "김민수", Initials: "김○○"},
		{RosterID: "2026003", Name: "이영희", Initials: "이○○"},
	}
	for mode, want := range map[string][]string{
		NamesFull:     {"1 김민수·002", "2 김민수·102", "3 이영희"},
		NamesInitials: {"1 김○○", "2 김○○", "3 이○○"},
		NamesHidden:   {"학생 1", "학생 2", "학생 3"},
	} {
		if got := BoardLabels(students, mode); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", mode, got, want)
		}
	}
}

// TestBoardLabelsUseTheStudentsOwnNumber: after 박지훈 (3) was removed,
// 최유나 went from 4 to 3 on the board and in watch (issue 12): a label
// carries the student's own number, whatever its place.
func TestBoardLabelsUseTheStudentsOwnNumber(t *testing.T) {
	students := []BoardStudent{{No: 1, RosterID: "1", Name: "김민수", Initials: "김○○"}, {No: 2, RosterID: "2", Name: "이서연", Initials: "이○○"}, {No: 4, RosterID: "4", Name: "최유나", Initials: "최○○"}}
	for mode, want := range map[string]string{NamesFull: "4 최유나", NamesInitials: "4 최○○", NamesHidden: "학생 4"} {
		if got := BoardLabels(students, mode)[2]; got != want {
			t.Errorf("%s: %q, want %q", mode, got, want)
		}
	}
	// An older server sends no numbers: places count.
	if got := BoardLabels([]BoardStudent{{Initials: "김○○"}, {Initials: "최○○"}}, NamesInitials)[1]; got != "2 최○○" {
		t.Errorf("without numbers: %q, want 2 최○○", got)
	}
}
