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
